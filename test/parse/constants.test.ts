/**
 * The constants: `e` = exp(1) and `pi` = acos(-1) where the program does not use the
 * names itself, and `vector(c)`, `matrix(c)`, bare `eye`, whose size comes from where they
 * are used (src/parse/context.ts). Checked: the expressions they mean (against the spelled-
 * out forms), derivatives against central differences, LaTeX with KaTeX, text through the
 * parser, kernels against the evaluator, positioned errors.
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, diff, evaluate, grad, parse, toLatex, toText } from "../../src/index.js";
import { JacobiError } from "../../src/core/errors.js";
import { cliOut } from "../support/cli.js";

const subject = (text: string) => parse(text).subject!;
const formatted = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof JacobiError) return e.format();
    throw e;
  }
  throw new Error(`no error for ${text}`);
};

describe("e and pi", () => {
  it("are exp(1) and acos(-1): e^u is exp(u), so d/du e^u = e^u; log(e) = 1 exactly", async () => {
    expect(subject("x: vector(n); e.^x")).toBe(subject("x: vector(n); exp(x)"));
    expect(toText(diff("e^a", "a"))).toBe("exp(a)");
    expect(toText(diff("e^(2*a)", "a"))).toBe("2*exp(2*a)");
    expect(await cliOut("diff", "e^x", "--wrt", "x")).toBe("exp(x)");
    expect(toText(diff("a*log(e)", "a"))).toBe("1");
    expect(evaluate("cos(pi)", {})).toBe(-1);
    expect(evaluate("pi", {})).toBe(Math.PI);
    expect(evaluate("e", {})).toBe(Math.E);
    expect(evaluate("sin(pi*a)*a^e", { a: 0.5 })).toBeCloseTo(0.5 ** Math.E, 14);
  });

  it("a declaration or definition may still use the name", () => {
    expect(toText(subject("e: scalar; e^2"))).toBe("e^2");
    expect(toText(diff("pi: scalar; pi^2", "pi"))).toBe("2*pi");
    expect(evaluate("x: vector(n); e = 3; e*x", { x: [1, 2] })).toEqual([3, 6]);
    expect(evaluate("e: scalar; e + 1", { e: 2 })).toBe(3);
  });

  it("derivatives agree with central differences", () => {
    const text = "e^(a*b) + sin(pi*a)/pi + log(a, e)";
    const d = diff(text, "a");
    for (const a of [0.3, 1.1, 2.5]) {
      const f = (t: number): number => evaluate(text, { a: t, b: 0.7 }) as number;
      const h = 1e-5;
      expect(evaluate("a: scalar; b: scalar; a", { a, b: 0.7 }, d) as number).toBeCloseTo((f(a + h) - f(a - h)) / (2 * h), 7);
    }
  });

  it("print as text that parses back, and as LaTeX (\\pi, \\mathrm{e}) that KaTeX renders", () => {
    const e = subject("x: vector(n); pi*x + e.^x - e");
    expect(subject(`x: vector(n); ${toText(e)}`)).toBe(e);
    const latex = toLatex(e);
    expect(latex).toContain("\\pi");
    expect(latex).toContain("\\mathrm{e}");
    katex.renderToString(latex, { throwOnError: true });
  });

  it("compile to kernels that agree with the evaluator", () => {
    const x = Float64Array.of(0.5, -1, 2);
    const k = compile("x: vector(n); kernel k = pi*x + e.^x")({ x }) as Float64Array;
    const want = evaluate("x: vector(n); pi*x + e.^x", { x }) as number[];
    want.forEach((w, i) => expect(k[i]).toBeCloseTo(w, 14));
  });
});

describe("vector(c), matrix(c) and eye, sized by use", () => {
  const LOSS = "X: matrix(m,n); w: vector(n); y: vector(m); ";

  it("mean the constants of the size their context gives", () => {
    expect(subject(`${LOSS}sum(log(exp(-y.*(X*w)) + vector(1)))`)).toBe(subject(`${LOSS}sum(log(exp(-y.*(X*w)) + ones(m)))`));
    expect(subject("A: matrix(n,n); A + eye")).toBe(subject("A: matrix(n,n); A + eye(n)"));
    expect(subject("A: matrix(m,n); A*eye - eye*A")).toBe(subject("A: matrix(m,n); A*eye(n) - eye(m)*A"));
    expect(subject("A: matrix(m,n); A*vector(2)")).toBe(subject("A: matrix(m,n); A*(2*ones(n))"));
    expect(subject("A: matrix(m,n); x: vector(m); x'*matrix(1)*A")).toBe(subject("A: matrix(m,n); x: vector(m); x'*ones(m,m)*A"));
    expect(subject("A: matrix(m,n); A .* matrix(3) + A ./ matrix(2)")).toBe(subject("A: matrix(m,n); A .* (3*ones(m,n)) + A ./ (2*ones(m,n))"));
    expect(subject("x: vector(n); a: scalar; x - 2*pi*vector(a) + exp(-vector(1))")).toBe(subject("x: vector(n); a: scalar; x - 2*pi*a*ones(n) + exp(-ones(n))"));
    expect(subject("A: matrix(n,n); x: vector(n); x'*(A + pi*eye)*x")).toBe(subject("A: matrix(n,n); x: vector(n); x'*(A + pi*eye(n))*x"));
  });

  it("matrixcalculus.org's logistic loss: its gradient agrees with central differences", async () => {
    const f = `${LOSS}sum(log(exp(-y.*(X*w)) + vector(1)))`;
    const g = grad(f, "w");
    expect(await cliOut("grad", f, "--wrt", "w")).toBe(toText(g));
    const X = [
      [0.3, -1.2],
      [0.8, 0.5],
      [-0.4, 2],
    ];
    const y = [1, -1, 1];
    const w = [0.7, -0.2];
    const got = evaluate(f, { X, y, w }, g) as number[];
    w.forEach((_, k) => {
      const h = 1e-6;
      const at = (t: number): number => evaluate(f, { X, y, w: w.map((v, j) => (j === k ? v + t : v)) }) as number;
      expect(got[k]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 7);
    });
    const kernel = compile(`${LOSS}kernel g = grad(sum(log(exp(-y.*(X*w)) + vector(1))), w)`);
    const k = kernel({ X: Float64Array.from(X.flat()), y: Float64Array.from(y), w: Float64Array.from(w) }) as Float64Array;
    got.forEach((v, i) => expect(k[i]).toBeCloseTo(v, 13));
  });

  it("deeply nested context-sized factors are read in linear time (each side once)", () => {
    let text = "vector(1)";
    for (let k = 0; k < 150; k++) text = `(${text}*2)`;
    expect(subject(`x: vector(n); x + ${text}`)).toBe(subject(`x: vector(n); x + ${2n ** 150n}*ones(n)`));
  });

  it("a positioned error where nothing gives the size, or the context's shape does not fit", () => {
    expect(formatted("sum(vector(1))")).toMatch(
      /^error: 1:5: the size of vector\(…\) comes from where it is used, and nothing here gives it; write ones\(n\)\*c\n  sum\(vector\(1\)\)\n {6}\^/,
    );
    expect(formatted("A: matrix(m,n)\nA + vector(1)")).toMatch(/^error: 2:5: vector\(c\) is a column, but here it would have n columns; use matrix\(c\)/);
    expect(formatted("A: matrix(m,n)\nA + eye")).toMatch(/^error: 2:5: eye is square, but here it would be matrix\(m,n\)/);
    expect(formatted("A: matrix(m,n)\nmatrix(1)*A")).toMatch(/^error: 2:1: the size of matrix\(…\) comes from where it is used/);
    expect(formatted("x: vector(n)\nx + vector(x)")).toMatch(/^error: 2:12: the entry value of vector\(c\) must be a scalar, not vector\(n\)/);
    expect(formatted("x: vector(n)\nx + vector(1, 2)")).toMatch(/^error: 2:5: vector\(c\) takes 1 argument/);
    expect(formatted("a: scalar\na + eye")).toMatch(/^error: 2:5: the size of eye comes from where it is used/);
  });
});
