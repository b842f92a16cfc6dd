/**
 * The row-wise (and column-wise) stable forms of the evaluator, beside eval/stable.ts:
 *   exp(U) .* (exp(U)*ones(n,n))^-1   softmax of each row: exp(u - m)/Σ exp(u - m), m = the row's max
 *   exp(U) .* (ones(m,m)*exp(U))^-1   softmax of each column
 *   log(exp(U)*ones(n,k))             log-sum-exp of each row, repeated k times (k = 1: a vector)
 *   log(ones(k,m)*exp(U))             log-sum-exp of each column, repeated k times
 *   diag(a ./ (exp(U)*ones(n)))*exp(U) a_r softmax of row r (a row-wise log-sum-exp's pullback)
 * (softmax(X), logsumexp(X) and logsoftmax(X) of a matrix read as these, parse/reductions.ts).
 */
import type { Expr } from "../core/expr.js";
import * as Q from "../core/rational.js";
import type { Value } from "./value.js";

/** U and the direction when e is exp(U)*ones(n,k) (by rows) or ones(k,m)*exp(U) (by columns). */
export function expTimesOnes(e: Expr): { readonly u: Expr; readonly exp: Expr; readonly byRows: boolean } | undefined {
  if (e.kind !== "matmul" || e.factors.length !== 2) return undefined;
  const [l, r] = e.factors as [Expr, Expr];
  const isOnes = (x: Expr): boolean => x.kind === "num" && Q.isOne(x.value);
  const isExp = (x: Expr): x is Extract<Expr, { kind: "call" }> => x.kind === "call" && x.fn === "exp";
  if (isExp(l) && isOnes(r)) return { u: l.arg, exp: l, byRows: true };
  if (isExp(r) && isOnes(l)) return { u: r.arg, exp: r, byRows: false };
  return undefined;
}

/** The lines of u (its rows, or its columns) as index lists into its row-major data. */
function lines(u: Value, byRows: boolean): number[][] {
  const [count, length] = byRows ? [u.rows, u.cols] : [u.cols, u.rows];
  const out: number[][] = [];
  for (let a = 0; a < count; a++) out.push(Array.from({ length }, (_, b) => (byRows ? a * u.cols + b : b * u.cols + a)));
  return out;
}

/** m and Σ exp(u - m) over one line, m = its maximum (unshifted when m is not finite, so NaN and ±∞ propagate). */
function shifted(d: Float64Array, at: readonly number[]): { m: number; s: number } {
  let m = -Infinity;
  for (const k of at) if (d[k]! > m) m = d[k]!;
  const shift = Number.isFinite(m) ? m : 0;
  let s = 0;
  for (const k of at) s += Math.exp(d[k]! - shift);
  return { m: shift, s };
}

/** Softmax of each row (or column) of u, max-shifted. */
export function lineSoftmax(u: Value, byRows: boolean): Value {
  const out = new Float64Array(u.data.length);
  for (const at of lines(u, byRows)) {
    const { m, s } = shifted(u.data, at);
    for (const k of at) out[k] = Math.exp(u.data[k]! - m) / s;
  }
  return { rows: u.rows, cols: u.cols, data: out };
}

/** Log-sum-exp of each row of u repeated `copies` times across (by columns: down), max-shifted. */
export function lineLogSumExp(u: Value, byRows: boolean, copies: number): Value {
  const ls = lines(u, byRows);
  const [rows, cols] = byRows ? [ls.length, copies] : [copies, ls.length];
  const out = new Float64Array(rows * cols);
  ls.forEach((at, a) => {
    const { m, s } = shifted(u.data, at);
    const v = m + Math.log(s);
    for (let c = 0; c < copies; c++) out[byRows ? a * cols + c : c * cols + a] = v;
  });
  return { rows, cols, data: out };
}

/** diag(a ./ (exp(U)*ones(n)))*exp(U) (a row-wise log-sum-exp's pullback) as a_r exp(u - m)/Σ exp(u - m) by rows, else undefined. */
export function rowScaledExp(e: Expr, valueOf: (x: Expr) => Value): Value | undefined {
  if (e.kind !== "matmul" || e.factors.length !== 2 || e.factors[0]!.kind !== "diag" || e.factors[0]!.arg.kind !== "mul") return undefined;
  const [d, ex] = e.factors as [Extract<Expr, { kind: "diag" }>, Expr];
  const scale = (d.arg as Extract<Expr, { kind: "mul" }>).factors;
  const f = scale.find((g) => g.kind === "pow" && g.exponent.kind === "num" && Q.equals(g.exponent.value, Q.MINUS_ONE) && expTimesOnes(g.base)?.exp === ex && expTimesOnes(g.base)!.byRows);
  if (!f || ex.kind !== "call") return undefined;
  const u = valueOf(ex.arg);
  const a = scale.filter((g) => g !== f).map((g) => valueOf(g));
  const out = new Float64Array(u.data.length);
  lines(u, true).forEach((at, r) => {
    const { m, s } = shifted(u.data, at);
    let c = 1 / s;
    for (const v of a) c *= v.data.length === 1 ? v.data[0]! : v.data[r]!;
    for (const k of at) out[k] = c * Math.exp(u.data[k]! - m);
  });
  return { rows: u.rows, cols: u.cols, data: out };
}
