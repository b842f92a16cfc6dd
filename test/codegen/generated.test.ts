/**
 * The committed kernels in generated/: each against the evaluator and (derivatives)
 * finite differences, at random sizes and values; preallocated outputs; sizes changing
 * between calls; length errors; zero and extreme inputs; batched = sum of per-sample.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as matvecModule from "../../generated/matvec.js";
import * as mlpModule from "../../generated/mlp.js";
import * as softmaxModule from "../../generated/softmax.js";
import { parseSpec, type KernelSpec } from "../../src/codegen/spec.js";
import { envOf, finiteDerivative, inputsOf, magnitude, oracleOf, randomCase, relativeError, resultsOf, rng, mlpBatchCases, type Case } from "./support.js";

type AnyKernel = (inputs: Record<string, unknown>, out?: unknown) => unknown;

const MODULES: readonly [string, Record<string, unknown>][] = [
  ["softmax", softmaxModule],
  ["matvec", matvecModule],
  ["mlp", mlpModule],
];

const specOf = (name: string) => parseSpec(readFileSync(new URL(`../../examples/${name}.jacobi`, import.meta.url), "utf8"), `${name}.jacobi`);

function run(spec: KernelSpec, module: Record<string, unknown>, c: Case, out?: unknown): Map<string, Float64Array> {
  const f = module[spec.name] as AnyKernel;
  return resultsOf(spec, f(inputsOf(spec.program, c), out));
}

/** Agreement with the evaluator (and with finite differences for derivatives). */
function check(spec: KernelSpec, module: Record<string, unknown>, c: Case): void {
  const got = run(spec, module, c);
  const want = oracleOf(spec, envOf(spec.program, c));
  for (const o of spec.outputs) {
    const g = got.get(o.key)!;
    const w = want.get(o.key)!;
    expect(relativeError(g, w), `${spec.name}.${o.key} vs the evaluator`).toBeLessThan(1e-10 * (1 + magnitude(w)));
    const fd = finiteDerivative(spec, c, o.key);
    if (fd) expect(relativeError(g, fd), `${spec.name}.${o.key} vs finite differences`).toBeLessThan(1e-6 * (1 + magnitude(fd)));
  }
}

for (const [name, module] of MODULES) {
  const file = specOf(name);
  describe(`generated/${name}.ts`, () => {
    it("exports every kernel of the spec", () => {
      for (const k of file.kernels) expect(typeof module[k.name], k.name).toBe("function");
    });
    for (const spec of file.kernels.filter((k) => !k.batch)) {
      describe(spec.name, () => {
        it("agrees with the evaluator and finite differences at random sizes and values", () => {
          const random = rng(1234);
          for (let t = 0; t < 25; t++) check(spec, module, randomCase(spec.program, random, { maxSize: 7, scale: 2 }));
          // sizes past the unrolled blocks (4-row and 2×4 blocks leave remainders)
          check(spec, module, randomCase(spec.program, random, { maxSize: 1, sizes: { n: 13, m: 9, n0: 11, n1: 7, n2: 5 } }));
        });

        it("writes into a preallocated output and returns it; sizes may change between calls", () => {
          const random = rng(99);
          for (const size of [9, 2, 11, 1, 5]) {
            const c = randomCase(spec.program, random, { sizes: { n: size, m: size + 1, n0: size, n1: size + 2, n2: size + 1 } });
            const fresh = run(spec, module, c);
            const f = module[spec.name] as AnyKernel;
            const first = f(inputsOf(spec.program, c));
            if (typeof first === "number") continue;
            const again = f(inputsOf(spec.program, c), first);
            expect(again).toBe(first);
            for (const [key, v] of resultsOf(spec, again)) expect(Array.from(v)).toEqual(Array.from(fresh.get(key)!));
            check(spec, module, c);
          }
        });

        it("agrees with the evaluator at zero inputs", () => {
          const c = randomCase(spec.program, rng(5), { sizes: { n: 4, m: 3, n0: 3, n1: 2, n2: 3 } });
          for (const v of c.values.values()) v.fill(0);
          const got = run(spec, module, c);
          const want = oracleOf(spec, envOf(spec.program, c));
          for (const o of spec.outputs) expect(relativeError(got.get(o.key)!, want.get(o.key)!), o.key).toBeLessThan(1e-12);
        });
      });
    }
  });
}

describe("length errors name the input", () => {
  const f = (m: Record<string, unknown>, k: string) => m[k] as AnyKernel;
  const expectRange = (call: () => unknown, name: RegExp): void => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(name);
  };
  it("softmax kernels", () => {
    expectRange(() => f(softmaxModule, "softmaxVjp")({ x: new Float64Array(4), g: new Float64Array(3) }), /\bg has length 3\b/);
    expectRange(() => f(softmaxModule, "softmax")({ x: new Float64Array(0) }), /\bx is empty\b/);
    expectRange(() => f(softmaxModule, "softmax")({ x: new Float64Array(3) }, new Float64Array(4)), /\bout has length 4\b/);
    expectRange(() => f(softmaxModule, "softmaxJacobian")({ x: new Float64Array(3) }, new Float64Array(3)), /\bout has length 3\b/);
  });
  it("matrix inputs: a length that is not a multiple, or that disagrees", () => {
    expectRange(() => f(matvecModule, "matvec")({ W: new Float64Array(7), x: new Float64Array(2) }), /\bW has length 7\b/);
    expectRange(() => f(matvecModule, "matvecVjpX")({ W: new Float64Array(6), g: new Float64Array(4) }), /\bW has length 6\b/);
    const ok = { x: new Float64Array(2), y: new Float64Array(3), W1: new Float64Array(6), b1: new Float64Array(3), W2: new Float64Array(9), b2: new Float64Array(3) };
    expect(() => f(mlpModule, "mlpGrads")(ok)).not.toThrow();
    expectRange(() => f(mlpModule, "mlpGrads")({ ...ok, W1: new Float64Array(5) }), /\bW1 has length 5\b/);
    // y and b2 disagree about n2: the message names the input checked and where n2 came from
    expectRange(() => f(mlpModule, "mlpGrads")({ ...ok, y: new Float64Array(2) }), /\bW2 has length 9\b.*n2 = 2 from y\b/);
    expectRange(() => f(mlpModule, "mlpGrads")({ ...ok, W2: new Float64Array(8) }), /\bW2 has length 8\b/);
    expectRange(() => f(mlpModule, "mlpGrads")(ok, { loss: 0, W1: new Float64Array(6), b1: new Float64Array(2), W2: new Float64Array(9), b2: new Float64Array(3) }), /\bout\.b1 has length 2\b/);
    expectRange(() => f(mlpModule, "mlpGradsBatch")({ ...ok, x: new Float64Array(5) }), /\bx has length 5\b/);
  });
});

describe("stable forms: finite and shift-invariant at inputs shifted by ±1000", () => {
  const file = specOf("softmax");
  for (const spec of file.kernels) {
    it(`${spec.name}(x ± 1000) = ${spec.name}(x)`, () => {
      const random = rng(7);
      for (const shift of [1000, -1000, 1e5]) {
        const c = randomCase(spec.program, random, { sizes: { n: 6 } });
        const want = oracleOf(spec, envOf(spec.program, c));
        const x = c.values.get("x")!;
        const shifted: Case = { sizes: c.sizes, values: new Map(c.values).set("x", x.map((v) => v + shift)) };
        const got = run(spec, softmaxModule, shifted);
        for (const o of spec.outputs) {
          const g = got.get(o.key)!;
          expect(g.every(Number.isFinite), `${o.key} finite`).toBe(true);
          expect(relativeError(g, want.get(o.key)!)).toBeLessThan(1e-9);
        }
      }
    });
  }

  it("the network's loss and gradients: finite for shifted inputs; invariant when the output bias shifts", () => {
    const spec = specOf("mlp").kernels.find((k) => k.name === "mlpGrads")!;
    const random = rng(11);
    for (const shift of [1000, -1000]) {
      const c = randomCase(spec.program, random, { sizes: { n0: 4, n1: 3, n2: 5 } });
      const y = c.values.get("y")!;
      y.fill(0);
      y[2] = 1;
      // shifting every output bias by the same amount leaves the softmax unchanged
      const base = run(spec, mlpModule, c);
      const b2 = c.values.get("b2")!;
      const shifted = run(spec, mlpModule, { sizes: c.sizes, values: new Map(c.values).set("b2", b2.map((v) => v + shift)) });
      for (const o of spec.outputs) {
        expect(shifted.get(o.key)!.every(Number.isFinite), o.key).toBe(true);
        expect(relativeError(shifted.get(o.key)!, base.get(o.key)!), o.key).toBeLessThan(1e-9);
      }
      // large inputs saturate the sigmoids; a large output bias on one class: all finite
      const x = c.values.get("x")!;
      const big = new Map(c.values).set("x", x.map((v) => v * 1000 + shift)).set("b2", b2.map((v, k) => (k === 0 ? v + shift : v)));
      const far = run(spec, mlpModule, { sizes: c.sizes, values: big });
      for (const o of spec.outputs) expect(far.get(o.key)!.every(Number.isFinite), `${o.key} at large inputs`).toBe(true);
      const want = oracleOf(spec, envOf(spec.program, { sizes: c.sizes, values: big }));
      // where the naive formula is finite (its loss is 0 * log(0) = NaN here), the kernel agrees with it
      for (const o of spec.outputs) {
        const w = want.get(o.key)!;
        if (w.every(Number.isFinite)) expect(relativeError(far.get(o.key)!, w), o.key).toBeLessThan(1e-9);
      }
    }
  });
});

describe("mlpGradsBatch", () => {
  const file = specOf("mlp");
  const one = file.kernels.find((k) => k.name === "mlpGrads")!;
  const batch = file.kernels.find((k) => k.name === "mlpGradsBatch")!;
  const perSample = mlpModule.mlpGrads as unknown as AnyKernel;
  const batched = mlpModule.mlpGradsBatch as unknown as AnyKernel;

  /** Σ over samples of the per-sample kernel. */
  function summed(c: Case, samples: number): Map<string, Float64Array> {
    const total = new Map<string, Float64Array>();
    const n0 = c.sizes.get("n0")!;
    const n2 = c.sizes.get("n2")!;
    for (let b = 0; b < samples; b++) {
      const inputs = inputsOf(one.program, c);
      inputs["x"] = c.values.get("x")!.slice(b * n0, (b + 1) * n0);
      inputs["y"] = c.values.get("y")!.slice(b * n2, (b + 1) * n2);
      for (const [key, v] of resultsOf(one, perSample(inputs))) {
        const acc = total.get(key) ?? new Float64Array(v.length);
        v.forEach((x, k) => (acc[k] = acc[k]! + x));
        total.set(key, acc);
      }
    }
    return total;
  }

  it("is the sum over the batch of the per-sample kernel", () => {
    const random = rng(21);
    for (const { samples, c } of mlpBatchCases(one.program, random)) {
      const got = resultsOf(batch, batched(inputsOf(one.program, c)));
      const want = summed(c, samples);
      for (const o of batch.outputs) expect(relativeError(got.get(o.key)!, want.get(o.key)!), `${o.key} (B = ${samples})`).toBeLessThan(1e-12 * (1 + magnitude(want.get(o.key)!)));
      // a preallocated output is reused and fully overwritten (sums start from zero)
      const out = batched(inputsOf(one.program, c));
      const again = resultsOf(batch, batched(inputsOf(one.program, c), out));
      for (const o of batch.outputs) expect(relativeError(again.get(o.key)!, want.get(o.key)!), o.key).toBeLessThan(1e-12 * (1 + magnitude(want.get(o.key)!)));
    }
  });
});
