/**
 * The function table (src/core/functions.ts), row by row, each field against an
 * independent check: the derivative law against central finite differences of the
 * float value, the float value against the exact value, the LaTeX spelling against
 * KaTeX, the text spelling against the parser, the kernel form against the evaluator.
 * A new row needs its points below (a missing entry does not compile).
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, evaluate } from "../../src/api.js";
import * as B from "../../src/core/build.js";
import { FUNCTIONS, type Expr } from "../../src/core/expr.js";
import { FUNCTION_NAMES, FUNCTION_TABLE, type Algebra, type FnName, type FunctionRow } from "../../src/core/functions.js";
import * as Q from "../../src/core/rational.js";
import { derivativeOf, lawText } from "../../src/diff/rules.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toLatex } from "../../src/print/latex.js";
import { toText } from "../../src/print/text.js";
import { centralPair, judge } from "../support/fd.js";

/** Points inside each function's domain, away from where its law fails (u = 0 for abs, sign, relu, step and cbrt). */
const POINTS: { readonly [F in FnName]: readonly number[] } = {
  exp: [-2.5, -0.3, 0.8, 3],
  log: [0.05, 0.7, 2, 40],
  sin: [-2, -0.4, 0.9, 3],
  cos: [-2, -0.4, 0.9, 3],
  tan: [-1.2, -0.4, 0.3, 1.1],
  asin: [-0.9, -0.2, 0.5, 0.95],
  acos: [-0.9, -0.2, 0.5, 0.95],
  atan: [-4, -0.5, 0.2, 3],
  sinh: [-2, -0.3, 0.6, 2.5],
  cosh: [-2, -0.3, 0.6, 2.5],
  tanh: [-2, -0.3, 0.6, 2.5],
  sigmoid: [-6, -0.7, 0.4, 5],
  abs: [-2, -0.4, 0.3, 5],
  sign: [-2, -0.4, 0.3, 5],
  softplus: [-30, -1.2, 0.1, 2.5, 30],
  relu: [-2, -0.4, 0.3, 5],
  step: [-2, -0.4, 0.3, 5],
  cbrt: [-8, -0.5, 0.3, 27],
  log10: [0.05, 0.7, 2, 40],
  sec: [-1.2, -0.4, 0.3, 1.1],
  csc: [-2, -0.4, 0.9, 3],
  cot: [-2, -0.4, 0.9, 3],
  asinh: [-4, -0.5, 0.2, 3],
  acosh: [1.5, 2, 3, 10],
  atanh: [-0.9, -0.2, 0.5, 0.95],
};

/** The laws read in floats: the same law the differentiator builds, a second reading of it. */
const FLOATS: Algebra<number, FnName> = {
  num: (p, q = 1) => p / q,
  call: (fn, u) => FUNCTION_TABLE[fn].value(u),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  neg: (a) => -a,
  pow: (a, b) => a ** b,
};

const DECLS = "x: vector(n); y: vector(n); a: scalar; ";
const parse = (text: string): Expr => parseProgram(DECLS + text).subject!;
const near = (got: number, want: number, rel = 1e-12): boolean => Math.abs(got - want) <= rel * Math.max(1, Math.abs(want));
const renders = (latex: string): boolean => {
  katex.renderToString(latex, { throwOnError: true });
  return true;
};

describe("the function table", () => {
  it("is the language's list of functions, each unary and elementwise", () => {
    expect([...FUNCTIONS]).toEqual(Object.keys(FUNCTION_TABLE));
    for (const fn of FUNCTION_NAMES) {
      expect(FUNCTION_TABLE[fn].arity).toBe(1);
      const e = parse(`${fn}(x)`);
      expect(e.kind === "call" && e.fn === fn && e.shape === parse("x").shape, fn).toBe(true);
    }
  });
});

describe("a row's type (checked by tsc, which npm test runs first)", () => {
  it("a row without a field, or with a law naming a function not in the table, does not compile", () => {
    // @ts-expect-error a row without its kernel form
    const incomplete: FunctionRow<"f"> = { arity: 1, shape: "elementwise", derivative: (u) => u, value: (u) => u, exact: undefined, latex: "f" };
    const unknownName: FunctionRow<"f"> = {
      ...incomplete,
      kernel: { code: "f(u)", prec: "atom" },
      // @ts-expect-error "g" is not a name of this table
      derivative: (u, k) => k.call("g", u),
    };
    expect(Object.keys(incomplete)).not.toContain("kernel");
    expect(Object.keys(unknownName)).toContain("kernel");
  });
});

for (const fn of FUNCTION_NAMES) {
  const row = FUNCTION_TABLE[fn];
  const points = POINTS[fn];

  describe(`${fn}: its row`, () => {
    it("derivative: the law agrees with central differences of the value", () => {
      let compared = 0;
      for (const u of points) {
        const fd = centralPair(row.value, u);
        const v = judge(row.derivative(u, FLOATS), fd.coarse, fd.fine, { magnitude: fd.magnitude });
        expect(v.kind === "ok" || v.kind === "skip", `${fn}' at ${u}: ${JSON.stringify(v)}`).toBe(true);
        if (v.kind === "ok") compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(3);
    });

    it("derivative: the differentiator's expression of the law has the law's values, and its text parses back", () => {
      const u = B.sym("u");
      const law = derivativeOf(fn, u);
      for (const p of points) expect(near(evaluate("u", { u: p }, law) as number, row.derivative(p, FLOATS)), `${fn}' at ${p}`).toBe(true);
      const text = lawText(fn);
      expect(text.startsWith(`d/du ${fn}(u) = `)).toBe(true);
      expect(parseProgram(text.slice(text.indexOf(" = ") + 3)).subject).toBe(law);
    });

    it("exact value: the float value where an exact argument has a rational value", () => {
      const args = [Q.ZERO, Q.ONE, Q.MINUS_ONE, Q.rat(1, 2), Q.rat(-3, 2), Q.rat(2)];
      let exact = 0;
      for (const r of args) {
        const want = row.exact?.(r);
        const built = B.call(fn, B.num(r));
        if (want === undefined) {
          expect(built.kind, `${fn}(${Q.toNumber(r)}) has no exact value and stays a call`).toBe("call");
          continue;
        }
        exact++;
        expect(built).toBe(B.num(want));
        expect(near(row.value(Q.toNumber(r)), Q.toNumber(want), 1e-15), `${fn}(${Q.toNumber(r)})`).toBe(true);
      }
      if (row.exact !== undefined) expect(exact).toBeGreaterThanOrEqual(1);
    });

    it("LaTeX: KaTeX renders it (throwOnError) as the table spells it", () => {
      const form = row.latex;
      for (const text of [`${fn}(x)`, `${fn}(x')`, `${fn}(a)^2`, `${fn}(x + y) .* x`, `${fn}(${fn}(a))/2`]) {
        const latex = toLatex(parse(text));
        expect(renders(latex), latex).toBe(true);
        expect(latex).toContain(typeof form === "string" ? `${form}\\left(` : form.left);
      }
      const u = B.sym("u");
      expect(renders(`\\frac{d}{du} ${toLatex(B.call(fn, u))} = ${toLatex(derivativeOf(fn, u))}`)).toBe(true);
    });

    it("text: printing and parsing again gives the same expression", () => {
      for (const text of [`${fn}(x)`, `${fn}(x')`, `${fn}(2*a + 1)^2`, `${fn}(a)/${fn}(-a)`, `sum(${fn}(x - y))`, `${fn}(${fn}(a))`]) {
        const e = parse(text);
        expect(toText(e).includes(`${fn}(`)).toBe(true);
        expect(parse(toText(e)), `${text} printed as ${toText(e)}`).toBe(e);
      }
    });

    it("kernel: compiled code agrees with the evaluator, on an input and on a computed argument", () => {
      const x = Float64Array.from(points);
      const y = Float64Array.from(points, (p, k) => (k % 2 === 0 ? 0 : p / 4)); // x - y stays in the domain
      // x - y: the argument is computed once even where the form reads it twice
      for (const body of [`${fn}(x)`, `${fn}(x - y)`]) {
        const kernel = compile(`x: vector(n); y: vector(n); kernel k = ${body}`);
        const got = kernel({ x, y }) as Float64Array;
        const want = evaluate(`x: vector(n); y: vector(n); ${body}`, { x, y }) as number[];
        expect(got.length).toBe(want.length);
        want.forEach((w, k) => expect(near(got[k]!, w), `${body} at ${x[k]}: ${got[k]} against ${w}`).toBe(true));
      }
    });
  });
}
