/**
 * The function table: everything jacobi knows about each elementwise function, one row
 * a function. The key is the function's name in the language and its text spelling.
 * Every function here takes one argument (`arity`) and applies entry by entry (`shape`:
 * the value has its argument's shape). Readers:
 *   parse/elaborate.ts   names, arity                 diff/rules.ts       derivative
 *   core/build.ts        exact                        eval/numeric.ts     value
 *   print/text.ts        the key                      print/latex.ts      latex
 *   codegen/emit-el.ts   kernel                       derive/notation.ts  derivative (as a law)
 *   codegen/wasm/lanes.ts  wasm (optional)
 * A row without one of its fields does not compile (`functionTable` maps over the names),
 * except `wasm`: without it the WebAssembly target calls the row's kernel form, lane by lane.
 * Other spellings of a function (`arcsin` for asin) are FUNCTION_ALIASES, read by the
 * parser only; `log(u, b)` is read by the parser as log(u)/log(b).
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

import type { Algebra, FunctionRow, KernelForm, Lanes, LatexForm, WasmForm } from "./function-row.js";

export type { Algebra, FunctionRow, KernelForm, Lanes, LatexForm, WasmForm };

/** The table's type: one complete row for each name, laws checked against the names. */
function functionTable<const N extends string>(rows: { readonly [F in N]: FunctionRow<N> }): { readonly [F in N]: FunctionRow<N> } {
  return rows;
}

const at = (zero: Rational | undefined, point: Rational = Q.ZERO) => (u: Rational): Rational | undefined => (Q.equals(u, point) ? zero : undefined);
const sq = <E, N extends string>(u: E, k: Algebra<E, N>): E => k.pow(u, k.num(2));
const mathCall = (fn: string): KernelForm => ({ code: `Math.${fn}(u)`, prec: "atom" });
const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));

/** The exact integer k-th root of a non-negative bigint, if it has one. */
function integerRoot(n: bigint, k: number): bigint | undefined {
  if (n > 2n ** 53n) return undefined;
  const guess = BigInt(Math.round(Number(n) ** (1 / k)));
  for (const r of [guess - 1n, guess, guess + 1n]) if (r >= 0n && r ** BigInt(k) === n) return r;
  return undefined;
}
/** cbrt(p/q) where p and q are perfect cubes (small enough to find by floats); else undefined. */
function exactCbrt(u: Rational): Rational | undefined {
  const p = integerRoot(u.num < 0n ? -u.num : u.num, 3);
  const q = integerRoot(u.den, 3);
  return p === undefined || q === undefined ? undefined : Q.rat(u.num < 0n ? -p : p, q);
}
/** log10(10^k) = k for an integer k; else undefined (the value is irrational). */
function exactLog10(u: Rational): Rational | undefined {
  const [top, sign] = u.num === 1n ? [u.den, -1] : u.den === 1n ? [u.num, 1] : [0n, 0];
  if (top < 1n) return undefined;
  const digits = top.toString();
  return /^10*$/.test(digits) ? Q.rat(sign * (digits.length - 1)) : undefined;
}

export const FUNCTION_TABLE = functionTable({
  exp: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("exp", u), // d/du exp(u) = exp(u)
    value: Math.exp,
    exact: at(Q.ONE), // exp(0) = 1
    latex: "\\exp",
    kernel: mathCall("exp"),
    wasm: (u, k) => k.exp(u),
  },
  log: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(u, k.num(-1)), // d/du log(u) = 1/u
    value: Math.log,
    exact: at(Q.ZERO, Q.ONE), // log(1) = 0
    latex: "\\log",
    kernel: mathCall("log"),
    wasm: (u, k) => k.log(u),
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
    wasm: (u, k) => k.tanh(u),
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
    wasm: (u, k) => k.div(k.num(1), k.add(k.num(1), k.exp(k.neg(u)))),
  },
  abs: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("sign", u), // d/du |u| = sign(u)   (u ≠ 0)
    value: Math.abs,
    exact: Q.abs,
    latex: { left: "\\left|", right: "\\right|" },
    kernel: mathCall("abs"),
    wasm: (u, k) => k.abs(u),
  },
  sign: {
    arity: 1,
    shape: "elementwise",
    derivative: (_u, k) => k.num(0), // d/du sign(u) = 0   (u ≠ 0)
    value: Math.sign,
    exact: (u) => Q.rat(u.num > 0n ? 1 : u.num < 0n ? -1 : 0),
    latex: "\\operatorname{sign}",
    kernel: mathCall("sign"),
    wasm: (u, k) => k.greater(u, k.num(0), k.num(1), k.greater(k.num(0), u, k.num(-1), u)), // ±0 and NaN are their own sign
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
  relu: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.call("step", u), // d/du max(u, 0) = step(u)   (u ≠ 0; step(0) = 0)
    value: (u) => Math.max(u, 0),
    exact: (u) => (u.num > 0n ? u : Q.ZERO),
    latex: "\\operatorname{relu}",
    kernel: { code: "Math.max(u, 0)", prec: "atom" },
    wasm: (u, k) => k.max(u, k.num(0)),
  },
  step: {
    arity: 1,
    shape: "elementwise",
    derivative: (_u, k) => k.num(0), // d/du step(u) = 0   (u ≠ 0)
    // the Heaviside step with step(0) = 0: relu's derivative as PyTorch and JAX take it at 0
    value: (u) => (u > 0 ? 1 : u <= 0 ? 0 : NaN),
    exact: (u) => (u.num > 0n ? Q.ONE : Q.ZERO),
    latex: "\\operatorname{step}",
    kernel: { code: "Math.sign(Math.max(u, 0))", prec: "atom" },
    wasm: (u, k) => k.greater(k.max(u, k.num(0)), k.num(0), k.num(1), k.max(u, k.num(0))), // sign(max(u, 0)): 0 or NaN where not > 0
  },
  cbrt: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.mul(k.num(1, 3), k.pow(k.call("cbrt", u), k.num(-2))), // d/du cbrt(u) = 1/(3*cbrt(u)^2)   (u ≠ 0)
    value: Math.cbrt, // the real cube root, negative for u < 0
    exact: exactCbrt, // cbrt(-8/27) = -2/3
    latex: { left: "\\sqrt[3]{", right: "}" },
    kernel: mathCall("cbrt"),
  },
  log10: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(k.mul(u, k.call("log", k.num(10))), k.num(-1)), // d/du log10(u) = 1/(u*log(10))
    value: Math.log10,
    exact: exactLog10, // log10(1000) = 3, log10(1/10) = -1
    latex: "\\log_{10}",
    kernel: mathCall("log10"),
  },
  sec: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.mul(k.call("sec", u), k.call("tan", u)), // d/du sec(u) = sec(u)*tan(u)
    value: (u) => 1 / Math.cos(u),
    exact: at(Q.ONE), // sec(0) = 1
    latex: "\\sec",
    kernel: { code: "1 / Math.cos(u)", prec: "mul" },
  },
  csc: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.neg(k.mul(k.call("csc", u), k.call("cot", u))), // d/du csc(u) = -csc(u)*cot(u)
    value: (u) => 1 / Math.sin(u),
    exact: undefined, // 1/sin(u) is irrational at every rational u ≠ 0 (and infinite at 0)
    latex: "\\csc",
    kernel: { code: "1 / Math.sin(u)", prec: "mul" },
  },
  cot: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.neg(k.add(k.num(1), sq(k.call("cot", u), k))), // d/du cot(u) = -(1 + cot(u)^2)
    value: (u) => 1 / Math.tan(u),
    exact: undefined, // 1/tan(u) is irrational at every rational u ≠ 0 (and infinite at 0)
    latex: "\\cot",
    kernel: { code: "1 / Math.tan(u)", prec: "mul" },
  },
  asinh: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(k.add(sq(u, k), k.num(1)), k.num(-1, 2)), // d/du asinh(u) = 1/sqrt(u^2 + 1)
    value: Math.asinh,
    exact: at(Q.ZERO), // asinh(0) = 0
    latex: "\\operatorname{arsinh}",
    kernel: mathCall("asinh"),
  },
  acosh: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(k.sub(sq(u, k), k.num(1)), k.num(-1, 2)), // d/du acosh(u) = 1/sqrt(u^2 - 1)   (u > 1)
    value: Math.acosh, // NaN for u < 1
    exact: at(Q.ZERO, Q.ONE), // acosh(1) = 0
    latex: "\\operatorname{arcosh}",
    kernel: mathCall("acosh"),
  },
  atanh: {
    arity: 1,
    shape: "elementwise",
    derivative: (u, k) => k.pow(k.sub(k.num(1), sq(u, k)), k.num(-1)), // d/du atanh(u) = 1/(1 - u^2)   (|u| < 1)
    value: Math.atanh, // NaN for |u| > 1
    exact: at(Q.ZERO), // atanh(0) = 0
    latex: "\\operatorname{artanh}",
    kernel: mathCall("atanh"),
  },
});

export type FnName = keyof typeof FUNCTION_TABLE;

/** The function names, in the table's order. */
export const FUNCTION_NAMES = Object.keys(FUNCTION_TABLE) as readonly FnName[];
const NAME_SET: ReadonlySet<string> = new Set(FUNCTION_NAMES);
export const isFnName = (name: string): name is FnName => NAME_SET.has(name);

/**
 * Other spellings of functions (matrixcalculus.org's `arcsin`, …): the parser reads an
 * alias as its function, and printing spells the table's name. Not a row field: an alias
 * has no law, value or form of its own.
 */
export const FUNCTION_ALIASES: ReadonlyMap<string, FnName> = new Map<string, FnName>([
  ["arcsin", "asin"],
  ["arccos", "acos"],
  ["arctan", "atan"],
]);
/** The function a name or alias spells, if any. */
export const functionNamed = (name: string): FnName | undefined => (isFnName(name) ? name : FUNCTION_ALIASES.get(name));

/**
 * Functions of a whole square matrix (the `matfn` node of core/expr.ts), one row each.
 * They are not elementwise: the value is a scalar (`det`) or a matrix (`inv`), computed by
 * an LU factorization with partial pivoting (eval/linalg.ts; kernels: codegen). `logdet(A)`
 * is read as `log(det(A))` and evaluated without forming det (the sum of log|u_ii|). The
 * derivatives are the Matrix Cookbook's (Petersen & Pedersen, eqs. 49 and 59), written by
 * the differentiators (diff/derivative.ts, reverse/rules.ts); `law` is how derivations name them.
 */
export interface MatrixFunctionRow {
  /** The value: a scalar, or a matrix of the argument's (square) shape. */
  readonly result: "scalar" | "square";
  /** The differential, as a derivation names it (text and LaTeX). */
  readonly law: { readonly text: string; readonly latex: string };
  /** LaTeX: an operator before the argument (`\det X`) or a superscript after it (`X^{-1}`). */
  readonly latex: { readonly prefix: string } | { readonly superscript: string };
}

/** The matrix functions' rows: det and inv (logdet is log of det). */
export const MATRIX_FUNCTIONS = {
  det: {
    result: "scalar",
    // d det(X) = det(X) tr(inv(X) dX), so ∂det(X)/∂X = det(X)*inv(X)'
    law: { text: "d det(X) = det(X)*tr(inv(X)*dX)", latex: "d\\det X = \\det X \\operatorname{tr}\\left(X^{-1}\\,dX\\right)" },
    latex: { prefix: "\\det" },
  },
  inv: {
    result: "square",
    // d inv(X) = -inv(X)*dX*inv(X)
    law: { text: "d inv(X) = -inv(X)*dX*inv(X)", latex: "d\\left(X^{-1}\\right) = -X^{-1}\\,dX\\,X^{-1}" },
    latex: { superscript: "-1" },
  },
} as const satisfies { readonly [name: string]: MatrixFunctionRow };

/** The names of the matrix functions (the `fn` of a `matfn` node). */
export type MatFnName = keyof typeof MATRIX_FUNCTIONS;
