/**
 * Index-form normalization after differentiating:
 *   Σ_k δ(k,j) u(k)        -> u(j)                        contract δ
 *   Σ_k (u + v)            -> Σ_k u + Σ_k v                Σ over +
 *   Σ_k w (u + δ(k,j) v)   -> Σ_k w u + Σ_k w δ(k,j) v      distribute to reach a δ
 * A δ counts when it is a factor of the summed product, also inside nested sums
 * (Σ_k f(k) Σ_m g(m) δ(k,a) = f(a) Σ_m g(m)). Sums are not pulled out of products:
 * Σ_m exp(x[m]) stays whole, so it still cancels against its own powers.
 */
import * as B from "../core/build.js";
import { children, type Delta, type Expr, type Index } from "../core/expr.js";
import { checkDepth } from "../core/limits.js";
import type { Size } from "../core/shape.js";
import type { Tracer } from "../core/trace.js";

/** A δ pairing `k` with another index, at a product position of `e` (through products and nested sums). */
function findDelta(e: Expr, k: Index): Delta | undefined {
  if (e.kind === "delta") return e.a === k || e.b === k ? e : undefined;
  if (e.kind === "series") return findDelta(e.body, k);
  if (e.kind === "mul") {
    for (const f of e.factors) {
      const d = findDelta(f, k);
      if (d) return d;
    }
  }
  return undefined;
}

/**
 * Distributes products (and sums) over any sum at a product position that holds a δ
 * with `k` in one of its terms, so that the δ can be contracted.
 */
function expose(e: Expr, k: Index): Expr {
  if (e.kind === "series") {
    const body = expose(e.body, k);
    return body.kind === "add" ? B.addAll(body.terms.map((t) => B.series(e.index, e.size, t))) : B.series(e.index, e.size, body);
  }
  if (e.kind !== "mul") return e;
  const factors = e.factors.map((f) => (f.kind === "series" ? expose(f, k) : f));
  const split = factors.find((f) => f.kind === "add" && f.terms.some((t) => findDelta(t, k)));
  if (!split || split.kind !== "add") return B.mulAll(factors);
  const others = factors.filter((f) => f !== split);
  return B.addAll(split.terms.map((t) => expose(B.mulAll([...others, t]), k)));
}

export class Contractor {
  private readonly memo = new Map<Expr, Expr>();
  constructor(private readonly trace?: Tracer) {}

  run(e: Expr): Expr {
    checkDepth(e.depth);
    return this.go(e);
  }

  private go(e: Expr): Expr {
    // Nothing to contract without a sum inside.
    if (e.level === 0) return e;
    const known = this.memo.get(e);
    if (known) return known;
    const kids = children(e).map((c) => this.go(c));
    const out = e.kind === "series" ? this.series(e.index, e.size, kids[0]!) : B.rebuild(e, kids);
    this.memo.set(e, out);
    return out;
  }

  /** Σ_k body, contracted. */
  series(k: Index, size: Size, body: Expr): Expr {
    if (!body.indices.includes(k)) return B.mul(B.sizeExpr(size), body);
    const open = expose(body, k);
    if (open.kind === "add") return B.addAll(open.terms.map((t) => this.series(k, size, t)));
    const d = findDelta(open, k);
    // Σ_k δ(k,j) u(k) = u(j): renaming k to j turns δ(k,j) into δ(j,j) = 1
    if (d) {
      const out = this.go(B.renameIndex(open, k, d.a === k ? d.b : d.a));
      this.trace?.({ kind: "rewrite", rule: "contract δ", law: "Σ_k δ(k,j) u(k) = u(j)", before: B.series(k, size, open), after: out });
      return out;
    }
    return B.series(k, size, open);
  }
}

/** Contracts the deltas of an index-form expression. */
export const contract = (e: Expr, trace?: Tracer): Expr => new Contractor(trace).run(e);
