/**
 * Multivariate polynomial GCD over Q, recursively: a polynomial in a main generator x
 * with coefficients in the other generators. Contents are GCDs in fewer generators
 * and the primitive parts go through the subresultant polynomial remainder sequence
 * (gcd(F, G) = gcd(G, prem(F, G)) up to factors free of the main generator). Every
 * step lowers a degree or the number of generators, so it terminates; all arithmetic
 * is exact and charged to the active budget.
 *
 * Results are normalized: coprime integer coefficients, lex-leading coefficient > 0.
 * The heuristic GCD (heuristic.ts) is tried first; this algorithm is its fallback.
 */
import * as Q from "../../core/rational.js";
import { charge, checkDegree } from "./budget.js";
import { heuristicGcd } from "./heuristic.js";
import { monoMin } from "./monomial.js";
import {
  constantOf,
  divExact,
  fromUnivariate,
  isConstantPoly,
  isZeroPoly,
  monomialContent,
  mulPoly,
  mulTermPoly,
  normalizePoly,
  ONE_POLY,
  polyDegree,
  powPoly,
  polyGenerators,
  rationalContent,
  scalePoly,
  singleTerm,
  subPoly,
  termPoly,
  toUnivariate,
  ZERO_POLY,
  type Poly,
} from "./polynomial.js";

/** The normalized greatest common divisor of a and b (0 only when both are 0). */
export const gcdPoly = (a: Poly, b: Poly): Poly => gcdBy(a, b, true);

/** The same GCD by contents and primitive PRS only (no heuristic; for tests and comparison). */
export const gcdPolyPrs = (a: Poly, b: Poly): Poly => gcdBy(a, b, false);

function gcdBy(a: Poly, b: Poly, heuristic: boolean): Poly {
  if (isZeroPoly(a)) return normalizePoly(b)[1];
  if (isZeroPoly(b)) return normalizePoly(a)[1];
  if (isConstantPoly(a) || isConstantPoly(b)) return ONE_POLY;
  charge(1);
  // A monomial's divisors are monomials: gcd(m, b) = min(m, monomial content of b).
  const ta = singleTerm(a);
  if (ta) return termPoly(monoMin(ta.mono, monomialContent(b)));
  const tb = singleTerm(b);
  if (tb) return termPoly(monoMin(tb.mono, monomialContent(a)));
  // gcd(ma·a', mb·b') = min(ma, mb) · gcd(a', b') when a', b' have no monomial factor.
  const ma = monomialContent(a);
  const mb = monomialContent(b);
  if (ma.length > 0 || mb.length > 0) {
    const g = gcdBy(divExact(a, termPoly(ma))!, divExact(b, termPoly(mb))!, heuristic);
    return mulTermPoly(g, monoMin(ma, mb));
  }
  const [, pa] = normalizePoly(a);
  const [, pb] = normalizePoly(b);
  if (heuristic) {
    const fast = heuristicGcd(pa, pb);
    if (fast) return normalizePoly(fast)[1];
  }
  return gcdPrs(pa, pb, heuristic);
}

/** Contents and primitive PRS, for primitive a and b without monomial factors. */
function gcdPrs(a: Poly, b: Poly, heuristic: boolean): Poly {
  const gcd = (u: Poly, v: Poly): Poly => gcdBy(u, v, heuristic);
  // A generator in only one of them: every common divisor is free of it, so it
  // divides each coefficient of that polynomial in that generator.
  const ga = polyGenerators(a);
  const gb = polyGenerators(b);
  for (const g of ga) if (!gb.has(g)) return gcdWithAll(b, toUnivariate(a, g), gcd);
  for (const g of gb) if (!ga.has(g)) return gcdWithAll(a, toUnivariate(b, g), gcd);
  const x = mainGenerator(a, b, ga);
  const [ca, pa] = primitivePart(toUnivariate(a, x), gcd);
  const [cb, pb] = primitivePart(toUnivariate(b, x), gcd);
  // gcd(a, b) = gcd(cont a, cont b) · gcd(pp a, pp b)
  const content = gcd(ca, cb);
  return normalizePoly(mulPoly(content, fromUnivariate(subresultantPrs(pa, pb, gcd), x)))[1];
}

type Gcd = (a: Poly, b: Poly) => Poly;

/** The generator of least degree (fewest PRS steps), checked against the budget. */
function mainGenerator(a: Poly, b: Poly, generators: Set<number>): number {
  let best = -1;
  let bestDegree = Infinity;
  for (const g of [...generators].sort((p, q) => p - q)) {
    const da = polyDegree(a, g);
    const db = polyDegree(b, g);
    checkDegree(Math.max(da, db));
    if (Math.max(da, db) < bestDegree) {
      best = g;
      bestDegree = Math.max(da, db);
    }
  }
  return best;
}

/** gcd(p, c1, c2, …), smallest first, stopping at 1. */
function gcdWithAll(p: Poly, list: readonly Poly[], gcd: Gcd): Poly {
  let g = p;
  for (const c of [...list].filter((c) => !isZeroPoly(c)).sort((u, v) => u.size - v.size)) {
    g = gcd(g, c);
    if (isConstantPoly(g)) return ONE_POLY;
  }
  return normalizePoly(g)[1];
}

/**
 * The content (GCD of the coefficients, normalized) and the primitive part of a
 * univariate polynomial, the latter scaled to coprime integer coefficients.
 */
function primitivePart(u: readonly Poly[], gcd: Gcd): [Poly, Poly[]] {
  const nonzero = u.filter((c) => !isZeroPoly(c));
  const content = nonzero.length === 0 ? ONE_POLY : gcdWithAll(nonzero[0]!, nonzero.slice(1), gcd);
  const divided = isConstantPoly(content) ? [...u] : u.map((c) => divExact(c, content)!);
  const scale = Q.div(Q.ONE, rationalContent(divided));
  return [content, divided.map((c) => scalePoly(c, scale))];
}

/**
 * Subresultant PRS (Collins; Cohen, Algorithm 3.3.1): the GCD of two primitive
 * univariate polynomials. Each remainder is divided exactly by g·h^δ, which keeps
 * coefficient growth linear without computing contents at every step.
 */
function subresultantPrs(a: readonly Poly[], b: readonly Poly[], gcd: Gcd): readonly Poly[] {
  let [f, g] = a.length >= b.length ? [a, b] : [b, a];
  let lead = ONE_POLY;
  let h = ONE_POLY;
  for (;;) {
    const delta = f.length - g.length;
    const r = pseudoRemainder(f, g);
    if (r.length === 0) break;
    // A remainder of degree 0: the primitive GCD is 1.
    if (r.length === 1) return [ONE_POLY];
    const divisor = mulPoly(lead, powPoly(h, delta));
    f = g;
    g = r.map((c) => exactQuotient(c, divisor));
    lead = f[f.length - 1]!;
    // h ← h^(1−δ)·lead^δ
    if (delta > 0) h = exactQuotient(powPoly(lead, delta), powPoly(h, delta - 1));
  }
  return primitivePart(g, gcd)[1];
}

function exactQuotient(a: Poly, b: Poly): Poly {
  const q = divExact(a, b);
  if (q === undefined) throw new Error("subresultant PRS: a division that must be exact was not");
  return q;
}

/**
 * The pseudo-remainder of f by g: lc(g)^(δ+1)·f − q·g with δ = deg f − deg g,
 * trailing zero coefficients removed.
 */
function pseudoRemainder(f: readonly Poly[], g: readonly Poly[]): Poly[] {
  const r = [...f];
  const dg = g.length - 1;
  const lc = g[dg]!;
  const lcValue = constantOf(lc);
  let unused = f.length - g.length + 1;
  let top = r.length - 1;
  const trim = (): void => {
    while (top >= 0 && isZeroPoly(r[top]!)) top--;
  };
  trim();
  while (top >= dg) {
    const t = r[top]!;
    const shift = top - dg;
    if (lcValue !== undefined) {
      // r ← r − (t/lc)·x^shift·g; the factor lc is applied once at the end
      const q = scalePoly(t, Q.div(Q.ONE, lcValue));
      for (let i = 0; i < dg; i++) r[i + shift] = subPoly(r[i + shift]!, mulPoly(q, g[i]!));
    } else {
      // r ← lc·r − t·x^shift·g
      for (let i = 0; i < top; i++) r[i] = mulPoly(lc, r[i]!);
      for (let i = 0; i < dg; i++) r[i + shift] = subPoly(r[i + shift]!, mulPoly(t, g[i]!));
      unused--;
    }
    r[top] = ZERO_POLY;
    trim();
  }
  const out = r.slice(0, top + 1);
  // a constant lc contributes lc^(δ+1) in all; otherwise the steps that found a zero coefficient
  const factor = lcValue !== undefined ? powPoly(lc, f.length - g.length + 1) : powPoly(lc, unused);
  return isConstantPoly(factor) && constantOf(factor)!.num === 1n && constantOf(factor)!.den === 1n ? out : out.map((c) => mulPoly(c, factor));
}
