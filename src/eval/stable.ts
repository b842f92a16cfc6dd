/**
 * Numerically stable evaluation of the forms whose plain evaluation overflows where the
 * true value is finite (the evaluator's counterpart of codegen/stable.ts):
 *   exp(u) * sum(exp(u))^-1 * rest   softmax: exp(u - m)/Σ exp(u - m), m = max u
 *   log(sum(exp(u)))                 m + log Σ exp(u - m)
 *   the same by rows or columns      exp(U) ./ (exp(U)*ones(n,n)), log(exp(U)*ones(n)) (stable-rows.ts)
 *   log(1 + exp(u))                  softplus: max(u, 0) + log1p(exp(-|u|))
 *   exp(u) * (1 + exp(u))^-1 * rest  sigmoid(u) = 1/(1 + exp(-u)), also exp(u) * sigmoid(-u)
 *   (c Σ u²)^p: sum(u.^2), sum(u .* u), u'*u   c^p (s² Σ (u/s)²)^p with s = max |u| (norms, and their derivatives)
 * and their element-wise forms: log(exp(x1) + exp(x2)), exp(x1 + x2)/(exp(x1) + exp(x2))^2
 * (products of exponentials on a log scale), (x1^2 + x2^2)^p.
 * Each returns undefined when the node is not of its form.
 */
import type { Expr } from "../core/expr.js";
import * as Q from "../core/rational.js";
import { sumOfSquares } from "../core/squares.js";
import { combine } from "./numeric.js";
import { expTimesOnes, lineLogSumExp, lineSoftmax } from "./stable-rows.js";
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

/** The scalars x_k when e is x1^2 + x2^2 + … (each term a scalar square), else undefined. */
function scalarSquares(e: Expr): Expr[] | undefined {
  if (e.kind !== "add" || e.shape.rows !== 1 || e.shape.cols !== 1) return undefined;
  const out: Expr[] = [];
  for (const t of e.terms) {
    if (t.kind !== "pow" || !isNum(t.exponent, 2) || t.base.shape.rows !== 1 || t.base.shape.cols !== 1) return undefined;
    out.push(t.base);
  }
  return out;
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

/** The terms c·exp(b) of a sum whose every term is one (the element-wise softmax's denominators), else undefined. */
function expTerms(e: Expr): { c: number; b: Expr }[] | undefined {
  if (e.kind !== "add") return undefined;
  const out: { c: number; b: Expr }[] = [];
  for (const t of e.terms) {
    if (isExp(t)) out.push({ c: 1, b: t.arg });
    else if (t.kind === "mul" && t.factors.length === 2 && t.factors[0]!.kind === "num" && isExp(t.factors[1]!))
      out.push({ c: Q.toNumber(t.factors[0]!.value), b: t.factors[1]!.arg });
    else return undefined;
  }
  return out;
}

/** Σ c·exp(b) as m and Σ c·exp(b - m) with m = max b (scalars), or undefined. */
function shiftedSum(terms: readonly { c: number; b: Expr }[], valueOf: ValueOf): { m: number; t: number } | undefined {
  const bs: number[] = [];
  for (const { b } of terms) {
    const v = valueOf(b);
    if (v.data.length !== 1) return undefined;
    bs.push(v.data[0]!);
  }
  const m = Math.max(...bs);
  if (!Number.isFinite(m)) return undefined;
  return { m, t: terms.reduce((s, { c }, k) => s + c * Math.exp(bs[k]! - m), 0) };
}

/**
 * A scalar product of exp(a) factors and powers of sums of exponentials, on a log scale:
 * exp(x1 + x2)/(exp(x1) + exp(x2))^2 = exp(a + p·m) · (Σ exp(b - m))^p · rest.
 */
function expProduct(e: Extract<Expr, { kind: "mul" }>, valueOf: ValueOf): Value | undefined {
  if (e.shape.rows !== 1 || e.shape.cols !== 1 || !e.factors.some((f) => f.kind === "pow" && f.exponent.kind === "num" && expTerms(f.base))) return undefined;
  let logScale = 0;
  let rest = 1;
  for (const f of e.factors) {
    const terms = f.kind === "pow" && f.exponent.kind === "num" ? expTerms(f.base) : undefined;
    if (terms && f.kind === "pow" && f.exponent.kind === "num") {
      const shifted = shiftedSum(terms, valueOf);
      if (!shifted) return undefined;
      const p = Q.toNumber(f.exponent.value);
      logScale += p * shifted.m;
      rest *= Math.pow(shifted.t, p);
      continue;
    }
    const v = valueOf(isExp(f) ? f.arg : f);
    if (v.data.length !== 1) return undefined;
    if (isExp(f)) logScale += v.data[0]!;
    else rest *= v.data[0]!;
  }
  return scalar(rest * Math.exp(logScale));
}

/** The stable value of `e`, or undefined when it is not one of the forms. */
export function stableValue(e: Expr, valueOf: ValueOf): Value | undefined {
  if (e.kind === "call" && e.fn === "log") {
    const a = e.arg;
    // log(exp(x1) + exp(x2)) = m + log Σ exp(x_k - m) (the element-wise log-sum-exp)
    const terms = expTerms(a);
    const shifted = terms && e.shape.rows === 1 && e.shape.cols === 1 ? shiftedSum(terms, valueOf) : undefined;
    if (shifted) return scalar(shifted.m + Math.log(shifted.t));
    // log(sum(exp(u))) = m + log Σ exp(u - m)
    if (a.kind === "sum" && isExp(a.arg)) return scalar(logSumExp(valueOf(a.arg.arg)));
    // log(exp(U) .* (exp(U)*ones(n,n))^-1) = U - log-sum-exp of each row (or column)
    const f = a.kind === "mul" && a.factors.length === 2 ? a.factors.find((g) => g.kind === "pow" && isNum(g.exponent, -1)) : undefined;
    const soft = f?.kind === "pow" ? expTimesOnes(f.base) : undefined;
    if (soft && a.kind === "mul" && a.factors.includes(soft.exp)) {
      const u = valueOf(soft.u);
      return combine("add", u, mapData(lineLogSumExp(u, soft.byRows, soft.byRows ? u.cols : u.rows), (x) => -x), false);
    }
    // log(exp(U)*ones(n,k)): each row's m + log Σ exp(u - m), k times (and by columns; stable-rows.ts)
    const lined = expTimesOnes(a);
    if (lined && a.kind === "matmul") {
      const ones = valueOf(a.factors[lined.byRows ? 1 : 0]!);
      return lineLogSumExp(valueOf(lined.u), lined.byRows, lined.byRows ? ones.cols : ones.rows);
    }
    // log(1 + exp(u)) = max(u, 0) + log1p(exp(-|u|))
    const u = onePlusExp(a);
    if (u) return mapData(valueOf(u), (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
    return undefined;
  }
  if (e.kind === "pow" && e.exponent.kind === "num") {
    // (Σ u²)^p = (s² Σ (u/s)²)^p = s^(2p) (Σ (u/s)²)^p, s = max |u|; also x1^2 + x2^2 (element-wise)
    const sq = sumOfSquares(e.base);
    const u = sq?.u;
    const squares = u ? undefined : scalarSquares(e.base);
    if (!u && !squares) return undefined;
    const p = Q.toNumber(e.exponent.value);
    const c = sq ? Math.pow(Q.toNumber(sq.c), p) : 1; // (c Σ u²)^p = c^p (Σ u²)^p
    const v = u ? valueOf(u) : { rows: squares!.length, cols: 1, data: Float64Array.from(squares!, (x) => valueOf(x).data[0]!) };
    let s = 0;
    for (const x of v.data) s = Math.max(s, Math.abs(x));
    if (s === 0 || !Number.isFinite(s)) return undefined;
    let t = 0;
    for (const x of v.data) t += (x / s) * (x / s);
    return scalar(c * Math.pow(s, 2 * p) * Math.pow(t, p));
  }
  if (e.kind === "mul") return stableProduct(e, valueOf) ?? expProduct(e, valueOf);
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
    const lined = expTimesOnes(f.base);
    if (lined && f.base.shape === e.shape && e.factors.includes(lined.exp)) {
      // softmax of each row (or column): exp(u - m)/Σ exp(u - m) by lines (stable-rows.ts)
      let v = lineSoftmax(valueOf(lined.u), lined.byRows);
      for (const g of e.factors) if (g !== f && g !== lined.exp) v = combine("mul", v, valueOf(g), false);
      return v;
    }
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
