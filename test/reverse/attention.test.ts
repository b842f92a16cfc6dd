/**
 * Attention and layer norm through the sweeps: VJPs by Q, K and V and the JVP by Q in
 * matrix form, layer norm's VJP without an n×n intermediate — each against finite
 * differences, and their kernels against the evaluator, with no scratch beyond t×t (n).
 */
import { describe, expect, it } from "vitest";
import { gradients } from "../../src/api.js";
import { derive } from "../../src/calculus/derive.js";
import { compileAll, compiledSource } from "../../src/codegen/compile.js";
import { parseSpec } from "../../src/codegen/spec.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { subjectOf } from "../../src/core/program.js";
import { toText } from "../../src/print/text.js";
import { formedMatrices } from "../../src/reverse/choose.js";
import { envOf as kernelEnv, inputsOf, oracleOf, randomCase, relativeError, resultsOf, rng } from "../codegen/support.js";
import { describeFailure, envOf, expectedByFd, judgeValue } from "../support/derivatives.js";
import { randomBindings, randomSizes, rngFrom } from "../support/random.js";
import type { DerivativeSpec } from "../../src/calculus/derive.js";

const ATTENTION = "Q: matrix(t,d); K: matrix(t,d); V: matrix(t,d); G: matrix(t,d)\nE = exp(Q*K'/sqrt(d))\nP = E ./ (E*ones(t,t))\nO = P*V";
const LAYER_NORM = "x: vector(n); g: vector(n); eps: scalar\nmu = sum(x)/n\nv = sum((x - mu).^2)/n\nxh = (x - mu)/sqrt(v + eps)";

/** The derivative agrees with finite differences at random sizes and values. */
function checkFd(text: string, spec: DerivativeSpec, positive: string[] = []): void {
  const program = parseProgram(text);
  const r = derive(program, subjectOf(program), spec);
  expect(r.matrix, `${spec.kind} by ${spec.wrt}: no matrix form`).toBeDefined();
  for (let trial = 0; trial < 3; trial++) {
    const random = rngFrom(100 + trial);
    const bindings = randomBindings(program, randomSizes(program, random, 2, 4), random, { positive });
    const value = evaluate(r.matrix!, envOf(program, bindings));
    const expected = expectedByFd(program, spec, bindings);
    expect(judgeValue(value, expected).kind, describeFailure(spec.wrt, r, value, expected, bindings)).toBe("ok");
  }
}

describe("attention", () => {
  for (const wrt of ["Q", "K", "V"]) it(`the VJP by ${wrt} agrees with finite differences`, () => checkFd(ATTENTION, { kind: "vjp", wrt, cotangent: "G" }));
  it("the JVP by Q agrees with finite differences", () => checkFd(ATTENTION, { kind: "jvp", wrt: "Q", tangent: "G" }));

  it("prints dV = P'*G and dQ = dS*K/sqrt(d), dS = P .* (dP - (P .* dP)*ones(t,t)), dP = G*V'", () => {
    const g = gradients(ATTENTION, ["Q", "K", "V"], { cotangent: "G" });
    expect(toText(g.results.V!)).toBe("P'*G");
    expect(toText(g.results.Q!)).toBe("((P .* (G*V' - ((G*V') .* P)*ones(t,t)))*K)/sqrt(d)");
    expect(toText(g.results.K!)).toBe("((P' .* (V*G' - ones(t,t)*((V*G') .* P')))*Q)/sqrt(d)");
  });

  it("kernels of the VJPs and the JVP agree with the evaluator and keep to t×t scratch", () => {
    const text = `${ATTENTION}\nkernel attentionVjp = vjp(O, Q, K, V, G)\nkernel attentionJvp = jvp(O, Q, G)`;
    const made = compileAll(text) as Record<string, (inputs: Record<string, unknown>) => unknown>;
    for (const spec of parseSpec(text).kernels) {
      const c = randomCase(spec.program, rng(7), { sizes: { t: 4, d: 3 } });
      const want = oracleOf(spec, kernelEnv(spec.program, c));
      const got = resultsOf(spec, made[spec.name]!(inputsOf(spec.program, c)));
      for (const o of spec.outputs) expect(relativeError(got.get(o.key)!, want.get(o.key)!), `${spec.name} ${o.key}`).toBeLessThan(1e-10);
      expect(compiledSource([spec], "f64")).not.toMatch(/t \* t \* t/);
    }
  });
});

describe("layer norm", () => {
  it("the VJP builds no n×n intermediate and agrees with finite differences", () => {
    const program = parseProgram(LAYER_NORM);
    const r = derive(program, subjectOf(program), { kind: "vjp", wrt: "x", cotangent: "g" });
    expect(formedMatrices(r.matrix!)).toBe(0);
    checkFd(LAYER_NORM, { kind: "vjp", wrt: "x", cotangent: "g" }, ["eps"]);
  });

  it("its kernel needs O(n) scratch", () => {
    const source = compiledSource(parseSpec(`${LAYER_NORM}\nkernel lnVjp = vjp(xh, x, g)`).kernels, "f64");
    expect(source).not.toMatch(/n \* n/);
    const spec = parseSpec(`${LAYER_NORM}\nkernel lnVjp = vjp(xh, x, g)`).kernels[0]!;
    const c = randomCase(spec.program, rng(3));
    c.values.set("eps", Float64Array.of(0.1));
    const want = oracleOf(spec, kernelEnv(spec.program, c));
    const got = resultsOf(spec, (compileAll(`${LAYER_NORM}\nkernel lnVjp = vjp(xh, x, g)`).lnVjp as (i: Record<string, unknown>) => unknown)(inputsOf(spec.program, c)));
    expect(relativeError(got.get("x")!, want.get("x")!)).toBeLessThan(1e-10);
  });
});
