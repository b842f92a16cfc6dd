/**
 * Rational functions with a factored denominator: N / Π fᵢ^mᵢ. Keeping the
 * denominator as normalized factors lets sums find a small common denominator
 * (1/(x+1) + 1/(x+1) needs x+1 once, not (x+1)^2) before any GCD is computed.
 */
import * as Q from "../../core/rational.js";
import type { Rational } from "../../core/rational.js";
import { monoVar } from "./monomial.js";
import {
  constPoly,
  divExact,
  isZeroPoly,
  monomialContent,
  mulPoly,
  normalizePoly,
  ONE_POLY,
  polyKey,
  powPoly,
  productPolys,
  renumberPoly,
  scalePoly,
  sumPolys,
  termPoly,
  type Poly,
} from "./polynomial.js";

export interface Factor {
  /** Normalized: primitive, positive leading coefficient, not constant. */
  readonly poly: Poly;
  readonly mult: number;
}

export interface Frac {
  readonly num: Poly;
  /** Denominator factors keyed by `polyKey`. */
  readonly den: ReadonlyMap<string, Factor>;
}

const NO_FACTORS: ReadonlyMap<string, Factor> = new Map();

export const fracOf = (p: Poly): Frac => ({ num: p, den: NO_FACTORS });

/** 1/g^k for a generator g. */
export function generatorInverse(g: number, k: number): Frac {
  const poly = termPoly(monoVar(g));
  return { num: ONE_POLY, den: new Map([[polyKey(poly), { poly, mult: k }]]) };
}

function mergeFactors(a: ReadonlyMap<string, Factor>, b: ReadonlyMap<string, Factor>, combine: (x: number, y: number) => number): Map<string, Factor> {
  const out = new Map(a);
  for (const [k, f] of b) {
    const prev = out.get(k);
    out.set(k, prev ? { poly: f.poly, mult: combine(prev.mult, f.mult) } : f);
  }
  return out;
}

export function mulFrac(a: Frac, b: Frac): Frac {
  return { num: mulPoly(a.num, b.num), den: mergeFactors(a.den, b.den, (x, y) => x + y) };
}

export function productFracs(list: readonly Frac[]): Frac {
  let r = fracOf(ONE_POLY);
  for (const f of list) r = mulFrac(r, f);
  return r;
}

/** Σ Nᵢ/Dᵢ = (Σ Nᵢ·(L/Dᵢ)) / L with L the least common multiple of the factored Dᵢ. */
export function sumFracs(list: readonly Frac[]): Frac {
  if (list.length === 1) return list[0]!;
  let lcm: ReadonlyMap<string, Factor> = NO_FACTORS;
  for (const f of list) lcm = mergeFactors(lcm, f.den, Math.max);
  const numerators = list.map((f) => {
    const missing: Poly[] = [];
    for (const [k, l] of lcm) {
      const own = f.den.get(k)?.mult ?? 0;
      if (l.mult > own) missing.push(powPoly(l.poly, l.mult - own));
    }
    return mulPoly(f.num, productPolys(missing));
  });
  return { num: sumPolys(numerators), den: lcm };
}

/** f^k for k ≥ 0. */
export function powFrac(f: Frac, k: number): Frac {
  if (k === 0) return fracOf(ONE_POLY);
  const den = new Map<string, Factor>();
  for (const [key, x] of f.den) den.set(key, { poly: x.poly, mult: x.mult * k });
  return { num: powPoly(f.num, k), den };
}

/**
 * p = c · m · r with c a rational, m a monomial and r primitive: the factors of p as
 * denominator factors (one per generator of m, and r when it is not constant).
 */
function factorsOf(p: Poly): [Rational, Map<string, Factor>] {
  const out = new Map<string, Factor>();
  const m = monomialContent(p);
  for (let i = 0; i < m.length; i += 2) {
    const poly = termPoly(monoVar(m[i]!));
    out.set(polyKey(poly), { poly, mult: m[i + 1]! });
  }
  const [c, rest] = normalizePoly(m.length > 0 ? divExact(p, termPoly(m))! : p);
  if (rest.size > 1 || (rest.size === 1 && !rest.has(""))) out.set(polyKey(rest), { poly: rest, mult: 1 });
  return [c, out];
}

/** 1/f; the numerator must not be 0. */
export function invertFrac(f: Frac): Frac {
  if (isZeroPoly(f.num)) throw new RangeError("division by a zero rational function");
  const [c, den] = factorsOf(f.num);
  return { num: scalePoly(denominatorOf(f), Q.div(Q.ONE, c)), den };
}

/** Π fᵢ^mᵢ, expanded. */
export function denominatorOf(f: Frac): Poly {
  return productPolys([...f.den.values()].map((x) => powPoly(x.poly, x.mult)));
}

export const constFrac = (c: Rational): Frac => fracOf(constPoly(c));

/** The same fraction over renumbered generators (factor keys are dropped: done combining). */
export function renumberFrac(f: Frac, map: readonly number[]): Frac {
  const den = new Map<string, Factor>();
  let k = 0;
  for (const x of f.den.values()) den.set(`${k++}`, { poly: renumberPoly(x.poly, map), mult: x.mult });
  return { num: renumberPoly(f.num, map), den };
}
