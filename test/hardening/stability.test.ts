/**
 * Where the true value is finite, the evaluator and the kernels return it: softmax,
 * log-sum-exp, softplus (log(1 + exp(u))) and its derivative, norms and their
 * derivatives, at arguments where the plain formulas overflow (exp(1000) = Infinity,
 * (1e200)^2 = Infinity, (1e-200)^2 = 0). The expected values come from formulas that
 * cannot overflow there, written out here independently of src/.
 */
import { describe, expect, it } from "vitest";
import { compileAll } from "../../src/codegen/index.js";
import { compile, evaluate, grad, parse, vjp } from "../../src/index.js";
import { cli } from "../support/cli.js";

const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));
const softplus = (u: number): number => Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
const softmax = (xs: number[]): number[] => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const lse = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};
const norm = (xs: number[]): number => {
  const s = Math.max(...xs.map(Math.abs));
  return s * Math.sqrt(xs.reduce((a, x) => a + (x / s) ** 2, 0));
};

const V = "x: vector(n); ";
const CASES: readonly { argv: string[]; x: number[]; want: (x: number[]) => number[] }[] = [
  { argv: ["eval", `${V}s = exp(x)/sum(exp(x)); s`], x: [1000, 1001], want: softmax },
  { argv: ["eval", `${V}exp(x)/sum(exp(x))`], x: [-1000, -1001, -999], want: softmax },
  { argv: ["eval", `${V}log(sum(exp(x)))`], x: [1000, 1001], want: (x) => [lse(x)] },
  { argv: ["eval", `${V}log(sum(exp(x)))`], x: [-1000, -1000], want: (x) => [lse(x)] },
  { argv: ["eval", `${V}sum(log(1 + exp(x)))`], x: [1000, 1], want: (x) => [softplus(x[0]!) + softplus(x[1]!)] },
  { argv: ["eval", `${V}log(1 + exp(x))`], x: [800, -800, 3], want: (x) => x.map(softplus) },
  { argv: ["eval", `${V}sqrt(sum(x.*x))`], x: [1e200, 1e200], want: (x) => [norm(x)] },
  { argv: ["eval", `${V}sqrt(sum(x.^2))`], x: [3e-200, 4e-200], want: (x) => [norm(x)] },
  { argv: ["eval", `${V}sqrt(x'*x)`], x: [3e200, 4e200], want: (x) => [norm(x)] },
  { argv: ["grad", `${V}sum(log(1 + exp(x)))`, "--wrt", "x"], x: [1000, 1, -1000], want: (x) => x.map(sigmoid) },
  { argv: ["grad", `${V}sqrt(sum(x.*x))`, "--wrt", "x"], x: [1e200, 1e200], want: (x) => x.map((v) => v / norm(x)) },
  { argv: ["grad", `${V}sqrt(sum(x.^2))`, "--wrt", "x"], x: [3e-200, 4e-200], want: (x) => x.map((v) => v / norm(x)) },
  { argv: ["grad", `${V}sqrt(x'*x)`, "--wrt", "x"], x: [3e200, -4e200], want: (x) => x.map((v) => v / norm(x)) },
  { argv: ["grad", `${V}log(sum(exp(x)))`, "--wrt", "x"], x: [1000, 1001], want: softmax },
  {
    argv: ["jacobian", `${V}s = exp(x)/sum(exp(x)); s`, "--wrt", "x"],
    x: [1000, 1001],
    want: (x) => {
      const s = softmax(x);
      return [s[0]! - s[0]! * s[0]!, -s[0]! * s[1]!, -s[1]! * s[0]!, s[1]! - s[1]! * s[1]!];
    },
  },
  // the element-wise view writes the sums out: exp(x1 + x2)/(exp(x1) + exp(x2))^2, x1/sqrt(x1^2 + x2^2)
  {
    argv: ["jacobian", "x: vector(2); s = exp(x)/sum(exp(x)); s", "--wrt", "x", "--elementwise"],
    x: [1000, 1001],
    want: (x) => {
      const s = softmax(x);
      return [s[0]! - s[0]! * s[0]!, -s[0]! * s[1]!, -s[1]! * s[0]!, s[1]! - s[1]! * s[1]!];
    },
  },
  { argv: ["grad", "x: vector(3); log(sum(exp(x)))", "--wrt", "x", "--elementwise"], x: [1000, 1001, -5], want: softmax },
  { argv: ["grad", "x: vector(2); sum(log(1 + exp(x)))", "--wrt", "x", "--elementwise"], x: [1000, -1000], want: (x) => x.map(sigmoid) },
  { argv: ["grad", "x: vector(2); sqrt(sum(x.*x))", "--wrt", "x", "--elementwise"], x: [1e200, -1e200], want: (x) => x.map((v) => v / norm(x)) },
  { argv: ["grad", "x: vector(2); sqrt(sum(x.^2))", "--wrt", "x", "--elementwise"], x: [3e-200, 4e-200], want: (x) => x.map((v) => v / norm(x)) },
];

const close = (got: readonly number[], want: readonly number[], what: string): void => {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, k) => expect(Math.abs(g - want[k]!), `${what}: entry ${k + 1} is ${g}, not ${want[k]}`).toBeLessThanOrEqual(1e-12 * Math.abs(want[k]!) + 1e-300));
};

describe("the evaluator is stable where the true value is finite", () => {
  it.each(CASES.map((c) => [`${c.argv[0]} ${c.argv[1]} at x = [${c.x.join(", ")}]`, c] as const))("%s", async (what, c) => {
    const r = await cli(...c.argv, "--at", `x=[${c.x.join(",")}]`, "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    close([JSON.parse(r.out) as number | number[] | number[][]].flat(2), c.want(c.x), what);
  });
});

const KERNELS: readonly { spec: string; x: number[]; want: (x: number[]) => number[] }[] = [
  { spec: `${V}kernel k = grad(sum(log(1 + exp(x))), x)`, x: [1e4, 1, -1e4], want: (x) => x.map(sigmoid) },
  { spec: `${V}kernel k = sum(log(1 + exp(x)))`, x: [1e4, 1, -1e4], want: (x) => [x.map(softplus).reduce((a, b) => a + b, 0)] },
  { spec: `${V}kernel k = log(1 + exp(x))`, x: [800, -800, 3], want: (x) => x.map(softplus) },
  { spec: `${V}kernel k = jacobian(log(1 + exp(x)), x)`, x: [1e4, -1e4], want: (x) => [sigmoid(x[0]!), 0, 0, sigmoid(x[1]!)] },
  { spec: `${V}g: vector(n); kernel k = vjp(log(1 + exp(x)), x, g)`, x: [1e4, 2], want: (x) => x.map(sigmoid) },
  { spec: `${V}s = exp(x)/sum(exp(x)); kernel k = s`, x: [1000, 1001], want: softmax },
  { spec: `${V}kernel k = log(sum(exp(x)))`, x: [1000, 1001], want: (x) => [lse(x)] },
  { spec: `${V}kernel k = grad(log(sum(exp(x))), x)`, x: [1000, 1001], want: softmax },
];

describe("the kernels are stable where the true value is finite", () => {
  it.each(KERNELS.map((c) => [`${c.spec} at x = [${c.x.join(", ")}]`, c] as const))("%s", (what, c) => {
    const k = compile(c.spec);
    const inputs = c.spec.includes("g: vector") ? { x: Float64Array.from(c.x), g: Float64Array.from(c.x.map(() => 1)) } : { x: Float64Array.from(c.x) };
    const out = k(inputs as never) as number | Float64Array;
    close(typeof out === "number" ? [out] : Array.from(out), c.want(c.x), what);
  });
});

// Norms in kernels: computed with scaling (m sqrt(Σ (u/m)²), m = max |u|), so a kernel
// matches the evaluator (and the overflow-free formula) at 1e200 and 1e-200 scales.
const NORM_PROGRAMS: readonly { body: string; what: "value" | "grad" | "vjp"; want: (x: number[]) => number[] }[] = [
  { body: "sqrt(sum(x.*x))", what: "value", want: (x) => [norm(x)] },
  { body: "norm2(x)", what: "value", want: (x) => [norm(x)] },
  { body: "sqrt(x'*x)", what: "value", want: (x) => [norm(x)] },
  { body: "x/sqrt(sum(x.^2))", what: "value", want: (x) => x.map((v) => v / norm(x)) },
  { body: "norm2(2*x)", what: "value", want: (x) => [2 * norm(x)] },
  { body: "sqrt(sum(x.*x))", what: "grad", want: (x) => x.map((v) => v / norm(x)) },
  { body: "norm2(x)", what: "grad", want: (x) => x.map((v) => v / norm(x)) },
  { body: "norm2(2*x)", what: "grad", want: (x) => x.map((v) => (2 * v) / norm(x)) },
  { body: "sqrt(sum(x.^2))", what: "vjp", want: (x) => x.map((v) => (3 * v) / norm(x)) },
];
const SCALES: readonly number[][] = [
  [1e200, 1e200],
  [3e200, -4e200, 1e199],
  [1e-200, 1e-200],
  [3e-200, 4e-200, -1e-201],
];

describe("kernels compute norms with scaling, as the evaluator does", () => {
  const cases = NORM_PROGRAMS.flatMap((c) => SCALES.map((x) => [`${c.what} of ${c.body} at x = [${x.join(", ")}]`, c, x] as const));
  it.each(cases)("%s", (what, c, x) => {
    const decl = "x: vector(n); g: scalar; ";
    const kernel = c.what === "value" ? c.body : c.what === "grad" ? `grad(${c.body}, x)` : `vjp(${c.body}, x, g)`;
    const k = compile(`${decl}kernel k = ${kernel}`);
    const out = k({ x: Float64Array.from(x), g: 3 } as never) as number | Float64Array;
    const got = typeof out === "number" ? [out] : Array.from(out);
    close(got, c.want(x), `kernel ${what}`);
    const program = parse(`${decl}${c.body}`);
    const expr = c.what === "value" ? undefined : c.what === "grad" ? grad(program, "x") : vjp(program, "x", "g");
    close([evaluate(program, { x, g: 3 }, expr)].flat(2), got, `evaluator ${what}`);
  });

  // norm2(A*x) is built as sqrt(x'*A'*A*x): still a sum of squares, u = A*x
  const ax = (x: number[]): number[] => [x[0]! + 2 * x[1]!, -x[1]!];
  it.each([
    [1e200, 1e200],
    [3e-200, 4e-200],
  ])("norm2(A*x) and its gradient at x = [%d, %d], in a kernel and the evaluator", (...x) => {
    const decl = "A: matrix(n, n); x: vector(n); ";
    const inputs = { A: Float64Array.of(1, 2, 0, -1), x: Float64Array.from(x) };
    const nv = norm(ax(x));
    const u = ax(x).map((v) => v / nv);
    const wantGrad = [u[0]!, 2 * u[0]! - u[1]!]; // A' (A x)/norm
    const value = compile(`${decl}kernel k = norm2(A*x)`)(inputs as never) as number;
    const gradient = Array.from(compile(`${decl}kernel k = grad(norm2(A*x), x)`)(inputs as never) as Float64Array);
    close([value], [nv], "kernel value");
    close(gradient, wantGrad, "kernel gradient");
    const program = parse(`${decl}norm2(A*x)`);
    const at = { A: [[1, 2], [0, -1]], x };
    close([evaluate(program, at)].flat(2), [value], "evaluator value");
    close([evaluate(program, at, grad(program, "x"))].flat(2), gradient, "evaluator gradient");
  });

  it("grad(norm2(w .* x), x), whose sum is w'.^2*x.^2, per sample in a batch at 1e200 and 1e-200", () => {
    const ks = compileAll("x: vector(n); w: vector(n); kernel k = grad(norm2(w .* x), x)\nkernel kb = batch(k, x)");
    const [w, samples] = [[1, -2], [[1e200, 2e200], [3e-200, 4e-200]]];
    const want = (x: number[]): number[] => {
      const nv = norm(x.map((v, k) => w[k]! * v));
      return x.map((v, k) => (w[k]! * w[k]! * v) / nv);
    };
    const rows = Array.from(ks["kb"]!({ x: Float64Array.from(samples.flat()), w: Float64Array.from(w) }) as Float64Array);
    close(rows, samples.flatMap(want), "batched kernel");
    const program = parse("x: vector(n); w: vector(n); norm2(w .* x)");
    for (const x of samples) close([evaluate(program, { x, w }, grad(program, "x"))].flat(2), want(x), `evaluator at [${x.join(", ")}]`);
  });

  it("a kernel's norm keeps 0, Infinity and NaN (no 0/0 from the scaling)", () => {
    const k = compile("x: vector(n); kernel k = norm2(x)");
    expect(k({ x: Float64Array.of(0, 0) } as never)).toBe(0);
    expect(k({ x: Float64Array.of(1, Infinity) } as never)).toBe(Infinity);
    expect(k({ x: Float64Array.of(NaN, 1) } as never)).toBeNaN();
    expect(k({ x: Float64Array.of(1, NaN) } as never)).toBeNaN();
    const m = compile("A: matrix(n, n); kernel k = sqrt(sum(A.^2))");
    expect(m({ A: Float64Array.of(3e200, 0, 0, 4e200) } as never)).toBeCloseTo(5e200, -190);
  });
});
