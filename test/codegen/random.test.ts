/**
 * Random specs, compiled (f64 and f32): every output against the evaluator, every
 * derivative against finite differences, at random sizes and values.
 * f32 tolerance: inputs are rounded to f32 first and the oracle evaluates those in f64;
 * kernels compute in f64 and round once on output, so entries agree to 2e-6 relative to
 * the output's largest entry (a few f32 ulps; outputs that sum many terms in f32 would not).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileAll } from "../../src/codegen/compile.js";
import { parseSpec, type KernelSpec } from "../../src/codegen/spec.js";
import { JacobiError } from "../../src/core/errors.js";
import { envOf, finiteDerivative, inputsOf, magnitude, oracleOf, randomCase, relativeError, resultsOf, rng, type Case } from "./support.js";
import { randomSpec } from "./random-spec.js";

type AnyKernel = (inputs: Record<string, unknown>, out?: unknown) => unknown;

/** The spec, or undefined when it has no kernel (a derivative without a matrix form). */
function specOrSkip(text: string): KernelSpec | undefined {
  try {
    return parseSpec(text).kernels[0];
  } catch (e) {
    if (e instanceof JacobiError && e.kind === "unsupported") return undefined;
    throw e;
  }
}

/** Values of moderate size, where every function of the generator is well conditioned. */
const caseFor = (spec: KernelSpec, seed: number): Case => randomCase(spec.program, rng(seed), { maxSize: 5, scale: 1 });

const stats = { compared: 0, skipped: 0 };

describe("random specs", () => {
  it("f64 kernels agree with the evaluator and with finite differences", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = randomSpec(rng(seed));
        const spec = specOrSkip(r.text);
        if (!spec) {
          stats.skipped++;
          return;
        }
        const kernel = compileAll(r.text)[r.kernel] as AnyKernel;
        for (let t = 0; t < 3; t++) {
          const c = caseFor(spec, seed * 7 + t);
          const want = oracleOf(spec, envOf(spec.program, c));
          const got = resultsOf(spec, kernel(inputsOf(spec.program, c)));
          for (const o of spec.outputs) {
            const w = want.get(o.key)!;
            const g = got.get(o.key)!;
            if (!w.every(Number.isFinite)) continue;
            expect(relativeError(g, w), `${r.text}\n${o.key} vs evaluator`).toBeLessThan(1e-9 * (1 + magnitude(w)));
            const fd = finiteDerivative(spec, c, o.key);
            if (fd && fd.every(Number.isFinite)) expect(relativeError(g, fd), `${r.text}\n${o.key} vs finite differences`).toBeLessThan(2e-5 * (1 + magnitude(fd)));
          }
        }
        stats.compared++;
      }),
      { numRuns: 250, seed: 20240601 },
    );
    expect(stats.compared).toBeGreaterThan(150);
  });

  it("batched kernels (x per sample) equal the per-sample kernel, summed or stacked", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 9 }), (seed, samples) => {
        const r = randomSpec(rng(seed));
        const text = `${r.text}\nkernel kb = batch(k, x)`;
        let batch: KernelSpec | undefined;
        try {
          batch = parseSpec(text).kernels.find((k) => k.name === "kb");
        } catch (e) {
          if (e instanceof JacobiError && e.kind === "unsupported") return;
          throw e;
        }
        const spec = parseSpec(text).kernels.find((k) => k.name === "k")!;
        const ks = compileAll(text);
        const c = caseFor(spec, seed);
        const n = c.sizes.get("n")!;
        const random = rng(seed + 1);
        const xs = Float64Array.from({ length: samples * n }, () => 2 * random() - 1);
        const inputs = inputsOf(spec.program, c);
        const got = resultsOf(batch!, (ks["kb"] as AnyKernel)({ ...inputs, x: xs }));
        const want = new Map<string, number[]>();
        for (let b = 0; b < samples; b++) {
          const one = resultsOf(spec, (ks["k"] as AnyKernel)({ ...inputs, x: xs.slice(b * n, (b + 1) * n) }));
          for (const o of spec.outputs) {
            const v = Array.from(one.get(o.key)!);
            const summed = o.reverse && o.wrt !== "x";
            const acc = want.get(o.key);
            if (!acc) want.set(o.key, v);
            else if (summed) v.forEach((x, k) => (acc[k] = acc[k]! + x));
            else acc.push(...v);
          }
        }
        for (const o of spec.outputs) {
          const w = want.get(o.key)!;
          if (!w.every(Number.isFinite)) continue;
          expect(relativeError(got.get(o.key)!, w), `${text}\n${o.key} (B = ${samples})`).toBeLessThan(1e-12 * (1 + magnitude(w)));
        }
        compared++;
      }),
      { numRuns: 150, seed: 4242 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  it("f32 kernels agree with the f64 evaluator at f32-rounded inputs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = randomSpec(rng(seed));
        const spec = specOrSkip(r.text);
        if (!spec) return;
        const kernel = compileAll(r.text, { dtype: "f32" })[r.kernel] as AnyKernel;
        const c = caseFor(spec, seed);
        for (const [name, v] of c.values) c.values.set(name, Float64Array.from(Float32Array.from(v)));
        const want = oracleOf(spec, envOf(spec.program, c));
        const result = kernel(inputsOf(spec.program, c, (a) => Float32Array.from(a)));
        if (typeof result !== "number" && !spec.multi) expect(result, r.text).toBeInstanceOf(Float32Array);
        const got = resultsOf(spec, result);
        for (const o of spec.outputs) {
          const w = want.get(o.key)!;
          if (!w.every(Number.isFinite)) continue;
          expect(relativeError(got.get(o.key)!, w) / (1 + magnitude(w)), `${r.text}\n${o.key}`).toBeLessThan(2e-6);
        }
      }),
      { numRuns: 120, seed: 777 },
    );
  });
});
