/**
 * Distributing a product over a sum where that cancels something:
 *   y[k] s[k]^-1 (s[k] u - s[k] v)  ->  y[k] u - y[k] v
 * A product is multiplied into a sum factor when the product holds a negative power
 * of a base that the sum's terms hold (so the builders cancel them). Nothing else is
 * expanded, so sums like (1 - z1[a]) stay whole. A rule set of the rewrite engine, run
 * once per node, bottom-up.
 */
import * as B from "../core/build.js";
import { factorsOf, type Expr } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import * as Q from "../core/rational.js";
import type { Tracer } from "../core/trace.js";
import { rule, Rewriter, type Rule } from "../simplify/rewrite.js";


/** Bases that a product divides by: x for x^-1, x^-2. */
function divisors(factors: readonly Expr[]): Set<Expr> {
  const out = new Set<Expr>();
  for (const f of factors) if (f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value)) out.add(f.base);
  return out;
}

function distributeNode(e: Expr): Expr {
  if (e.kind !== "mul") return e;
  const divs = divisors(e.factors);
  if (divs.size === 0) return e;
  const sum = e.factors.find((f) => f.kind === "add" && f.terms.some((t) => factorsOf(t).some((g) => g.kind !== "pow" && divs.has(g))));
  if (!sum || sum.kind !== "add") return e;
  const others = e.factors.filter((f) => f !== sum);
  return B.addAll(sum.terms.map((t) => distributeNode(B.mulAll([...others, t]))));
}

export const DISTRIBUTION = "distribute to cancel";

/** The distribution rule set: one rule. */
export const DISTRIBUTE_RULES: readonly Rule[] = [
  // w x^-1 (x u + v) -> w u + w x^-1 v
  rule(DISTRIBUTION, (e) => distributeNode(e)),
];

/** Multiplies products into sums wherever that cancels a factor (bottom-up, once per node). */
export const distributeToCancel = (e: Expr, trace?: Tracer): Expr =>
  new Rewriter(DISTRIBUTE_RULES, { name: DISTRIBUTION, mode: "once", budget: LIMITS.maxWork, ...(trace ? { onStep: trace } : {}) }).run(e);
