/**
 * Sparse multivariate (Laurent) polynomials with exact rational coefficients over
 * numbered generators: a map from monomial key to term. Values are never mutated
 * after they are returned.
 */
import * as Q from "../../core/rational.js";
import type { Rational } from "../../core/rational.js";
import { charge, checkBits, checkTerms, refuse } from "./budget.js";
import {
  monoCompare,
  monoDegree,
  monoKey,
  monoMin,
  monoMul,
  monoPow,
  monoQuotient,
  monoRenumber,
  monoVar,
  monoWithout,
  ONE_MONO,
  type Mono,
} from "./monomial.js";

export interface Term {
  readonly mono: Mono;
  readonly coeff: Rational;
}

export type Poly = ReadonlyMap<string, Term>;

export const ZERO_POLY: Poly = new Map();

export const constPoly = (c: Rational): Poly => (Q.isZero(c) ? ZERO_POLY : new Map([["", { mono: ONE_MONO, coeff: c }]]));
export const ONE_POLY: Poly = constPoly(Q.ONE);

export const termPoly = (mono: Mono, coeff: Rational = Q.ONE): Poly =>
  Q.isZero(coeff) ? ZERO_POLY : new Map([[monoKey(mono), { mono, coeff }]]);

/** The generator g to the power e. */
export const genPoly = (g: number, e = 1): Poly => termPoly(monoVar(g, e));

export const isZeroPoly = (p: Poly): boolean => p.size === 0;

/** The constant value of a constant polynomial, else undefined. */
export function constantOf(p: Poly): Rational | undefined {
  if (p.size === 0) return Q.ZERO;
  if (p.size > 1) return undefined;
  const t = p.get("");
  return t ? t.coeff : undefined;
}

export const isConstantPoly = (p: Poly): boolean => constantOf(p) !== undefined;

/** The only term of a one-term polynomial, else undefined. */
export function singleTerm(p: Poly): Term | undefined {
  if (p.size !== 1) return undefined;
  for (const t of p.values()) return t;
  return undefined;
}

/** Adds c·m into a mutable accumulator. */
export function addTerm(acc: Map<string, Term>, mono: Mono, coeff: Rational): void {
  if (Q.isZero(coeff)) return;
  const key = monoKey(mono);
  const prev = acc.get(key);
  if (!prev) acc.set(key, { mono, coeff });
  else {
    const c = Q.add(prev.coeff, coeff);
    if (Q.isZero(c)) acc.delete(key);
    else acc.set(key, { mono, coeff: c });
  }
}

function finish(acc: Map<string, Term>): Poly {
  checkTerms(acc.size);
  return acc;
}

export function addPoly(a: Poly, b: Poly): Poly {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  const [big, small] = a.size >= b.size ? [a, b] : [b, a];
  charge(small.size);
  const acc = new Map(big);
  for (const t of small.values()) addTerm(acc, t.mono, t.coeff);
  return finish(acc);
}

/** The sum of many polynomials, accumulated in one map. */
export function sumPolys(list: readonly Poly[]): Poly {
  if (list.length === 1) return list[0]!;
  const acc = new Map<string, Term>();
  for (const p of list) {
    charge(p.size);
    for (const t of p.values()) addTerm(acc, t.mono, t.coeff);
  }
  return finish(acc);
}

export function scalePoly(p: Poly, c: Rational): Poly {
  if (Q.isZero(c)) return ZERO_POLY;
  if (Q.isOne(c)) return p;
  charge(p.size);
  const out = new Map<string, Term>();
  for (const [k, t] of p) out.set(k, { mono: t.mono, coeff: Q.mul(t.coeff, c) });
  return out;
}

export const negPoly = (p: Poly): Poly => scalePoly(p, Q.MINUS_ONE);
export const subPoly = (a: Poly, b: Poly): Poly => addPoly(a, negPoly(b));

/** c·m·p. */
export function mulTermPoly(p: Poly, mono: Mono, c: Rational = Q.ONE): Poly {
  if (Q.isZero(c)) return ZERO_POLY;
  if (mono.length === 0) return scalePoly(p, c);
  charge(p.size);
  const out = new Map<string, Term>();
  for (const t of p.values()) {
    const m = monoMul(t.mono, mono);
    out.set(monoKey(m), { mono: m, coeff: Q.mul(t.coeff, c) });
  }
  return out;
}

export function mulPoly(a: Poly, b: Poly): Poly {
  if (a.size === 0 || b.size === 0) return ZERO_POLY;
  const ta = singleTerm(a);
  if (ta) return mulTermPoly(b, ta.mono, ta.coeff);
  const tb = singleTerm(b);
  if (tb) return mulTermPoly(a, tb.mono, tb.coeff);
  charge(a.size * b.size);
  const acc = new Map<string, Term>();
  for (const s of a.values()) for (const t of b.values()) addTerm(acc, monoMul(s.mono, t.mono), Q.mul(s.coeff, t.coeff));
  return finish(acc);
}

/** The product of many polynomials. */
export function productPolys(list: readonly Poly[]): Poly {
  let r = ONE_POLY;
  for (const p of list) r = mulPoly(r, p);
  return r;
}

/** Coefficients are never allowed past this many bits, whatever the budget. */
const HARD_MAX_BITS = 1 << 20;

/** c^k exactly, for any integer k (c ≠ 0 when k < 0), refused when too large. */
function powCoefficient(c: Rational, k: number): Rational {
  if ((c.num === 1n || c.num === -1n) && c.den === 1n) return k % 2 === 0 ? Q.ONE : c;
  const bits = Math.max(bitLength(c.num), bitLength(c.den)) * Math.abs(k);
  checkBits(bits);
  if (bits > HARD_MAX_BITS) refuse(`a ${bits}-bit coefficient`);
  const e = BigInt(Math.abs(k));
  const r = Q.rat(c.num ** e, c.den ** e);
  return k < 0 ? Q.div(Q.ONE, r) : r;
}

/** p^k for an integer k ≥ 0 (and any integer k for a one-term p). */
export function powPoly(p: Poly, k: number): Poly {
  if (k === 0) return ONE_POLY;
  const t = singleTerm(p);
  if (t) {
    return termPoly(monoPow(t.mono, k), powCoefficient(t.coeff, k));
  }
  if (k < 0) throw new RangeError("negative power of a polynomial with several terms");
  if (p.size === 0) return ZERO_POLY;
  // Successive multiplication: cheaper than squaring for sparse polynomials.
  let r = p;
  for (let i = 1; i < k; i++) r = mulPoly(r, p);
  return r;
}

/** The lex-leading term (undefined for 0). */
export function leadingTerm(p: Poly): Term | undefined {
  let best: Term | undefined;
  for (const t of p.values()) if (!best || monoCompare(t.mono, best.mono) > 0) best = t;
  return best;
}

/**
 * a/b when b divides a exactly (as polynomials in non-negative exponents), else
 * undefined. Distributed division in lex order: the leading term of the remainder
 * must be divisible by the leading term of b at every step.
 */
export function divExact(a: Poly, b: Poly): Poly | undefined {
  if (b.size === 0) throw new RangeError("polynomial division by zero");
  if (a.size === 0) return ZERO_POLY;
  const tb = singleTerm(b);
  if (tb) {
    const out = new Map<string, Term>();
    charge(a.size);
    for (const t of a.values()) {
      const m = monoQuotient(t.mono, tb.mono);
      if (!m) return undefined;
      out.set(monoKey(m), { mono: m, coeff: Q.div(t.coeff, tb.coeff) });
    }
    return out;
  }
  const lead = leadingTerm(b)!;
  const rest = [...b.values()].filter((t) => t !== lead);
  const r = new Map(a);
  const q = new Map<string, Term>();
  while (r.size > 0) {
    charge(r.size + rest.length);
    const lt = leadingTerm(r)!;
    const m = monoQuotient(lt.mono, lead.mono);
    if (!m) return undefined;
    const c = Q.div(lt.coeff, lead.coeff);
    q.set(monoKey(m), { mono: m, coeff: c });
    r.delete(monoKey(lt.mono));
    for (const t of rest) addTerm(r, monoMul(m, t.mono), Q.neg(Q.mul(c, t.coeff)));
    checkTerms(r.size);
  }
  return q;
}

/** The generators that occur in p. */
export function polyGenerators(p: Poly): Set<number> {
  const s = new Set<number>();
  for (const t of p.values()) for (let i = 0; i < t.mono.length; i += 2) s.add(t.mono[i]!);
  return s;
}

/** The degree of p in generator g (the highest exponent; 0 when g is absent). */
export function polyDegree(p: Poly, g: number): number {
  let d = 0;
  for (const t of p.values()) d = Math.max(d, monoDegree(t.mono, g));
  return d;
}

/** p as a polynomial in g: coefficient polynomials (in the other generators) by degree. */
export function toUnivariate(p: Poly, g: number): Poly[] {
  const degree = polyDegree(p, g);
  const out: Map<string, Term>[] = [];
  for (let k = 0; k <= degree; k++) out.push(new Map());
  for (const t of p.values()) {
    const m = monoWithout(t.mono, g);
    out[monoDegree(t.mono, g)]!.set(monoKey(m), { mono: m, coeff: t.coeff });
  }
  return out;
}

/** The inverse of `toUnivariate`. */
export function fromUnivariate(coefficients: readonly Poly[], g: number): Poly {
  const acc = new Map<string, Term>();
  coefficients.forEach((c, k) => {
    const m = monoVar(g, k);
    for (const t of c.values()) {
      const mono = monoMul(t.mono, m);
      acc.set(monoKey(mono), { mono, coeff: t.coeff });
    }
  });
  return finish(acc);
}

/** The greatest monomial dividing every term (exponents ≥ 0 assumed). */
export function monomialContent(p: Poly): Mono {
  let m: Mono | undefined;
  for (const t of p.values()) m = m === undefined ? t.mono : monoMin(m, t.mono);
  return m ?? ONE_MONO;
}

function gcdBig(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(16).length * 4;

/** The positive rational c with p/c having coprime integer coefficients (1 for 0). */
export function rationalContent(polys: Iterable<Poly>): Rational {
  let g = 0n;
  let l = 1n;
  for (const p of polys)
    for (const t of p.values()) {
      g = gcdBig(g, t.coeff.num);
      l = (l / gcdBig(l, t.coeff.den)) * t.coeff.den;
      checkBits(bitLength(t.coeff.num));
      checkBits(bitLength(t.coeff.den));
    }
  return g === 0n ? Q.ONE : Q.rat(g, l);
}

/**
 * p = c·q with q primitive (coprime integer coefficients) and its lex-leading
 * coefficient positive. Returns [c, q]; for p = 0, [1, 0].
 */
export function normalizePoly(p: Poly): [Rational, Poly] {
  if (p.size === 0) return [Q.ONE, p];
  let c = rationalContent([p]);
  if (Q.isNegative(leadingTerm(p)!.coeff)) c = Q.neg(c);
  return [c, scalePoly(p, Q.div(Q.ONE, c))];
}

/** Renumbers every generator (`map[old] = new`). */
export function renumberPoly(p: Poly, map: readonly number[]): Poly {
  const out = new Map<string, Term>();
  for (const t of p.values()) {
    const m = monoRenumber(t.mono, map);
    out.set(monoKey(m), { mono: m, coeff: t.coeff });
  }
  return out;
}

/** A canonical text of p (for maps keyed by polynomial). */
export function polyKey(p: Poly): string {
  return [...p.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, t]) => `${k}:${Q.toString(t.coeff)}`)
    .join(";");
}

export function equalPoly(a: Poly, b: Poly): boolean {
  if (a.size !== b.size) return false;
  for (const [k, t] of a) {
    const u = b.get(k);
    if (!u || !Q.equals(u.coeff, t.coeff)) return false;
  }
  return true;
}
