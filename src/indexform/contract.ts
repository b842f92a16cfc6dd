/**
 * Index-form normalization after differentiating, a rule set run by the rewrite engine
 * (src/simplify/rewrite.ts) to a fixpoint:
 *   Σ_k δ(k,j) u(k)        -> u(j)                        contract δ
 *   Σ_k (u + v)            -> Σ_k u + Σ_k v                linearity of Σ
 *   Σ_k w (u + δ(k,j) v)   -> Σ_k w u + Σ_k w δ(k,j) v      distribute to reach δ
 * A δ counts when it is a factor of the summed product, also inside nested sums
 * (Σ_k f(k) Σ_m g(m) δ(k,a) = f(a) Σ_m g(m)). Sums are not pulled out of products:
 * Σ_m exp(x[m]) stays whole, so it still cancels against its own powers.
 */
import * as B from "../core/build.js";
import type { Delta, Expr, Index, Series } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import type { Tracer } from "../core/trace.js";
import { rule, Rewriter, type Rule } from "../simplify/rewrite.js";

const CONTRACT_DELTA = "Σ_k δ(k,j) u(k) = u(j)";
const SUM_OVER_TERMS = "Σ_k (u(k) + v(k)) = Σ_k u(k) + Σ_k v(k)";

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
    if (body === e.body) return e;
    return body.kind === "add" ? B.addAll(body.terms.map((t) => B.series(e.index, e.size, t))) : B.series(e.index, e.size, body);
  }
  if (e.kind !== "mul") return e;
  const factors = e.factors.map((f) => (f.kind === "series" ? expose(f, k) : f));
  const split = factors.find((f) => f.kind === "add" && f.terms.some((t) => findDelta(t, k)));
  if (!split || split.kind !== "add") return factors.every((f, j) => f === e.factors[j]) ? e : B.mulAll(factors);
  const others = factors.filter((f) => f !== split);
  return B.addAll(split.terms.map((t) => expose(B.mulAll([...others, t]), k)));
}

const inSeries = (e: Expr, f: (s: Series) => Expr | undefined): Expr | undefined => (e.kind === "series" ? f(e) : undefined);

/** Σ_k w (u + δ(k,j) v) -> Σ_k w u + Σ_k w δ(k,j) v: the sum's terms split where one holds a δ with k. */
function exposeDelta(s: Series): Expr | undefined {
  const body = expose(s.body, s.index);
  return body === s.body ? undefined : B.series(s.index, s.size, body);
}

/** Σ_k (u + v) -> Σ_k u + Σ_k v */
const sumOverTerms = (s: Series): Expr | undefined => (s.body.kind === "add" ? B.addAll(s.body.terms.map((t) => B.series(s.index, s.size, t))) : undefined);

/** Σ_k δ(k,j) u(k) -> u(j): renaming k to j turns δ(k,j) into δ(j,j) = 1 */
function contractDelta(s: Series): Expr | undefined {
  const d = findDelta(s.body, s.index);
  return d && B.renameIndex(s.body, s.index, d.a === s.index ? d.b : d.a);
}

/** The contraction rules, one a line with its law. */
export const CONTRACT_RULES: readonly Rule[] = [
  // Σ_k w (u + δ(k,j) v) = Σ_k w u + Σ_k w δ(k,j) v
  rule("distribute to reach δ", (e) => inSeries(e, exposeDelta)),
  // Σ_k (u(k) + v(k)) = Σ_k u(k) + Σ_k v(k)
  rule("linearity of Σ", (e) => inSeries(e, sumOverTerms), SUM_OVER_TERMS),
  // Σ_k δ(k,j) u(k) = u(j)
  rule("contract δ", (e) => inSeries(e, contractDelta), CONTRACT_DELTA),
];

/** The rule set's name, and the laws of its rules as the derivations show them. */
export const CONTRACTION = "contract δ";
export { CONTRACT_DELTA, SUM_OVER_TERMS };

/** A contraction run (its own memo), reporting its steps to `trace`. */
export const contractor = (trace?: Tracer): Rewriter =>
  // Nothing to contract without a sum inside; the work budget (withWorkBudget) bounds the steps.
  new Rewriter(CONTRACT_RULES, { name: CONTRACTION, budget: LIMITS.maxWork, skip: (e) => e.level === 0, ...(trace ? { onStep: trace } : {}) });

/** Contracts the deltas of an index-form expression. */
export const contract = (e: Expr, trace?: Tracer): Expr => contractor(trace).run(e);
