/**
 * Every derivative the CLI prints gets a kernel (issue 13): over the corpus of
 * derivative-corpus.ts (the README's programs, the Cookbook table, the element-wise
 * tests' programs, row vectors, literals, random kernel specs), each grad, jacobian,
 * hessian, jvp and vjp that `derive` gives generates; those without a matrix form are
 * lowered from index notation to loop nests, and their kernels agree with the evaluator
 * (the index form evaluated entry by entry) in f64 and f32, and with finite differences.
 */
import { describe, expect, it } from "vitest";
import { compile, compiledSource, generateModule, parseSpec } from "../../src/codegen/index.js";
import { subjectOf } from "../../src/core/program.js";
import { parseProgram } from "../../src/parse/parse.js";
import { envOf, expectedByFd, judgeValue, resultValue } from "../support/derivatives.js";
import { randomBindings, randomSizes, rngFrom } from "../support/random.js";
import { corpusDerivatives, type CorpusDerivative } from "./derivative-corpus.js";
import { relativeError } from "./support.js";
import { derive } from "../../src/calculus/derive.js";
import * as B from "../../src/core/build.js";
import { shape } from "../../src/core/shape.js";
import { evaluateAt } from "../../src/eval/evaluate.js";
import { Lowering } from "../../src/codegen/lower.js";
import type { NEl, Step } from "../../src/codegen/ir.js";
import type { KernelSpec } from "../../src/codegen/spec.js";

const ALL = corpusDerivatives();
const INDEX_ONLY = ALL.filter((d) => !d.result.matrix);
const lastLine = (d: CorpusDerivative): string => d.spec.slice(d.spec.lastIndexOf("\n") + 1);

/** The kernel's inputs for a derive-style binding: arrays for declared vectors and matrices, numbers otherwise, and the sizes. */
function kernelInputs(d: CorpusDerivative, bindings: ReturnType<typeof randomBindings>, sizes: ReadonlyMap<string, number>, f32: boolean): Record<string, Float64Array | Float32Array | number> {
  const out: Record<string, Float64Array | Float32Array | number> = {};
  for (const [name, b] of bindings) {
    const decl = d.program.decls.get(name);
    const isArray = decl !== undefined && !(decl.shape.rows === 1 && decl.shape.cols === 1);
    out[name] = isArray ? (f32 ? Float32Array.from(b.value.data) : Float64Array.from(b.value.data)) : b.value.data[0]!;
  }
  for (const [name, n] of sizes) out[name] = n;
  return out;
}

const asArray = (v: unknown): Float64Array => (typeof v === "number" ? Float64Array.of(v) : Float64Array.from(v as ArrayLike<number>));

/** Kernel vs evaluator at random sizes and values (three trials). */
function agrees(d: CorpusDerivative, seed: number): void {
  const kernels = { f64: compile(d.spec), f32: compile(d.spec, { dtype: "f32" }) };
  for (let trial = 0; trial < 3; trial++) {
    const rng = rngFrom(seed * 10 + trial);
    const sizes = randomSizes(d.program, rng, 1, 5);
    const bindings = randomBindings(d.program, sizes, rng);
    const expected = resultValue(d.result, envOf(d.program, bindings)).value.data;
    for (const dtype of ["f64", "f32"] as const) {
      const got = asArray(kernels[dtype](kernelInputs(d, bindings, sizes, dtype === "f32")));
      const tol = dtype === "f64" ? 1e-9 : 2e-4;
      expect(got.length, `${lastLine(d)} (${dtype}): length`).toBe(expected.length);
      expect(relativeError(got, expected), `${lastLine(d)} (${dtype}) at sizes ${[...sizes].join(" ")}`).toBeLessThan(tol * Math.max(1, maxAbs(expected)));
    }
  }
}

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe("every derivative that prints generates a kernel", () => {
  it("the corpus has derivatives with and without a matrix form", () => {
    expect(ALL.length).toBeGreaterThan(1200);
    expect(INDEX_ONLY.length).toBeGreaterThanOrEqual(8);
  });

  it("every one generates (f64)", () => {
    const refused: string[] = [];
    for (const d of ALL) {
      try {
        compiledSource(parseSpec(d.spec).kernels, "f64");
      } catch (e) {
        refused.push(`${lastLine(d)}: ${(e as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
  }, 600_000);

  for (const [k, d] of INDEX_ONLY.entries())
    it(`#${k} ${lastLine(d)} (index notation, loop nests) agrees with the evaluator, f64 and f32`, () => agrees(d, 100 + k));

  // a sample of those with a matrix form, through the same check
  for (const [k, d] of ALL.filter((x, k) => x.result.matrix && k % 97 === 0).entries()) it(`#${k} ${lastLine(d)} agrees with the evaluator, f64 and f32`, () => agrees(d, 5000 + k));
});

/** The loop nests of a kernel's lowering. */
function nestsOf(spec: KernelSpec): Extract<Step, { k: "nest" }>[] {
  const lowered = new Lowering(spec.program, { outputsHoldShared: true, narrowOutputs: false }).lower(spec.outputs.map((o) => ({ key: o.key, expr: o.expr, index: o.index })));
  return lowered.steps.filter((s): s is Extract<Step, { k: "nest" }> => s.k === "nest");
}

const hasEq = (e: NEl): boolean =>
  e.k === "eq" || (e.k === "add" ? e.terms.some(hasEq) : e.k === "mul" ? e.factors.some(hasEq) : e.k === "pow" ? hasEq(e.base) || hasEq(e.exponent) : e.k === "fn" ? hasEq(e.arg) : false);

describe("the cost of loop nests", () => {
  for (const [k, d] of INDEX_ONLY.entries()) {
    const spec = parseSpec(d.spec).kernels[0]!;
    const free = spec.outputs[0]!.index!.indices.length;
    it(`#${k} ${lastLine(d)}: no loop nest runs over more than the ${free} free indices and one summed index, and every δ is an index equality`, () => {
      const nests = nestsOf(spec);
      expect(nests.length).toBeGreaterThan(0);
      for (const n of nests) {
        expect(n.loops.length + (n.sum === undefined ? 0 : 1)).toBeLessThanOrEqual(free + 1);
        expect(hasEq(n.body)).toBe(false);
      }
    });
  }

  it("a δ(a,b) term of a Hessian runs on the diagonal only (one loop, not two)", () => {
    const d = INDEX_ONLY.find((x) => lastLine(x) === "kernel k = hessian(L, b1)")!;
    const diagonal = nestsOf(parseSpec(d.spec).kernels[0]!).filter((n) => n.out.length === 2 && JSON.stringify(n.out[0]) === JSON.stringify(n.out[1]));
    expect(diagonal.length).toBeGreaterThan(0);
    for (const n of diagonal) expect(n.loops.length).toBe(1);
  });
});

describe("loop nests from index notation", () => {
  it("any number of free indices: a 4-index result is row-major over its indices, as the evaluator gives it", () => {
    // T[i,j,k,l] = A[i,k] δ(j,l) + Σ_p A[i,p] C[p,l] x[j] x[k]  (the shape of ∂(A*X)/∂X-like results)
    const base = parseSpec("A: matrix(m,n); C: matrix(n,q); x: vector(q); kernel k = A").kernels[0]!;
    const expr = B.add(B.mul(B.entry("A", ["i", "k"]), B.delta("j", "l")), B.mul(B.series("p", "n", B.mul(B.entry("A", ["i", "p"]), B.entry("C", ["p", "l"]))), B.entry("x", ["j"]), B.entry("x", ["k"])));
    const sizes = new Map([["i", "m"], ["j", "q"], ["k", "n"], ["l", "q"]] as const);
    const index = { expr, indices: ["i", "j", "k", "l"], sizes, shape: shape("m", "n") };
    const spec: KernelSpec = { ...base, outputs: [{ key: "k", expr, shape: index.shape, title: "T", reverse: false, wrt: undefined, index }] };
    const k = (new Function(compiledSource([spec], "f64"))() as Record<string, (i: object) => Float64Array>).k!;
    const [m, n, q] = [2, 3, 4];
    const rng = rngFrom(44);
    const A = Float64Array.from({ length: m * n }, () => rng() - 0.5);
    const C = Float64Array.from({ length: n * q }, () => rng() - 0.5);
    const x = Float64Array.from({ length: q }, () => rng() - 0.5);
    const got = k({ A, C, x, q });
    const env = envOf(base.program, new Map([["A", { value: { rows: m, cols: n, data: A } }], ["C", { value: { rows: n, cols: q, data: C } }], ["x", { value: { rows: q, cols: 1, data: x } }]]));
    const expected: number[] = [];
    for (let i = 1; i <= m; i++)
      for (let j = 1; j <= q; j++)
        for (let kk = 1; kk <= n; kk++)
          for (let l = 1; l <= q; l++)
            expected.push(evaluateAt(expr, env, new Map([["i", i], ["j", j], ["k", kk], ["l", l]])));
    expect(got.length).toBe(m * q * n * q);
    expect(relativeError(got, expected)).toBeLessThan(1e-12);
  });

  const MLP = "x: vector(n); y: vector(n); W1: matrix(n,n); b1: vector(n); W2: matrix(n,n); b2: vector(n); z1 = tanh(W1*x + b1); z2 = z1 + tanh(W2*z1 + b2); L = sum((W1*z2 - y).^2)";

  it("a Hessian without a matrix form agrees with finite differences", () => {
    for (const wrt of ["x", "b1"]) {
      const program = parseProgram(MLP);
      expect(derive(program, subjectOf(program), { kind: "hessian", wrt }).matrix).toBeUndefined();
      const k = compile(`${MLP}\nkernel h = hessian(L, ${wrt})`);
      const rng = rngFrom(wrt.length);
      const sizes = randomSizes(program, rng, 2, 4);
      const bindings = randomBindings(program, sizes, rng);
      const inputs: Record<string, Float64Array> = {};
      for (const [name, b] of bindings) inputs[name] = Float64Array.from(b.value.data);
      const got = asArray(k(inputs));
      const n = sizes.get("n")!;
      const verdict = judgeValue({ rows: n, cols: n, data: got }, expectedByFd(program, { kind: "hessian", wrt }, bindings), true);
      expect(verdict.kind).toBe("ok");
    }
  });

  it("a δ with a fixed position fixes the index: the Jacobian of [sum(x), 1]", () => {
    const k = compile("x: vector(2); kernel J = jacobian([sum(x), 1], x)");
    expect(Array.from(k({ x: Float64Array.of(3, 4) }) as Float64Array)).toEqual([1, 1, 0, 0]);
  });

  it("empty and wrong-length inputs are RangeErrors", () => {
    const k = compile(`${MLP}\nkernel h = hessian(L, x)`);
    const ok = (n: number): Record<string, Float64Array> => ({ x: new Float64Array(n), y: new Float64Array(n), W1: new Float64Array(n * n), b1: new Float64Array(n), W2: new Float64Array(n * n), b2: new Float64Array(n) });
    expect(() => k(ok(0))).toThrow(RangeError);
    expect(() => k({ ...ok(3), y: new Float64Array(2) })).toThrow(RangeError);
    expect(() => k(ok(3), new Float64Array(8))).toThrow(RangeError);
  });

  it("generated code is arithmetic only: names from the input text appear only as sanitized names", async () => {
    const text = "constructor: vector(n); __proto__: vector(n); toString: matrix(n,n); z = tanh(toString*constructor); L = sum((toString*z - __proto__).^2)\nkernel h = hessian(L, constructor)";
    const code = await generateModule(text);
    const body = code.slice(code.indexOf("export function h("));
    const words = new Set(body.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/`[^`]*`/g, "").match(/[A-Za-z_$][\w$]*/g));
    const allowed = /^(const|let|for|if|else|throw|new|return|undefined|null|typeof|object|number|RangeError|Float64Array|Math|tanh|exp|log|sqrt|pow|abs|length|fill|export|function|h|HInputs|inputs|out|n|[a-z]\d*|[ikot]\d*|acc\d*|end|constructor\$|__proto__\$|toString\$|s\d|v|p|t\d*|z\d*|o\d+|h_\w+|k_\w+)$/;
    expect([...words].filter((w) => !allowed.test(w))).toEqual([]);
    const k = compile(text);
    const out = k({ constructor$: Float64Array.of(0.1, 0.2), __proto__$: Float64Array.of(0.3, -0.1), toString$: Float64Array.of(1, 2, 3, 4) });
    expect(asArray(out).length).toBe(4);
  });

  it("the JSDoc of an output with more than two indices gives its dimensions and layout, and the kernel fills that many entries", async () => {
    const text = "A: matrix(m,n); X: matrix(n,k)\nkernel j = jacobian(A*X, X)";
    const code = await generateModule(text);
    expect(code).toContain(" * Returns an m×k×n×k array (Float64Array of m*k*n*k entries, row-major over i, j, a, b).");
    expect(code).not.toMatch(/Returns matrix\(m,k\)/);
    const out = asArray(compile(text)({ A: new Float64Array(2 * 3), X: new Float64Array(3 * 4), m: 2 }));
    expect(out.length).toBe(2 * 4 * 3 * 4);
  });

  it("on the wasm target, a loop nest runs its JavaScript loops (the module says so)", async () => {
    expect(await generateModule(`${MLP}\nkernel h = hessian(L, x)`, { target: "wasm" })).toMatch(/h: JavaScript loops on the wasm target too \(it does not compute the step nest yet\)/);
  });

  it("a batch of a kernel in index notation is refused at the batch statement", () => {
    expect(() => parseSpec(`${MLP}\nkernel h = hessian(L, x)\nkernel hb = batch(h, x, y)`)).toThrow(/3:1.*not batched yet|not batched yet/s);
  });

  it("grad and vjp kernels differentiate by a definition, as the CLI does (agreeing with derive's value)", () => {
    const text = "x: vector(n); y: vector(m); W: matrix(m,n); g: vector(m); net = W*x; s = exp(net)/sum(exp(net)); L = -sum(y .* log(s))";
    const program = parseProgram(text);
    const rng = rngFrom(9);
    const sizes = randomSizes(program, rng, 2, 5);
    const bindings = randomBindings(program, sizes, rng);
    const inputs: Record<string, Float64Array> = {};
    for (const [name, b] of bindings) inputs[name] = Float64Array.from(b.value.data);
    for (const [kernel, of, spec] of [
      ["grad(L, net)", program.defs.get("L")!.expr, { kind: "grad", wrt: "net" }],
      ["vjp(s, net, g)", program.defs.get("s")!.expr, { kind: "vjp", wrt: "net", cotangent: "g" }],
    ] as const) {
      const got = asArray(compile(`${text}\nkernel k = ${kernel}`)(inputs));
      const expected = resultValue(derive(program, of, spec), envOf(program, bindings)).value.data;
      expect(relativeError(got, expected), kernel).toBeLessThan(1e-12);
    }
  });

  it("kernels differentiate by undeclared scalars, as the CLI does", () => {
    const k = compile("kernel g = grad(x^3*y, x, y)");
    const out = k({ x: 2, y: 5 }) as Record<string, number>;
    expect([out.loss, out.x, out.y]).toEqual([40, 60, 8]);
  });
});
