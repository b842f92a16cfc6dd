/**
 * Exact rational numbers over bigint. Always normalized: gcd(num, den) = 1, den > 0.
 * `0.2` in a formula is exactly 1/5; floats appear only when evaluating.
 */
import { JacobiError } from "./errors.js";
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Bits an exact numerator or denominator may have (about 39,000 decimal digits; 1e10000 has 33,220). */
export const MAX_EXACT_BITS = 131_072;
/** Work units (64-bit word products of a normalization) of exact arithmetic in one armed scope: about a second. */
export const MAX_EXACT_WORK = 2_000_000;

const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(2).length;
/** Bits of n rounded up to a multiple of 4 (cheaper than bitLength). */
const roughBits = (n: bigint): number => (n < 0n ? -n : n).toString(16).length * 4;
const SMALL = 1n << 64n;
let exactWork = 0;
let exactEnd = Infinity;
let exactWhat = "";

/**
 * Runs `fn` with a budget for exact arithmetic (`what` names it in the error): past it, a
 * limit error. Nested budgets keep the tighter end. The parser, derivatives and expansion
 * arm one, so a sum of 10,000 fractions with ever larger denominators is refused in about
 * a second instead of taking a minute.
 */
export function withExactBudget<T>(what: string, fn: () => T): T {
  const saved = [exactEnd, exactWhat] as const;
  if (exactWork + MAX_EXACT_WORK < exactEnd) [exactEnd, exactWhat] = [exactWork + MAX_EXACT_WORK, what];
  try {
    return fn();
  } finally {
    [exactEnd, exactWhat] = saved;
  }
}

/** Counts the work of normalizing n/d (a gcd: the product of their sizes in words) and bounds their size. */
function charge(n: bigint, d: bigint): void {
  if (n < SMALL && n > -SMALL && d < SMALL) spend(1);
  else chargeBits(roughBits(n), roughBits(d));
}

/** charge() for a numerator and denominator of the given (rough) bit lengths. */
function chargeBits(bn: number, bd: number): void {
  if (bn > MAX_EXACT_BITS || bd > MAX_EXACT_BITS)
    throw new JacobiError("limit", `an exact number would have more than ${Math.floor(MAX_EXACT_BITS * Math.log10(2))} digits (the limit of exact arithmetic)`);
  spend(1 + ((bn >> 6) + 1) * ((bd >> 6) + 1));
}

function spend(units: number): void {
  exactWork += units;
  if (exactWork > exactEnd) throw new JacobiError("limit", `${exactWhat} takes too much exact arithmetic (over ${MAX_EXACT_WORK} word operations on its numbers)`);
}

export function rat(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new RangeError("rational with zero denominator");
  charge(n, d);
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

export const ZERO = rat(0);
export const ONE = rat(1);
export const MINUS_ONE = rat(-1);

/** The largest decimal exponent a literal may have (1e10000 has 10,001 digits exactly). */
export const MAX_DECIMAL_EXPONENT = 10_000;

/**
 * Parses a decimal literal such as `12`, `0.25`, `1e-3`, `2.5E+4` exactly; a RangeError
 * when its exponent is beyond ±MAX_DECIMAL_EXPONENT (it would take too long to write out).
 */
export function parseDecimal(text: string): Rational {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new SyntaxError(`not a number: ${text}`);
  const intPart = m[1] ?? "";
  const fracPart = m[2] ?? "";
  const written = Number(m[3] ?? "0");
  if (!(Math.abs(written) <= MAX_DECIMAL_EXPONENT)) throw new RangeError(`exponent beyond ±${MAX_DECIMAL_EXPONENT}`);
  const exponent = written - fracPart.length;
  const digits = BigInt((intPart + fracPart) || "0");
  return exponent >= 0 ? rat(digits * 10n ** BigInt(exponent)) : rat(digits, 10n ** BigInt(-exponent));
}

export const isZero = (a: Rational): boolean => a.num === 0n;
export const isOne = (a: Rational): boolean => a.num === 1n && a.den === 1n;
export const isInteger = (a: Rational): boolean => a.den === 1n;
export const isNegative = (a: Rational): boolean => a.num < 0n;

/**
 * a/b + c/d with the gcds taken against the smaller numbers (Knuth, TAOCP 4.5.1):
 * g = gcd(b, d); t = a (d/g) + c (b/g); the sum is (t/h) / ((b/g)(d/h)) with h = gcd(t, g).
 * In a long sum of fractions g is small, so no gcd of two large numbers is taken (a plain
 * gcd of t and b d was most of the time of a harmonic sum). The budget is charged as for
 * normalizing the full a d + c b over b d, so what is refused does not change.
 */
function addRat(a: Rational, c: Rational, sign: 1n | -1n): Rational {
  const cn = sign === 1n ? c.num : -c.num;
  if (a.den === 1n && c.den === 1n) return rat(a.num + cn);
  const g = gcd(a.den, c.den);
  const bg = a.den / g;
  const dg = c.den / g;
  const t = a.num * dg + cn * bg;
  if (t < SMALL && t > -SMALL && a.den < SMALL && c.den < SMALL) spend(1);
  else chargeBits(roughBits(t) + roughBits(g), roughBits(a.den) + roughBits(c.den));
  if (t === 0n) return ZERO;
  const h = g === 1n ? 1n : gcd(t, g);
  return { num: t / h, den: bg * (c.den / h) };
}
export const add = (a: Rational, b: Rational): Rational => addRat(a, b, 1n);
export const sub = (a: Rational, b: Rational): Rational => addRat(a, b, -1n);
export const mul = (a: Rational, b: Rational): Rational => rat(a.num * b.num, a.den * b.den);
export const neg = (a: Rational): Rational => ({ num: -a.num, den: a.den });
export const abs = (a: Rational): Rational => (a.num < 0n ? neg(a) : a);
export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RangeError("division by zero");
  return rat(a.num * b.den, a.den * b.num);
}
export const compare = (a: Rational, b: Rational): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
export const equals = (a: Rational, b: Rational): boolean => a.num === b.num && a.den === b.den;

/** The largest exponent magnitude folded exactly; beyond it a power stays symbolic. */
export const MAX_EXACT_EXPONENT = 256n;
/** Bits allowed in a folded numerator or denominator before a power stays symbolic. */
const MAX_FOLD_BITS = 4096;


/**
 * `a^k` for an integer k, or undefined when the result would be too large to fold
 * (or would divide by zero).
 */
export function powInt(a: Rational, k: bigint): Rational | undefined {
  // 1^k = 1, (-1)^k = ±1, 0^k = 0 (k > 0) at any size of k
  if (a.den === 1n && (a.num === 1n || a.num === -1n)) return a.num === 1n || k % 2n === 0n ? ONE : MINUS_ONE;
  if (a.num === 0n && k > 0n) return ZERO;
  if (k < -MAX_EXACT_EXPONENT || k > MAX_EXACT_EXPONENT) return undefined;
  if (k < 0n && a.num === 0n) return undefined;
  const e = k < 0n ? -k : k;
  const size = Math.max(bitLength(a.num), bitLength(a.den)) * Number(e);
  if (size > MAX_FOLD_BITS) return undefined;
  const r = rat(a.num ** e, a.den ** e);
  return k < 0n ? div(ONE, r) : r;
}

/** Exact integer k-th root of a non-negative bigint, or undefined when it is not exact. */
function exactRoot(n: bigint, k: bigint): bigint | undefined {
  if (n < 0n) return undefined;
  if (n < 2n) return n;
  // Newton's method on integers, from a power of two above the root (works at any size).
  let x = 1n << (BigInt(n.toString(2).length) / k + 1n);
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) break;
    x = y;
  }
  return x ** k === n ? x : undefined;
}

/**
 * `a^(p/q)` when it is rational (e.g. 4^(1/2) = 2, (8/27)^(-1/3) = 3/2), else undefined.
 * Only non-negative bases take fractional powers.
 */
export function powRational(a: Rational, e: Rational): Rational | undefined {
  if (e.den === 1n) return powInt(a, e.num);
  if (a.num < 0n || e.den > 64n) return undefined;
  const rn = exactRoot(a.num, e.den);
  const rd = exactRoot(a.den, e.den);
  if (rn === undefined || rd === undefined) return undefined;
  return powInt(rat(rn, rd), e.num);
}

export const toNumber = (a: Rational): number => {
  // When both parts are huge, drop common low bits first so the quotient stays finite.
  const shift = BigInt(Math.max(0, Math.min(bitLength(a.num), bitLength(a.den)) - 64));
  return Number(a.num >> shift) / Number(a.den >> shift);
};

/** A huge rational in a few characters: 1e+999999 style when it is long. */
export function describeBig(v: Rational): string {
  const digits = (n: bigint): string => {
    const s = (n < 0n ? -n : n).toString();
    return s.length <= 20 ? s : `${s[0]}.${s.slice(1, 4)}e+${s.length - 1}`;
  };
  const sign = v.num < 0n ? "-" : "";
  return v.den === 1n ? `${sign}${digits(v.num)}` : `${sign}${digits(v.num)}/${digits(v.den)}`;
}

/**
 * The floating-point number of an exact constant, for evaluation and generated code; a
 * value error when it is outside the floating-point range (1e400 is not Infinity, 1e-400 not 0).
 */
export function toFloat(a: Rational): number {
  const x = toNumber(a);
  if (!Number.isFinite(x) || (x === 0 && a.num !== 0n))
    throw new JacobiError("value", `the number ${describeBig(a)} is outside the floating-point range (about 1e-308 to 1.8e308), so it cannot be evaluated`);
  return x;
}

/** Text form: `3`, `-2`, `1/5`. */
export const toString = (a: Rational): string => (a.den === 1n ? `${a.num}` : `${a.num}/${a.den}`);
