/**
 * Random programs — layers of random activations over symbolic sizes, a random loss —
 * where the claim is jacobi's own derivative (grad by every weight and every layer,
 * jacobian of a layer, vjp by the input) written out as text: every claim must hold;
 * the same gradient scaled by 3/2, claimed last, must be the first wrong one.
 * Seeded, few runs (each judges several claims at several points).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, grad, jacobian, vjp } from "../../src/api.js";
import { toText } from "../../src/print/text.js";

const ACTIVATIONS = ["tanh", "sigmoid", "sin", "exp"] as const;
const LOSSES = ["sum(z.^2)", "sum(z .* t)", "log(sum(exp(z)))", "t'*z"] as const;

/** A network: x → layer 1 … layer k → a loss of the last layer (z). */
const networkArb = fc.record({
  acts: fc.array(fc.constantFrom(...ACTIVATIONS), { minLength: 1, maxLength: 3 }),
  loss: fc.constantFrom(...LOSSES),
});

function networkText(acts: readonly string[], loss: string): string {
  const lines = ["x: vector(n0)"];
  acts.forEach((a, k) => {
    lines.push(`W${k + 1}: matrix(n${k + 1}, n${k})`, `h${k + 1} = ${a}(W${k + 1}*${k === 0 ? "x" : `h${k}`})`);
  });
  lines.push(`t: vector(n${acts.length})`, `g: vector(n1)`, `z = h${acts.length}`, `L = ${loss}`);
  return lines.join("\n");
}

describe("check: jacobi's own derivatives, claimed, hold", () => {
  it("on random networks (grad by weights and layers, a layer's jacobian, a vjp)", () => {
    fc.assert(
      fc.property(networkArb, ({ acts, loss }) => {
        const program = networkText(acts, loss);
        const claims: string[] = [];
        for (let k = 1; k <= acts.length; k++) {
          claims.push(`grad(L, W${k}) = ${toText(grad(program, `W${k}`))}`);
          claims.push(`grad(L, h${k}) = ${toText(grad(program, `h${k}`))}`);
        }
        const layer = `x: vector(n0); W1: matrix(n1, n0); g: vector(n1); h1 = ${acts[0]}(W1*x)`;
        claims.push(`jacobian(h1, x) = ${toText(jacobian(layer, "x"))}`);
        claims.push(`vjp(h1, x, g) = ${toText(vjp(layer, "x", "g"))}`);
        // and one slip, last: the first weight's gradient scaled, which must be judged wrong
        claims.push(`grad(L, W1) = 3/2*(${toText(grad(program, "W1"))})`);
        const report = check(program, claims);
        const wrong = report.claims.filter((c) => c.verdict === "wrong").map((c) => c.text);
        expect(wrong).toEqual([report.claims[claims.length - 1]!.text]);
        expect(report.firstWrong).toBe(claims.length - 1);
      }),
      { seed: 14, numRuns: 12 },
    );
  });
});
