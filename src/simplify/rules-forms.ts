/**
 * Textbook forms of scalar results, one rule a line with its law: signs (`1/(y + z)`,
 * not `-1/(-y - z)`), common factors (`x^2*(y + 2)`), powers of a positive number
 * (`2^(x/4)`). Each holds for all real arguments where both sides are defined and makes
 * the result smaller by the one measure (src/print/size.ts); corpus and property tests
 * check both.
 *
 * ALGEBRAIC_RULES write a trigonometric function of an inverse one algebraically
 * (cos(asin(u)) = sqrt(1 - u^2) for |u| ≤ 1, both sides undefined beyond). Alone each is
 * larger (2 operations become 3), so the simplifier tries them on the whole result and
 * keeps the outcome only when it is smaller (cos(asin(u))^2 is 1 - u^2).
 */
import * as B from "../core/build.js";
import type { Call, Expr, FnName } from "../core/expr.js";
import * as Q from "../core/rational.js";
import { SCALAR } from "../core/shape.js";
import { formSize } from "../print/size.js";
import { commonFactors } from "./collect.js";
import type { Rule } from "./rewrite.js";

const isCall = (e: Expr, fn: FnName): e is Call => e.kind === "call" && e.fn === fn;
const rule = (name: string, apply: (e: Expr) => Expr | undefined): Rule => ({ name, apply });
const negativeTerm = (t: Expr): boolean => Q.isNegative(B.splitCoefficient(t)[0]);

/** (-s)^k = (-1)^k*s^k for an integer k, where every term of the sum s is negative: 1/(-y - z) -> -1/(y + z). */
function negativeSumPower(e: Expr): Expr | undefined {
  if (e.kind !== "pow" || e.base.kind !== "add" || e.shape !== SCALAR || e.exponent.kind !== "num" || !Q.isInteger(e.exponent.value)) return undefined;
  if (!e.base.terms.every(negativeTerm)) return undefined;
  const odd = e.exponent.value.num % 2n !== 0n;
  return B.mul(B.num(odd ? -1 : 1), B.pow(B.neg(e.base), e.exponent));
}

/** -c*s*r = c*(-s)*r for a number c > 0 and a sum s with no more positive terms than negative ones: -(1 - x)/y -> (x - 1)/y. */
function negatedSumFactor(e: Expr): Expr | undefined {
  if (e.kind !== "mul" || e.shape !== SCALAR || e.factors.length < 3) return undefined;
  const c = e.factors[0]!;
  if (c.kind !== "num" || !Q.isNegative(c.value)) return undefined;
  const s = e.factors.find((f) => f.kind === "add" && f.terms.filter(negativeTerm).length * 2 >= f.terms.length);
  if (!s) return undefined;
  return B.mulAll([B.num(Q.neg(c.value)), B.neg(s), ...e.factors.filter((f) => f !== c && f !== s)]);
}

/** c*x^2*y + 2*x^2 -> x^2*(c*y + 2): a scalar sum's common factors taken out, when that saves at least two operations. */
function commonFactorOut(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.shape !== SCALAR || e.terms.length > 50 || B.hasPole(e)) return undefined;
  const common = commonFactors(e.terms);
  if (common.length === 0) return undefined;
  const c = B.mulAll(common);
  const out = B.mul(c, B.addAll(e.terms.map((t) => B.mul(t, B.pow(c, B.MINUS_ONE)))));
  return out.kind === "mul" && formSize(out) + 2 <= formSize(e) ? out : undefined;
}

/** (a*b + a*c)*r -> a*(b + c)*r, simplified, when that is smaller: (exp(x) + y*exp(x))/exp(x) is y + 1. */
function factorInProduct(e: Expr, inner: (part: Expr) => Expr): Expr | undefined {
  if (e.kind !== "mul" || e.shape !== SCALAR || e.factors.length > 20 || B.hasPole(e)) return undefined;
  for (const s of e.factors) {
    if (s.kind !== "add" || s.terms.length > 50) continue;
    const common = commonFactors(s.terms);
    if (common.length === 0) continue;
    const c = B.mulAll(common);
    const factored = B.mul(c, B.addAll(s.terms.map((t) => B.mul(t, B.pow(c, B.MINUS_ONE)))));
    const out = inner(B.mulAll([...e.factors.filter((f) => f !== s), factored]));
    if (formSize(out) < formSize(e)) return out;
  }
  return undefined;
}

/** (1/q)^u -> q^(-u) for an integer q > 1 and a symbolic u: (1/2)^x is 2^(-x). */
function reciprocalBase(e: Expr): Expr | undefined {
  if (e.kind !== "pow" || e.base.kind !== "num" || e.exponent.kind === "num" || e.shape !== SCALAR) return undefined;
  const v = e.base.value;
  return v.num === 1n && v.den > 1n ? B.pow(B.num(v.den), B.neg(e.exponent)) : undefined;
}

/** (c^u)^k -> c^(u*k) for a number c > 0 (c^u > 0, so any real k): sqrt(2^x) is 2^(x/2). */
function powerOfPositivePower(e: Expr): Expr | undefined {
  if (e.kind !== "pow" || e.base.kind !== "pow" || e.shape !== SCALAR) return undefined;
  const c = e.base.base;
  if (c.kind !== "num" || (Q.isNegative(c.value) || Q.isZero(c.value)) || e.base.exponent.kind === "num") return undefined;
  return B.pow(c, B.mul(e.base.exponent, e.exponent));
}

/** log(p) + log(q) -> log(p*q) for positive numbers p, q: log(2) + log(3) is log(6). */
function logOfNumbers(e: Expr): Expr | undefined {
  if (e.kind !== "add") return undefined;
  const logs = e.terms.filter((t): t is Call => isCall(t, "log") && t.arg.kind === "num" && !Q.isNegative(t.arg.value) && !Q.isZero(t.arg.value));
  if (logs.length < 2) return undefined;
  return B.addAll([...e.terms.filter((t) => !logs.includes(t as Call)), B.call("log", B.mulAll(logs.map((l) => l.arg)))]);
}

/** k*c^(u + n) -> (k*c^n)*c^u for numbers k, c > 0 and an integer n, when smaller: 2^(x + 2)/4 is 2^x. */
function numericPowerShift(e: Expr): Expr | undefined {
  if (e.kind !== "mul" || e.shape !== SCALAR || e.factors[0]!.kind !== "num") return undefined;
  for (const f of e.factors) {
    if (f.kind !== "pow" || f.base.kind !== "num" || Q.isNegative(f.base.value) || Q.isZero(f.base.value) || f.exponent.kind !== "add") continue;
    const n = f.exponent.terms.find((t) => t.kind === "num" && Q.isInteger(t.value) && Q.abs(t.value).num <= 64n);
    if (!n) continue;
    const out = B.mulAll([...e.factors.filter((g) => g !== f), B.pow(f.base, n), B.pow(f.base, B.sub(f.exponent, n))]);
    if (formSize(out) < formSize(e)) return out;
  }
  return undefined;
}

export const FORM_RULES: readonly Rule[] = [
  // (-s)^k -> (-1)^k*s^k, every term of s negative, k an integer
  rule("negative-sum", negativeSumPower),
  // -c*s*r -> c*(-s)*r, s a sum at least half of whose terms are negative
  rule("negate-sum-factor", negatedSumFactor),
  // (1/q)^u -> q^(-u)
  rule("reciprocal-base", reciprocalBase),
  // (c^u)^k -> c^(u*k), c > 0
  rule("positive-power", powerOfPositivePower),
  // |u^(2k)| -> u^(2k)
  rule("abs-even-power", (e) => (isCall(e, "abs") && e.arg.kind === "pow" && e.arg.exponent.kind === "num" && Q.isInteger(e.arg.exponent.value) && e.arg.exponent.value.num % 2n === 0n ? e.arg : undefined)),
  // log(p) + log(q) -> log(p*q), p, q > 0 numbers
  rule("log-numbers", logOfNumbers),
  // k*c^(u + n) -> (k*c^n)*c^u, when smaller
  rule("power-shift", numericPowerShift),
  // sign(u)*|u| -> u
  rule("sign-abs", (e) => (e.kind === "mul" && e.factors.length === 2 && isCall(e.factors[0]!, "abs") && isCall(e.factors[1]!, "sign") && e.factors[0].arg === e.factors[1].arg ? e.factors[0].arg : undefined)),
  // a*b + a*c -> a*(b + c), when two or more operations are saved
  rule("common-factor", commonFactorOut),
  // (a*b + a*c)*r -> a*(b + c)*r, when the product is then smaller
  { name: "common-factor-in-product", apply: factorInProduct },
];

const oneMinusSquare = (u: Expr): Expr => B.sub(B.ONE, B.pow(u, B.num(2)));
const onePlusSquare = (u: Expr): Expr => B.add(B.ONE, B.pow(u, B.num(2)));
const of = (f: FnName, g: FnName, to: (u: Expr) => Expr) => (e: Expr) => (isCall(e, f) && isCall(e.arg, g) ? to(e.arg.arg) : undefined);

export const ALGEBRAIC_RULES: readonly Rule[] = [
  // cos(asin(u)) -> sqrt(1 - u^2)
  rule("cos-asin", of("cos", "asin", (u) => B.sqrt(oneMinusSquare(u)))),
  // sin(acos(u)) -> sqrt(1 - u^2)
  rule("sin-acos", of("sin", "acos", (u) => B.sqrt(oneMinusSquare(u)))),
  // tan(asin(u)) -> u/sqrt(1 - u^2)
  rule("tan-asin", of("tan", "asin", (u) => B.div(u, B.sqrt(oneMinusSquare(u))))),
  // sin(atan(u)) -> u/sqrt(1 + u^2)
  rule("sin-atan", of("sin", "atan", (u) => B.div(u, B.sqrt(onePlusSquare(u))))),
  // cos(atan(u)) -> 1/sqrt(1 + u^2)
  rule("cos-atan", of("cos", "atan", (u) => B.pow(onePlusSquare(u), B.num(Q.rat(-1, 2))))),
  // cosh(asinh(u)) -> sqrt(1 + u^2)
  rule("cosh-asinh", of("cosh", "asinh", (u) => B.sqrt(onePlusSquare(u)))),
];
