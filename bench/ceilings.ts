/** Ceilings: the cheapest loops over the same data, and arithmetic with no memory traffic. */

/** c = a + b: one load pair and one store per entry. */
export function addLoop(a: Float64Array, b: Float64Array, c: Float64Array): Float64Array {
  const n = c.length;
  for (let i = 0; i < n; i++) c[i] = a[i]! + b[i]!;
  return c;
}

/** c = exp(a): the cost of the exponentials alone. */
export function expLoop(a: Float64Array, c: Float64Array): Float64Array {
  const n = c.length;
  for (let i = 0; i < n; i++) c[i] = Math.exp(a[i]!);
  return c;
}

/**
 * The scalar-JS arithmetic ceiling: `chains` independent multiply-add chains kept in
 * registers (no loads or stores), `iterations` times; 2 flops per chain and iteration.
 */
export function registerLoop(iterations: number): number {
  let s0 = 0.1, s1 = 0.2, s2 = 0.3, s3 = 0.4, s4 = 0.5, s5 = 0.6, s6 = 0.7, s7 = 0.8;
  const a = 0.999999, b = 1e-7;
  for (let i = 0; i < iterations; i++) {
    s0 = s0 * a + b;
    s1 = s1 * a + b;
    s2 = s2 * a + b;
    s3 = s3 * a + b;
    s4 = s4 * a + b;
    s5 = s5 * a + b;
    s6 = s6 * a + b;
    s7 = s7 * a + b;
  }
  return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}
export const REGISTER_LOOP_FLOPS_PER_ITERATION = 16;

/** c = a with TypedArray.prototype.set: the copy bandwidth. */
export function copySet(a: Float64Array, c: Float64Array): Float64Array {
  c.set(a);
  return c;
}
