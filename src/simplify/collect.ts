/**
 * Factoring sums at the matrix level, so results read as a person writes them:
 *   u .* w + v .* w      -> (u + v) .* w        common elementwise factor
 *   a/c + b/c            -> (a + b)/c
 *   A*C + B*C            -> (A + B)*C           common right factor
 *   C*A + k*C*B          -> C*(A + k*B)         common left factor
 *   P*(x - mu) - Q*(mu - x) -> (P - Q)*(x - mu)  a sum factor matching its negation
 *   A*x/2 + A'*x/2 - b   -> (A + A')*x/2 - b    part of a sum, where the rest are not products
 * Applied bottom-up, once per node (a rule set of the rewrite engine), so
 * W2'*s*sum(y) - W2'*y becomes W2'*(s*sum(y) - y); then the textbook forms of forms.ts.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import * as Q from "../core/rational.js";
import type { Rational } from "../core/rational.js";
import type { Tracer } from "../core/trace.js";
import { rule, Rewriter, type Rule } from "./rewrite.js";
import { SCALAR } from "../core/shape.js";
import { FORM_RULES } from "./forms.js";
import { treeSize } from "../core/traverse.js";


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
function chainOf(t: Expr): Chain {
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

interface Chain {
  readonly scalars: Expr[];
  readonly chain: readonly Expr[];
}

/** The chain with its factor at `at` (0 or its last) negated, and its scalars with a -1: the same term. */
function flipped(c: Chain, at: number): Chain {
  return { scalars: [B.MINUS_ONE, ...c.scalars], chain: c.chain.map((f, k) => (k === at ? B.neg(f) : f)) };
}

/**
 * Terms (indices into `chains`) grouped by their first (side "left") or last factor,
 * a sum factor also matching its negation (`P*(x - mu)` and `Q*(mu - x)` share
 * `x - mu`, the second as `-Q*(x - mu)`): the largest group, its chains written over
 * the shared factor. Only terms of the sum's own shape group: a scalar broadcast in a
 * vector sum (`A*v + u'*v`) shares no factor with them (A + u' has no shape).
 */
function largestGroup(terms: readonly Expr[], chains: readonly Chain[], side: "left" | "right", shape: Expr["shape"]): { members: number[]; chains: Chain[] } | undefined {
  const groups = new Map<Expr, { members: number[]; chains: Chain[] }>();
  chains.forEach((c, k) => {
    if (c.chain.length < 2 || terms[k]!.shape !== shape) return;
    const at = side === "left" ? 0 : c.chain.length - 1;
    const f = c.chain[at]!;
    const same = groups.get(f);
    const opposite = same || f.kind !== "add" ? undefined : groups.get(B.neg(f));
    if (same) same.members.push(k), same.chains.push(c);
    else if (opposite) opposite.members.push(k), opposite.chains.push(flipped(c, at));
    else groups.set(f, { members: [k], chains: [c] });
  });
  let best: { members: number[]; chains: Chain[] } | undefined;
  for (const g of groups.values()) if (g.members.length >= 2 && (!best || g.members.length > best.members.length)) best = g;
  return best;
}

/** A group of chains sharing a first or last factor, factored: (A + B)*C. */
function factorGroup(chains: readonly Chain[], side: "left" | "right"): Expr {
  const last = (c: Chain): number => c.chain.length - 1;
  const shared = side === "left" ? chains[0]!.chain[0]! : chains[0]!.chain[last(chains[0]!)]!;
  const rest = (c: Chain): Expr => B.matmul(...(side === "left" ? c.chain.slice(1) : c.chain.slice(0, -1)));
  const [k, inner] = content(factorSum(B.addAll(chains.map((c) => B.mulAll([...c.scalars, rest(c)])))));
  return B.mul(B.num(k), side === "left" ? B.matmul(shared, inner) : B.matmul(inner, shared));
}

/**
 * A sum's terms' common number, when they all have one of the same size (A/2 + A'/2 is
 * (A + A')/2), and the sum divided by it: the number stays outside a product it scales
 * ((A + A')*x/2), where c*(u + v) would be written out again.
 */
function content(sum: Expr): [Rational, Expr] {
  if (sum.kind !== "add") return [Q.ONE, sum];
  const cs = sum.terms.map((t) => B.splitCoefficient(t)[0]);
  const k = Q.abs(cs[0]!);
  if (Q.isOne(k) || Q.isZero(k) || !cs.every((c) => Q.equals(Q.abs(c), k))) return [Q.ONE, sum];
  return [k, B.addAll(sum.terms.map((t) => B.mul(B.num(Q.div(Q.ONE, k)), t)))];
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
  const right = largestGroup(terms, chains, "right", sum.shape);
  const left = largestGroup(terms, chains, "left", sum.shape);
  if (right && right.members.length === terms.length) return factorGroup(right.chains, "right");
  if (left && left.members.length === terms.length) return factorGroup(left.chains, "left");
  // a part of the sum shares a factor and the rest are not products (A*x/2 + A'*x/2 - b):
  // the larger part factored, when that makes the sum smaller (products left out would
  // nest the factoring term by term, Horner's way, where the flat sum reads better)
  const [group, side] = right && (!left || right.members.length >= left.members.length) ? [right, "right" as const] : [left, "left" as const];
  if (!group || chains.some((c, k) => c.chain.length >= 2 && !group.members.includes(k))) return sum;
  const whole = B.addAll([...terms.filter((_, k) => !group.members.includes(k)), factorGroup(group.chains, side)]);
  return treeSize(whole) < treeSize(sum) ? whole : sum;
}

export const COLLECTION = "factor";

/** The collection rule set: one rule. */
export const COLLECT_RULES: readonly Rule[] = [
  // A*C + B*C -> (A + B)*C, C*A + C*B -> C*(A + B), u .* w + v .* w -> (u + v) .* w
  rule(COLLECTION, (e) => factorSum(e)),
];

/**
 * Factors every sum in an expression (bottom-up, once per node), then writes the textbook
 * forms of forms.ts (with factoring again, to a fixpoint: `diag(u) + diag(v)` is
 * `diag(u + v)`, whose sum then factors).
 */
export function collect(e: Expr, trace?: Tracer): Expr {
  const factored = new Rewriter(COLLECT_RULES, { name: COLLECTION, mode: "once", budget: LIMITS.maxWork, ...(trace ? { onStep: trace } : {}) }).run(e);
  return textbookForms(factored, trace);
}

/** The textbook forms of forms.ts, with factoring, to a fixpoint (after `simplify` too: its sigmoids may meet an exp). */
export const textbookForms = (e: Expr, trace?: Tracer): Expr =>
  new Rewriter([...FORM_RULES, ...COLLECT_RULES], { name: "textbook forms", budget: LIMITS.maxRewriteSteps, ...(trace ? { onStep: trace } : {}) }).run(e);
