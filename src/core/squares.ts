/**
 * Recognizing a sum of squares, the form under every norm: c * sum(u.^2), c * sum(u .* u),
 * c * (u'*u) with c > 0 a number (1 when absent) and u'*u possibly flattened (x'*A'*A*x)
 * or squared entry by entry (a'.^2*b.^2, u = a .* b). The evaluator (eval/stable.ts) and the
 * kernels (codegen/stable.ts) compute its powers with scaling, where the plain form
 * overflows (1e200²) or underflows (1e-200²) although the norm is finite.
 */
import { mul } from "./build-arith.js";
import { matmul, transpose } from "./build-structure.js";
import type { Expr } from "./expr.js";
import * as Q from "./rational.js";

export interface SumOfSquares {
  /** The positive factor c. */
  readonly c: Q.Rational;
  /** The vector or matrix whose squared entries are summed. */
  readonly u: Expr;
}

/** u when e is sum(u.^2), sum(u .* u) or u'*u (also as the builders flatten it: x'*A'*A*x is u'*u, u = A*x). */
function plainSumOfSquares(e: Expr): Expr | undefined {
  if (e.kind === "matmul") {
    const f = e.factors;
    // a'.^2 * b.^2 = Σ (a .* b)², as a gradient of norm2(a .* b) writes it
    const [p, q] = [f.length === 2 ? transpose(f[0]!) : undefined, f[1]];
    if (p && q && isSquare(p) && isSquare(q) && p.base.shape === q.base.shape) return mul(p.base, q.base);
    const k = f.length / 2;
    if (!Number.isInteger(k)) return undefined;
    for (let i = 0; i < k; i++) if (f[i] !== transpose(f[f.length - 1 - i]!)) return undefined;
    return k === 1 ? f[1] : matmul(...f.slice(k));
  }
  if (e.kind !== "sum") return undefined;
  const a = e.arg;
  if (a.kind === "pow" && a.exponent.kind === "num" && Q.equals(a.exponent.value, Q.rat(2))) return a.base;
  if (a.kind === "mul" && a.factors.length === 2 && a.factors[0] === a.factors[1]) return a.factors[0];
  return undefined;
}

const isSquare = (e: Expr): e is Extract<Expr, { kind: "pow" }> => e.kind === "pow" && e.exponent.kind === "num" && Q.equals(e.exponent.value, Q.rat(2));

/** c and u when e is c * Σ u² (c > 0 a number, or absent). */
export function sumOfSquares(e: Expr): SumOfSquares | undefined {
  const plain = plainSumOfSquares(e);
  if (plain) return { c: Q.ONE, u: plain };
  if (e.kind !== "mul" || e.factors.length !== 2) return undefined;
  const [c, s] = e.factors as [Expr, Expr];
  if (c.kind !== "num" || Q.isNegative(c.value) || Q.isZero(c.value)) return undefined;
  const u = plainSumOfSquares(s);
  return u ? { c: c.value, u } : undefined;
}
