/**
 * The derivative table: for each elementwise function f, f'(u) as an expression in u.
 * One rule a line; the chain rule (multiplying by du) is applied by the differentiator.
 */
import { add, call, MINUS_ONE, mul, neg, num, ONE, pow, sub, ZERO } from "../core/build.js";
import type { Expr, FnName } from "../core/expr.js";
import { rat } from "../core/rational.js";

const half = num(rat(-1, 2));
const sq = (u: Expr): Expr => pow(u, num(2));

export const DERIVATIVES: { readonly [F in FnName]: (u: Expr) => Expr } = {
  exp: (u) => call("exp", u), //                      d/du exp(u) = exp(u)
  log: (u) => pow(u, MINUS_ONE), //                   d/du log(u) = 1/u
  sin: (u) => call("cos", u), //                      d/du sin(u) = cos(u)
  cos: (u) => neg(call("sin", u)), //                 d/du cos(u) = -sin(u)
  tan: (u) => add(ONE, sq(call("tan", u))), //        d/du tan(u) = 1 + tan(u)^2
  asin: (u) => pow(sub(ONE, sq(u)), half), //         d/du asin(u) = 1/sqrt(1 - u^2)
  acos: (u) => neg(pow(sub(ONE, sq(u)), half)), //    d/du acos(u) = -1/sqrt(1 - u^2)
  atan: (u) => pow(add(ONE, sq(u)), MINUS_ONE), //    d/du atan(u) = 1/(1 + u^2)
  sinh: (u) => call("cosh", u), //                    d/du sinh(u) = cosh(u)
  cosh: (u) => call("sinh", u), //                    d/du cosh(u) = sinh(u)
  tanh: (u) => sub(ONE, sq(call("tanh", u))), //      d/du tanh(u) = 1 - tanh(u)^2
  sigmoid: (u) => mul(call("sigmoid", u), sub(ONE, call("sigmoid", u))), // d/du σ(u) = σ(u)*(1 - σ(u))
  abs: (u) => call("sign", u), //                     d/du |u| = sign(u)   (u ≠ 0)
  sign: () => ZERO, //                                d/du sign(u) = 0      (u ≠ 0)
};

/** The name of each rule, for derivations ("chain rule: d/du exp(u) = exp(u)"). */
export const RULE_TEXT: { readonly [F in FnName]: string } = {
  exp: "d/du exp(u) = exp(u)",
  log: "d/du log(u) = 1/u",
  sin: "d/du sin(u) = cos(u)",
  cos: "d/du cos(u) = -sin(u)",
  tan: "d/du tan(u) = 1 + tan(u)^2",
  asin: "d/du asin(u) = 1/sqrt(1 - u^2)",
  acos: "d/du acos(u) = -1/sqrt(1 - u^2)",
  atan: "d/du atan(u) = 1/(1 + u^2)",
  sinh: "d/du sinh(u) = cosh(u)",
  cosh: "d/du cosh(u) = sinh(u)",
  tanh: "d/du tanh(u) = 1 - tanh(u)^2",
  sigmoid: "d/du sigmoid(u) = sigmoid(u)*(1 - sigmoid(u))",
  abs: "d/du abs(u) = sign(u)",
  sign: "d/du sign(u) = 0",
};
