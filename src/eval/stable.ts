/**
 * Numerically stable evaluation of the forms whose plain evaluation overflows where the
 * true value is finite (the evaluator's counterpart of codegen/stable.ts):
 *   exp(u) * sum(exp(u))^-1 * rest   softmax: exp(u - m)/Σ exp(u - m), m = max u
 *   log(sum(exp(u)))                 m + log Σ exp(u - m)
 *   log(1 + exp(u))                  softplus: max(u, 0) + log1p(exp(-|u|))
 *   exp(u) * (1 + exp(u))^-1 * rest  sigmoid(u) = 1/(1 + exp(-u)), also exp(u) * sigmoid(-u)
 *   sum(u .* u)^p, sum(u.^2)^p, (u'*u)^p   (s² Σ (u/s)²)^p with s = max |u| (norms, and their derivatives)
 * Each returns undefined when the node is not of its form.
 */
import type { Expr } from "../core/expr.js";
import * as Q from "../core/rational.js";
import { combine } from "./numeric.js";
import type { Value } from "./value.js";

/** What the forms need from the evaluator: the value of a node at the current indices. */
export type ValueOf = (e: Expr) => Value;

const isNum = (e: Expr, n: number, d = 1): boolean => e.kind === "num" && e.shape.rows === 1 && e.shape.cols === 1 && Q.equals(e.value, Q.rat(n, d));
const isExp = (e: Expr): e is Extract<Expr, { kind: "call" }> => e.kind === "call" && e.fn === "exp";

/** u when e is 1 + exp(u). */
function onePlusExp(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.terms.length !== 2) return undefined;
  const [a, b] = e.terms as [Expr, Expr];
  const [one, other] = isNum(a, 1) ? [a, b] : [b, a];
  return isNum(one, 1) && isExp(other) ? other.arg : undefined;
}

/** u when e is sum(u .* u), sum(u.^2) or u'*u. */
function sumOfSquares(e: Expr): Expr | undefined {
  if (e.kind === "matmul" && e.factors.length === 2 && e.factors[0]!.kind === "transpose" && e.factors[0]!.arg === e.factors[1]) return e.factors[1];
  if (e.kind !== "sum") return undefined;
  const a = e.arg;
  if (a.kind === "pow" && isNum(a.exponent, 2)) return a.base;
  if (a.kind === "mul" && a.factors.length === 2 && a.factors[0] === a.factors[1]) return a.factors[0];
  return undefined;
}

const mapData = (v: Value, f: (x: number, k: number) => number): Value => ({ rows: v.rows, cols: v.cols, data: v.data.map(f) });
const scalar = (x: number): Value => ({ rows: 1, cols: 1, data: Float64Array.of(x) });

function maxOf(v: Value): number {
  let m = -Infinity;
  for (const x of v.data) if (x > m) m = x;
  return m;
}

/** m + log Σ exp(u - m) */
function logSumExp(u: Value): number {
  const m = maxOf(u);
  if (!Number.isFinite(m)) return Math.log(u.data.reduce((s, x) => s + Math.exp(x), 0));
  let s = 0;
  for (const x of u.data) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** The stable value of `e`, or undefined when it is not one of the forms. */
export function stableValue(e: Expr, valueOf: ValueOf): Value | undefined {
  if (e.kind === "call" && e.fn === "log") {
    const a = e.arg;
    // log(sum(exp(u))) = m + log Σ exp(u - m)
    if (a.kind === "sum" && isExp(a.arg)) return scalar(logSumExp(valueOf(a.arg.arg)));
    // log(1 + exp(u)) = max(u, 0) + log1p(exp(-|u|))
    const u = onePlusExp(a);
    if (u) return mapData(valueOf(u), (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
    return undefined;
  }
  if (e.kind === "pow" && e.exponent.kind === "num") {
    // (Σ u²)^p = (s² Σ (u/s)²)^p = s^(2p) (Σ (u/s)²)^p, s = max |u|
    const u = sumOfSquares(e.base);
    if (!u) return undefined;
    const p = Q.toNumber(e.exponent.value);
    const v = valueOf(u);
    let s = 0;
    for (const x of v.data) s = Math.max(s, Math.abs(x));
    if (s === 0 || !Number.isFinite(s)) return undefined;
    let t = 0;
    for (const x of v.data) t += (x / s) * (x / s);
    return scalar(Math.pow(s, 2 * p) * Math.pow(t, p));
  }
  if (e.kind === "mul") return stableProduct(e, valueOf);
  return undefined;
}

/** u when e is sigmoid(-u). */
function sigmoidOfMinus(e: Expr): Expr | undefined {
  if (e.kind !== "call" || e.fn !== "sigmoid" || e.arg.kind !== "mul" || e.arg.factors.length !== 2 || !isNum(e.arg.factors[0]!, -1)) return undefined;
  return e.arg.factors[1];
}

/** exp(u) * sum(exp(u))^-1 * rest, exp(u) * (1 + exp(u))^-1 * rest and exp(u) * sigmoid(-u) * rest. */
function stableProduct(e: Extract<Expr, { kind: "mul" }>, valueOf: ValueOf): Value | undefined {
  for (const f of e.factors) {
    // exp(u) * sigmoid(-u) = sigmoid(u)
    const minus = sigmoidOfMinus(f);
    const partner = minus && e.factors.find((g) => isExp(g) && g.arg === minus);
    if (minus && partner) {
      let v = mapData(valueOf(minus), (x) => 1 / (1 + Math.exp(-x)));
      for (const g of e.factors) if (g !== f && g !== partner) v = combine("mul", v, valueOf(g), false);
      return v;
    }
    if (f.kind !== "pow" || !isNum(f.exponent, -1)) continue;
    const sum = f.base.kind === "sum" && isExp(f.base.arg) ? f.base.arg : undefined;
    const sig = onePlusExp(f.base);
    const inner = sum ?? e.factors.find((g) => isExp(g) && g.arg === sig);
    if (!inner || !isExp(inner) || !e.factors.includes(inner) || (sig !== undefined && inner.arg !== sig)) continue;
    const u = valueOf(inner.arg);
    let part: Value;
    if (sum) {
      // softmax: exp(u - m)/Σ exp(u - m)
      const m = maxOf(u);
      const shifted = Number.isFinite(m) ? mapData(u, (x) => Math.exp(x - m)) : mapData(u, Math.exp);
      const total = shifted.data.reduce((s, x) => s + x, 0);
      part = mapData(shifted, (x) => x / total);
    } else part = mapData(u, (x) => 1 / (1 + Math.exp(-x))); // sigmoid(u)
    let v = part;
    for (const g of e.factors) if (g !== f && g !== inner) v = combine("mul", v, valueOf(g), false);
    return v;
  }
  return undefined;
}
