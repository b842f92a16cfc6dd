/**
 * The shape of a row of the function table (core/functions.ts): the algebra a derivative
 * law is written in, a kernel's JavaScript form, the WebAssembly target's SIMD form and
 * the LaTeX form. functions.ts holds the rows and re-exports these types.
 */
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

/**
 * The operations the WebAssembly target computes a function in, on every SIMD lane at
 * once (f64x2 / f32x4): native SIMD instructions, and the target's vectorized exp, log
 * and tanh (codegen/wasm/exp.ts, with their error bounds). min and max are
 * Math.min/Math.max's (NaN wins; -0 < +0).
 */
export interface Lanes<E> {
  num(x: number): E;
  add(a: E, b: E): E;
  sub(a: E, b: E): E;
  mul(a: E, b: E): E;
  div(a: E, b: E): E;
  min(a: E, b: E): E;
  max(a: E, b: E): E;
  neg(a: E): E;
  abs(a: E): E;
  sqrt(a: E): E;
  exp(a: E): E;
  log(a: E): E;
  tanh(a: E): E;
  /** `a > b ? yes : no`, lane by lane (a NaN compares false). */
  greater(a: E, b: E, yes: E, no: E): E;
}

/** How the WebAssembly target computes a function in SIMD operations (a value may be used more than once). */
export type WasmForm = <E>(u: E, k: Lanes<E>) => E;

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
  /** The WebAssembly target's SIMD form; without it, each lane calls `kernel` (the host's Math, imported). */
  readonly wasm?: WasmForm;
}
