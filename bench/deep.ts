/**
 * Deep networks: the generated gradient kernels of tanh MLPs with softmax + cross-entropy
 * (depth 2, 4, 8; width 64 and 256; one sample and a batch of 64) against a hand-written
 * backprop blocked like them, in the same run, and the derivation (parse, sweep, kernel) time by depth.
 */
import { compile } from "../src/codegen/index.js";
import { gemmNN, gemmNT, gemmTNAdd } from "./hand-gemm.js";
import { matTvec, matvec, outer, softmaxCrossEntropy } from "./hand.js";
import { measureGroup, measureOnce, type Timing } from "./timing.js";

/** The spec of a depth-d MLP of width n (symbolic), with its grad kernel and the batch. */
export function mlpSpec(depth: number): string {
  const lines = ["x: vector(n)", "y: vector(n)"];
  for (let k = 1; k <= depth; k++) lines.push(`W${k}: matrix(n, n)`, `b${k}: vector(n)`);
  let prev = "x";
  for (let k = 1; k < depth; k++) {
    lines.push(`z${k} = tanh(W${k}*${prev} + b${k})`);
    prev = `z${k}`;
  }
  lines.push(`s = exp(W${depth}*${prev} + b${depth})/sum(exp(W${depth}*${prev} + b${depth}))`, "L = -sum(y .* log(s))");
  const params = Array.from({ length: depth }, (_, k) => [`W${k + 1}`, `b${k + 1}`]).flat();
  lines.push(`kernel grads = grad(L, ${params.join(", ")})`, "kernel gradsBatch = batch(grads, x, y)");
  return lines.join("\n");
}

/**
 * Hand-written backprop of the same network, written as carefully as jacobi's kernels: one sample with
 * matrix-vector products four rows at a time (bench/hand.ts), a batch as 2×4 register-blocked matrix
 * products over the whole batch (bench/hand-gemm.ts), the elementwise work fused into one pass per layer,
 * every buffer preallocated. Row-major: W_k is n×n, a batch of activations is batch×n.
 */
class HandMlp {
  /** z[k] (k = 1 … depth-1): the activations of layer k, batch×n; z[depth]: the last pre-activation. */
  private readonly z: Float64Array[];
  /** Two cotangent buffers (batch×n), used in turn by the batched backward pass. */
  private readonly d: [Float64Array, Float64Array];
  constructor(
    readonly depth: number,
    readonly n: number,
    readonly batch: number,
  ) {
    this.z = Array.from({ length: depth + 1 }, (_, k) => new Float64Array(k === 0 ? 0 : batch * n));
    this.d = [new Float64Array(batch * n), new Float64Array(batch * n)];
  }

  /** Writes the loss's gradients (summed over the batch) into gW (W_k row-major) and gb; returns the loss. */
  grads(W: Float64Array[], bias: Float64Array[], X: Float64Array, Y: Float64Array, gW: Float64Array[], gb: Float64Array[]): number {
    return this.batch === 1 ? this.single(W, bias, X, Y, gW, gb) : this.batched(W, bias, X, Y, gW, gb);
  }

  /** One sample: z_k = tanh(W_k z_{k-1} + b_k); d_k (kept in gb_k) = (W_{k+1}' d_{k+1}) .* (1 - z_k.^2); gW_k = d_k z_{k-1}'. */
  private single(W: Float64Array[], bias: Float64Array[], x: Float64Array, y: Float64Array, gW: Float64Array[], gb: Float64Array[]): number {
    const { depth, n, z } = this;
    const input = (k: number): Float64Array => (k === 0 ? x : z[k]!);
    for (let k = 1; k < depth; k++) {
      const zk = matvec(W[k - 1]!, input(k - 1), z[k]!);
      const bk = bias[k - 1]!;
      for (let i = 0; i < n; i++) zk[i] = Math.tanh(zk[i]! + bk[i]!);
    }
    const loss = softmaxCrossEntropy(matvec(W[depth - 1]!, input(depth - 1), z[depth]!), 0, bias[depth - 1]!, y, gb[depth - 1]!, n);
    for (let k = depth; k >= 1; k--) {
      const dk = gb[k - 1]!;
      outer(dk, input(k - 1), gW[k - 1]!);
      if (k === 1) break;
      const below = matTvec(W[k - 1]!, dk, gb[k - 2]!);
      const zk = z[k - 1]!;
      for (let j = 0; j < n; j++) below[j] = below[j]! * (1 - zk[j]! * zk[j]!);
    }
    return loss;
  }

  /** A batch: Z_k = tanh(Z_{k-1} W_k' + b_k); D_{k-1} = (D_k W_k) .* (1 - Z_{k-1}.^2); gW_k = D_k' Z_{k-1}; gb_k = column sums of D_k. */
  private batched(W: Float64Array[], bias: Float64Array[], X: Float64Array, Y: Float64Array, gW: Float64Array[], gb: Float64Array[]): number {
    const { depth, n, batch, z, d } = this;
    const input = (k: number): Float64Array => (k === 0 ? X : z[k]!);
    for (let k = 1; k < depth; k++) {
      const Zk = z[k]!;
      gemmNT(input(k - 1), W[k - 1]!, Zk, batch, n, n);
      const bk = bias[k - 1]!;
      for (let b = 0; b < batch; b++) for (let i = 0, at = b * n; i < n; i++) Zk[at + i] = Math.tanh(Zk[at + i]! + bk[i]!);
    }
    const U = z[depth]!;
    gemmNT(input(depth - 1), W[depth - 1]!, U, batch, n, n);
    let D = d[depth % 2]!;
    const top = gb[depth - 1]!.fill(0);
    let loss = 0;
    for (let b = 0; b < batch; b++) {
      loss += softmaxCrossEntropy(U, b * n, bias[depth - 1]!, Y, D, n);
      for (let i = 0, at = b * n; i < n; i++) top[i]! += D[at + i]!;
    }
    for (let k = depth; k >= 1; k--) {
      gemmTNAdd(D, input(k - 1), gW[k - 1]!.fill(0), n, n, batch);
      if (k === 1) break;
      const below = d[(k - 1) % 2]!;
      gemmNN(D, W[k - 1]!, below, batch, n, n);
      const Zk = z[k - 1]!;
      const sums = gb[k - 2]!.fill(0);
      for (let b = 0; b < batch; b++)
        for (let j = 0, at = b * n; j < n; j++) {
          const g = below[at + j]! * (1 - Zk[at + j]! * Zk[at + j]!);
          below[at + j] = g;
          sums[j]! += g;
        }
      D = below;
    }
    return loss;
  }
}

type Kernel = (inputs: Record<string, unknown>, out?: unknown) => unknown;

/** Deep-MLP gradient kernels against hand-written backprop, and derivation time by depth. */
export function deepBenchmarks(
  time: (s: number) => string,
  log: (msg: string) => void,
  vec: (n: number, scale?: number) => Float64Array,
  agree: (what: string, a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => void,
  quick: boolean,
): { lines: string[]; raw: [string, Timing][] } {
  const lines: string[] = [];
  const raw: [string, Timing][] = [];
  const opts = quick ? { samples: 5, budgetMs: 300 } : {};
  lines.push(
    "## Deep networks: gradient kernels by depth (tanh layers, softmax, cross-entropy)",
    "",
    "`grad(L, W1, b1, …)` of an MLP of equal widths, generated from the backward sweep (each cotangent once), for one sample and",
    "`batch(…)` over 64, against a hand-written backprop with the same unrolling and blocking, timed in alternation. The hand version",
    "does one sample with matrix-vector products four rows at a time (`W_k*z`, `W_k'*d`) and the batch as 2×4 register-blocked",
    "matrix products over all 64 samples (`Z_k = tanh(Z_{k-1} W_k' + b_k)`, `D_{k-1} = (D_k W_k) .* (1 - Z_{k-1}.^2)`, `gW_k = D_k' Z_{k-1}`,",
    "`gb_k` = column sums of `D_k`; bench/hand-gemm.ts), with the elementwise work fused and every buffer preallocated; its loss and every",
    "gradient are checked against jacobi's before timing. The backward work of both grows linearly with depth.",
    "",
    "| depth | width | batch | jacobi | hand | jacobi / hand |",
    "|---:|---:|---:|---:|---:|---:|",
  );
  const kernels = new Map<number, Record<string, Kernel>>();
  for (const depth of [2, 4, 8]) {
    const spec = mlpSpec(depth);
    kernels.set(depth, { grads: compile(spec, { kernel: "grads" }) as Kernel, gradsBatch: compile(spec, { kernel: "gradsBatch" }) as Kernel });
  }
  for (const depth of [2, 4, 8])
    for (const n of [64, 256])
      for (const batch of [1, 64]) {
        const W = Array.from({ length: depth }, () => vec(n * n, 1 / Math.sqrt(n)));
        const bias = Array.from({ length: depth }, () => vec(n, 0.1));
        const X = vec(batch * n);
        const Y = new Float64Array(batch * n);
        for (let b = 0; b < batch; b++) Y[b * n + ((b * 7) % n)] = 1;
        const inputs: Record<string, unknown> = { x: X, y: Y };
        W.forEach((w, k) => (inputs[`W${k + 1}`] = w));
        bias.forEach((c, k) => (inputs[`b${k + 1}`] = c));
        const kernel = kernels.get(depth)![batch === 1 ? "grads" : "gradsBatch"]!;
        const out = kernel(inputs) as Record<string, Float64Array | number>;
        const hand = new HandMlp(depth, n, batch);
        const gW = W.map((w) => new Float64Array(w.length));
        const gb = bias.map((c) => new Float64Array(c.length));
        const handCall = (): number => hand.grads(W, bias, X, Y, gW, gb);
        const loss = handCall();
        const what = `depth ${depth} width ${n} batch ${batch}`;
        agree(`deep network loss ${what}`, [out.loss as number], [loss], 1e-9 * Math.max(1, Math.abs(loss)));
        for (let k = 1; k <= depth; k++) {
          agree(`deep network dW${k} ${what}`, out[`W${k}`] as Float64Array, gW[k - 1]!, 1e-10);
          agree(`deep network db${k} ${what}`, out[`b${k}`] as Float64Array, gb[k - 1]!, 1e-10);
        }
        const label = `depth ${depth}, width ${n}, batch ${batch}`;
        const t = measureGroup({ [`jacobi deep ${label}`]: () => kernel(inputs, out), [`hand deep ${label}`]: handCall }, opts);
        const gen = t[`jacobi deep ${label}`]!;
        const hw = t[`hand deep ${label}`]!;
        raw.push([`jacobi deep ${label}`, gen], [`hand deep ${label}`, hw]);
        log(`deep ${label}: jacobi ${time(gen.median)}, hand ${time(hw.median)}`);
        lines.push(`| ${depth} | ${n} | ${batch} | ${time(gen.median)} | ${time(hw.median)} | ${(gen.median / hw.median).toFixed(2)}× |`);
      }
  lines.push(
    "",
    "Derivation by depth: `compile` of the grad kernel (parse, the index form tried and the backward sweep, lowering, code), for any width.",
    "",
    "| depth | derive + compile |",
    "|---:|---:|",
  );
  for (const depth of [2, 4, 8, 16]) {
    const spec = mlpSpec(depth);
    const t = measureOnce(() => compile(spec, { kernel: "grads" }), quick ? 3 : 7);
    raw.push([`jacobi derive + compile depth ${depth}`, t]);
    log(`derive + compile depth ${depth}: ${time(t.median)}`);
    lines.push(`| ${depth} | ${time(t.median)} |`);
  }
  lines.push("");
  return { lines, raw };
}
