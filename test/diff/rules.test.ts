/**
 * The derivative table, rule by rule: the exact result for every function of the
 * language and the power, product, quotient and chain rules (compared as interned
 * nodes with the expected text parsed), and each rule against finite differences at
 * points inside its domain.
 */
import { describe, expect, it } from "vitest";
import { FUNCTIONS, type Expr, type FnName } from "../../src/core/expr.js";
import { Differentiator, derivative, symTarget } from "../../src/diff/derivative.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { centralPair, judge } from "../support/fd.js";
import { along, valueAtPoint } from "../support/scalar.js";

const parse = (text: string): Expr => parseProgram(text).subject!;
const d = (text: string, wrt = "a"): Expr => derivative(parse(text), symTarget(wrt));

describe("derivative: exact results", () => {
  // [expression, d/da, accepted equivalent forms…]
  const table: [string, ...string[]][] = [
    ["exp(a)", "exp(a)"],
    ["log(a)", "1/a"],
    ["sin(a)", "cos(a)"],
    ["cos(a)", "-sin(a)"],
    ["tan(a)", "1 + tan(a)^2"],
    ["asin(a)", "1/sqrt(1 - a^2)"],
    ["acos(a)", "-1/sqrt(1 - a^2)"],
    ["atan(a)", "1/(1 + a^2)"],
    ["sinh(a)", "cosh(a)"],
    ["cosh(a)", "sinh(a)"],
    ["tanh(a)", "1 - tanh(a)^2"],
    ["sigmoid(a)", "sigmoid(a)*(1 - sigmoid(a))"],
    ["abs(a)", "sign(a)"],
    ["sign(a)", "0"],
    ["sqrt(a)", "1/(2*sqrt(a))"],
    ["a^3", "3*a^2"],
    ["a^(1/3)", "1/(3*a^(2/3))"],
    ["a^-2", "-2/a^3"],
    ["1/a", "-1/a^2"],
    ["a^b", "b*a^(b - 1)"],
    ["b^a", "b^a*log(b)"],
    ["a^a", "a^a*(log(a) + 1)"],
    ["a*b", "b"],
    ["a/b", "1/b"],
    ["b/a", "-b/a^2"],
    ["exp(sin(a))", "cos(a)*exp(sin(a))"],
    ["log(a^2 + 1)", "2*a/(a^2 + 1)"],
    ["exp(-a)", "-exp(-a)"],
    ["2*a + 3", "2"],
    ["b + c", "0"],
    ["sin(a)*cos(a)", "cos(a)^2 - sin(a)^2"],
  ];
  for (const [input, ...accepted] of table) {
    it(`d/da ${input} = ${accepted.join(" or ")}`, () => {
      const got = d(input);
      const forms = accepted.map(parse);
      expect(forms.includes(got), `got ${toText(got)}`).toBe(true);
    });
  }

  it("differentiates by b and c as well as a", () => {
    expect(d("a*b^2 + c", "b")).toBe(parse("2*a*b"));
    expect(d("sin(a*c)", "c")).toBe(parse("a*cos(a*c)"));
  });
});

describe("derivative: every function's rule agrees with finite differences", () => {
  /** Points inside each function's domain (asin, acos, atanh need |u| < 1; log, log10, sqrt u > 0; acosh u > 1; abs, sign, relu, step, cbrt u ≠ 0). */
  const points: readonly number[] = [-0.83, -0.31, 0.17, 0.64, 0.91];
  const inDomain = (fn: FnName, u: number): boolean => (fn === "log" ? u > 0 : true);
  /** acosh needs u > 1: its argument is shifted by 1. */
  const shift = (fn: FnName): number => (fn === "acosh" ? 1 : 0);
  for (const fn of FUNCTIONS) {
    it(`d/da ${fn}(u) by the chain rule, u = a^2/2 - b*a + 0.1${shift(fn) ? ` + ${shift(fn)}` : ""}`, () => {
      const e = parse(`${fn}(a^2/2 - b*a + 1/10 + ${shift(fn)})`);
      const de = new Differentiator(symTarget("a")).of(e);
      let compared = 0;
      for (const a of points) {
        const p = { a, b: 0.4, c: 0 };
        const u = (a * a) / 2 - 0.4 * a + 0.1 + shift(fn);
        if (!inDomain(fn, u)) continue;
        const fd = centralPair(along(e, p, "a"), a);
        const v = judge(valueAtPoint(de, p), fd.coarse, fd.fine, { magnitude: fd.magnitude });
        expect(v.kind, `${toText(de)} at a = ${a}: ${JSON.stringify(v)}`).toBe("ok");
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(2);
    });
  }
});
