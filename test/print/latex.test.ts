import fc from "fast-check";
import katex from "katex";
import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import type { Expr } from "../../src/core/expr.js";
import { shape } from "../../src/core/shape.js";
import { parseProgram } from "../../src/parse/parse.js";
import { latexName, toLatex } from "../../src/print/latex.js";
import { indexExpr, matrixExpr, NAMES, scalarExpr } from "../arbitrary.js";

const EXAMPLE_DECLS =
  "a: scalar\nb: scalar\nc: scalar\ns: vector(n)\ng: vector(n)\nx: vector(n)\ny: vector(n)\nz: vector(n)\nA: matrix(n,n)\nW: matrix(m,n)\n" +
  "x1: vector(n)\nW_2: matrix(n,n)\nalpha: scalar\nsigma: scalar\n__proto__: scalar\nconstructor: scalar\ntoString: vector(n)\n";
const parse = (text: string): Expr => parseProgram(EXAMPLE_DECLS + text).subject!;

/** KaTeX is the oracle: it throws on anything it cannot typeset. */
function renders(latex: string): boolean {
  katex.renderToString(latex, { throwOnError: true });
  return true;
}

describe("toLatex: exact forms", () => {
  const cases: [string, string][] = [
    ["diag(s) - s*s'", "\\operatorname{diag}\\left(s\\right) - s s^{\\top}"],
    ["g*x'", "g x^{\\top}"],
    ["2*x.*y", "2 x \\odot y"],
    ["x./y", "x \\oslash y"],
    ["x.^2", "x^{\\circ 2}"],
    ["x'.^2", "\\left(x^{\\top}\\right)^{\\circ 2}"],
    ["a^2", "a^{2}"],
    ["3*x/2", "\\frac{3 x}{2}"],
    ["a/(b*c)", "\\frac{a}{b c}"],
    ["1/sqrt(a)", "\\frac{1}{\\sqrt{a}}"],
    ["(-1)^a", "\\left(-1\\right)^{a}"],
    ["(1/2)^a", "\\left(\\frac{1}{2}\\right)^{a}"],
    ["z*(x'*y)", "\\left(x^{\\top} y\\right) z"],
    ["W'*W*x", "W^{\\top} W x"],
    ["exp(x) + log(a)", "\\exp\\left(x\\right) + \\log\\left(a\\right)"],
    ["sigmoid(a) + sign(b)", "\\operatorname{sigmoid}\\left(a\\right) + \\operatorname{sign}\\left(b\\right)"],
    ["abs(x)", "\\left|x\\right|"],
    ["sum(x)", "\\operatorname{sum}\\left(x\\right)"],
    ["diag(A)'", "\\operatorname{diag}\\left(A\\right)^{\\top}"],
    ["eye(n)", "I_{n}"],
    ["ones(n)", "\\mathbf{1}_{n}"],
    ["zeros(m,n)", "\\mathbf{0}_{m\\times n}"],
    ["3*ones(n)", "3 \\mathbf{1}_{n}"],
    ["[a, b]", "\\begin{bmatrix}a \\\\ b\\end{bmatrix}"],
    ["[[a, b], [c, 1]]", "\\begin{bmatrix}a & b \\\\ c & 1\\end{bmatrix}"],
    ["a - 2*x", "a - 2 x"],
    ["2*3^a", "2 \\cdot 3^{a}"],
    ["x1 + toString", "\\mathit{toString} + x_{1}"],
    ["W_2*x1", "W_{2} x_{1}"],
    ["alpha*sigma", "\\alpha \\sigma"],
    ["__proto__*constructor", "\\mathit{\\_\\_proto\\_\\_} \\mathit{constructor}"],
  ];
  for (const [input, expected] of cases) {
    it(`${input}  ->  ${expected}`, () => {
      const latex = toLatex(parse(input));
      expect(latex).toBe(expected);
      expect(renders(latex)).toBe(true);
    });
  }

  it("names: digit subscripts, Greek letters, escaped long names", () => {
    expect(latexName("x1")).toBe("x_{1}");
    expect(latexName("W_2")).toBe("W_{2}");
    expect(latexName("alpha")).toBe("\\alpha");
    expect(latexName("Sigma10")).toBe("\\Sigma_{10}");
    expect(latexName("rate")).toBe("\\mathit{rate}");
    expect(latexName("__proto__")).toBe("\\mathit{\\_\\_proto\\_\\_}");
    for (const name of ["__proto__", "constructor", "toString", "_", "_1", "a_b_3", "hasOwnProperty", "omicron"]) {
      expect(renders(toLatex(B.sym(name)))).toBe(true);
    }
  });

  it("index level: entries, deltas and sums", () => {
    const body = B.mul(B.entry("W", ["i", "k"]), B.entry("x", ["k"]));
    expect(toLatex(B.entry("x", ["i"]))).toBe("x_{i}");
    expect(toLatex(B.entry("W", ["i", "k1"]))).toBe("W_{i k_{1}}");
    expect(toLatex(B.delta("i", "j"))).toBe("\\delta_{i j}");
    expect(toLatex(B.series("k", "n", body))).toBe("\\sum_{k_{1}=1}^{n} W_{i k_{1}} x_{k_{1}}");
    // a sum reaches to the right, so one that something follows is parenthesized
    const followed = B.add(B.series("k", "n", body), B.mul(NAMES.a, B.entry("y", ["i"])));
    expect(toLatex(followed)).toBe("\\left(\\sum_{k_{1}=1}^{n} W_{i k_{1}} x_{k_{1}}\\right) + a y_{i}");
    expect(toLatex(B.add(B.entry("y", ["i"]), B.series("k", "n", body)))).toBe("y_{i} + \\sum_{k_{1}=1}^{n} W_{i k_{1}} x_{k_{1}}");
    // an entry of a name with a subscript keeps both
    expect(renders(toLatex(B.pow(B.entry("x1", ["i"]), B.num(2))))).toBe(true);
  });
});

describe("toLatex: every output renders with KaTeX", () => {
  it("matrix level", () => {
    fc.assert(
      fc.property(matrixExpr({ maxDepth: 5 }), (e) => {
        expect(renders(toLatex(e))).toBe(true);
      }),
      { seed: 20261129, numRuns: 2000 },
    );
  });

  it("scalar level", () => {
    fc.assert(
      fc.property(scalarExpr({ maxDepth: 5 }), (e) => {
        expect(renders(toLatex(e))).toBe(true);
      }),
      { seed: 5, numRuns: 1000 },
    );
  });

  it("index level", () => {
    fc.assert(
      fc.property(indexExpr({ maxDepth: 5 }), (e) => {
        expect(renders(toLatex(e))).toBe(true);
      }),
      { seed: 9, numRuns: 2000 },
    );
  });

  it("literals, filled constants and identities of every kind", () => {
    const { a, b } = NAMES;
    for (const e of [
      B.matrix(1, 3, [a, b, B.num(2)]),
      B.filled(-3, shape(2, "n")),
      B.filled(0, shape(1, "m")),
      B.eye("n1"),
      B.pow(B.eye(3), a),
      B.transpose(B.diag(B.sym("A", shape("n", "n")))),
    ]) {
      expect(renders(toLatex(e))).toBe(true);
    }
  });
});
