/**
 * Deep networks: the generated gradient kernels of tanh MLPs with softmax + cross-entropy
 * (depth 2, 4, 8; width 64 and 256; one sample and a batch of 64) against a hand-written
 * backprop in the same run, and the derivation (parse, sweep, kernel) time by depth.
 */
import { compile } from "../src/codegen/index.js";
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

/** Hand-written backprop of the same network: forward, then one cotangent per layer. */
class HandMlp {
  readonly z: Float64Array[];
  readonly d: Float64Array[];
  constructor(
    readonly depth: number,
    readonly n: number,
  ) {
    this.z = Array.from({ length: depth + 1 }, () => new Float64Array(n));
    this.d = Array.from({ length: depth + 1 }, () => new Float64Array(n));
  }

  /** Adds sample b's gradients into g (W_k row-major, b_k); returns its loss. */
  step(W: Float64Array[], bias: Float64Array[], X: Float64Array, Y: Float64Array, b: number, gW: Float64Array[], gb: Float64Array[]): number {
    const { depth, n, z, d } = this;
    z[0]!.set(X.subarray(b * n, (b + 1) * n));
    for (let k = 1; k <= depth; k++) {
      const w = W[k - 1]!;
      const zin = z[k - 1]!;
      const out = z[k]!;
      for (let i = 0; i < n; i++) {
        let acc = bias[k - 1]![i]!;
        const row = i * n;
        for (let j = 0; j < n; j++) acc += w[row + j]! * zin[j]!;
        out[i] = k < depth ? Math.tanh(acc) : acc;
      }
    }
    // softmax and cross-entropy on the last pre-activation
    const u = z[depth]!;
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (u[i]! > max) max = u[i]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(u[i]! - max);
    const lse = max + Math.log(sum);
    let loss = 0;
    let ysum = 0;
    for (let i = 0; i < n; i++) ysum += Y[b * n + i]!;
    const top = d[depth]!;
    for (let i = 0; i < n; i++) {
      const y = Y[b * n + i]!;
      loss -= y * (u[i]! - lse);
      top[i] = Math.exp(u[i]! - lse) * ysum - y;
    }
    for (let k = depth; k >= 1; k--) {
      const dk = d[k]!;
      const zin = z[k - 1]!;
      const gw = gW[k - 1]!;
      const gbk = gb[k - 1]!;
      for (let i = 0; i < n; i++) {
        const di = dk[i]!;
        gbk[i]! += di;
        const row = i * n;
        for (let j = 0; j < n; j++) gw[row + j]! += di * zin[j]!;
      }
      if (k === 1) break;
      // d_{k-1} = (W_k' d_k) .* (1 - z_{k-1}.^2)
      const w = W[k - 1]!;
      const below = d[k - 1]!;
      below.fill(0);
      for (let i = 0; i < n; i++) {
        const di = dk[i]!;
        const row = i * n;
        for (let j = 0; j < n; j++) below[j]! += w[row + j]! * di;
      }
      for (let j = 0; j < n; j++) below[j]! *= 1 - zin[j]! * zin[j]!;
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
    "`batch(…)` over 64, against a hand-written backprop (the same loops a careful programmer writes: forward, then one cotangent per",
    "layer), timed in alternation. The backward work of both grows linearly with depth.",
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
        const hand = new HandMlp(depth, n);
        const gW = W.map((w) => new Float64Array(w.length));
        const gb = bias.map((c) => new Float64Array(c.length));
        const handCall = (): number => {
          for (const g of gW) g.fill(0);
          for (const g of gb) g.fill(0);
          let loss = 0;
          for (let b = 0; b < batch; b++) loss += hand.step(W, bias, X, Y, b, gW, gb);
          return loss;
        };
        const loss = handCall();
        agree(`deep network loss depth ${depth} width ${n} batch ${batch}`, [out.loss as number], [loss], 1e-9 * Math.max(1, Math.abs(loss)));
        agree(`deep network dW1 depth ${depth} width ${n} batch ${batch}`, out.W1 as Float64Array, gW[0]!, 1e-10);
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
