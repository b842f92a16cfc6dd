/**
 * The wasm target (src/codegen/wasm/): every kernel it takes, in f64 and f32, against the
 * evaluator and finite differences at random sizes (past the SIMD lanes and the 2×4
 * blocks), with preallocated outputs, changing sizes, inputs shifted by ±1000, and the
 * JavaScript kernel's length errors; the JavaScript fallback where WebAssembly SIMD is
 * missing (the kernels it takes beyond these: wasm-all.test.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile, generate } from "../../src/index.js";
import { compiledSource } from "../../src/codegen/compile.js";
import { parseSpec, type KernelSpec } from "../../src/codegen/spec.js";
import { wasmTarget } from "../../src/codegen/wasm/index.js";
import { specModule } from "../../src/vite.js";
import { runCli } from "../../src/cli/run.js";
import type { Io } from "../../src/cli/io.js";
import { envOf, finiteDerivative, inputsOf, magnitude, oracleOf, randomCase, relativeError, resultsOf, rng, mlpBatchCases, type Case } from "./support.js";

type AnyKernel = (inputs: Record<string, unknown>, out?: unknown) => unknown;

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}.jacobi`, import.meta.url), "utf8");
const matvecText = example("matvec");
const softmaxText = example("softmax");

/** Kernels beyond the seeds, for every step the target has: products of each transpose, maps with a diagonal, sums, scalars. */
const extraText = [
  "A: matrix(m, k); B: matrix(k, n); C: matrix(n, k); D: matrix(k, m); x: vector(m); y: vector(m); c: scalar",
  "kernel ab = A*B",
  "kernel act = A*C'",
  "kernel dtb = D'*B",
  "kernel dtct = D'*C'",
  "kernel scaled = c*x + 2*y/3 - x .* y",
  "kernel jac = jacobian(x .* y + c*x, x)",
  "kernel centered = x - sum(x)/m",
  "kernel quadGrad = grad(x'*A*A'*y, x)",
  "kernel hess = hessian(x'*A*A'*x, x)",
  "kernel squares = x .^ 2 + 1 ./ (1 + y .^ 2)",
  "kernel gates = sigmoid(A'*x) .* exp(-(A'*y) .^ 2)",
  "kernel gateJacobian = jacobian(sigmoid(A'*x), x)",
  "kernel total = sum(x .* y) + c",
  "kernel logs = log(1 + x .^ 2) .* tanh(y)",
  "kernel logsJacobian = jacobian(log(1 + x .^ 2) + tanh(x), x)",
  "kernel scores = grad(sum(sigmoid(A'*x)), A)",
].join("\n");

const SIZES = [
  { m: 1, n: 1, k: 1 },
  { m: 2, n: 3, k: 4 },
  { m: 9, n: 13, k: 7 },
  { m: 5, n: 8, k: 17 },
];

/**
 * f64: as the JavaScript kernels (1e-10 of the evaluator, relative to 1 + the largest entry); f32: lanes and
 * accumulators are f32, so 1e-5 relative to 1 + the largest entry of the inputs or the result (x - mean(x)
 * at x ≈ 1000 cancels what f32 can hold).
 */
const TOLERANCE = { f64: 1e-10, f32: 1e-5 } as const;

const toF32 = (a: Float64Array): Float32Array => Float32Array.from(a);

function check(spec: KernelSpec, f: AnyKernel, c: Case, dtype: "f64" | "f32"): void {
  const inputs = inputsOf(spec.program, c, dtype === "f32" ? toF32 : (a) => a);
  // f32: compare with the evaluator at the f32-rounded inputs
  const rounded: Case = dtype === "f32" ? { sizes: c.sizes, values: new Map([...c.values].map(([k, v]) => [k, Float64Array.from(toF32(v))])) } : c;
  const got = resultsOf(spec, f(inputs));
  const want = oracleOf(spec, envOf(spec.program, rounded));
  const inputScale = dtype === "f32" ? Math.max(0, ...[...c.values.values()].map(magnitude)) : 0;
  for (const o of spec.outputs) {
    const g = got.get(o.key)!;
    const w = want.get(o.key)!;
    expect(relativeError(g, w), `${spec.name}.${o.key} (${dtype}) vs the evaluator`).toBeLessThan(TOLERANCE[dtype] * (1 + Math.max(magnitude(w), inputScale)));
    const fd = dtype === "f64" ? finiteDerivative(spec, c, o.key) : undefined;
    if (fd) expect(relativeError(g, fd), `${spec.name}.${o.key} vs finite differences`).toBeLessThan(1e-6 * (1 + magnitude(fd)));
  }
}

/**
 * Shifted inputs: "exact" kernels are compared with the evaluator at the shifted inputs; "invariant" ones (softmax)
 * with their value unshifted; "finite" ones (the network: saturated sigmoids) with the JS kernel, all finite.
 */
for (const [file, text, shifts] of [
  ["examples/matvec.jacobi", matvecText, "exact"],
  ["examples/softmax.jacobi", softmaxText, "invariant"],
  ["examples/mlp.jacobi (mlpGrads)", example("mlp").replace(/^kernel mlpGradsBatch.*$/m, ""), "finite"],
  ["kernels of every step", extraText, "exact"],
  ["log-sum-exp", "x: vector(n)\nkernel lse = log(sum(exp(x)))\nkernel logSoftmax = x - log(sum(exp(x)))", "finite"],
] as const) {
  const specs = parseSpec(text).kernels;
  for (const dtype of ["f64", "f32"] as const) {
    describe(`wasm target, ${dtype}: ${file}`, () => {
      for (const spec of specs) {
        it(`${spec.name}: the evaluator and finite differences at random sizes; preallocated outputs; ±1000 shifts`, async () => {
          const f = (await compile(text, { kernel: spec.name, target: "wasm", dtype })) as AnyKernel;
          const js = compile(text, { kernel: spec.name, dtype }) as AnyKernel;
          const random = rng(31);
          for (const sizes of SIZES) check(spec, f, randomCase(spec.program, random, { sizes, scale: 2 }), dtype);
          for (let t = 0; t < 10; t++) check(spec, f, randomCase(spec.program, random, { maxSize: 11 }), dtype);
          // a preallocated output is written and returned; sizes change between calls (the memory grows)
          for (const sizes of [SIZES[2]!, SIZES[1]!, { m: 40, n: 33, k: 21 }]) {
            const c = randomCase(spec.program, random, { sizes });
            const inputs = inputsOf(spec.program, c, dtype === "f32" ? toF32 : (a) => a);
            const first = f(inputs);
            const again = f(inputs, first);
            expect(again).toBe(first);
            for (const [key, v] of resultsOf(spec, again)) expect(relativeError(v, resultsOf(spec, js(inputs)).get(key)!)).toBeLessThan(TOLERANCE[dtype] * (1 + magnitude(v)));
          }
          for (const shift of [1000, -1000]) {
            const c = randomCase(spec.program, random, { sizes: SIZES[2]! });
            if (shifts === "exact") {
              // large but exact arithmetic, as the evaluator computes it
              for (const v of c.values.values()) v.forEach((x, k) => (v[k] = x + shift));
              check(spec, f, c, dtype);
              continue;
            }
            // the stable forms: softmax(x ± 1000) = softmax(x), finite
            const x = c.values.get("x")!;
            const shifted: Case = { sizes: c.sizes, values: new Map(c.values).set("x", x.map((v) => v + shift)) };
            const inputs = inputsOf(spec.program, shifted, dtype === "f32" ? toF32 : (a) => a);
            const want = shifts === "invariant" ? oracleOf(spec, envOf(spec.program, c)) : resultsOf(spec, js(inputs));
            const got = resultsOf(spec, f(inputs));
            for (const o of spec.outputs) {
              expect(got.get(o.key)!.every(Number.isFinite), `${o.key} finite`).toBe(true);
              expect(relativeError(got.get(o.key)!, want.get(o.key)!), o.key).toBeLessThan(dtype === "f64" ? 1e-9 : 1e-3);
            }
          }
        });
      }
    });
  }
}

describe("wasm target: batched kernels", () => {
  const mlp = example("mlp");
  const one = parseSpec(mlp).kernels.find((k) => k.name === "mlpGrads")!;
  for (const dtype of ["f64", "f32"] as const) {
    it(`mlpGradsBatch (${dtype}): the JS batched kernel's loss and gradients, for batches of 1 … 64; a preallocated output`, async () => {
      const f = (await compile(mlp, { kernel: "mlpGradsBatch", target: "wasm", dtype })) as AnyKernel;
      const js = compile(mlp, { kernel: "mlpGradsBatch", dtype }) as AnyKernel;
      const random = rng(41);
      const batchSpec = parseSpec(mlp).kernels.find((k) => k.name === "mlpGradsBatch")!;
      for (const { samples, c } of mlpBatchCases(one.program, random)) {
        const inputs = inputsOf(one.program, c, dtype === "f32" ? toF32 : (a) => a);
        const want = resultsOf(batchSpec, js(inputs));
        const first = f(inputs);
        const again = f(inputs, first);
        expect(again).toBe(first);
        for (const [key, v] of resultsOf(batchSpec, again)) expect(relativeError(v, want.get(key)!), `${key} (B = ${samples})`).toBeLessThan(TOLERANCE[dtype] * 10 * (1 + magnitude(want.get(key)!)));
      }
    });
  }
});

describe("wasm target: undefined numbers stay NaN, as on the JS target", () => {
  it("softmax with a NaN entry is NaN everywhere; with -Infinity entries it is 0 there", async () => {
    for (const dtype of ["f64", "f32"] as const) {
      const A = dtype === "f64" ? Float64Array : Float32Array;
      const f = (await compile(softmaxText, { kernel: "softmax", target: "wasm", dtype })) as AnyKernel;
      const js = compile(softmaxText, { kernel: "softmax", dtype }) as AnyKernel;
      for (const x of [A.of(1, NaN, 2, 3, 4), A.of(NaN, 1, 2), A.of(1, 2, 3, 4, 5, 6, 7, NaN), A.of(-Infinity, 0, 1, -Infinity, 2)]) {
        const got = Array.from(f({ x }) as Float64Array);
        const want = Array.from(js({ x }) as Float64Array);
        expect(got.map(Number.isNaN), `${dtype} ${Array.from(x)}`).toEqual(want.map(Number.isNaN));
        expect(relativeError(got, want)).toBeLessThan(1e-6);
      }
    }
  });
});

describe("wasm target: the JavaScript kernel's checks and errors", () => {
  const expectRange = (call: () => unknown, message: RegExp): void => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  };
  it("empty and wrong-length inputs and outputs", async () => {
    const matvec = (await compile(matvecText, { kernel: "matvec", target: "wasm" })) as AnyKernel;
    const vjpX = (await compile(matvecText, { kernel: "matvecVjpX", target: "wasm" })) as AnyKernel;
    expectRange(() => matvec({ W: new Float64Array(7), x: new Float64Array(2) }), /\bW has length 7\b/);
    expectRange(() => matvec({ W: new Float64Array(0), x: new Float64Array(0) }), /\bx is empty\b/);
    expectRange(() => matvec({ W: new Float64Array(6), x: new Float64Array(2) }, new Float64Array(2)), /\bout has length 2\b/);
    expectRange(() => vjpX({ W: new Float64Array(6), g: new Float64Array(4) }), /\bW has length 6\b/);
    expect(Array.from(matvec({ W: Float64Array.of(1, 2, 3, 4), x: Float64Array.of(1, 1) }) as Float64Array)).toEqual([3, 7]);
  });
});

describe("wasm target: where WebAssembly SIMD is missing", () => {
  it("the JavaScript loops run, with the same results", async () => {
    const spec = parseSpec(matvecText).kernels.find((k) => k.name === "matvecVjpX")!;
    const source = compiledSource([spec], "f64", await wasmTarget());
    const run = (webAssembly: unknown): AnyKernel => (new Function("WebAssembly", source) as (w: unknown) => Record<string, AnyKernel>)(webAssembly)["matvecVjpX"]!;
    let validated = 0;
    const noSimd = run({ validate: () => (validated++, false) });
    const noWasm = run(undefined);
    const simd = run(WebAssembly);
    expect(validated).toBe(1);
    const c = randomCase(spec.program, rng(3), { sizes: { m: 9, n: 13 } });
    const want = oracleOf(spec, envOf(spec.program, c)).get(spec.outputs[0]!.key)!;
    for (const f of [noSimd, noWasm, simd]) expect(relativeError(f(inputsOf(spec.program, c)) as Float64Array, want)).toBeLessThan(1e-12);
  });
});

describe("wasm target: jacobi gen and the Vite plugin", () => {
  it("jacobi gen --target wasm writes the module (cosh through the host's Math); a bad spec is a positioned error; a bad target a usage error", async () => {
    const written = new Map<string, string>();
    const err: string[] = [];
    const files: Record<string, string> = { "matvec.jacobi": matvecText, "waves.jacobi": "x: vector(n)\nkernel t = cosh(x)\n", "bad.jacobi": "x: vector(n)\nkernel t = cosh(x\n" };
    const io: Io = { out: () => {}, err: (t) => void err.push(t), readFile: (p) => files[p]!, writeFile: (p, t) => void written.set(p, t) };
    expect(await runCli(["gen", "matvec.jacobi", "--out", "o", "--target", "wasm"], io)).toBe(0);
    expect(written.get("o/matvec.ts")).toMatch(/const matvec_wasm = \(\(\) => \{/);
    expect(await runCli(["gen", "waves.jacobi", "--out", "o", "--target", "wasm"], io)).toBe(0);
    expect(written.get("o/waves.ts")).toContain("const math = { f0: Math.cosh };");
    expect(await runCli(["gen", "bad.jacobi", "--out", "o", "--target", "wasm"], io)).toBe(1);
    expect(err.join("\n")).toMatch(/bad\.jacobi: 2:/);
    expect(await runCli(["gen", "matvec.jacobi", "--out", "o", "--target", "gpu"], io)).toBe(2);
  });

  it("generate embeds the module and keeps the kernels' signatures", async () => {
    const ts = await generate(matvecText, { target: "wasm", label: "matvec.jacobi" });
    expect(ts).toContain("WebAssembly SIMD, JavaScript where SIMD is missing");
    expect(ts).toContain("export function matvecVjpX(inputs: MatvecVjpXInputs, out?: Float64Array): Float64Array {");
    expect(ts).toMatch(/const matvecVjpX_wasm = \(\(\) => \{/);
    expect(await generate(matvecText, { target: "wasm", label: "matvec.jacobi" })).toBe(ts); // the same bytes on every run
  });
  it("specModule with target wasm: a module whose kernels compute on WebAssembly", async () => {
    const { code, declarations } = await specModule(matvecText, { target: "wasm", label: "matvec.jacobi" });
    expect(declarations).not.toContain("_wasm");
    // kernel.inputs(sizes), the zero-copy views, is declared with the kernel
    expect(declarations).toContain("export declare namespace matvec {\n  function inputs(sizes: { m: number; n: number }): { W: Float64Array; x: Float64Array };\n}");
    expect((await specModule(matvecText, { label: "matvec.jacobi" })).declarations).not.toContain("inputs(");
    const url = `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
    const mod = (await import(/* @vite-ignore */ url)) as Record<string, AnyKernel>;
    expect(Array.from(mod["matvec"]!({ W: Float64Array.of(1, 2, 3, 4, 5, 6), x: Float64Array.of(1, 0, -1) }) as Float64Array)).toEqual([-2, -2]);
  });
});
