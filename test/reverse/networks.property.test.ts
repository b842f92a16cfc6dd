/**
 * Reverse mode on random networks (depth 1–6, widths 1–4, tanh/sigmoid per layer,
 * residual layers, a weight shared by two layers, cross-entropy or squared error):
 *   - every parameter's gradient has a matrix form, and its value agrees with central
 *     finite differences (the smoothness rule of test/support/fd.ts);
 *   - the printed forms (named cotangents) evaluate to the same values as the written-out ones;
 *   - where the index-form path gives a matrix form too, the two agree;
 *   - the generated grad kernel agrees with the evaluator.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { derive } from "../../src/calculus/derive.js";
import { compileAll } from "../../src/codegen/compile.js";
import { parseSpec } from "../../src/codegen/spec.js";
import type { Expr } from "../../src/core/expr.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { subjectOf } from "../../src/core/program.js";
import { jointDerivatives } from "../../src/calculus/choose.js";
import { envOf as kernelEnv, inputsOf, oracleOf, randomCase, relativeError, resultsOf, rng } from "../codegen/support.js";
import { describeFailure, envOf, expectedByFd, judgeValue } from "../support/derivatives.js";
import { Tally } from "../support/fd.js";
import { networkProgram, type NetworkShape } from "../support/networks.js";
import { randomBindings, rngFrom } from "../support/random.js";

const shapeArb: fc.Arbitrary<NetworkShape> = fc
  .record({
    depth: fc.integer({ min: 1, max: 6 }),
    width: fc.integer({ min: 1, max: 4 }),
    widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 7, maxLength: 7 }),
    uniform: fc.boolean(),
    activations: fc.array(fc.constantFrom("tanh" as const, "sigmoid" as const), { minLength: 6, maxLength: 6 }),
    residual: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    share: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    loss: fc.constantFrom("crossentropy" as const, "squared" as const),
  })
  .map((r) => {
    const widths = r.uniform ? Array.from({ length: r.depth + 1 }, () => r.width) : r.widths.slice(0, r.depth + 1);
    const residual = r.residual.slice(0, r.depth).map((flag, k) => flag && k > 0 && widths[k] === widths[k + 1]);
    // a weight used in two places: layer `share + 2` reuses layer `share + 1`'s when their shapes agree
    const shared: (number | undefined)[] = Array.from({ length: r.depth }, () => undefined);
    if (r.share !== undefined && r.share + 2 <= r.depth) {
      const a = r.share + 1;
      if (widths[a] === widths[a + 1] && widths[a - 1] === widths[a]) shared[a] = a;
    }
    return { widths, activations: r.activations.slice(0, r.depth), residual, shared, loss: r.loss };
  });

const tally = new Tally();

describe("reverse mode on random networks", () => {
  it("every parameter's gradient has a matrix form that agrees with finite differences and the index form", () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (shape, seed) => {
        const net = networkProgram(shape);
        const program = parseProgram(net.text);
        const f = subjectOf(program);
        const specs = net.params.map((wrt) => ({ kind: "grad" as const, wrt }));
        const joint = jointDerivatives(program, f, specs, (s) => derive(program, f, s));
        const bindings = randomBindings(program, new Map(), rngFrom(seed));
        const env = envOf(program, bindings);
        // the printed forms read the named cotangents
        const named = new Map(bindings);
        const whereEnv = envOf({ ...program, defs: new Map([...program.defs, ...joint.where.map((b) => [nameOf(b.name), { name: nameOf(b.name), expr: b.expr, span: undefined, source: undefined }] as const)]) }, named);
        joint.results.forEach((r, k) => {
          expect(r.matrix, `${net.text}\n${r.spec.wrt}: no matrix form`).toBeDefined();
          const value = evaluate(r.matrix!, env);
          const expected = expectedByFd(program, r.spec, bindings);
          const verdict = judgeValue(value, expected);
          expect(verdict.kind, describeFailure(`${net.text}\n${r.spec.wrt}`, r, value, expected, bindings)).not.toBe("fail");
          if (verdict.kind === "ok") tally.compared++;
          else if (verdict.kind === "skip") tally.skip(verdict.why);
          expect(relativeError(evaluate(joint.display[k]!, whereEnv).data, value.data)).toBeLessThan(1e-9);
          // the index form, where it has a matrix form, agrees (a tracer keeps derive() on the index path)
          const index = derive(program, f, r.spec, { record: true });
          if (index.matrix) expect(relativeError(evaluate(index.matrix, env).data, value.data), `${net.text}\n${r.spec.wrt}`).toBeLessThan(1e-9);
        });
      }),
      { seed: 1201, numRuns: 60 },
    );
    expect(tally.compared).toBeGreaterThan(100);
  });

  it("the generated grad kernel agrees with the evaluator", () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (shape, seed) => {
        const net = networkProgram(shape);
        const text = `${net.text}\nkernel grads = grad(L, ${net.params.join(", ")})`;
        const spec = parseSpec(text).kernels[0]!;
        const kernel = compileAll(text).grads as (inputs: Record<string, unknown>) => unknown;
        const c = randomCase(spec.program, rng(seed));
        const want = oracleOf(spec, kernelEnv(spec.program, c));
        const got = resultsOf(spec, kernel(inputsOf(spec.program, c)));
        for (const o of spec.outputs) expect(relativeError(got.get(o.key)!, want.get(o.key)!), `${text}\n${o.key}`).toBeLessThan(1e-9);
      }),
      { seed: 1202, numRuns: 40 },
    );
  });
});

const nameOf = (e: Expr): string => (e.kind === "sym" ? e.name : "?");
