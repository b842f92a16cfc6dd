/**
 * Heuristic polynomial GCD (Char, Geddes & Gonnet, "GCDHEU"; SymPy's default for
 * integer polynomials). Evaluate one generator at a large integer ξ, take the GCD of
 * the images recursively (down to integers), and read the GCD back from the base-ξ
 * digits (symmetric range) of the image GCD's coefficients. With
 * ξ ≥ 2·min(‖f‖∞, ‖g‖∞) + 2, a primitive candidate that divides both inputs is their
 * GCD (Geddes, Czapor & Labahn, Algorithms for Computer Algebra, §7.7), so every
 * answer is checked by exact division; after a few evaluation points the heuristic
 * gives up (undefined) and the caller falls back to the PRS algorithm.
 */
import * as Q from "../../core/rational.js";
import { charge } from "./budget.js";
import { monoDegree, monoKey, monoMul, monoVar, monoWithout, type Mono } from "./monomial.js";
import { constPoly, divExact, isZeroPoly, normalizePoly, polyDegree, polyGenerators, scalePoly, type Poly, type Term } from "./polynomial.js";

/** Evaluation points are tried this many times before giving up. */
const ATTEMPTS = 6;
/** Evaluated images may grow to about this many bits per coefficient. */
const MAX_IMAGE_BITS = 20_000;

const absBig = (n: bigint): bigint => (n < 0n ? -n : n);
const bitLength = (n: bigint): number => absBig(n).toString(16).length * 4;

function gcdBig(a: bigint, b: bigint): bigint {
  a = absBig(a);
  b = absBig(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** The positive GCD of the (integer) coefficients. */
function integerContent(p: Poly): bigint {
  let g = 0n;
  for (const t of p.values()) g = gcdBig(g, t.coeff.num);
  return g;
}

/** The largest coefficient magnitude. */
function maxNorm(p: Poly): bigint {
  let m = 0n;
  for (const t of p.values()) if (absBig(t.coeff.num) > m) m = absBig(t.coeff.num);
  return m;
}

function addInteger(acc: Map<string, Term>, mono: Mono, c: bigint): void {
  if (c === 0n) return;
  const key = monoKey(mono);
  const prev = acc.get(key);
  const s = (prev ? prev.coeff.num : 0n) + c;
  if (s === 0n) acc.delete(key);
  else acc.set(key, { mono, coeff: Q.rat(s) });
}

/** p with generator g set to the integer ξ. */
function evaluateAt(p: Poly, g: number, xi: bigint): Poly {
  charge(p.size);
  const powers = new Map<number, bigint>();
  const power = (k: number): bigint => {
    let v = powers.get(k);
    if (v === undefined) powers.set(k, (v = xi ** BigInt(k)));
    return v;
  };
  const acc = new Map<string, Term>();
  for (const t of p.values()) addInteger(acc, monoWithout(t.mono, g), t.coeff.num * power(monoDegree(t.mono, g)));
  return acc;
}

/** The polynomial in g whose coefficients are the symmetric base-ξ digits of h's. */
function interpolate(h: Poly, g: number, xi: bigint): Poly {
  const acc = new Map<string, Term>();
  const half = xi / 2n;
  for (const t of h.values()) {
    let c = t.coeff.num;
    for (let k = 0; c !== 0n; k++) {
      let d = c % xi;
      if (d > half) d -= xi;
      else if (d < -half) d += xi;
      addInteger(acc, monoMul(t.mono, monoVar(g, k)), d);
      c = (c - d) / xi;
    }
    charge(1);
  }
  return acc;
}

/**
 * The GCD over Z (integer content included, leading coefficient positive) of two
 * non-zero polynomials with integer coefficients, or undefined when the heuristic fails.
 */
export function heuristicGcd(f: Poly, g: Poly): Poly | undefined {
  const cf = integerContent(f);
  const cg = integerContent(g);
  const content = Q.rat(gcdBig(cf, cg));
  const fp = scalePoly(f, Q.rat(1n, cf));
  const gp = scalePoly(g, Q.rat(1n, cg));
  const generators = new Set([...polyGenerators(fp), ...polyGenerators(gp)]);
  // Both primitive constants (±1): the GCD is the content.
  if (generators.size === 0) return constPoly(content);
  let x = Infinity;
  for (const v of generators) x = Math.min(x, v);
  const degree = Math.max(polyDegree(fp, x), polyDegree(gp, x), 1);
  const nf = maxNorm(fp);
  const ng = maxNorm(gp);
  let xi = 2n * (nf < ng ? nf : ng) + 29n;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (bitLength(xi) * degree > MAX_IMAGE_BITS) return undefined;
    const ff = evaluateAt(fp, x, xi);
    const gg = evaluateAt(gp, x, xi);
    if (!isZeroPoly(ff) && !isZeroPoly(gg)) {
      const h = heuristicGcd(ff, gg);
      if (h === undefined) return undefined;
      const candidate = normalizePoly(interpolate(h, x, xi))[1];
      if (!isZeroPoly(candidate) && divExact(fp, candidate) && divExact(gp, candidate)) return scalePoly(candidate, content);
    }
    xi = (xi * 73794n * isqrt(isqrt(xi))) / 27011n;
  }
  return undefined;
}
