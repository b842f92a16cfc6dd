/**
 * Factoring sums at the matrix level, so results read as a person writes them:
 *   u .* w + v .* w      -> (u + v) .* w        common elementwise factor
 *   a/c + b/c            -> (a + b)/c
 *   A*C + B*C            -> (A + B)*C           common right factor
 *   C*A + k*C*B          -> C*(A + k*B)         common left factor
 * Applied bottom-up, once per node (a rule set of the rewrite engine), so
 * W2'*s*sum(y) - W2'*y becomes W2'*(s*sum(y) - y).
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import * as Q from "../core/rational.js";
import type { Tracer } from "../core/trace.js";
import { rule, Rewriter, type Rule } from "./rewrite.js";
import { SCALAR } from "../core/shape.js";


/** The smaller of two powers of one base, when they lean the same way (x^-2, x^-1 -> x^-1). */
function smaller(a: Expr, b: Expr): Expr | undefined {
  if (a === b) return a;
  if (a.kind !== "num" || b.kind !== "num" || Q.isNegative(a.value) !== Q.isNegative(b.value)) return undefined;
  return Q.compare(Q.abs(a.value), Q.abs(b.value)) <= 0 ? a : b;
}

/** Factors (as powers) that every term holds. */
export function commonFactors(terms: readonly Expr[]): Expr[] {
  let common = B.powerMap(terms[0]!);
  for (const t of terms.slice(1)) {
    const have = B.powerMap(t);
    const next = new Map<Expr, Expr>();
    for (const [base, x] of common) {
      const y = have.get(base);
      const m = y && smaller(x, y);
      if (m) next.set(base, m);
    }
    common = next;
  }
  return [...common].map(([base, x]) => B.pow(base, x));
}

/** A term as scalar factors times a chain of matrix-product factors. */
function chainOf(t: Expr): { scalars: Expr[]; chain: readonly Expr[] } {
  if (t.kind === "matmul") return { scalars: [], chain: t.factors };
  if (t.kind === "mul") {
    // the chain is the one non-scalar factor, or else the one matrix product (a dot product u'*v)
    const inChain = (f: Expr): boolean => f.shape !== SCALAR || (f.kind === "matmul" && t.factors.every((g) => g === f || g.shape === SCALAR));
    const scalars = t.factors.filter((f) => !inChain(f));
    const rest = t.factors.filter(inChain);
    if (rest.length === 1) return { scalars, chain: rest[0]!.kind === "matmul" ? rest[0]!.factors : [rest[0]!] };
  }
  return { scalars: [], chain: [t] };
}

function factorSum(sum: Expr): Expr {
  // u*c/c = u assumes a finite c: a sum with a constant pole (0^(-1)) is left as it is
  if (sum.kind !== "add" || B.hasPole(sum)) return sum;
  const terms = sum.terms;
  const common = commonFactors(terms);
  if (common.length > 0) {
    const c = B.mulAll(common);
    const inner = B.addAll(terms.map((t) => B.mul(t, B.pow(c, B.MINUS_ONE))));
    return B.mul(c, factorSum(inner));
  }
  const chains = terms.map(chainOf);
  if (chains.every((c) => c.chain.length >= 2)) {
    const last = chains[0]!.chain[chains[0]!.chain.length - 1]!;
    if (chains.every((c) => c.chain[c.chain.length - 1] === last)) {
      const inner = B.addAll(chains.map((c) => B.mulAll([...c.scalars, B.matmul(...c.chain.slice(0, -1))])));
      return B.matmul(factorSum(inner), last);
    }
    const first = chains[0]!.chain[0]!;
    if (chains.every((c) => c.chain[0] === first)) {
      const inner = B.addAll(chains.map((c) => B.mulAll([...c.scalars, B.matmul(...c.chain.slice(1))])));
      return B.matmul(first, factorSum(inner));
    }
  }
  return sum;
}

export const COLLECTION = "factor";

/** The collection rule set: one rule. */
export const COLLECT_RULES: readonly Rule[] = [
  // A*C + B*C -> (A + B)*C, C*A + C*B -> C*(A + B), u .* w + v .* w -> (u + v) .* w
  rule(COLLECTION, (e) => factorSum(e)),
];

/** Factors every sum in an expression (bottom-up, once per node). */
export const collect = (e: Expr, trace?: Tracer): Expr =>
  new Rewriter(COLLECT_RULES, { name: COLLECTION, mode: "once", budget: LIMITS.maxWork, ...(trace ? { onStep: trace } : {}) }).run(e);
