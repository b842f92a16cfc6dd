/**
 * The wasm target takes every kernel the JavaScript target takes: every function of the
 * table (SIMD forms, and the others through the host's Math, lane by lane), every
 * power, norms, matrix literals, batches with per-sample and constant scalar outputs and
 * per-sample input scalars, the seed examples and the random-spec corpus; each against
 * the evaluator and the JS kernel in f64 and f32, some against finite differences, at
 * ±1000 shifts, special values (NaN, ±Infinity, ±0) and with empty and wrong-length inputs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { compileAll } from "../../src/codegen/compile.js";
import { wasmGap } from "../../src/codegen/wasm/accept.js";
import { wasmTarget } from "../../src/codegen/wasm/index.js";
import { parseSpec, type KernelSpec } from "../../src/codegen/spec.js";
import { FUNCTION_NAMES, FUNCTION_TABLE } from "../../src/core/functions.js";
import { JacobiError } from "../../src/core/errors.js";
import type { Lowered } from "../../src/codegen/lowered.js";
import { envOf, finiteDerivative, inputsOf, magnitude, oracleOf, randomCase, relativeError, resultsOf, rng, type Case } from "./support.js";
import { randomSpec } from "./random-spec.js";

type AnyKernel = (inputs: Record<string, unknown>, out?: unknown) => unknown;
type Dtype = "f64" | "f32";
const TOLERANCE = { f64: 1e-10, f32: 2e-5 } as const;
const convert = (dtype: Dtype) => (a: Float64Array): Float64Array | Float32Array => (dtype === "f32" ? Float32Array.from(a) : a);
const rounded = (c: Case, dtype: Dtype): Case => (dtype === "f32" ? { sizes: c.sizes, values: new Map([...c.values].map(([k, v]) => [k, Float64Array.from(Float32Array.from(v))])) } : c);

/** wasm against the JS kernel and (where finite) the evaluator; f64 also against finite differences. */
function agree(spec: KernelSpec, wasm: AnyKernel, js: AnyKernel, c: Case, dtype: Dtype, fd = false): void {
  const inputs = inputsOf(spec.program, c, convert(dtype));
  const got = resultsOf(spec, wasm(inputs));
  const fromJs = resultsOf(spec, js(inputs));
  const want = oracleOf(spec, envOf(spec.program, rounded(c, dtype)));
  const inputScale = dtype === "f32" ? Math.max(0, ...[...c.values.values()].map(magnitude)) : 0;
  for (const o of spec.outputs) {
    const g = got.get(o.key)!;
    const scale = (w: Float64Array): number => TOLERANCE[dtype] * (1 + Math.max(magnitude(w), inputScale));
    expect(relativeError(g, fromJs.get(o.key)!), `${spec.name}.${o.key} (${dtype}) vs the JS kernel`).toBeLessThan(scale(fromJs.get(o.key)!));
    const w = want.get(o.key)!;
    if (w.every(Number.isFinite)) expect(relativeError(g, w), `${spec.name}.${o.key} (${dtype}) vs the evaluator`).toBeLessThan(scale(w));
    const d = fd && dtype === "f64" ? finiteDerivative(spec, c, o.key) : undefined;
    if (d) expect(relativeError(g, d), `${spec.name}.${o.key} vs finite differences`).toBeLessThan(1e-6 * (1 + magnitude(d)));
  }
}

/** Where every function of the table is finite: (0.1, 0.9) is in every domain (acosh's: 1 + that). */
const argumentOf = (fn: string): string => (fn === "acosh" ? "1 + x .* x" : fn === "asin" || fn === "acos" || fn === "atanh" ? "x/2" : "x");

describe("wasm target: every function of the table", () => {
  for (const fn of FUNCTION_NAMES) {
    const form = FUNCTION_TABLE[fn].wasm ? "its SIMD form" : "the host's Math, lane by lane";
    it(`${fn} (${form}): value and Jacobian against the JS kernel, the evaluator and finite differences; NaN, ±Infinity, ±0`, async () => {
      const u = argumentOf(fn);
      const text = `x: vector(n)\nkernel value = ${fn}(${u})\nkernel slope = grad(sum(${fn}(${u})), x)\nkernel both = ${fn}(${u}) .* x + 2`;
      const specs = parseSpec(text).kernels;
      for (const dtype of ["f64", "f32"] as const) {
        for (const spec of specs) {
          const wasm = (await compile(text, { kernel: spec.name, target: "wasm", dtype })) as AnyKernel;
          const js = compile(text, { kernel: spec.name, dtype }) as AnyKernel;
          const random = rng(7);
          for (const n of [1, 3, 4, 9]) {
            const c = randomCase(spec.program, random, { sizes: { n } });
            c.values.get("x")!.forEach((v, k, a) => (a[k] = 0.1 + 0.4 * (v + 1))); // in (0.1, 0.9)
            agree(spec, wasm, js, c, dtype, true);
          }
        }
        // special values: the same numbers as the JS kernel (NaN as NaN, infinities as themselves)
        const value = (await compile(text, { kernel: "value", target: "wasm", dtype })) as AnyKernel;
        const js = compile(text, { kernel: "value", dtype }) as AnyKernel;
        const A = dtype === "f64" ? Float64Array : Float32Array;
        const x = A.of(NaN, Infinity, -Infinity, 0, -0, 1000, -1000, 0.5, -0.5, 1e-30, 40);
        const got = Array.from(value({ x }) as ArrayLike<number>);
        const want = Array.from(js({ x }) as ArrayLike<number>);
        expect(got.map(Number.isNaN), `${fn} NaN where the JS kernel has NaN (${dtype})`).toEqual(want.map(Number.isNaN));
        got.forEach((g, k) => {
          const w = want[k]!;
          if (!Number.isFinite(w) || w === 0) expect(g, `${fn}(${x[k]}) (${dtype})`).toBe(w);
          else expect(Math.abs(g - w) / Math.abs(w), `${fn}(${x[k]}) (${dtype})`).toBeLessThan(dtype === "f64" ? 1e-14 : 1e-6);
        });
      }
    });
  }
});

const more = [
  "x: vector(n); y: vector(n); A: matrix(n, n); a: scalar; z: vector(2)",
  "kernel powers = x .^ 4 + (1 + x .* x) .^ 2.5 + (1 + x .* x) .^ -0.5 + (2 + y) .^ a",
  "kernel powersGrad = grad(sum((1 + x .* x) .^ 2.5 + (2 + y) .^ x), x)",
  "kernel norm = norm2(x)",
  "kernel unit = x/norm2(x)",
  "kernel normGrad = grad(norm2(A*x), x)",
  "kernel rootDot = sqrt(x'*x) + a",
  "kernel literal = [[a, 2], [3, a*a]]*z + z",
  "kernel waves = sin(A*x) .* cos(y) + softplus(x) - log(sigmoid(y))",
  "kernel wavesJacobian = jacobian(sin(A*x) + cosh(x) + atan(y .* x), x)",
  "kernel rows = A*sec(x) + step(x) .* relu(y) + abs(y) .* sign(x)",
].join("\n");

describe("wasm target: powers, norms, literals, functions inside products", () => {
  const specs = parseSpec(more).kernels;
  for (const dtype of ["f64", "f32"] as const) {
    for (const spec of specs) {
      it(`${spec.name} (${dtype}): the JS kernel, the evaluator, finite differences; ±1000 shifts`, async () => {
        const wasm = (await compile(more, { kernel: spec.name, target: "wasm", dtype })) as AnyKernel;
        const js = compile(more, { kernel: spec.name, dtype }) as AnyKernel;
        const random = rng(13);
        for (const n of [2, 3, 5, 8, 11]) agree(spec, wasm, js, randomCase(spec.program, random, { sizes: { n } }), dtype, true);
        // f32 sums at ±1000 are 6e-5 off, which periodic functions of them do not forgive: f64 only there
        for (const shift of dtype === "f32" && spec.name.startsWith("waves") ? [] : [1000, -1000]) {
          const c = randomCase(spec.program, random, { sizes: { n: 7 } });
          for (const [k, v] of c.values) if (k === "x" || k === "A") v.forEach((e, i) => (v[i] = e + shift));
          const inputs = inputsOf(spec.program, c, convert(dtype));
          for (const [key, v] of resultsOf(spec, wasm(inputs))) {
            const w = resultsOf(spec, js(inputs)).get(key)!;
            expect(Array.from(v, Number.isNaN), `${key} NaN as the JS kernel's`).toEqual(Array.from(w, Number.isNaN));
            expect(relativeError(v, w), `${key} shifted by ${shift}`).toBeLessThan((dtype === "f64" ? 1e-9 : 1e-4) * (1 + magnitude(w)));
          }
        }
      });
    }
  }
  it("norms of zero, infinite and NaN vectors are 0, Infinity and NaN; of huge entries finite", async () => {
    for (const dtype of ["f64", "f32"] as const) {
      const A = dtype === "f64" ? Float64Array : Float32Array;
      const norm = (await compile(more, { kernel: "norm", target: "wasm", dtype })) as AnyKernel;
      const js = compile(more, { kernel: "norm", dtype }) as AnyKernel;
      for (const x of [A.of(0, 0, 0), A.of(1, Infinity, 2), A.of(1, 2, NaN, 4, 5), A.of(-Infinity, NaN), A.of(1e38, 1e38, -1e38), A.of(3, 4)]) {
        const [got, want] = [norm({ x }) as number, js({ x }) as number];
        if (Number.isFinite(want) && want !== 0) expect(Math.abs(got - want) / want, `${dtype} ${Array.from(x)}`).toBeLessThan(dtype === "f64" ? 1e-15 : 1e-6);
        else expect(got, `${dtype} ${Array.from(x)}`).toBe(want);
      }
    }
  });
});

describe("wasm target: batches with per-sample and constant scalar outputs, per-sample input scalars", () => {
  const text = [
    "x: vector(n); W: matrix(m, n); a: scalar",
    "kernel loss = sum(sigmoid(W*x) .^ 2) * a + sum(W .* W)",
    "kernel losses = batch(loss, x, a)",
    "kernel lossGrads = grad(sum(sigmoid(W*x) .^ 2) * a, W)",
    "kernel lossGradsBatch = batch(lossGrads, x, a)",
    "kernel both = grad(sum(sin(W*x)) * a + a * sum(W .* W), W, a)",
    "kernel bothBatch = batch(both, x, a)",
    "kernel bothBatchX = batch(both, x)",
    "kernel shared = grad(a * sum(W .* W) + sum(x), a)",
    "kernel sharedStacked = batch(shared, x, a)",
    "kernel sharedSummed = batch(shared, x)",
  ].join("\n");
  const all = parseSpec(text).kernels;
  for (const dtype of ["f64", "f32"] as const) {
    for (const name of ["losses", "lossGradsBatch", "bothBatch", "bothBatchX", "sharedStacked", "sharedSummed"]) {
      it(`${name} (${dtype}): the per-sample kernel's values, stacked or summed, for batches of 1 … 9`, async () => {
        const spec = all.find((k) => k.name === name)!;
        const wasm = (await compile(text, { kernel: name, target: "wasm", dtype })) as AnyKernel;
        const js = compile(text, { kernel: name, dtype }) as AnyKernel;
        const random = rng(5);
        for (const samples of [1, 2, 5, 9]) {
          const m = 1 + Math.floor(random() * 6);
          const n = 1 + Math.floor(random() * 9);
          const inputs: Record<string, unknown> = {
            x: convert(dtype)(Float64Array.from({ length: samples * n }, () => random() * 2 - 1)),
            W: convert(dtype)(Float64Array.from({ length: m * n }, () => random() * 2 - 1)),
            a: spec.batch!.names.includes("a") ? convert(dtype)(Float64Array.from({ length: samples }, () => random() * 2 - 1)) : 0.5,
            m,
            n,
          };
          const want = resultsOf(spec, js(inputs));
          const first = wasm(inputs);
          expect(wasm(inputs, first)).toBe(first);
          for (const [key, v] of resultsOf(spec, first)) expect(relativeError(v, want.get(key)!), `${key} (B = ${samples})`).toBeLessThan(TOLERANCE[dtype] * 10 * (1 + magnitude(want.get(key)!)));
          if (name === "losses" && dtype === "f64") {
            // the per-sample kernel at each sample: the independent check of the stacked values
            const one = compile(text, { kernel: "loss" }) as AnyKernel;
            const got = first as Float64Array;
            for (let b = 0; b < samples; b++) {
              const x = (inputs["x"] as Float64Array).subarray(b * n, (b + 1) * n);
              expect(Math.abs(got[b]! - (one({ x, W: inputs["W"], a: (inputs["a"] as Float64Array)[b] }) as number))).toBeLessThan(1e-12 * (1 + Math.abs(got[b]!)));
            }
          }
        }
      });
    }
  }
});

describe("wasm target: the seed examples and the random-spec corpus", () => {
  const dir = new URL("../../examples/", import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".jacobi"))) {
    it(`examples/${file}: every kernel on the wasm target, against the JS kernel and the evaluator (f64, f32)`, async () => {
      const text = readFileSync(new URL(file, dir), "utf8");
      const wasmTable = await wasmTarget();
      for (const dtype of ["f64", "f32"] as const) {
        const wasm = compileAll(text, { dtype }, wasmTable);
        const js = compileAll(text, { dtype });
        for (const spec of parseSpec(text).kernels) {
          if (spec.batch) continue; // batches: wasm.test.ts (mlpGradsBatch) and the describe above
          const c = randomCase(spec.program, rng(3), { maxSize: 9 });
          agree(spec, wasm[spec.name] as AnyKernel, js[spec.name] as AnyKernel, c, dtype);
        }
      }
    }, 300_000);
  }
  it("random specs (seeded): the wasm kernels agree with the JS kernels and the evaluator", async () => {
    const wasmTable = await wasmTarget();
    let compared = 0;
    for (let seed = 1; seed <= 90; seed++) {
      const r = randomSpec(rng(seed));
      let spec: KernelSpec | undefined;
      try {
        spec = parseSpec(r.text).kernels[0];
      } catch (e) {
        if (e instanceof JacobiError && e.kind === "unsupported") continue;
        throw e;
      }
      const wasm = compileAll(r.text, {}, wasmTable)[r.kernel] as AnyKernel;
      const js = compileAll(r.text)[r.kernel] as AnyKernel;
      const c = randomCase(spec!.program, rng(seed * 11), { maxSize: 6 });
      const inputs = inputsOf(spec!.program, c);
      const got = resultsOf(spec!, wasm(inputs));
      for (const [key, w] of resultsOf(spec!, js(inputs))) expect(relativeError(got.get(key)!, w), `${r.text}\n${key} vs the JS kernel`).toBeLessThan(1e-9 * (1 + magnitude(w)));
      for (const [key, w] of oracleOf(spec!, envOf(spec!.program, c))) {
        if (w.every(Number.isFinite)) expect(relativeError(got.get(key)!, w), `${r.text}\n${key} vs the evaluator`).toBeLessThan(1e-9 * (1 + magnitude(w)));
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(45);
  }, 300_000);
  it("random specs batched (batch(k, x), every third seed): the wasm batch agrees with the JS batch", async () => {
    const wasmTable = await wasmTarget();
    let compared = 0;
    for (let seed = 1; seed <= 120; seed += 3) {
      const r = randomSpec(rng(seed));
      const text = `${r.text}\nkernel kb = batch(k, x)`;
      let batch: KernelSpec | undefined;
      try {
        batch = parseSpec(text).kernels.find((k) => k.name === "kb");
      } catch (e) {
        if (e instanceof JacobiError && e.kind === "unsupported") continue;
        throw e;
      }
      const spec = parseSpec(text).kernels.find((k) => k.name === "k")!;
      const c = randomCase(spec.program, rng(seed * 5), { maxSize: 6 });
      const random = rng(seed);
      const samples = 1 + (seed % 5);
      const inputs = { ...inputsOf(spec.program, c), x: Float64Array.from({ length: samples * c.sizes.get("n")! }, () => 2 * random() - 1) };
      const wasm = compileAll(text, { kernel: "kb" }, wasmTable)["kb"] as AnyKernel;
      const js = compileAll(text, { kernel: "kb" })["kb"] as AnyKernel;
      const got = resultsOf(batch!, wasm(inputs));
      for (const [key, w] of resultsOf(batch!, js(inputs))) expect(relativeError(got.get(key)!, w), `${text}\n${key}`).toBeLessThan(1e-9 * (1 + magnitude(w)));
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  }, 300_000);
});

describe("wasm target: errors of newly taken kernels; steps it does not know", () => {
  it("empty and wrong-length inputs are the JS kernel's RangeErrors", async () => {
    const norm = (await compile(more, { kernel: "norm", target: "wasm" })) as AnyKernel;
    const waves = (await compile(more, { kernel: "waves", target: "wasm" })) as AnyKernel;
    expect(() => norm({ x: new Float64Array(0) })).toThrow(RangeError);
    expect(() => norm({ x: new Float64Array(0) })).toThrow(/\bx is empty\b/);
    expect(() => waves({ x: new Float64Array(3), y: new Float64Array(2), A: new Float64Array(9) })).toThrow(/\by has length 2\b/);
    expect(() => waves({ x: new Float64Array(3), y: new Float64Array(3), A: new Float64Array(8) })).toThrow(RangeError);
    expect(() => waves({ x: new Float64Array(3), y: new Float64Array(3), A: new Float64Array(9) }, new Float64Array(2))).toThrow(/\bout has length 2\b/);
  });
  it("a step kind the target does not know yet runs the JavaScript loops (the generated code says which)", () => {
    const lowered = { steps: [{ k: "lu" }], outputs: [] } as unknown as Lowered;
    expect(wasmGap(lowered, undefined)).toBe("the step lu");
    const known = { steps: [{ k: "norm2", rows: "n", cols: 1, u: { k: "fn", fn: "sin", arg: { k: "num", value: 1 } } }], outputs: [] } as unknown as Lowered;
    expect(wasmGap(known, undefined)).toBeUndefined();
  });
});

describe("wasm target: zero-copy inputs (kernel.inputs(sizes))", () => {
  const text = "W: matrix(m, n); x: vector(n); a: scalar\nkernel f = sin(W*x) * a\nkernel g = grad(sum(sigmoid(W*x)) * a, W)\nkernel gb = batch(g, x, a)";
  /** Calls of TypedArray.prototype.set whose target is the kernel's memory (the copies in). */
  const copiesInto = (memory: ArrayBufferLike, call: () => unknown): number => {
    const set = Float64Array.prototype.set;
    const set32 = Float32Array.prototype.set;
    let count = 0;
    const spy = function (this: Float64Array, ...args: unknown[]): void {
      if (this.buffer === memory) count++;
      (Reflect.apply as (f: unknown, self: unknown, args: unknown[]) => void)(this instanceof Float32Array ? set32 : set, this, args);
    };
    Float64Array.prototype.set = spy as typeof set;
    Float32Array.prototype.set = spy as unknown as typeof set32;
    try {
      call();
    } finally {
      Float64Array.prototype.set = set;
      Float32Array.prototype.set = set32;
    }
    return count;
  };
  for (const dtype of ["f64", "f32"] as const) {
    it(`views filled in place give the copied call's results, and the call copies nothing in (${dtype})`, async () => {
      const A = dtype === "f64" ? Float64Array : Float32Array;
      for (const name of ["f", "g"]) {
        const k = await compile(text, { kernel: name, target: "wasm", dtype });
        const random = rng(9);
        for (const [m, n] of [[3, 5], [8, 13], [2, 2]] as const) {
          const views = k.inputs({ m, n });
          expect(Object.keys(views).sort()).toEqual(["W", "x"]);
          expect([views["W"]!.length, views["x"]!.length, views["W"] instanceof A]).toEqual([m * n, n, true]);
          const W = convert(dtype)(Float64Array.from({ length: m * n }, () => random() * 2 - 1));
          const x = convert(dtype)(Float64Array.from({ length: n }, () => random() * 2 - 1));
          const want = Array.from(k({ W, x, a: 0.5 }) as ArrayLike<number>);
          views["W"]!.set(W);
          views["x"]!.set(x);
          const memory = views["x"]!.buffer;
          let got: unknown;
          expect(copiesInto(memory, () => (got = k({ ...views, a: 0.5 })))).toBe(0);
          expect(Array.from(got as ArrayLike<number>)).toEqual(want);
          // written through the view, the next call sees it: the view is what the kernel reads
          views["x"]![0] = views["x"]![0]! + 1;
          x[0] = x[0]! + 1;
          expect(Array.from(k({ ...views, a: 0.5 }) as ArrayLike<number>)).toEqual(Array.from(k({ W, x, a: 0.5 }) as ArrayLike<number>));
          // plain arrays are copied in (two inputs: two copies)
          expect(copiesInto(memory, () => k({ W, x, a: 0.5 }))).toBe(2);
        }
      }
    });
  }
  it("batches: per-sample inputs and scalars in the memory too; bad sizes are RangeErrors; views of other sizes are copied", async () => {
    const k = await compile(text, { kernel: "gb", target: "wasm" });
    const js = compile(text, { kernel: "gb" });
    const views = k.inputs({ m: 3, n: 4, batch: 5 });
    expect([views["x"]!.length, views["a"]!.length, views["W"]!.length]).toEqual([20, 5, 12]);
    const random = rng(2);
    for (const v of Object.values(views)) v.forEach((_, i, arr) => (arr[i] = random() * 2 - 1));
    const plain = Object.fromEntries(Object.entries(views).map(([key, v]) => [key, Float64Array.from(v)]));
    const got = k(views) as Float64Array;
    expect(relativeError(got, js(plain) as Float64Array)).toBeLessThan(1e-12);
    expect(copiesInto(views["x"]!.buffer, () => k(views))).toBe(0);
    // views laid out for other sizes (in the same memory, where this call lays out other buffers) are copied first
    expect(relativeError(k({ W: plain["W"]!, x: views["x"]!.subarray(0, 8), a: views["a"]!.subarray(0, 2) }) as Float64Array, js({ W: plain["W"]!, x: plain["x"]!.subarray(0, 8), a: plain["a"]!.subarray(0, 2) }) as Float64Array)).toBeLessThan(1e-12);
    for (const bad of [{ m: 0, n: 4, batch: 1 }, { m: 3, n: 2.5, batch: 1 }, { m: 3, n: 4 }] as Record<string, number>[]) {
      expect(() => k.inputs(bad)).toThrow(RangeError);
      expect(() => k.inputs(bad)).toThrow(/gb\.inputs: the size \w+ must be a positive whole number/);
    }
  });
});
