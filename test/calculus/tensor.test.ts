/**
 * Results with more than two indices (a Jacobian of a matrix by a matrix, of a vector by a
 * matrix, a Hessian by a matrix): every entry against central finite differences of the
 * evaluator at random small sizes and values; the nested layout J[i][j][a][b] of values
 * and of `--format json`; KaTeX for every LaTeX string; a Jacobian by a definition
 * against the backward sweep's VJP; undeclared tangents and cotangents with values.
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { derive, type DerivativeSpec } from "../../src/calculus/derive.js";
import { distinctTerms, termsPerEntry } from "../../src/calculus/elementwise.js";
import { indexNotation } from "../../src/calculus/notation.js";
import { subjectOf, type Program } from "../../src/core/program.js";
import { LIMITS } from "../../src/core/limits.js";
import { bindProgram, type Binding } from "../../src/eval/bind.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { formatTensor, nested, tensorValue } from "../../src/eval/tensor.js";
import type { Value } from "../../src/eval/value.js";
import { parseProgram } from "../../src/parse/parse.js";
import * as api from "../../src/api.js";
import { cli } from "../support/cli.js";
import { randomBindings, randomSizes, rngFrom } from "../support/random.js";

const DECLS = "A: matrix(m,n); B: matrix(k,p); X: matrix(n,k); x: vector(n); C: matrix(n,n)";

interface Case {
  readonly body: string;
  readonly spec: DerivativeSpec;
  /** The number of indices of the result. */
  readonly indices: number;
}

// inv(X) by X works the same way once inv is in the language (it is a matrix-level node like these)
const CASES: readonly Case[] = [
  { body: "A*X", spec: { kind: "jacobian", wrt: "X" }, indices: 4 },
  { body: "X'", spec: { kind: "jacobian", wrt: "X" }, indices: 4 },
  { body: "X.^2", spec: { kind: "jacobian", wrt: "X" }, indices: 4 },
  { body: "A*X*B", spec: { kind: "jacobian", wrt: "X" }, indices: 4 },
  { body: "exp(X)", spec: { kind: "jacobian", wrt: "X" }, indices: 4 },
  { body: "X'*C*X", spec: { kind: "jacobian", wrt: "X" }, indices: 4 },
  { body: "A*exp(x)", spec: { kind: "jacobian", wrt: "A" }, indices: 3 },
  { body: "X*exp(X'*x)", spec: { kind: "jacobian", wrt: "X" }, indices: 3 },
  { body: "x*x'", spec: { kind: "jacobian", wrt: "x" }, indices: 3 },
  { body: "sum(X.^3)", spec: { kind: "hessian", wrt: "X" }, indices: 4 },
  { body: "sum(exp(A*X))", spec: { kind: "hessian", wrt: "X" }, indices: 4 },
  { body: "sum(X.*(C*X))", spec: { kind: "hessian", wrt: "X" }, indices: 4 },
];

const programOf = (body: string): Program => parseProgram(`${DECLS}; ${body}`);

/** The program's value with one entry of `name` moved by h. */
function valueAt(program: Program, bindings: Map<string, Binding>, moves: readonly [string, number, number][]): Value {
  const moved = new Map(bindings);
  for (const [name, k, h] of moves) {
    const v = moved.get(name)!.value;
    const data = Float64Array.from(v.data);
    data[k]! += h;
    moved.set(name, { value: { ...v, data } });
  }
  return evaluate(subjectOf(program), bindProgram(program, moved));
}

/** Central differences, laid out as the result is (the value's entries, then the variable's; a Hessian: the variable's twice). */
function finiteDifferences(program: Program, bindings: Map<string, Binding>, spec: DerivativeSpec): number[] {
  const x = bindings.get(spec.wrt)!.value.data.length;
  const out: number[] = [];
  if (spec.kind === "hessian") {
    const h = 1e-4;
    const f = (moves: [string, number, number][]): number => valueAt(program, bindings, moves).data[0]!;
    for (let p = 0; p < x; p++)
      for (let q = 0; q < x; q++) {
        const at = (sp: number, sq: number): number => f([[spec.wrt, p, sp * h], [spec.wrt, q, sq * h]]);
        out.push((at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h));
      }
    return out;
  }
  const h = 1e-6;
  const columns: Float64Array[] = [];
  for (let q = 0; q < x; q++) {
    const plus = valueAt(program, bindings, [[spec.wrt, q, h]]).data;
    const minus = valueAt(program, bindings, [[spec.wrt, q, -h]]).data;
    columns.push(plus.map((v, k) => (v - minus[k]!) / (2 * h)));
  }
  const entries = columns[0]!.length;
  for (let e = 0; e < entries; e++) for (let q = 0; q < x; q++) out.push(columns[q]![e]!);
  return out;
}

describe("results with more than two indices", () => {
  for (const c of CASES)
    it(`${c.spec.kind} of ${c.body} by ${c.spec.wrt}: every entry agrees with finite differences (random sizes 1-3, 4 points)`, () => {
      const program = programOf(c.body);
      const r = derive(program, subjectOf(program), c.spec);
      expect(r.dims?.length).toBe(c.indices);
      expect(r.matrix).toBeUndefined();
      const rng = rngFrom(1300 + c.body.length);
      for (let trial = 0; trial < 4; trial++) {
        const sizes = randomSizes(program, rng, 1, 3);
        const bindings = randomBindings(program, sizes, rng);
        const env = bindProgram(program, bindings);
        const t = tensorValue(r.index, r.indices, r.dims!, env);
        const fd = finiteDifferences(program, bindings, c.spec);
        expect(t.data.length).toBe(fd.length);
        const tolerance = c.spec.kind === "hessian" ? 1e-4 : 1e-6;
        t.data.forEach((v, k) => expect(Math.abs(v - fd[k]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(fd[k]!))));
      }
    });

  it("prints index notation with the indices named, in text and in KaTeX-valid LaTeX", () => {
    const program = programOf("F = A*X");
    const r = derive(program, subjectOf(program), { kind: "jacobian", wrt: "X" });
    expect(indexNotation(program, r, "text").equation).toBe("∂F[i,j]/∂X[a,b] = A[i,a]*delta(b,j)");
    for (const c of CASES) {
      const p = programOf(c.body);
      const latex = indexNotation(p, derive(p, subjectOf(p), c.spec), "latex").equation;
      expect(() => katex.renderToString(latex, { throwOnError: true }), latex).not.toThrow();
    }
  });

  it("lays values out value indices first, then the variable's, row-major (J[i][j][a][b] = ∂F[i,j]/∂X[a,b]); LaTeX values render", () => {
    // sizes all different, so a wrong order cannot fit: m=2, n=3, k=4
    const program = parseProgram("A: matrix(2,3); X: matrix(3,4); A*X");
    const r = derive(program, subjectOf(program), { kind: "jacobian", wrt: "X" });
    expect(r.dims).toEqual([2, 4, 3, 4]);
    const A = [[1, 2, 3], [4, 5, 6]];
    const bindings = new Map<string, Binding>([
      ["A", { value: { rows: 2, cols: 3, data: Float64Array.from(A.flat()) } }],
      ["X", { value: { rows: 3, cols: 4, data: new Float64Array(12) } }],
    ]);
    const J = nested(tensorValue(r.index, r.indices, r.dims!, bindProgram(program, bindings))) as number[][][][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let a = 0; a < 3; a++) for (let b = 0; b < 4; b++) expect(J[i]![j]![a]![b]).toBe(b === j ? A[i]![a]! : 0);
    const latex = formatTensor(tensorValue(r.index, r.indices, r.dims!, bindProgram(program, bindings)), "latex", 6);
    expect(() => katex.renderToString(latex, { throwOnError: true })).not.toThrow();
  });

  it("--format json nests the same way, symbolically and at values", async () => {
    const decl = ["--decl", "A: matrix(2,3); X: matrix(3,4)"];
    const sym = await cli("jacobian", "A*X", "--wrt", "X", ...decl, "--format", "json");
    expect(JSON.parse(sym.out)).toEqual({ text: "∂f[i,j]/∂X[a,b] = A[i,a]*delta(b,j)", latex: "\\frac{\\partial f_{i j}}{\\partial X_{a b}} = A_{i a} \\delta_{b j}", indices: ["i", "j", "a", "b"], sizes: [2, 4, 3, 4] });
    const at = await cli("jacobian", "A*X", "--wrt", "X", ...decl, "--at", "A=[[1,2,3],[4,5,6]]", "--at", `X=${JSON.stringify(Array(3).fill([0, 0, 0, 0]))}`, "--format", "json");
    const J = JSON.parse(at.out) as number[][][][];
    expect([J.length, J[0]!.length, J[0]![0]!.length, J[0]![0]![0]!.length]).toEqual([2, 4, 3, 4]);
    expect(J[1]![2]![0]![2]).toBe(4);
    expect(J[1]![2]![0]![1]).toBe(0);
    const hess = await cli("hessian", "sum(X.^3)", "--wrt", "X", "--decl", "X: matrix(2,3)", "--at", "X=[[1,2,3],[4,5,6]]", "--format", "json");
    const H = JSON.parse(hess.out) as number[][][][];
    expect(H[1]![2]![1]![2]).toBe(36);
    expect(H[1]![2]![1]![1]).toBe(0);
  });

  it("the library's jacobian returns the index form; a row vector by a vector is the matrix m×n", () => {
    expect(api.toText(api.jacobian(`${DECLS}; A*X`, "X"))).toBe("A[i,a]*delta(b,j)");
    expect(api.toText(api.hessian(`${DECLS}; sum(X.^3)`, "X"))).toBe("6*X[a,b]*delta(a,c)*delta(b,d)");
    expect(api.toText(api.jacobian("x: vector(n); A: matrix(n,m); x'*A", "x"))).toBe("A'");
  });
});

describe("a Jacobian by a definition", () => {
  it("treats the definition as the variable: J'g equals the backward sweep's VJP by it", () => {
    const program = parseProgram("x: vector(n); W: matrix(m,n); g: vector(m); z = W*x; s = exp(z)/sum(exp(z))");
    const f = subjectOf(program);
    const J = derive(program, f, { kind: "jacobian", wrt: "z" });
    expect(api.toText(J.matrix!)).toBe("diag(s) - s*s'");
    const vjp = derive(program, f, { kind: "vjp", wrt: "z", cotangent: "g" });
    const rng = rngFrom(77);
    for (let trial = 0; trial < 3; trial++) {
      const env = bindProgram(program, randomBindings(program, randomSizes(program, rng, 1, 4), rng));
      const Jv = evaluate(J.matrix!, env);
      const g = evaluate(api.parse("g: vector(m); g").subject!, env);
      const expected = Array.from({ length: Jv.cols }, (_, a) => Array.from({ length: Jv.rows }, (_, i) => Jv.data[i * Jv.cols + a]! * g.data[i]!).reduce((p, q) => p + q, 0));
      const got = evaluate(vjp.matrix!, env).data;
      expected.forEach((e, k) => expect(got[k]).toBeCloseTo(e, 10));
    }
  });

  it("the library's jacobian by a definition", () => {
    expect(api.toText(api.jacobian("x: vector(n); A: matrix(n,n); z = A*x; s = exp(z)", "z"))).toBe("diag(s)");
  });

  it("the CLI differentiates by a definition with jacobian and hessian", async () => {
    expect((await cli("jacobian", "x: vector(n); A: matrix(n,n); z = A*x; s = exp(z)", "--wrt", "z")).out).toBe("diag(s)");
    expect((await cli("hessian", "x: vector(n); z = 2*x; sum(exp(z))", "--wrt", "z")).out).toBe("diag(exp(z))");
  });
});

describe("an undeclared tangent or cotangent takes its shape", () => {
  it("vjp: the cotangent is shaped like the value, and takes --at values", async () => {
    expect((await cli("vjp", "A*x", "--wrt", "x", "--cotangent", "c", "--decl", "x: vector(n); A: matrix(m,n)")).out).toBe("A'*c");
    const at = await cli("vjp", "A*x", "--wrt", "x", "--cotangent", "c", "--decl", "x: vector(2); A: matrix(3,2)", "--at", "c=[1,2,3]", "--at", "A=[[1,2],[3,4],[5,6]]", "--at", "x=[0,0]");
    expect(at.out).toBe("[22, 28]");
    expect(api.toText(api.vjp("x: vector(n); A: matrix(m,n); A*x", "x", "c"))).toBe("A'*c");
  });

  it("jvp: the tangent is shaped like the variable, and takes --at values", async () => {
    expect((await cli("jvp", "W*x", "--wrt", "W", "--tangent", "V", "--decl", "x: vector(n); W: matrix(m,n)")).out).toBe("V*x");
    const at = await cli("jvp", "W*x", "--wrt", "W", "--tangent", "V", "--decl", "x: vector(2); W: matrix(2,2)", "--at", "V=[[1,2],[3,4]]", "--at", "W=[[0,0],[0,0]]", "--at", "x=[1,1]");
    expect(at.out).toBe("[3, 7]");
    expect(api.toText(api.jvp("x: vector(n); W: matrix(m,n); W*x", "W", "V"))).toBe("V*x");
  });

  it("a value of the wrong shape for it is a positioned error at its --at", async () => {
    const r = await cli("vjp", "A*x", "--wrt", "x", "--cotangent", "c", "--decl", "x: vector(2); A: matrix(3,2)", "--at", "c=[1,2]", "--at", "A=[[1,2],[3,4],[5,6]]", "--at", "x=[0,0]");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: --at c: 1:1: c has 2 entries but its declaration says vector\(3\)\n  \[1,2\]\n  \^{5}$/);
  });
});

describe("the element-wise estimate counts shared parts once for the work", () => {
  it("the softmax Jacobian at n = 300 is within the work limit (its printed form is not)", () => {
    const program = parseProgram("x: vector(300); s = exp(x)/sum(exp(x))");
    const f = subjectOf(program);
    expect(distinctTerms(program, f) * 300).toBeLessThan(LIMITS.maxElementwiseTerms);
    expect(termsPerEntry(program, f) * 300 * 300).toBeGreaterThan(LIMITS.maxElementwiseTerms);
  });

  it("A*A*A*x at n = 100 is still over the work limit (no sharing: every inner combination is a term)", () => {
    const program = parseProgram("x: vector(100); A: matrix(100,100); A*A*A*x");
    expect(distinctTerms(program, subjectOf(program)) * 100).toBeGreaterThan(LIMITS.maxElementwiseTerms);
  });
});
