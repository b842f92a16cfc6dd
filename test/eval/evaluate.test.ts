import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import { JacobiError } from "../../src/core/errors.js";
import type { Expr } from "../../src/core/expr.js";
import { LIMITS } from "../../src/core/limits.js";
import { describeShape, shape, vectorShape } from "../../src/core/shape.js";
import { bindProgram } from "../../src/eval/bind.js";
import { evaluate, evaluateAt, evaluateProgram, type Bindings, type Env } from "../../src/eval/evaluate.js";
import { formatValue, parseValue, type Value } from "../../src/eval/value.js";
import { parseProgram } from "../../src/parse/parse.js";
import { bindItWithAt } from "../../src/cli/common.js";
import { compareOnRandomProgram } from "./compare.js";

/** `--at`-style bindings from value texts. */
function at(values: Record<string, string>): Bindings {
  const out = new Map<string, { value: Value; source: { label: string; text: string } }>();
  for (const [name, text] of Object.entries(values)) {
    const source = { label: `--at ${name}`, text };
    out.set(name, { value: parseValue(text, source), source });
  }
  return out;
}

// the CLI's words for a missing value (the library's are its own: test/api.test.ts)
const run = (program: string, values: Record<string, string>): Value => evaluateProgram(parseProgram(program), at(values), { howToGive: bindItWithAt });
const numbers = (v: Value): number[] => Array.from(v.data);

function errorOf(f: () => unknown): JacobiError {
  try {
    f();
  } catch (e) {
    if (e instanceof JacobiError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => expect(Math.abs(a - expected[k]!), `entry ${k}: ${a} vs ${expected[k]}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[k]!))));
}

// The notebook's network (shared/seed/backprop-notebook.txt).
const NET = {
  x: "[0.2, -0.3]",
  y: "[0, 0, 1]",
  W1: "[[1, 0.2], [-1, 3], [0.5, 0.5]]",
  b1: "[0.1, 0.2, 0]",
  W2: "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.2, -0.2, 0.1]]",
  b2: "[0, 0.5, 0]",
};
// The notebook's second layer is square (3×3) and its g_3 multiplies z_1 by g_2 elementwise, so one size m serves both layers.
const NET_DECLS = "x: vector(n); y: vector(m); W1: matrix(m, n); b1: vector(m); W2: matrix(m, m); b2: vector(m)\n";
const FORWARD = `${NET_DECLS}net1 = W1*x + b1; z1 = sigmoid(net1); net2 = W2*z1 + b2; yhat = exp(net2)/sum(exp(net2))\n`;
/** The notebook prints float32 values; float64 agrees to about 1e-7. */
const F32 = 2e-7;

describe("the notebook's forward and backward pass", () => {
  it("W*x + b prints exactly [0.24,-0.9,-0.05]", () => {
    const v = run("W: matrix(m, n); x: vector(n); b: vector(m); W*x + b", { W: NET.W1, x: NET.x, b: NET.b1 });
    expect([v.rows, v.cols]).toEqual([3, 1]);
    expect(formatValue(v, "json")).toBe("[0.24,-0.9,-0.05]");
  });
  it("x'*x of [1, 2, 3] is 14", () => {
    const v = run("x: vector(n); x'*x", { x: "[1, 2, 3]" });
    expect([v.rows, v.cols, v.data[0]]).toEqual([1, 1, 14]);
    expect(formatValue(v, "json")).toBe("14");
  });
  it("sigmoid, softmax and cross-entropy give the notebook's z_1, net_2, y_hat and L", () => {
    const values = { ...NET };
    expectClose(numbers(run(`${FORWARD}z1`, values)), [0.55971366, 0.2890505, 0.48750263], F32);
    expectClose(numbers(run(`${FORWARD}net2`, values)), [0.26003227, 1.1609123, 0.10288289], F32);
    expectClose(numbers(run(`${FORWARD}yhat`, values)), [0.23167749, 0.57033634, 0.19798611], F32);
    expectClose(numbers(run(`${FORWARD}L = -sum(y .* log(yhat))`, values)), [1.6195585], F32);
  });
  it("the backward pass: softmax Jacobian, gradients, and the updated output", () => {
    const backward = `${FORWARD}
      g1 = -y ./ yhat
      J = diag(yhat) - yhat*yhat'
      g2 = J'*g1
      dW2 = g2*z1'
      g3 = z1 .* (1 - z1) .* g2
      dW1 = g3*x'
    `;
    const values = { ...NET };
    expectClose(numbers(run(`${backward}J`, values)), [0.17800303, -0.1321341, -0.04586893, -0.1321341, 0.24505278, -0.11291867, -0.04586893, -0.11291867, 0.15878761], F32);
    expectClose(numbers(run(`${backward}g2`, values)), [0.2316775, 0.57033634, -0.8020139], F32);
    expectClose(numbers(run(`${backward}dW2`, values)), [0.12967306, 0.0669665, 0.1129434, 0.31922504, 0.164856, 0.27804047, -0.44889814, -0.2318225, -0.39098388], F32);
    expectClose(numbers(run(`${backward}g3`, values)), [0.05709328, 0.1172043, -0.20037821], F32);
    expectClose(numbers(run(`${backward}dW1`, values)), [0.01141866, -0.01712798, 0.02344086, -0.03516129, -0.04007564, 0.06011346], F32);
    const update = `${backward}
      alpha = 1.0
      h = sigmoid((W1 - alpha*dW1)*x + (b1 - alpha*g3))
      # as the notebook writes it: np.dot(W_2new, sigmoid(…) + b_2new)
      o = (W2 - alpha*dW2)*(h + (b2 - alpha*g2))
      exp(o)/sum(exp(o))
    `;
    expectClose(numbers(run(update, values)), [0.24301268, 0.31357023, 0.4434171], F32);
  });
});

describe("matrix-level evaluation of every node kind", () => {
  const values = { x: "[1, 2, 3]", y: "[0.5, -1, 2]", W: "[[1, 2, 3], [4, 5, 6]]", M: "[[1, 2], [3, 4]]", a: "2" };
  const decls = "x: vector(n); y: vector(n); W: matrix(m, n); M: matrix(m, m); a: scalar\n";
  const cases: [text: string, rows: number, cols: number, data: number[]][] = [
    ["x + a", 3, 1, [3, 4, 5]],
    ["a - x", 3, 1, [1, 0, -1]],
    ["x .* y", 3, 1, [0.5, -2, 6]],
    ["x ./ y", 3, 1, [2, -2, 1.5]],
    ["x .^ 2", 3, 1, [1, 4, 9]],
    ["2 .^ x", 3, 1, [2, 4, 8]],
    ["x .^ y", 3, 1, [1, 0.5, 9]],
    ["a^3 - a", 1, 1, [6]],
    ["sqrt(x .* x)", 3, 1, [1, 2, 3]],
    ["sign(y) .* abs(y)", 3, 1, [0.5, -1, 2]],
    ["sign(x - 2)", 3, 1, [-1, 0, 1]],
    ["W*x", 2, 1, [14, 32]],
    ["x'*W'", 1, 2, [14, 32]],
    ["W'", 3, 2, [1, 4, 2, 5, 3, 6]],
    ["W*W'", 2, 2, [14, 32, 32, 77]],
    ["M*M*M", 2, 2, [37, 54, 81, 118]],
    ["x*y'", 3, 3, [0.5, -1, 2, 1, -2, 4, 1.5, -3, 6]],
    ["sum(W)", 1, 1, [21]],
    ["sum(x)/n", 1, 1, [2]],
    ["m*n", 1, 1, [6]],
    ["diag(x)", 3, 3, [1, 0, 0, 0, 2, 0, 0, 0, 3]],
    ["diag(x')", 3, 3, [1, 0, 0, 0, 2, 0, 0, 0, 3]],
    ["diag(M)", 2, 1, [1, 4]],
    ["diag(M')", 2, 1, [1, 4]],
    ["diag(M*M)", 2, 1, [7, 22]],
    ["diag(diag(x)) - x", 3, 1, [0, 0, 0]],
    ["eye(n)*x + eye(n)*y", 3, 1, [1.5, 1, 5]],
    ["eye(3)*[1, 2, 3]", 3, 1, [1, 2, 3]],
    ["eye(m) + M", 2, 2, [2, 2, 3, 5]],
    ["ones(n) + 2*x", 3, 1, [3, 5, 7]],
    ["zeros(m, n) + W", 2, 3, [1, 2, 3, 4, 5, 6]],
    ["ones(m, n)*x", 2, 1, [6, 6]],
    ["ones(2, 3)", 2, 3, [1, 1, 1, 1, 1, 1]],
    ["sum(ones(n))", 1, 1, [3]],
    ["[a, 2*a, 3] + [1, 2, 3]", 3, 1, [3, 6, 6]],
    ["[[1, a], [a, 1]]*[[1, 2], [3, 4]]", 2, 2, [7, 10, 5, 8]],
    ["[[a, 0, 1]]*[1, 2, 3]", 1, 1, [5]],
    ["-x'", 1, 3, [-1, -2, -3]],
    ["(x + y)'*(x - y)", 1, 1, [1 + 4 + 9 - (0.25 + 1 + 4)]],
    ["log(exp(x))", 3, 1, [1, 2, 3]],
    ["c*x", 3, 1, [10, 20, 30]],
  ];
  for (const [text, rows, cols, data] of cases) {
    it(`${text} = ${JSON.stringify(data)}`, () => {
      const needsC = text.includes("c");
      const v = run(decls + text, needsC ? { ...values, c: "10" } : values);
      expect([v.rows, v.cols]).toEqual([rows, cols]);
      expectClose(numbers(v), data, 1e-14);
    });
  }
  it("applies every elementwise function as Math does (sigmoid(u) = 1/(1+exp(-u)))", () => {
    const u = [-0.7, 0.1, 0.9];
    const fns: [string, (t: number) => number][] = [
      ["exp", Math.exp],
      ["log", (t) => Math.log(t)],
      ["sin", Math.sin],
      ["cos", Math.cos],
      ["tan", Math.tan],
      ["asin", Math.asin],
      ["acos", Math.acos],
      ["atan", Math.atan],
      ["sinh", Math.sinh],
      ["cosh", Math.cosh],
      ["tanh", Math.tanh],
      ["sigmoid", (t) => 1 / (1 + Math.exp(-t))],
      ["abs", Math.abs],
      ["sign", Math.sign],
    ];
    for (const [fn, f] of fns) {
      const v = run(`u: vector(n); ${fn}(u)`, { u: JSON.stringify(u) });
      const want = u.map(f);
      numbers(v).forEach((got, k) => (Number.isNaN(want[k]) ? expect(got).toBeNaN() : expect(got, fn).toBeCloseTo(want[k]!, 15)));
    }
  });
  it("keeps IEEE semantics: 1/0 is Infinity, log of a negative is NaN", () => {
    const v = run("x: vector(n); 1 ./ x", { x: "[0, -2]" });
    expect(numbers(v)).toEqual([Infinity, -0.5]);
    expect(numbers(run("x: vector(n); log(x)", { x: "[-1, 1]" }))).toEqual([NaN, 0]);
    expect(formatValue(run("x: vector(n); log(x)", { x: "[-1, 1]" }), "json")).toBe("[null,0]");
  });
  it("evaluates a definition once and reads it by name", () => {
    const v = run("x: vector(n); s = exp(x)/sum(exp(x)); diag(s) - s*s'", { x: "[1, 2, 3]" });
    const e = [1, 2, 3].map(Math.exp);
    const s = e.map((t) => t / (e[0]! + e[1]! + e[2]!));
    const want: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) want.push((i === j ? s[i]! : 0) - s[i]! * s[j]!);
    expect([v.rows, v.cols]).toEqual([3, 3]);
    expectClose(numbers(v), want, 1e-15);
  });
  it("memoizes shared subexpressions: a DAG of 2^80 paths evaluates", () => {
    const x = B.sym("x", vectorShape("n"));
    let e: Expr = x;
    for (let k = 0; k < 80; k++) e = B.add(B.call("sin", e), B.call("cos", e));
    const env: Env = { values: new Map([["x", parseValue("[0.1, 0.2]", { text: "" })]]), sizes: new Map([["n", 2]]) };
    let want = [0.1, 0.2];
    for (let k = 0; k < 80; k++) want = want.map((t) => Math.sin(t) + Math.cos(t));
    expectClose(numbers(evaluate(e, env)), want, 1e-12);
  });
  it("evaluates at the depth limit, and refuses deeper expressions with a limit error", () => {
    const x = B.sym("x", vectorShape(2));
    let e: Expr = x;
    while (e.depth < LIMITS.maxExprDepth) e = B.call(e.depth % 2 === 0 ? "sin" : "atan", e);
    const env: Env = { values: new Map([["x", parseValue("[0.1, 0.2]", { text: "" })]]), sizes: new Map() };
    expect(numbers(evaluate(e, env)).every(Number.isFinite)).toBe(true);
    const deeper = B.call("sin", e);
    expect(errorOf(() => evaluate(deeper, env)).kind).toBe("limit");
    // the same at the index level: Σ_k sin(atan(…x[k]…)) through the scalar path
    let body: Expr = B.entry("x", ["k"]);
    while (body.depth < LIMITS.maxExprDepth - 1) body = B.call(body.depth % 2 === 0 ? "sin" : "atan", body);
    const form = B.series("k", 2, body);
    expect(form.depth).toBe(LIMITS.maxExprDepth);
    expect(Number.isFinite(evaluateAt(form, env, new Map()))).toBe(true);
    expect(errorOf(() => evaluateAt(B.call("sin", form), env, new Map())).kind).toBe("limit");
  });
  it("refuses a program with only kernel statements", () => {
    const p = parseProgram("x: vector(n); kernel f = sum(exp(x))");
    expect(errorOf(() => evaluateProgram(p, at({ x: "[1]" }))).message).toMatch(/only kernel statements/);
  });
});

describe("binding values to a program", () => {
  const decls = "x: vector(n); y: vector(n); W: matrix(m, n)\n";
  it("learns sizes from lengths and lets sizes be given directly", () => {
    const env = bindProgram(parseProgram(`${decls}W*(x + y)`), at({ x: "[1, 2]", y: "[3, 4]", W: "[[1, 0], [0, 1], [1, 1]]" }));
    expect([...env.sizes]).toEqual([
      ["n", 2],
      ["m", 3],
    ]);
    const v = run("x: vector(n); sum(x)/n", { n: "4", x: "[1, 2, 3, 6]" });
    expect(numbers(v)).toEqual([3]);
  });
  it("adds definitions to the values in program order", () => {
    const env = bindProgram(parseProgram("x: vector(n); s = x .* x; t = sum(s); t + 1"), at({ x: "[1, 2]" }));
    expect([...env.values.keys()]).toEqual(["x", "s", "t"]);
    expect(numbers(env.values.get("t")!)).toEqual([5]);
  });
  it("accepts a length-1 vector written as a number", () => {
    expect(numbers(run("x: vector(n); n*x", { x: "[4]" }))).toEqual([4]);
    expect(numbers(run("x: vector(n); n*x", { x: "4" }))).toEqual([4]);
  });
  const errors: [what: string, program: string, values: Record<string, string>, kind: string, message: string, where: string][] = [
    ["a size conflict names both values", decls + "x + y", { x: "[1, 2, 3]", y: "[1, 2]", W: "[[1, 2, 3]]" }, "shape", "y has 2 entries but n is 3 (from x)", "--at y: 1:1"],
    ["a conflict with a directly given size", decls + "x + y", { n: "2", x: "[1, 2, 3]", y: "[1, 2]", W: "[[1, 2]]" }, "shape", "x has 3 entries but n is 2 (given directly)", "--at x: 1:1"],
    ["columns of a matrix", decls + "W*x", { x: "[1, 2]", y: "[1, 2]", W: "[[1, 2, 3]]" }, "shape", "W has 3 columns but n is 2 (from x)", "--at W: 1:1"],
    ["one row of a matrix", "W: matrix(m, m); W", { W: "[[1, 2], [3, 4], [5, 6]]" }, "shape", "W has 2 columns but m is 3 (from W)", "--at W: 1:1"],
    ["a fixed size", "x: vector(2); x", { x: "[1, 2, 3]" }, "shape", "x has 3 entries but its declaration says vector(2)", "--at x: 1:1"],
    ["a fixed matrix size", "W: matrix(2, 3); W", { W: "[[1, 2, 3]]" }, "shape", "W has 1 row but its declaration says matrix(2,3)", "--at W: 1:1"],
    ["a scalar given a list", "a: scalar; 2*a", { a: "[1, 2]" }, "shape", "a is a scalar but its value is a list of 2 numbers", "--at a: 1:1"],
    ["an undeclared scalar given a list", "2*c", { c: "[1, 2]" }, "shape", "c is a scalar (it is not declared) but its value is a list of 2 numbers", "--at c: 1:1"],
    ["a vector given rows", "x: vector(n); x", { x: "[[1, 2], [3, 4]]" }, "shape", "x is a vector(n) but its value is a 2×2 matrix", "--at x: 1:1"],
    ["a vector given a row", "x: vector(n); x", { x: "[[1, 2, 3]]" }, "shape", "x is a vector(n) but its value is a 1×3 matrix (a row); give a flat list like [1, 2, 3]", "--at x: 1:1"],
    ["an unused name", "x: vector(n); sum(x)", { x: "[1]", q: "2" }, "name", "no value named 'q' in the program", "--at q: 1:1"],
    ["a definition", "x: vector(n); s = 2*x; s", { x: "[1]", s: "[2]" }, "name", "'s' is defined by the program and cannot be given a value", "--at s: 1:1"],
    ["a size that is not a whole number", "x: vector(n); x", { n: "2.5", x: "[1, 2]" }, "value", "n is a size; give a positive whole number, not 2.5", "--at n: 1:1"],
    ["a size given a list", "x: vector(n); x", { n: "[2, 3]", x: "[1, 2]" }, "value", "n is a size; give a positive whole number, not a list of 2 numbers", "--at n: 1:1"],
    ["a zero size", "x: vector(n); x", { n: "0", x: "[1, 2]" }, "value", "n is a size; give a positive whole number, not 0", "--at n: 1:1"],
    ["a missing declared value, at its first use", "x: vector(n); y: vector(n)\nsum(x) + y'*x", { x: "[1]" }, "name", "no value for 'y'; bind it with --at y=…", "2:10"],
    ["a missing undeclared scalar, at its first use", "x: vector(n)\nx*(a + 1)", { x: "[1]" }, "name", "no value for 'a'; bind it with --at a=…", "2:4"],
    ["a missing value declared but unused, at its declaration", "x: vector(n); y: scalar; sum(x)", { x: "[1]" }, "name", "no value for 'y'; bind it with --at y=…", "1:15"],
  ];
  for (const [what, program, values, kind, message, where] of errors) {
    it(`${what}: ${message}`, () => {
      const e = errorOf(() => run(program, values));
      expect({ kind: e.kind, message: e.message }).toEqual({ kind, message });
      expect(e.format().split("\n")[0]).toBe(`error: ${where}: ${message}`);
    });
  }
  it("treats __proto__ and constructor as ordinary names", () => {
    const v = run("__proto__: vector(n); constructor * sum(__proto__)", { ["__proto__"]: "[1, 2]", constructor: "3" });
    expect(numbers(v)).toEqual([9]);
  });
});

describe("index-level evaluation", () => {
  const W = B.sym("W", shape("m", "n"));
  const x = B.sym("x", vectorShape("n"));
  const env: Env = {
    values: new Map([
      ["W", parseValue("[[1, 0.2], [-1, 3], [0.5, 0.5]]", { text: "" })],
      ["x", parseValue("[0.2, -0.3]", { text: "" })],
      ["s", parseValue("[0.2, 0.3, 0.5]", { text: "" })],
    ]),
    sizes: new Map([
      ["m", 3],
      ["n", 2],
    ]),
  };
  const Wx = numbers(evaluate(B.matmul(W, x), env));
  it("Σ_k W[i,k] x[k] at i = 1..m is W*x", () => {
    const form = B.series("k", "n", B.mul(B.entry("W", ["i", "k"]), B.entry("x", ["k"])));
    expect(form.kind).toBe("series");
    expect(form.indices).toEqual(["i"]);
    const got = [1, 2, 3].map((i) => evaluateAt(form, env, new Map([["i", i]])));
    expectClose(got, Wx, 1e-15);
  });
  it("Σ_i Σ_k W[i,k] x[k] is sum(W*x); the series of a constant scales by the size", () => {
    const form = B.series("i", "m", B.series("k", "n", B.mul(B.entry("W", ["i", "k"]), B.entry("x", ["k"]))));
    expect(evaluateAt(form, env, new Map())).toBeCloseTo(Wx[0]! + Wx[1]! + Wx[2]!, 14);
    expect(evaluate(form, env).data[0]).toBeCloseTo(Wx[0]! + Wx[1]! + Wx[2]!, 14);
    expect(evaluateAt(B.series("k", "n", B.sym("a")), { ...env, values: new Map([...env.values, ["a", parseValue("1.5", { text: "" })]]) }, new Map())).toBe(3);
  });
  it("the softmax Jacobian's index form δ(i,j) s[i] - s[i] s[j] is diag(s) - s*s'", () => {
    const sI = B.entry("s", ["i"]);
    const sJ = B.entry("s", ["j"]);
    const form = B.sub(B.mul(B.delta("i", "j"), sI), B.mul(sI, sJ));
    const s = B.sym("s", vectorShape("m"));
    const matrixForm = numbers(evaluate(B.sub(B.diag(s), B.matmul(s, B.transpose(s))), env));
    const got: number[] = [];
    for (let i = 1; i <= 3; i++) for (let j = 1; j <= 3; j++) got.push(evaluateAt(form, env, new Map([["i", i], ["j", j]])));
    expectClose(got, matrixForm, 1e-15);
  });
  it("Σ_j δ(i,j) x[j] is x[i]; a matrix-level scalar inside a series", () => {
    const contract = B.series("j", "n", B.mul(B.delta("i", "j"), B.entry("x", ["j"])));
    expect([1, 2].map((i) => evaluateAt(contract, env, new Map([["i", i]])))).toEqual([0.2, -0.3]);
    // Σ_k exp(x[k]) * sum(x): sum(x) has no free index
    const form = B.series("k", "n", B.mul(B.call("exp", B.entry("x", ["k"])), B.sumAll(x)));
    expect(evaluateAt(form, env, new Map())).toBeCloseTo((Math.exp(0.2) + Math.exp(-0.3)) * -0.1, 15);
  });
  it("a matrix literal whose entries are series", () => {
    const k = B.entry("x", ["k"]);
    const lit = B.matrix(2, 1, [B.series("k", "n", k), B.series("k", "n", B.pow(k, B.num(2)))]);
    expectClose(numbers(evaluate(lit, env)), [-0.1, 0.13], 1e-15);
  });
  it("fixed positions (the element-wise view) need no index values", () => {
    expect(evaluate(B.entry("x", ["2"]), env).data[0]).toBe(-0.3);
    expect(evaluate(B.entry("W", ["3", "1"]), env).data[0]).toBe(0.5);
    const pick = B.mul(B.delta("i", "2"), B.entry("x", ["i"]));
    expect([1, 2].map((i) => evaluateAt(pick, env, new Map([["i", i]])))).toEqual([0, -0.3]);
  });
  it("reports missing and out-of-range indices", () => {
    const e = B.entry("x", ["i"]);
    expect(errorOf(() => evaluateAt(e, env, new Map())).message).toBe("index 'i' has no value");
    expect(errorOf(() => evaluateAt(e, env, new Map([["i", 3]]))).message).toBe("index i = 3 is out of range for x (1 to 2)");
    expect(errorOf(() => evaluate(e, env)).message).toMatch(/free indices \(i\)/);
  });
});

/**
 * Regression: a sum whose terms are all scalars can carry a non-scalar shape
 * (`a + ones(n)` is the scalar a + 1 filled out to n); rebuilding it must keep the shape.
 */
describe("a number times a broadcast sum keeps the sum's shape", () => {
  it("2*(a + ones(n)) is a vector", () => {
    expect(describeShape(parseProgram("a: scalar; x: vector(n); 2*(a + ones(n))").subject!.shape)).toBe("vector(n)");
  });
  it("(a + ones(3, 2))' is a 2×3 matrix", () => {
    expect(describeShape(parseProgram("a: scalar; (a + ones(3, 2))'").subject!.shape)).toBe("matrix(2,3)");
  });
  it("sum(2*(a + ones(3))) at a = 1 is 12", () => {
    expect(numbers(run("a: scalar; sum(2*(a + ones(3)))", { a: "1" }))).toEqual([12]);
  });
  it("(a + ones(1, 3))*ones(3) at a = 1 is 6", () => {
    expect(numbers(run("a: scalar; (a + ones(1, 3))*ones(3)", { a: "1" }))).toEqual([6]);
  });
});

describe("evaluating the canonical form equals evaluating the raw form (random program text)", () => {
  it("agrees with an independent evaluator of the text's own tree", () => {
    const stats = { cases: 0, compared: 0, skipped: 0 };
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const failure = compareOnRandomProgram(g, stats);
        if (failure) expect.fail(failure);
      }),
      { seed: 424242, numRuns: 600 },
    );
    expect(stats.cases).toBe(600);
    // Most points must be compared, or the property says little.
    expect(stats.compared).toBeGreaterThan(2 * stats.skipped);
  });
});
