/**
 * Monomials over numbered generators: a flat list `[g0, e0, g1, e1, …]` with generator
 * numbers strictly increasing and every exponent non-zero. Exponents are integers and
 * may be negative (Laurent monomials, used by `expand`); the GCD code only ever sees
 * non-negative ones.
 *
 * The monomial order is lex with generator 0 most significant: a monomial is greater
 * when it has the larger exponent at the first generator where the two differ.
 */
import { JacobiError } from "../../core/errors.js";

export type Mono = readonly number[];

export const ONE_MONO: Mono = Object.freeze([]);

/** Exponents beyond this are refused (they would lose integer precision soon after). */
export const MAX_EXPONENT = 2 ** 40;

function checkExponent(e: number): number {
  if (Math.abs(e) > MAX_EXPONENT)
    throw new JacobiError("limit", `an exponent in a polynomial grew beyond ${MAX_EXPONENT}`);
  return e;
}

/** A canonical string for map keys. */
export const monoKey = (m: Mono): string => m.join(",");

/** The monomial `g^e` (the unit monomial when e = 0). */
export const monoVar = (g: number, e = 1): Mono => (e === 0 ? ONE_MONO : [g, checkExponent(e)]);

/** a·b: exponents add. */
export function monoMul(a: Mono, b: Mono): Mono {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const ga = i < a.length ? a[i]! : Infinity;
    const gb = j < b.length ? b[j]! : Infinity;
    if (ga < gb) {
      out.push(ga, a[i + 1]!);
      i += 2;
    } else if (gb < ga) {
      out.push(gb, b[j + 1]!);
      j += 2;
    } else {
      const e = a[i + 1]! + b[j + 1]!;
      if (e !== 0) out.push(ga, checkExponent(e));
      i += 2;
      j += 2;
    }
  }
  return out;
}

/** m^k: exponents multiply. */
export function monoPow(m: Mono, k: number): Mono {
  if (k === 0) return ONE_MONO;
  const out: number[] = [];
  for (let i = 0; i < m.length; i += 2) out.push(m[i]!, checkExponent(m[i + 1]! * k));
  return out;
}

/** 1/m: exponents negate. */
export const monoInverse = (m: Mono): Mono => monoPow(m, -1);

/** a/b when every exponent of the result is non-negative, else undefined. */
export function monoQuotient(a: Mono, b: Mono): Mono | undefined {
  const q = monoMul(a, monoInverse(b));
  for (let i = 1; i < q.length; i += 2) if (q[i]! < 0) return undefined;
  return q;
}

/** The exponent of generator g in m (0 when absent). */
export function monoDegree(m: Mono, g: number): number {
  for (let i = 0; i < m.length; i += 2) if (m[i] === g) return m[i + 1]!;
  return 0;
}

/** m with generator g removed. */
export function monoWithout(m: Mono, g: number): Mono {
  const out: number[] = [];
  for (let i = 0; i < m.length; i += 2) if (m[i] !== g) out.push(m[i]!, m[i + 1]!);
  return out;
}

/** Componentwise minimum of exponents (generators missing from either count as 0). */
export function monoMin(a: Mono, b: Mono): Mono {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i += 2;
    else if (b[j]! < a[i]!) j += 2;
    else {
      const e = Math.min(a[i + 1]!, b[j + 1]!);
      if (e > 0) out.push(a[i]!, e);
      i += 2;
      j += 2;
    }
  }
  return out;
}

/** Lex comparison: negative when a < b, positive when a > b, 0 when equal. */
export function monoCompare(a: Mono, b: Mono): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    // A smaller generator number present only on one side makes that side greater
    // (when its exponent is positive) at that generator.
    if (a[i] !== b[i]) return a[i]! < b[i]! ? Math.sign(a[i + 1]!) : -Math.sign(b[i + 1]!);
    if (a[i + 1] !== b[i + 1]) return a[i + 1]! - b[i + 1]!;
    i += 2;
  }
  if (i < a.length) return Math.sign(a[i + 1]!);
  if (i < b.length) return -Math.sign(b[i + 1]!);
  return 0;
}

/** Renumbers generators (`map[old] = new`) and restores the increasing order. */
export function monoRenumber(m: Mono, map: readonly number[]): Mono {
  const pairs: [number, number][] = [];
  for (let i = 0; i < m.length; i += 2) pairs.push([map[m[i]!]!, m[i + 1]!]);
  pairs.sort((p, q) => p[0] - q[0]);
  return pairs.flat();
}
