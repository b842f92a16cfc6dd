/**
 * Careful hand-written TypeScript kernels: the baseline the generated code is measured
 * against. Preallocated outputs and scratch, arrays passed as arguments, the loop
 * orders a careful programmer would choose (contiguous inner loops, max-shifted
 * softmax), and the same unrolling and register blocking as jacobi's kernels where
 * jacobi uses them (matrix-vector products four rows at a time, matrix products in
 * 2×4 register blocks), so that a ratio compares code, not effort.
 */

import { gemmNN, gemmNT, gemmTNAdd } from "./hand-gemm.js";

/** out = softmax(x), max-shifted. */
export function softmax(x: Float64Array, out: Float64Array): Float64Array {
  const n = x.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (x[i]! > max) max = x[i]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(x[i]! - max);
    out[i] = e;
    sum += e;
  }
  const k = 1 / sum;
  for (let i = 0; i < n; i++) out[i]! *= k;
  return out;
}

/** out = s .* (g - g'*s), s = softmax(x) computed in out. */
export function softmaxVjp(x: Float64Array, g: Float64Array, out: Float64Array): Float64Array {
  const n = x.length;
  softmax(x, out);
  let dot = 0;
  for (let i = 0; i < n; i++) dot += g[i]! * out[i]!;
  for (let i = 0; i < n; i++) out[i] = out[i]! * (g[i]! - dot);
  return out;
}

/** out = diag(s) - s*s' (n×n, row-major); s: scratch of n. */
export function softmaxJacobian(x: Float64Array, out: Float64Array, s: Float64Array): Float64Array {
  const n = x.length;
  softmax(x, s);
  for (let i = 0; i < n; i++) {
    const si = s[i]!;
    const row = i * n;
    for (let j = 0; j < n; j++) out[row + j] = -si * s[j]!;
    out[row + i]! += si;
  }
  return out;
}

/** out = g*x' (m×n). */
export function outer(g: Float64Array, x: Float64Array, out: Float64Array): Float64Array {
  const m = g.length;
  const n = x.length;
  for (let i = 0; i < m; i++) {
    const gi = g[i]!;
    const row = i * n;
    for (let j = 0; j < n; j++) out[row + j] = gi * x[j]!;
  }
  return out;
}

/** out = W'*g (W m×n row-major): rows of W added, scaled by g, four rows per pass. */
export function matTvec(W: Float64Array, g: Float64Array, out: Float64Array): Float64Array {
  const m = g.length;
  const n = out.length;
  out.fill(0);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const g0 = g[i]!, g1 = g[i + 1]!, g2 = g[i + 2]!, g3 = g[i + 3]!;
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    for (let j = 0; j < n; j++) out[j]! += W[r0 + j]! * g0 + W[r1 + j]! * g1 + W[r2 + j]! * g2 + W[r3 + j]! * g3;
  }
  for (; i < m; i++) {
    const gi = g[i]!;
    const row = i * n;
    for (let j = 0; j < n; j++) out[j]! += W[row + j]! * gi;
  }
  return out;
}

/** out = W*x: four rows per pass, four dot products in registers. */
export function matvec(W: Float64Array, x: Float64Array, out: Float64Array): Float64Array {
  const n = x.length;
  const m = out.length;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < n; j++) {
      const v = x[j]!;
      s0 += W[r0 + j]! * v;
      s1 += W[r1 + j]! * v;
      s2 += W[r2 + j]! * v;
      s3 += W[r3 + j]! * v;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < m; i++) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += W[row + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

export interface Net {
  readonly n0: number;
  readonly n1: number;
  readonly n2: number;
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

export interface Grads {
  loss: number;
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

export const gradsFor = (net: Net): Grads => ({
  loss: 0,
  W1: new Float64Array(net.n1 * net.n0),
  b1: new Float64Array(net.n1),
  W2: new Float64Array(net.n2 * net.n1),
  b2: new Float64Array(net.n2),
});

/** Scratch of one network step. */
export class NetScratch {
  readonly z1: Float64Array;
  readonly u: Float64Array;
  readonly s: Float64Array;
  readonly g2: Float64Array;
  readonly g3: Float64Array;
  constructor(net: Net) {
    this.z1 = new Float64Array(net.n1);
    this.u = new Float64Array(net.n2);
    this.s = new Float64Array(net.n2);
    this.g2 = new Float64Array(net.n2);
    this.g3 = new Float64Array(net.n1);
  }
}

/**
 * One sample's loss and gradients, the idiomatic way (as the notebook computes them,
 * with W2' applied): forward, softmax cross-entropy, backward. Adds into `into` when
 * `accumulate`, else overwrites.
 */
export function netStep(net: Net, x: Float64Array, xAt: number, y: Float64Array, yAt: number, into: Grads, t: NetScratch, accumulate: boolean): void {
  const { n0, n1, n2, W1, b1, W2, b2 } = net;
  const { z1, u, s, g2, g3 } = t;
  for (let i = 0; i < n1; i++) {
    let a = b1[i]!;
    const row = i * n0;
    for (let k = 0; k < n0; k++) a += W1[row + k]! * x[xAt + k]!;
    z1[i] = 1 / (1 + Math.exp(-a));
  }
  let max = -Infinity;
  for (let i = 0; i < n2; i++) {
    let a = b2[i]!;
    const row = i * n1;
    for (let k = 0; k < n1; k++) a += W2[row + k]! * z1[k]!;
    u[i] = a;
    if (a > max) max = a;
  }
  let sum = 0;
  for (let i = 0; i < n2; i++) {
    const e = Math.exp(u[i]! - max);
    s[i] = e;
    sum += e;
  }
  const lse = max + Math.log(sum);
  let loss = 0;
  let ysum = 0;
  for (let i = 0; i < n2; i++) {
    s[i] = s[i]! / sum;
    loss -= y[yAt + i]! * (u[i]! - lse);
    ysum += y[yAt + i]!;
  }
  for (let i = 0; i < n2; i++) g2[i] = s[i]! * ysum - y[yAt + i]!;
  g3.fill(0);
  for (let i = 0; i < n2; i++) {
    const gi = g2[i]!;
    const row = i * n1;
    for (let k = 0; k < n1; k++) g3[k]! += W2[row + k]! * gi;
  }
  for (let k = 0; k < n1; k++) g3[k] = g3[k]! * z1[k]! * (1 - z1[k]!);
  const { W1: dW1, b1: db1, W2: dW2, b2: db2 } = into;
  if (accumulate) {
    into.loss += loss;
    for (let i = 0; i < n1; i++) {
      const gi = g3[i]!;
      const row = i * n0;
      for (let k = 0; k < n0; k++) dW1[row + k]! += gi * x[xAt + k]!;
      db1[i]! += gi;
    }
    for (let i = 0; i < n2; i++) {
      const gi = g2[i]!;
      const row = i * n1;
      for (let k = 0; k < n1; k++) dW2[row + k]! += gi * z1[k]!;
      db2[i]! += gi;
    }
  } else {
    into.loss = loss;
    for (let i = 0; i < n1; i++) {
      const gi = g3[i]!;
      const row = i * n0;
      for (let k = 0; k < n0; k++) dW1[row + k] = gi * x[xAt + k]!;
      db1[i] = gi;
    }
    for (let i = 0; i < n2; i++) {
      const gi = g2[i]!;
      const row = i * n1;
      for (let k = 0; k < n1; k++) dW2[row + k] = gi * z1[k]!;
      db2[i] = gi;
    }
  }
}

/** The batch's summed loss and gradients, one sample at a time (the idiomatic loop). */
export function netBatchIdiomatic(net: Net, X: Float64Array, Y: Float64Array, batch: number, into: Grads, t: NetScratch): Grads {
  into.loss = 0;
  into.W1.fill(0);
  into.b1.fill(0);
  into.W2.fill(0);
  into.b2.fill(0);
  for (let b = 0; b < batch; b++) netStep(net, X, b * net.n0, Y, b * net.n2, into, t, true);
  return into;
}

/** Scratch of a blocked batch step: every sample's activations. */
export class BatchScratch {
  readonly Z1: Float64Array;
  readonly U: Float64Array;
  readonly G2: Float64Array;
  readonly G3: Float64Array;
  constructor(net: Net, batch: number) {
    this.Z1 = new Float64Array(batch * net.n1);
    this.U = new Float64Array(batch * net.n2);
    this.G2 = new Float64Array(batch * net.n2);
    this.G3 = new Float64Array(batch * net.n1);
  }
}

/**
 * The batch's summed loss and gradients as matrix products over the batch, register
 * blocked: Z1 = σ(X W1' + b1), U = Z1 W2' + b2, G2 = S∘rowsum(Y) - Y, G3 = (G2 W2)∘Z1∘(1-Z1),
 * dW2 = G2' Z1, dW1 = G3' X.
 */
export function netBatchBlocked(net: Net, X: Float64Array, Y: Float64Array, batch: number, into: Grads, t: BatchScratch): Grads {
  const { n0, n1, n2, W1, b1, W2, b2 } = net;
  const { Z1, U, G2, G3 } = t;
  gemmNT(X, W1, Z1, batch, n1, n0);
  for (let b = 0; b < batch; b++) for (let i = 0; i < n1; i++) Z1[b * n1 + i] = 1 / (1 + Math.exp(-(Z1[b * n1 + i]! + b1[i]!)));
  gemmNT(Z1, W2, U, batch, n2, n1);
  let loss = 0;
  into.b2.fill(0);
  into.b1.fill(0);
  for (let b = 0; b < batch; b++) {
    const at = b * n2;
    loss += softmaxCrossEntropy(U, at, b2, Y, G2, n2);
    for (let i = 0; i < n2; i++) into.b2[i]! += G2[at + i]!;
  }
  into.loss = loss;
  gemmNN(G2, W2, G3, batch, n1, n2);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < n1; i++) {
      const z = Z1[b * n1 + i]!;
      const g = G3[b * n1 + i]! * z * (1 - z);
      G3[b * n1 + i] = g;
      into.b1[i]! += g;
    }
  into.W2.fill(0);
  gemmTNAdd(G2, Z1, into.W2, n2, n1, batch);
  into.W1.fill(0);
  gemmTNAdd(G3, X, into.W1, n1, n0, batch);
  return into;
}

export * from "./ceilings.js";

/**
 * One row of softmax + cross-entropy: u (at `at`) gets the bias added in place; writes the cotangent
 * g = softmax(u) * sum(y) - y at the same offset; returns -sum(y .* log(softmax(u))) (max-shifted).
 */
export function softmaxCrossEntropy(u: Float64Array, at: number, bias: Float64Array, Y: Float64Array, g: Float64Array, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = u[at + i]! + bias[i]!;
    u[at + i] = a;
    if (a > max) max = a;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(u[at + i]! - max);
  const lse = max + Math.log(sum);
  let loss = 0;
  let ysum = 0;
  for (let i = 0; i < n; i++) {
    loss -= Y[at + i]! * (u[at + i]! - lse);
    ysum += Y[at + i]!;
  }
  for (let i = 0; i < n; i++) g[at + i] = Math.exp(u[at + i]! - lse) * ysum - Y[at + i]!;
  return loss;
}
