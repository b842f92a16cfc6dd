/**
 * Simplification rules, one a line with its law. Each is always right for real
 * arguments where both sides are defined; the builders already do the arithmetic
 * (like terms, powers of one base), so these are the identities beyond that.
 */
import * as B from "../core/build.js";
import type { Call, Expr, FnName } from "../core/expr.js";
import * as Q from "../core/rational.js";
import { SCALAR } from "../core/shape.js";
import type { Rule } from "./rewrite.js";

const isCall = (e: Expr, fn: FnName): e is Call => e.kind === "call" && e.fn === fn;
const isNum = (e: Expr, n: number): boolean => e.kind === "num" && e.value.den === 1n && e.value.num === BigInt(n);
const rule = (name: string, apply: (e: Expr) => Expr | undefined): Rule => ({ name, apply });

/** The argument of `fn(u)^2`, or undefined. */
function squaredArg(f: Expr, fn: FnName): Expr | undefined {
  return f.kind === "pow" && isNum(f.exponent, 2) && isCall(f.base, fn) ? f.base.arg : undefined;
}

/** a·f(u)^2 + a·g(u)^2 -> a·k, for a pair with f(u)^2 ± g(u)^2 = k. */
function pythagoras(e: Expr, f: FnName, g: FnName, sign: 1 | -1): Expr | undefined {
  if (e.kind !== "add" || e.terms.length > 200) return undefined;
  for (const t of e.terms) {
    const factors = t.kind === "mul" ? t.factors : [t];
    for (const x of factors) {
      const u = squaredArg(x, f);
      if (!u) continue;
      const rest = B.mul(t, B.pow(x, B.MINUS_ONE));
      const partner = B.mul(B.num(sign), rest, B.pow(B.call(g, u), B.num(2)));
      if (!e.terms.includes(partner)) continue;
      return B.addAll([...e.terms.filter((y) => y !== t && y !== partner), rest]);
    }
  }
  return undefined;
}

/** exp(a) exp(b)^2 … -> exp(a + 2b + …) inside a product. */
function combineExps(e: Expr): Expr | undefined {
  if (e.kind !== "mul") return undefined;
  const exps = e.factors.filter((f): f is Call => isCall(f, "exp"));
  if (exps.length < 2) return undefined;
  const rest = e.factors.filter((f) => !isCall(f, "exp"));
  return B.mulAll([...rest, B.call("exp", B.addAll(exps.map((f) => f.arg)))]);
}

/** 1/(1 + exp(-u)) -> sigmoid(u) */
function sigmoidOfReciprocal(e: Expr): Expr | undefined {
  if (e.kind !== "pow" || !isNum(e.exponent, -1) || e.base.kind !== "add" || e.base.terms.length !== 2) return undefined;
  const [one, ex] = e.base.terms;
  if (!one || !ex || !isNum(one, 1) || !isCall(ex, "exp")) return undefined;
  return B.call("sigmoid", B.neg(ex.arg));
}

const isHalf = (e: Expr): boolean => e.kind === "num" && Q.equals(e.value, Q.rat(1, 2));

export const SIMPLIFY_RULES: readonly Rule[] = [
  // exp(log(u)) -> u
  rule("exp-log", (e) => (isCall(e, "exp") && isCall(e.arg, "log") ? e.arg.arg : undefined)),
  // log(exp(u)) -> u
  rule("log-exp", (e) => (isCall(e, "log") && isCall(e.arg, "exp") ? e.arg.arg : undefined)),
  // exp(u)^c -> exp(c*u)
  rule("exp-power", (e) => (e.kind === "pow" && isCall(e.base, "exp") ? B.call("exp", B.mul(e.exponent, e.base.arg)) : undefined)),
  // exp(a)*exp(b) -> exp(a + b)
  rule("exp-product", combineExps),
  // sqrt(u^2) -> |u|
  rule("sqrt-square", (e) => (e.kind === "pow" && isHalf(e.exponent) && e.base.kind === "pow" && isNum(e.base.exponent, 2) ? B.call("abs", e.base.base) : undefined)),
  // ||u|| -> |u|
  rule("abs-abs", (e) => (isCall(e, "abs") && isCall(e.arg, "abs") ? e.arg : undefined)),
  // |u|^2 -> u^2
  rule("abs-square", (e) => (e.kind === "pow" && isCall(e.base, "abs") && isNum(e.exponent, 2) ? B.pow(e.base.arg, B.num(2)) : undefined)),
  // sin(u)^2 + cos(u)^2 -> 1
  rule("sin2-cos2", (e) => pythagoras(e, "sin", "cos", 1)),
  // cosh(u)^2 - sinh(u)^2 -> 1
  rule("cosh2-sinh2", (e) => pythagoras(e, "cosh", "sinh", -1)),
  // 1/(1 + exp(-u)) -> sigmoid(u)
  rule("sigmoid-def", sigmoidOfReciprocal),
  // sin(u)/cos(u) -> tan(u)
  rule("tan-def", tanOfRatio),
  // c*[u, v] -> [c*u, c*v]
  rule("scale-literal", scaleLiteral),
];

/** A product of scalars and one literal: the literal of the products. */
function scaleLiteral(e: Expr): Expr | undefined {
  if (e.kind !== "mul") return undefined;
  const literal = e.factors.find((f) => f.kind === "matrix");
  if (!literal || literal.kind !== "matrix" || !e.factors.every((f) => f === literal || f.shape === SCALAR)) return undefined;
  const scale = e.factors.filter((f) => f !== literal);
  return B.matrix(literal.shape.rows as number, literal.shape.cols as number, literal.items.map((x) => B.mulAll([...scale, x])));
}

/** sin(u) cos(u)^-1 -> tan(u) inside a product. */
function tanOfRatio(e: Expr): Expr | undefined {
  if (e.kind !== "mul") return undefined;
  for (const f of e.factors) {
    if (!isCall(f, "sin")) continue;
    const c = B.pow(B.call("cos", f.arg), B.MINUS_ONE);
    if (e.factors.includes(c)) return B.mulAll([...e.factors.filter((g) => g !== f && g !== c), B.call("tan", f.arg)]);
  }
  return undefined;
}
