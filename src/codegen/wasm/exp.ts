/**
 * Vectorized exp (f64x2, and f32x4 in f32), tanh and log (f64x2; f32x4 through f64):
 * exp on f64 lanes:
 *   x = k·ln 2 + r, |r| ≤ ln 2 / 2          k by the round-to-nearest of x·log2(e) + 1.5·2^52,
 *                                            r with ln 2 in two parts (k·ln2_hi is exact)
 *   e^r by its Taylor polynomial to r^13/13! (truncation below 1e-17 relative), by Estrin's scheme
 *   2^k as two powers of two 2^(k>>1)·2^(k-(k>>1)), so that results down to the subnormals
 *   round once, as Math.exp's do
 *   x > 709.782712893384 → +Infinity; x < -745.1332191019412 → 0; NaN → NaN
 * Measured against Math.exp on a dense grid over [-750, 750] with ±745, the subnormal
 * range, ±Infinity and NaN (test/codegen/wasm-exp.test.ts): within 2 ulp in f64, and
 * within 2 ulp of Math.exp rounded to f32 in f32.
 */
import type { Locals, Ref } from "./types.js";

const LOG2E = 1.4426950408889634;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
/** 1.5·2^52: adding it rounds to an integer held in the low mantissa bits. */
const MAGIC = 6755399441055744;
const OVERFLOW = 709.782712893384;
const UNDERFLOW = -745.1332191019412;
/** f32: 1.5·2^23, and the largest and smallest x whose e^x is finite, nonzero in f32. */
const MAGIC32 = 12582912;
const OVERFLOW32 = 88.72283935546875;
const UNDERFLOW32 = -103.97208;
const TAYLOR = Array.from({ length: 14 }, (_, n) => 1 / Array.from({ length: n }, (_, k) => k + 1).reduce((a, b) => a * b, 1));

/** e^x of each f64 lane of `x`. */
export function expF64x2(fn: Locals, x: Ref): Ref {
  const { m, b } = fn;
  const V = b.v128;
  const v = m.f64x2;
  const c = (value: number): Ref => v.splat(m.f64.const(value));
  const [X, T, R, R2, R4, P, K, K1] = [V, V, V, V, V, V, V, V].map((t) => fn.local(t)) as [number, number, number, number, number, number, number, number];
  const get = (local: number): Ref => m.local.get(local, V);
  const scale = (k: Ref): Ref => m.i64x2.shl(m.i64x2.add(k, m.i64x2.splat(m.i64.const(1023n))), m.i32.const(52));
  // Estrin's scheme: pairs c(2j) + c(2j+1)·r, joined by r², r⁴, r⁸ (shorter dependency chains than Horner)
  const pair = (j: number): Ref => v.add(c(TAYLOR[2 * j]!), v.mul(c(TAYLOR[2 * j + 1]!), get(R)));
  const join = (lo: Ref, hi: Ref, power: Ref): Ref => v.add(lo, v.mul(hi, power));
  const r8 = (): Ref => v.mul(get(R4), get(R4));
  const low = join(join(pair(0), pair(1), get(R2)), join(pair(2), pair(3), get(R2)), get(R4));
  const high = join(join(pair(4), pair(5), get(R2)), pair(6), get(R4));
  // pmin/pmax (one instruction each) keep a NaN in their first operand
  const clamped = (): Ref => v.pmax(v.pmin(get(X), c(710)), c(-746));
  return m.block(
    null,
    [
      m.local.set(X, x),
      // x clamped (NaN stays NaN), k = round(x·log2 e) in T's low bits
      m.local.set(T, v.add(v.mul(clamped(), c(LOG2E)), c(MAGIC))),
      m.local.set(R, v.sub(get(T), c(MAGIC))), // k as a float, for now
      m.local.set(R, v.sub(v.sub(clamped(), v.mul(get(R), c(LN2_HI))), v.mul(get(R), c(LN2_LO)))),
      m.local.set(R2, v.mul(get(R), get(R))),
      m.local.set(R4, v.mul(get(R2), get(R2))),
      m.local.set(P, join(low, high, r8())),
      m.local.set(K, m.i64x2.sub(get(T), m.i64x2.splat(m.i64.const(0x4338000000000000n)))),
      m.local.set(K1, m.i64x2.shr_s(get(K), m.i32.const(1))),
      m.local.set(P, v.mul(v.mul(get(P), scale(get(K1))), scale(m.i64x2.sub(get(K), get(K1))))),
      m.local.set(P, m.v128.bitselect(c(Infinity), get(P), v.gt(get(X), c(OVERFLOW)))),
      m.v128.bitselect(c(0), get(P), v.lt(get(X), c(UNDERFLOW))),
    ],
    V,
  );
}

/**
 * e^x of each f32 lane, in f32 (Cephes' expf): x = k·ln 2 + r with ln 2 in two f32 parts,
 * e^r ≈ 1 + r + r²·P(r) (P of degree 5), 2^k as two powers of two.
 */
export function expF32x4(fn: Locals, x: Ref): Ref {
  const { m, b } = fn;
  const V = b.v128;
  const v = m.f32x4;
  const c = (value: number): Ref => v.splat(m.f32.const(value));
  const [X, T, R, P, K, K1] = [V, V, V, V, V, V].map((t) => fn.local(t)) as [number, number, number, number, number, number];
  const get = (local: number): Ref => m.local.get(local, V);
  const scale = (k: Ref): Ref => m.i32x4.shl(m.i32x4.add(k, m.i32x4.splat(m.i32.const(127))), m.i32.const(23));
  let p = c(1.9875691500e-4);
  for (const coefficient of [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) p = v.add(v.mul(p, get(R)), c(coefficient));
  const clamped = (): Ref => v.pmax(v.pmin(get(X), c(89)), c(-104));
  return m.block(
    null,
    [
      m.local.set(X, x),
      m.local.set(T, v.add(v.mul(clamped(), c(LOG2E)), c(MAGIC32))),
      m.local.set(R, v.sub(get(T), c(MAGIC32))),
      m.local.set(R, v.sub(v.sub(clamped(), v.mul(get(R), c(0.693359375))), v.mul(get(R), c(-2.12194440e-4)))),
      m.local.set(P, v.add(v.add(v.mul(p, v.mul(get(R), get(R))), get(R)), c(1))),
      m.local.set(K, m.i32x4.sub(get(T), m.i32x4.splat(m.i32.const(0x4b400000)))),
      m.local.set(K1, m.i32x4.shr_s(get(K), m.i32.const(1))),
      m.local.set(P, v.mul(v.mul(get(P), scale(get(K1))), scale(m.i32x4.sub(get(K), get(K1))))),
      m.local.set(P, m.v128.bitselect(c(Infinity), get(P), v.gt(get(X), c(OVERFLOW32)))),
      m.v128.bitselect(c(0), get(P), v.lt(get(X), c(UNDERFLOW32))),
    ],
    V,
  );
}

/** e^x of the element type, vector or one entry. */
export const vexp = (fn: Locals, x: Ref): Ref => (fn.dtype === "f64" ? expF64x2(fn, x) : expF32x4(fn, x));
export function sexp(fn: Locals, x: Ref): Ref {
  const { m } = fn;
  return fn.dtype === "f64" ? m.f64x2.extract_lane(expF64x2(fn, m.f64x2.splat(x)), 0) : m.f32x4.extract_lane(expF32x4(fn, m.f32x4.splat(x)), 0);
}

/**
 * tanh on f64x2 lanes: for a = |x|, e = e^(2a) - 1 (the Taylor polynomial without its 1
 * where 2a ≤ ln 2 / 2, so that small arguments keep their relative accuracy; e^(2a) - 1
 * above), tanh = e / (e + 2) with x's sign; a is capped at 22 (tanh(22) rounds to 1).
 * Measured against Math.tanh on the dense grid (test/codegen/wasm-exp.test.ts).
 */
export function tanhF64x2(fn: Locals, x: Ref): Ref {
  const { m, b } = fn;
  const V = b.v128;
  const v = m.f64x2;
  const c = (value: number): Ref => v.splat(m.f64.const(value));
  const [X, A, E] = [fn.local(V), fn.local(V), fn.local(V)];
  const get = (local: number): Ref => m.local.get(local, V);
  // e^r - 1 = r·(1 + r/2 + r²/6 + …) for |r| ≤ ln 2 / 2
  let q = c(TAYLOR[13]!);
  for (let n = 12; n >= 1; n--) q = v.add(v.mul(q, get(A)), c(TAYLOR[n]!));
  const small = v.mul(q, get(A));
  const large = v.sub(expF64x2(fn, get(A)), c(1));
  const sign = m.v128.and(get(X), c(-0));
  return m.block(
    null,
    [
      m.local.set(X, x),
      m.local.set(A, v.mul(v.pmin(v.abs(get(X)), c(22)), c(2))), // 2a (NaN stays NaN)
      m.local.set(E, m.v128.bitselect(small, large, v.le(get(A), c(0.5 * Math.LN2)))),
      m.v128.or(v.div(get(E), v.add(get(E), c(2))), sign),
    ],
    V,
  );
}

/** An f64x2 function on each f32 lane: both halves in f64, rounded back to f32. */
export function viaF64(fn: Locals, x: Ref, f: (fn: Locals, x: Ref) => Ref): Ref {
  const { m, b } = fn;
  const X = fn.local(b.v128);
  const get = (): Ref => m.local.get(X, b.v128);
  const low = m.f32x4.demote_f64x2_zero(f(fn, m.f64x2.promote_low_f32x4(get())));
  const high = m.f32x4.demote_f64x2_zero(f(fn, m.f64x2.promote_low_f32x4(m.i8x16.shuffle(get(), get(), [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]))));
  return m.block(null, [m.local.set(X, x), m.i8x16.shuffle(low, high, [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23])], b.v128);
}

/** tanh of the element type, vector or one entry. */
export const vtanh = (fn: Locals, x: Ref): Ref => (fn.dtype === "f64" ? tanhF64x2(fn, x) : viaF64(fn, x, tanhF64x2));
export function stanh(fn: Locals, x: Ref): Ref {
  const { m } = fn;
  return fn.dtype === "f64" ? m.f64x2.extract_lane(tanhF64x2(fn, m.f64x2.splat(x)), 0) : m.f32x4.extract_lane(vtanh(fn, m.f32x4.splat(x)), 0);
}

/** fdlibm's log: x = 2^k·m, m in [√2/2, √2), f = m - 1, s = f/(2 + f), log m = f - (f²/2 - s·(f²/2 + R(s²))). */
const LG = [6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1, 1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1];

/**
 * log on f64x2 lanes, fdlibm's method: subnormals scaled by 2^54 first; k and m from the
 * bits; log 0 = -Infinity, log of a negative number NaN, log Infinity = Infinity.
 */
export function logF64x2(fn: Locals, x: Ref): Ref {
  const { m, b } = fn;
  const V = b.v128;
  const v = m.f64x2;
  const i = m.i64x2;
  const c = (value: number): Ref => v.splat(m.f64.const(value));
  const ci = (value: bigint): Ref => i.splat(m.i64.const(value));
  const [X, Y, K, F, S, Z, W, H] = [V, V, V, V, V, V, V, V].map((t) => fn.local(t)) as [number, number, number, number, number, number, number, number];
  const get = (local: number): Ref => m.local.get(local, V);
  const tiny = (): Ref => v.lt(get(X), c(2.2250738585072014e-308));
  const t1 = v.mul(get(W), v.add(c(LG[1]!), v.mul(get(W), v.add(c(LG[3]!), v.mul(get(W), c(LG[5]!))))));
  const t2 = v.mul(get(Z), v.add(c(LG[0]!), v.mul(get(W), v.add(c(LG[2]!), v.mul(get(W), v.add(c(LG[4]!), v.mul(get(W), c(LG[6]!))))))));
  // the exponents, as i32 lanes 0 and 1, to f64
  const exponents = m.f64x2.convert_low_i32x4_s(m.i8x16.shuffle(get(K), get(K), [0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]));
  // k·ln2_hi - ((f²/2 - (s·(f²/2 + R) + k·ln2_lo)) - f), in fdlibm's order
  const inner = v.add(v.mul(get(S), v.add(get(H), v.add(t2, t1))), v.mul(get(K), c(LN2_LO)));
  const result = v.sub(v.mul(get(K), c(LN2_HI)), v.sub(v.sub(get(H), inner), get(F)));
  return m.block(
    null,
    [
      m.local.set(X, x),
      // subnormals (and 0) scaled into the normal range
      m.local.set(Y, m.v128.bitselect(v.mul(get(X), c(2 ** 54)), get(X), tiny())),
      m.local.set(K, i.sub(i.shr_u(get(Y), m.i32.const(52)), m.v128.bitselect(ci(1023n + 54n), ci(1023n), tiny()))),
      m.local.set(Y, m.v128.or(m.v128.and(get(Y), ci(0x000fffffffffffffn)), ci(0x3ff0000000000000n))),
      // m in [√2/2, √2): halve the larger mantissas
      m.local.set(Z, v.gt(get(Y), c(Math.SQRT2))),
      m.local.set(Y, m.v128.bitselect(v.mul(get(Y), c(0.5)), get(Y), get(Z))),
      m.local.set(K, i.sub(get(K), get(Z))), // a true lane is -1
      m.local.set(K, exponents),
      m.local.set(F, v.sub(get(Y), c(1))),
      m.local.set(S, v.div(get(F), v.add(get(F), c(2)))),
      m.local.set(Z, v.mul(get(S), get(S))),
      m.local.set(W, v.mul(get(Z), get(Z))),
      m.local.set(H, v.mul(c(0.5), v.mul(get(F), get(F)))),
      m.local.set(Y, result),
      // log 0 = -Infinity; negative or NaN: NaN; Infinity: Infinity
      m.local.set(Y, m.v128.bitselect(c(-Infinity), get(Y), v.eq(get(X), c(0)))),
      m.local.set(Y, m.v128.bitselect(c(NaN), get(Y), m.v128.not(v.ge(get(X), c(0))))),
      m.v128.bitselect(c(Infinity), get(Y), v.eq(get(X), c(Infinity))),
    ],
    V,
  );
}

/** log of the element type, vector or one entry. */
export const vlog = (fn: Locals, x: Ref): Ref => (fn.dtype === "f64" ? logF64x2(fn, x) : viaF64(fn, x, logF64x2));
export function slog(fn: Locals, x: Ref): Ref {
  const { m } = fn;
  return fn.dtype === "f64" ? m.f64x2.extract_lane(logF64x2(fn, m.f64x2.splat(x)), 0) : m.f32x4.extract_lane(vlog(fn, m.f32x4.splat(x)), 0);
}
