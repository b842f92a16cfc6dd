/**
 * The function table: everything jacobi knows about each elementwise function, one row
 * a function. The key is the function's name in the language and its text spelling.
 * Every function here takes one argument (`arity`) and applies entry by entry (`shape`:
 * the value has its argument's shape). Readers:
 *   parse/elaborate.ts   names, arity                 diff/rules.ts       derivative
 *   core/build.ts        exact                        eval/numeric.ts     value
 *   print/text.ts        the key                      print/latex.ts      latex
 *   codegen/emit-el.ts   kernel                       derive/notation.ts  derivative (as a law)
 * A row without one of its fields does not compile (`functionTable` maps over the names).
 *
 * To add a function, add its row here and its test points in test/core/functions.test.ts;
 * nothing else changes (CONTRIBUTING.md, "Adding a function").
 *
 * Other files name a function only where a law needs that particular one: the power
 * rule's log (diff/derivative.ts), the simplifier's identities such as exp(log(u)) = u
 * (simplify/rules.ts), exp as a polynomial generator (simplify/poly/generators.ts), and
 * codegen's stable forms of compounds — softmax and log-sum-exp from exp and log, log of
 * a sigmoid (codegen/stable.ts).
 */
import * as Q from "./rational.js";
import type { Rational } from "./rational.js";

/**
 * The arithmetic a derivative law is written in. The differentiator passes the canonical
 * builders; the same law, printed, is the rule a derivation shows.
 */
export interface Algebra<E, N extends string> {
  /** The number p/q. */
  num(p: number, q?: number): E;
  call(fn: N, u: E): E;
  add(a: E, b: E): E;
  sub(a: E, b: E): E;
  mul(a: E, b: E): E;
  neg(a: E): E;
  pow(base: E, exponent: E): E;
}

/**
 * How a kernel computes the function, as JavaScript over the argument `u`. In `code`, `u`
 * stands only as a whole call argument (`Math.exp(u)`) or negated (`-u`); `prec` is how
 * loosely the code binds. A form that reads `u` twice gets `u` computed once before it.
 * Where the textbook formula overflows, the form is the numerically stable one.
 */
export interface KernelForm {
  readonly code: string;
  readonly prec: "add" | "mul" | "unary" | "atom";
}

/** LaTeX: an operator name before `\left(u\right)`, or delimiters around u (`|u|`). */
export type LatexForm = string | { readonly left: string; readonly right: string };

export interface FunctionRow<N extends string> {
  /** Arguments taken. */
  readonly arity: 1;
  /** The shape rule: the value has the argument's shape, f applied to every entry. */
  readonly shape: "elementwise";
  /** f'(u) written in u (the chain rule multiplies by du); also the law derivations show. */
  readonly derivative: <E>(u: E, k: Algebra<E, N>) => E;
  /** The value at a float (NaN outside the domain). */
  readonly value: (u: number) => number;
  /** The exact value at an exact argument, where it is rational (exp(0) = 1); else undefined. */
  readonly exact: ((u: Rational) => Rational | undefined) | undefined;
  readonly latex: LatexForm;
  readonly kernel: KernelForm;
}

/** The table's type: one complete row for each name, laws checked against the names. */
function functionTable<const N extends string>(rows: { readonly [F in N]: FunctionRow<N> }): { readonly [F in N]: FunctionRow<N> } {
  return rows;
}

const at = (zero: Rational | undefined, point: Rational = Q.ZERO) => (u: Rational): Rational | undefined => (Q.equals(u, point) ? zero : undefined);
const sq = <E, N extends string>(u: E, k: Algebra<E, N>): E => k.pow(u, k.num(2));
const mathCall = (fn: string): KernelForm => ({ code: `Math.${fn}(u)`, prec: "atom" });
const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));

export const FUNCTION_TABLE = functionTable({
  exp: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("exp", u), // d/du exp(u) = exp(u)
    value: Math.exp,
    exact: at(Q.ONE), // exp(0) = 1
    latex: "\\exp",
    kernel: mathCall("exp"),
  },
  log: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(u, k.num(-1)), // d/du log(u) = 1/u
    value: Math.log,
    exact: at(Q.ZERO, Q.ONE), // log(1) = 0
    latex: "\\log",
    kernel: mathCall("log"),
  },
  sin: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("cos", u), // d/du sin(u) = cos(u)
    value: Math.sin,
    exact: at(Q.ZERO), // sin(0) = 0
    latex: "\\sin",
    kernel: mathCall("sin"),
  },
  cos: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.neg(k.call("sin", u)), // d/du cos(u) = -sin(u)
    value: Math.cos,
    exact: at(Q.ONE), // cos(0) = 1
    latex: "\\cos",
    kernel: mathCall("cos"),
  },
  tan: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.add(k.num(1), sq(k.call("tan", u), k)), // d/du tan(u) = 1 + tan(u)^2
    value: Math.tan,
    exact: at(Q.ZERO), // tan(0) = 0
    latex: "\\tan",
    kernel: mathCall("tan"),
  },
  asin: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(k.sub(k.num(1), sq(u, k)), k.num(-1, 2)), // d/du asin(u) = 1/sqrt(1 - u^2)
    value: Math.asin,
    exact: at(Q.ZERO), // asin(0) = 0
    latex: "\\arcsin",
    kernel: mathCall("asin"),
  },
  acos: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.neg(k.pow(k.sub(k.num(1), sq(u, k)), k.num(-1, 2))), // d/du acos(u) = -1/sqrt(1 - u^2)
    value: Math.acos,
    exact: at(Q.ZERO, Q.ONE), // acos(1) = 0
    latex: "\\arccos",
    kernel: mathCall("acos"),
  },
  atan: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(k.add(k.num(1), sq(u, k)), k.num(-1)), // d/du atan(u) = 1/(1 + u^2)
    value: Math.atan,
    exact: at(Q.ZERO), // atan(0) = 0
    latex: "\\arctan",
    kernel: mathCall("atan"),
  },
  sinh: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("cosh", u), // d/du sinh(u) = cosh(u)
    value: Math.sinh,
    exact: at(Q.ZERO), // sinh(0) = 0
    latex: "\\sinh",
    kernel: mathCall("sinh"),
  },
  cosh: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("sinh", u), // d/du cosh(u) = sinh(u)
    value: Math.cosh,
    exact: at(Q.ONE), // cosh(0) = 1
    latex: "\\cosh",
    kernel: mathCall("cosh"),
  },
  tanh: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.sub(k.num(1), sq(k.call("tanh", u), k)), // d/du tanh(u) = 1 - tanh(u)^2
    value: Math.tanh,
    exact: at(Q.ZERO), // tanh(0) = 0
    latex: "\\tanh",
    kernel: mathCall("tanh"),
  },
  sigmoid: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.mul(k.call("sigmoid", u), k.sub(k.num(1), k.call("sigmoid", u))), // d/du σ(u) = σ(u)*(1 - σ(u))
    value: sigmoid,
    exact: at(Q.rat(1, 2)), // sigmoid(0) = 1/2
    latex: "\\operatorname{sigmoid}",
    // 1/(1 + e^-u): finite for every u (e^-u overflows to Infinity, giving 0)
    kernel: { code: "1 / (1 + Math.exp(-u))", prec: "mul" },
  },
  abs: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("sign", u), // d/du |u| = sign(u)   (u ≠ 0)
    value: Math.abs,
    exact: Q.abs,
    latex: { left: "\\left|", right: "\\right|" },
    kernel: mathCall("abs"),
  },
  sign: {
    arity: 1,
    shape: "elementwise",
    derivative: (_u, k) => k.num(0), // d/du sign(u) = 0   (u ≠ 0)
    value: Math.sign,
    exact: (u) => Q.rat(u.num > 0n ? 1 : u.num < 0n ? -1 : 0),
    latex: "\\operatorname{sign}",
    kernel: mathCall("sign"),
  },
  softplus: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("sigmoid", u), // d/du log(1 + e^u) = sigmoid(u)
    // log(1 + e^u) = max(u, 0) + log1p(e^-|u|): finite for every finite u, exact near 0
    value: (u) => Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u))),
    exact: undefined, // log(1 + e^u) is irrational at every rational u
    latex: "\\operatorname{softplus}",
    kernel: { code: "Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)))", prec: "add" },
  },
});

export type FnName = keyof typeof FUNCTION_TABLE;

/** The function names, in the table's order. */
export const FUNCTION_NAMES = Object.keys(FUNCTION_TABLE) as readonly FnName[];
const NAME_SET: ReadonlySet<string> = new Set(FUNCTION_NAMES);
export const isFnName = (name: string): name is FnName => NAME_SET.has(name);
