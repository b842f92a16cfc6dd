/**
 * A vectorized exp on f64x2 lanes (f32x4 goes through it in two f64 halves):
 *   x = k·ln 2 + r, |r| ≤ ln 2 / 2          k by the round-to-nearest of x·log2(e) + 1.5·2^52,
 *                                            r with ln 2 in two parts (k·ln2_hi is exact)
 *   e^r by its Taylor polynomial to r^13/13! (truncation below 1e-17 relative), Horner
 *   2^k as two powers of two 2^(k>>1)·2^(k-(k>>1)), so that results down to the subnormals
 *   round once, as Math.exp's do
 *   x > 709.782712893384 → +Infinity; x < -745.1332191019412 → 0; NaN → NaN
 * Measured against Math.exp on a dense grid over [-750, 750] with ±745, the subnormal
 * range, ±Infinity and NaN (test/codegen/wasm-exp.test.ts): within 2 ulp.
 */
import type { Fn, Ref } from "./values.js";

const LOG2E = 1.4426950408889634;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
/** 1.5·2^52: adding it rounds to an integer held in the low mantissa bits. */
const MAGIC = 6755399441055744;
const OVERFLOW = 709.782712893384;
const UNDERFLOW = -745.1332191019412;
const TAYLOR = Array.from({ length: 14 }, (_, n) => 1 / Array.from({ length: n }, (_, k) => k + 1).reduce((a, b) => a * b, 1));

/** e^x of each f64 lane of `x`. */
export function expF64x2(fn: Fn, x: Ref): Ref {
  const { m, b } = fn;
  const V = b.v128;
  const v = m.f64x2;
  const c = (value: number): Ref => v.splat(m.f64.const(value));
  const [X, T, R, P, K, K1] = [V, V, V, V, V, V].map((t) => fn.local(t)) as [number, number, number, number, number, number];
  const get = (local: number): Ref => m.local.get(local, V);
  const scale = (k: Ref): Ref => m.i64x2.shl(m.i64x2.add(k, m.i64x2.splat(m.i64.const(1023n))), m.i32.const(52));
  let p = c(TAYLOR[13]!);
  for (let n = 12; n >= 0; n--) p = v.add(v.mul(p, get(R)), c(TAYLOR[n]!));
  return m.block(
    null,
    [
      m.local.set(X, x),
      // x clamped (NaN stays NaN), k = round(x·log2 e) in T's low bits
      m.local.set(T, v.add(v.mul(v.max(v.min(get(X), c(710)), c(-746)), c(LOG2E)), c(MAGIC))),
      m.local.set(R, v.sub(get(T), c(MAGIC))), // k as a float, for now
      m.local.set(R, v.sub(v.sub(v.max(v.min(get(X), c(710)), c(-746)), v.mul(get(R), c(LN2_HI))), v.mul(get(R), c(LN2_LO)))),
      m.local.set(P, p),
      m.local.set(K, m.i64x2.sub(get(T), m.i64x2.splat(m.i64.const(0x4338000000000000n)))),
      m.local.set(K1, m.i64x2.shr_s(get(K), m.i32.const(1))),
      m.local.set(P, v.mul(v.mul(get(P), scale(get(K1))), scale(m.i64x2.sub(get(K), get(K1))))),
      m.local.set(P, m.v128.bitselect(c(Infinity), get(P), v.gt(get(X), c(OVERFLOW)))),
      m.v128.bitselect(c(0), get(P), v.lt(get(X), c(UNDERFLOW))),
    ],
    V,
  );
}

/** e^x of each f32 lane: both halves in f64, rounded back to f32. */
export function expF32x4(fn: Fn, x: Ref): Ref {
  const { m, b } = fn;
  const X = fn.local(b.v128);
  const get = (): Ref => m.local.get(X, b.v128);
  const low = m.f32x4.demote_f64x2_zero(expF64x2(fn, m.f64x2.promote_low_f32x4(get())));
  // the high half moved to the low lanes, exponentiated, and both halves joined
  const high = m.f32x4.demote_f64x2_zero(expF64x2(fn, m.f64x2.promote_low_f32x4(m.i8x16.shuffle(get(), get(), [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]))));
  return m.block(null, [m.local.set(X, x), m.i8x16.shuffle(low, high, [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23])], b.v128);
}

/** e^x of the element type, vector or one entry. */
export const vexp = (fn: Fn, x: Ref): Ref => (fn.dtype === "f64" ? expF64x2(fn, x) : expF32x4(fn, x));
export function sexp(fn: Fn, x: Ref): Ref {
  const { m } = fn;
  if (fn.dtype === "f64") return m.f64x2.extract_lane(expF64x2(fn, m.f64x2.splat(x)), 0);
  return m.f32.demote(m.f64x2.extract_lane(expF64x2(fn, m.f64x2.splat(m.f64.promote(x))), 0));
}
