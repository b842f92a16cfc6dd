/**
 * The wasm target's vectorized exp (src/codegen/wasm/exp.ts), tanh and sigmoid against Math on
 * a dense grid over [-750, 750] (step 1/64, both SIMD lanes and the scalar tail), with
 * ±745, the overflow and underflow thresholds, subnormal inputs and results, ±0,
 * ±Infinity and NaN. The stated bound: exp within 2 ulp of Math.exp in f64 (and NaN
 * exactly where it is NaN), within 2 ulp of Math.exp rounded to f32 in f32; tanh within 4 ulp
 * of Math.tanh in f64, 2 ulp of it rounded in f32.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";

type Kernel = (inputs: { x: Float64Array | Float32Array }) => Float64Array | Float32Array;

const SPECIAL = [
  0, -0, 745, -745, 745.1332191019412, -745.1332191019411, -745.1332191019412, -745.1332191019413, -744.44007192138126, -708.3964185322641, -708.4,
  709.782712893384, 709.7827128933841, 709.78, 710, -710, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, 1e-300, 1e-17, -1e-17,
  0.5 * Math.LN2, -0.5 * Math.LN2, Math.LN2, 1, -1, 88.72, -87.33, -103.97, 88.7228, Infinity, -Infinity, NaN,
];

function grid(): Float64Array {
  const values: number[] = [...SPECIAL];
  for (let k = -750 * 64; k <= 750 * 64; k++) values.push(k / 64);
  let seed = 12345;
  for (let k = 0; k < 20000; k++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    values.push((seed / 2 ** 31) * 1500 - 750);
  }
  values.push(1.5); // an odd length: the last entry takes the scalar tail
  return Float64Array.from(values);
}

/** Distance in units in the last place between two doubles of the same sign (0 for equal, Infinity across signs). */
function ulps(a: number, b: number, bits: 64 | 32): number {
  if (Object.is(a, b) || a === b) return 0;
  if (Number.isNaN(a) || Number.isNaN(b) || Math.sign(a) * Math.sign(b) < 0) return Infinity;
  if (bits === 64) {
    const view = new DataView(new ArrayBuffer(16));
    view.setFloat64(0, Math.abs(a));
    view.setFloat64(8, Math.abs(b));
    return Number(view.getBigInt64(0) - view.getBigInt64(8)) * Math.sign(Number(view.getBigInt64(0) - view.getBigInt64(8)));
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat32(0, Math.abs(a));
  view.setFloat32(4, Math.abs(b));
  return Math.abs(view.getInt32(0) - view.getInt32(4));
}

describe("the wasm target's exp and sigmoid against Math", () => {
  const x = grid();

  it("exp, f64: within 2 ulp of Math.exp everywhere; Infinity, 0 and NaN where Math.exp gives them", async () => {
    const exp = (await compile("x: vector(n); kernel e = exp(x)", { target: "wasm" })) as Kernel;
    const got = exp({ x });
    let worst = 0;
    let at = 0;
    for (let k = 0; k < x.length; k++) {
      const want = Math.exp(x[k]!);
      if (Number.isNaN(want)) {
        expect(got[k], `exp(${x[k]})`).toBeNaN();
        continue;
      }
      const d = ulps(got[k]!, want, 64);
      if (d > worst) [worst, at] = [d, x[k]!];
    }
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(2);
    expect(Array.from(exp({ x: Float64Array.of(Infinity, -Infinity, NaN, 710, -746, 0) }))).toEqual([Infinity, 0, NaN, Infinity, 0, 1]);
  });

  it("exp, f32: within 2 ulp of Math.exp rounded to f32", async () => {
    const exp = (await compile("x: vector(n); kernel e = exp(x)", { target: "wasm", dtype: "f32" })) as Kernel;
    const x32 = Float32Array.from(x);
    const got = exp({ x: x32 });
    let worst = 0;
    for (let k = 0; k < x32.length; k++) {
      const want = Math.fround(Math.exp(x32[k]!));
      if (Number.isNaN(want)) expect(got[k]).toBeNaN();
      else worst = Math.max(worst, ulps(got[k]!, want, 32));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  for (const dtype of ["f64", "f32"] as const) {
    it(`tanh, ${dtype}: within ${dtype === "f64" ? 4 : 2} ulp of Math.tanh${dtype === "f32" ? " rounded to f32" : ""}; odd, ±1 at the ends, NaN for NaN`, async () => {
      const tanh = (await compile("x: vector(n); kernel t = tanh(x)", { target: "wasm", dtype })) as Kernel;
      const xs = dtype === "f64" ? x : Float32Array.from(x);
      const got = tanh({ x: xs });
      let worst = 0;
      let at = 0;
      for (let k = 0; k < xs.length; k++) {
        const want = dtype === "f64" ? Math.tanh(xs[k]!) : Math.fround(Math.tanh(xs[k]!));
        if (Number.isNaN(want)) {
          expect(got[k]).toBeNaN();
          continue;
        }
        const d = ulps(got[k]!, want, dtype === "f64" ? 64 : 32);
        if (d > worst) [worst, at] = [d, xs[k]!];
      }
      expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(dtype === "f64" ? 4 : 2);
      const ends = dtype === "f64" ? Float64Array.of(-Infinity, Infinity, -0, 0, 1e-300) : Float32Array.of(-Infinity, Infinity, -0, 0, 1e-40);
      expect(Array.from(tanh({ x: ends }))).toEqual([-1, 1, -0, 0, ends[4]]);
    });
  }

  it("log, f64: within 2 ulp of Math.log on positive numbers from the subnormals to the largest; -Infinity at 0, NaN below, Infinity at Infinity", async () => {
    const log = (await compile("x: vector(n); kernel l = log(x)", { target: "wasm" })) as Kernel;
    const values: number[] = [5e-324, 1e-320, 2.2250738585072014e-308, 2.225073858507201e-308, 1, 1 + 2 ** -52, 1 - 2 ** -53, Math.SQRT2, Math.SQRT1_2, 2, 0.5, 1.7976931348623157e308];
    for (const e of x) if (Number.isFinite(e)) values.push(Math.exp(e / 1.01), Math.abs(e) + 1e-3, 1 + e * 1e-9);
    const xs = Float64Array.from(values);
    const got = log({ x: xs });
    let worst = 0;
    let at = 0;
    for (let k = 0; k < xs.length; k++) {
      const want = Math.log(xs[k]!);
      if (want === 0) expect(Math.abs(got[k]!)).toBeLessThan(1e-300);
      const d = want === 0 ? 0 : ulps(got[k]!, want, 64);
      if (d > worst) [worst, at] = [d, xs[k]!];
    }
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(2);
    expect(Array.from(log({ x: Float64Array.of(0, -0, -1, -Infinity, NaN, Infinity) }))).toEqual([-Infinity, -Infinity, NaN, NaN, NaN, Infinity]);
  });

  it("sigmoid, f64: 1/(1 + e^-x) within 4 ulp of the same formula with Math.exp; 0 and 1 at the ends", async () => {
    const sigmoid = (await compile("x: vector(n); kernel s = sigmoid(x)", { target: "wasm" })) as Kernel;
    const got = sigmoid({ x });
    let worst = 0;
    for (let k = 0; k < x.length; k++) {
      const want = 1 / (1 + Math.exp(-x[k]!));
      if (Number.isNaN(want)) expect(got[k]).toBeNaN();
      else worst = Math.max(worst, ulps(got[k]!, want, 64));
    }
    expect(worst).toBeLessThanOrEqual(4);
    expect(Array.from(sigmoid({ x: Float64Array.of(-Infinity, Infinity, -1000, 1000, 0) }))).toEqual([0, 1, 0, 1, 0.5]);
  });
});
