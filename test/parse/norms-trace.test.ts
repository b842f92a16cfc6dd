/**
 * tr(A), norm1(u) and norm2(u) (matrixcalculus.org's names): what they mean
 * (sum(diag(A)), sum(abs(u)), sqrt(u'*u) or sqrt(sum(u.^2))), their Cookbook gradients
 * (symbolically, and against central differences at random sizes), their printing (text
 * that parses back, LaTeX that KaTeX renders), kernels against the evaluator, and
 * positioned shape errors.
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, evaluate, grad, parse, toLatex, toText } from "../../src/index.js";
import { JacobiError } from "../../src/core/errors.js";
import { cliOut } from "../support/cli.js";

const subject = (text: string) => parse(text).subject!;
const D = "A: matrix(n,n); B: matrix(n,n); C: matrix(n,n); X: matrix(n,n); x: vector(n); y: vector(m); M: matrix(m,n); ";

/** A seeded generator of numbers in [-1, 1). */
function numbers(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}
const matrixOf = (rows: number, cols: number, next: () => number): number[][] => Array.from({ length: rows }, () => Array.from({ length: cols }, next));

describe("tr, norm1, norm2: the language", () => {
  it("mean sum(diag(A)), sum(abs(u)) and the Euclidean / Frobenius norm", () => {
    expect(subject(`${D}tr(A*X)`)).toBe(subject(`${D}sum(diag(A*X))`));
    expect(subject(`${D}norm1(M*x - y)`)).toBe(subject(`${D}sum(abs(M*x - y))`));
    expect(subject(`${D}norm1(M)`)).toBe(subject(`${D}sum(abs(M))`));
    expect(subject(`${D}norm2(M*x - y)`)).toBe(subject(`${D}sqrt((M*x - y)'*(M*x - y))`));
    expect(subject(`${D}norm2(M)`)).toBe(subject(`${D}sqrt(sum(M.^2))`));
    expect(subject(`${D}norm2(x')`)).toBe(subject(`${D}sqrt(sum(x'.^2))`));
    expect(subject("a: scalar; tr(a)")).toBe(subject("a: scalar; a"));
    const at = { A: [[1, 2], [3, 4]], M: [[1, -2], [3, 4], [0, -1]], x: [1, 2], y: [0.5, -1, 3] };
    const S = "A: matrix(n,n); M: matrix(m,n); x: vector(n); y: vector(m); ";
    expect(evaluate(`${S}tr(A) + 0*sum(M*x - y)`, at)).toBe(5);
    expect(evaluate(`${S}norm1(M) + 0*tr(A) + 0*sum(M*x - y)`, at)).toBe(11);
    expect(evaluate(`${S}norm2(M) + 0*tr(A) + 0*sum(M*x - y)`, at)).toBeCloseTo(Math.sqrt(31), 14);
    expect(evaluate(`${S}norm2(M*x - y) + 0*tr(A)`, at)).toBeCloseTo(Math.hypot(-3.5, 12, -5), 14);
  });

  it("print as their names (norm1 as sum(abs(…)) in text), in text that parses back and in LaTeX that KaTeX renders", () => {
    const e = subject(`${D}tr(A*X*B) + norm1(M*x - y) + norm2(M*x - y) + norm2(M) + norm1(x)`);
    const text = toText(e);
    for (const part of ["tr(A*X*B)", "sum(abs(M*x - y))", "norm2(M*x - y)", "norm2(M)", "sum(abs(x))"]) expect(text).toContain(part);
    expect(subject(D + text)).toBe(e);
    const latex = toLatex(e);
    for (const part of ["\\operatorname{tr}\\left(A X B\\right)", "\\left\\lVert M\\right\\rVert_2", "\\left\\lVert x\\right\\rVert_1"]) expect(latex).toContain(part);
    katex.renderToString(latex, { throwOnError: true });
  });

  it("a non-square argument of tr is a positioned shape error", () => {
    let error: unknown;
    try {
      parse("M: matrix(m,n)\ntr(M)");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JacobiError);
    expect((error as JacobiError).format()).toMatch(/^error: 2:4: tr takes a square matrix, not matrix\(m,n\)\n  tr\(M\)\n {5}\^/);
    expect(() => parse("x: vector(n); tr(x)")).toThrow(/tr takes a square matrix, not vector\(n\)/);
    expect(() => parse("x: vector(n); norm2(x, x)")).toThrow(/norm2 takes 1 argument, not 2/);
    expect(() => parse("tr = 1")).toThrow(/cannot define 'tr': it is a function name/);
  });
});

describe("tr, norm1, norm2: derivatives in the Cookbook's forms", () => {
  const CASES = [
    { f: "tr(A*X*B)", wrt: "X", form: "A'*B'" },
    { f: "tr(A*X'*B*X*C)", wrt: "X", form: "B*X*C*A + B'*X*A'*C'" },
    { f: "sum(diag(A*X'*B*X*C))", wrt: "X", form: "B*X*C*A + B'*X*A'*C'" },
    { f: "tr(X)", wrt: "X", form: "eye(n)" },
    { f: "norm2(x)", wrt: "x", form: "x/norm2(x)" },
    { f: "norm1(x)", wrt: "x", form: "sign(x)" },
    { f: "norm1(M*x - y)", wrt: "x", form: "M'*sign(M*x - y)" },
    { f: "norm2(M*x - y)", wrt: "x", form: "(M'*(M*x - y))/norm2(M*x - y)" },
    { f: "norm2(M*x - y)^2", wrt: "x", form: "2*(M'*(M*x - y))" },
  ];

  it("print as the Cookbook writes them (and the CLI agrees)", async () => {
    for (const c of CASES) expect(toText(grad(D + c.f, c.wrt)), `∂${c.f}/∂${c.wrt}`).toBe(c.form);
    expect(await cliOut("grad", `${D}tr(A*X'*B*X*C)`, "--wrt", "X")).toBe("B*X*C*A + B'*X*A'*C'");
  });

  it("agree with central differences at random sizes, also for the Frobenius norm", () => {
    const all = [...CASES, { f: "norm2(X)", wrt: "X" }, { f: "norm2(M)^3 + norm1(M)", wrt: "M" }];
    for (const [k, [n, m]] of [
      [2, 3],
      [3, 2],
      [4, 4],
    ].entries()) {
      const next = numbers(17 + k);
      const at: Record<string, number[] | number[][]> = {
        A: matrixOf(n!, n!, next),
        B: matrixOf(n!, n!, next),
        C: matrixOf(n!, n!, next),
        X: matrixOf(n!, n!, next),
        M: matrixOf(m!, n!, next),
        x: Array.from({ length: n! }, next),
        y: Array.from({ length: m! }, next),
      };
      for (const c of all) {
        const g = (evaluate(D + c.f, at, grad(D + c.f, c.wrt)) as number[] | number[][]).flat();
        const base = at[c.wrt]!;
        const flat = base.flat();
        const shaped = (values: number[]): number[] | number[][] => (Array.isArray(base[0]) ? base.map((row, i) => (row as number[]).map((_, j) => values[i * (row as number[]).length + j]!)) : values);
        flat.forEach((_, i) => {
          const h = 1e-6;
          const moved = (t: number): number => evaluate(D + c.f, { ...at, [c.wrt]: shaped(flat.map((v, j) => (j === i ? v + t : v))) }) as number;
          const fd = (moved(h) - moved(-h)) / (2 * h);
          expect(Math.abs(g[i]! - fd), `∂${c.f}/∂${c.wrt}[${i}] at n=${n}, m=${m}: ${g[i]} against ${fd}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
        });
      }
    }
  });
});

describe("tr, norm1, norm2: kernels", () => {
  it("compile() agrees with the evaluator, values and gradients", () => {
    const spec = `${D}kernel t = tr(A*X*B)\nkernel r = norm2(M*x - y) + norm1(M) + norm2(M)\nkernel g = grad(norm2(M*x - y), x)\nkernel gt = grad(tr(A*X'*B*X*C), X)\n`;
    const next = numbers(5);
    const n = 3;
    const m = 2;
    const at = { A: matrixOf(n, n, next), B: matrixOf(n, n, next), C: matrixOf(n, n, next), X: matrixOf(n, n, next), M: matrixOf(m, n, next), x: Array.from({ length: n }, next), y: Array.from({ length: m }, next) };
    const inputs = Object.fromEntries(Object.entries(at).map(([k, v]) => [k, Float64Array.from((v as number[] | number[][]).flat())]));
    const checks: [string, string, string | undefined][] = [
      ["t", "tr(A*X*B)", undefined],
      ["r", "norm2(M*x - y) + norm1(M) + norm2(M)", undefined],
      ["g", "norm2(M*x - y)", "x"],
      ["gt", "tr(A*X'*B*X*C)", "X"],
    ];
    for (const [name, f, wrt] of checks) {
      const got = compile(spec, { kernel: name })(inputs);
      const want = wrt ? evaluate(D + f, at, grad(D + f, wrt)) : evaluate(D + f, at);
      const gotFlat = typeof got === "number" ? [got] : Array.from(got as Float64Array);
      const wantFlat = typeof want === "number" ? [want] : (want as number[] | number[][]).flat();
      expect(gotFlat.length).toBe(wantFlat.length);
      wantFlat.forEach((w, i) => expect(gotFlat[i]).toBeCloseTo(w, 12));
    }
  });
});
