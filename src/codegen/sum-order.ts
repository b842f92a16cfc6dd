/**
 * Sums of index notation rewritten so their loop nests cost less (before loops.ts lowers
 * them), by the two moves of contraction-order planning:
 *   Σ_k a b[k]             = a Σ_k b[k]                  factors free of k leave the sum
 *   Σ_o x[o] Σ_i y[i,o] z[i] = Σ_i z[i] Σ_o x[o] y[i,o]  the sums swap when that loops over fewer indices
 * Cost is counted in free-and-bound indices per loop nest (every size alike), e.g.
 * Σ_k3 r[k3] Σ_k2 W[k3,k2] c[k2,a,b] runs over k3, k2, a, b (n⁴) but the swapped
 * Σ_k2 c[k2,a,b] Σ_k3 r[k3] W[k3,k2] over k2, a, b and k3, k2 (n³ + n²).
 */
import * as B from "../core/build.js";
import type { Expr, Index } from "../core/expr.js";

type Series = Extract<Expr, { kind: "series" }>;

/** The expression with sums ordered to loop over fewer indices. */
export function orderSums(e: Expr): Expr {
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    let v = memo.get(x);
    if (v) return v;
    switch (x.kind) {
      case "add":
        v = B.addAll(x.terms.map(go));
        break;
      case "mul":
        v = B.mulAll(x.factors.map(go));
        break;
      case "pow":
        v = B.pow(go(x.base), go(x.exponent));
        break;
      case "call":
        v = B.call(x.fn, go(x.arg));
        break;
      case "series":
        v = sumOf(x.index, x.size, go(x.body));
        break;
      default:
        v = x;
    }
    memo.set(x, v);
    return v;
  };
  return go(e);
}

const factorsOf = (e: Expr): readonly Expr[] => (e.kind === "mul" ? e.factors : [e]);
const uses = (e: Expr, i: Index): boolean => e.indices.includes(i);
/** How many indices a loop nest over these factors runs over: their free indices (but `without`). */
const width = (fs: readonly Expr[], without?: Index): number => new Set(fs.flatMap((f) => f.indices).filter((i) => i !== without)).size;

const widths = new Map<Expr, number>();
/** The most indices any loop nest of the expression runs over (the exponent of its cost). */
function maxWidth(e: Expr): number {
  let v = widths.get(e);
  if (v === undefined) {
    const parts = e.kind === "add" ? e.terms : e.kind === "mul" ? e.factors : e.kind === "pow" ? [e.base, e.exponent] : e.kind === "call" ? [e.arg] : e.kind === "series" ? [e.body] : [];
    v = Math.max(e.kind === "series" ? width([e.body]) : 0, ...parts.map(maxWidth));
    widths.set(e, v);
  }
  return v;
}

/** Σ_index body, with the factors free of the index outside and, where it is cheaper, the sums swapped or split over a sum of terms. */
function sumOf(index: Index, size: Series["size"], body: Expr): Expr {
  const fs = factorsOf(body);
  const outside = fs.filter((f) => !uses(f, index));
  const inside = fs.filter((f) => uses(f, index));
  if (outside.length > 0 && inside.length > 0) return B.mulAll([...outside, sumOf(index, size, B.mulAll(inside))]);
  // Σ_k (a + b) c = Σ_k a c + Σ_k b c, where the terms' sums then loop over fewer indices
  const sum = inside.find((f) => f.kind === "add" && f.terms.length <= SPLIT_TERMS);
  if (sum && sum.kind === "add") {
    const rest = inside.filter((f) => f !== sum);
    const split = B.addAll(sum.terms.map((t) => sumOf(index, size, B.mulAll([t, ...rest]))));
    const whole = swapped(index, size, body, inside);
    if (maxWidth(split) < maxWidth(whole)) return split;
    return whole;
  }
  return swapped(index, size, body, inside);
}

/** Sums over sums of more terms than this are not split (the expansion would grow the code more than the cost falls). */
const SPLIT_TERMS = 8;

function swapped(index: Index, size: Series["size"], body: Expr, inside: readonly Expr[]): Expr {
  // one inner sum among the factors: Σ_o x Σ_i y  →  Σ_i z Σ_o x w, with z the factors of y free of o
  const now = Math.max(width([body]), ...inside.filter((f) => f.kind === "series").map((f) => width([(f as Series).body])));
  let best: { then: number; s: Series; x: Expr[]; z: Expr[]; w: Expr[] } | undefined;
  for (const s of inside) {
    if (s.kind !== "series") continue;
    const x = inside.filter((f) => f !== s);
    const ys = factorsOf(s.body);
    const z = ys.filter((f) => !uses(f, index));
    const w = ys.filter((f) => uses(f, index));
    if (z.length === 0) continue;
    const then = Math.max(width([...z, ...x, ...w], index), width([...x, ...w]), ...x.filter((f) => f.kind === "series").map((f) => width([(f as Series).body])));
    if (then < now && (!best || then < best.then)) best = { then, s, x, z, w };
  }
  if (!best) return B.series(index, size, body);
  // the inner index is renamed apart from the outer one by the builders (bound names are canonical)
  return sumOf(best.s.index, best.s.size, B.mulAll([...best.z, sumOf(index, size, B.mulAll([...best.x, ...best.w]))]));
}
