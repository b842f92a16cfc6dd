/**
 * `npm run bench`: the generated kernels (generated/*.ts) against careful hand-written
 * TypeScript (bench/hand.ts), TensorFlow.js (cpu and wasm), and for symbolic derivatives
 * mathjs; plus the bandwidth and Math.exp ceilings. Writes bench/RESULTS.md.
 */
import { symbolicBenchmarks } from "./symbolic.js";
import { deepBenchmarks } from "./deep.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, totalmem, platform, arch } from "node:os";
import * as softmaxK from "../generated/softmax.js";
import * as matvecK from "../generated/matvec.js";
import * as mlpK from "../generated/mlp.js";
import { compile } from "../src/codegen/index.js";
import * as hand from "./hand.js";
import { backendName, mathjsSoftmaxJacobian, tfMatTvec, tfNet, tfOuter, tfSoftmax, tfSoftmaxJacobian, tfSoftmaxVjp, useBackend, type Backend } from "./peers.js";
import { measure, measureGroup, measureOnce, sinkValue, type Timing } from "./timing.js";

const QUICK = process.env["JACOBI_BENCH_QUICK"] === "1";
const started = Date.now();

/** A seeded generator, so runs time the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(2024);
const vec = (n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => (2 * random() - 1) * scale);
const f32 = (a: Float64Array): Float32Array => Float32Array.from(a);

function time(s: number): string {
  if (s < 1e-6) return `${(s * 1e9).toFixed(0)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 1e-2 ? 2 : 1)} ms`;
  return `${s.toFixed(2)} s`;
}
const ratio = (a: Timing | undefined, b: Timing | undefined): string => (a && b ? `${(a.median / b.median).toFixed(2)}×` : "—");
const cell = (t: Timing | undefined): string => (t ? time(t.median) : "—");

const lines: string[] = [];
const out = (...l: string[]): void => {
  lines.push(...l);
};
const log = (msg: string): void => {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);
};

/** Largest |a - b| over the entries (the implementations must agree before they are timed). */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k]! - b[k]!));
  return a.length === b.length ? d : Infinity;
}
const checks: string[] = [];
const skipped: string[] = [];
function agree(what: string, a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): void {
  const d = maxDiff(a, b);
  if (!(d <= tolerance)) checks.push(`${what}: implementations differ by ${d}`);
}

const opts = QUICK ? { warmupMs: 30, samples: 5, budgetMs: 300, sampleMs: 3 } : { warmupMs: 200, samples: 15, budgetMs: 4000, sampleMs: 10 };

async function tfTimings(run: (backend: Backend) => Timing | undefined): Promise<Record<Backend, Timing | undefined>> {
  const result: Record<Backend, Timing | undefined> = { cpu: undefined, wasm: undefined };
  for (const b of ["cpu", "wasm"] as const) {
    await useBackend(b);
    result[b] = run(b);
  }
  return result;
}

async function main(): Promise<void> {
  out(
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/main.ts). Times are medians over repeated samples (each sample times enough calls to last ≥ 10 ms;",
    "15 samples, or fewer when one call is slow; a call slower than 0.25 s is timed 3 times alone); the quartiles are in the raw table at",
    "the end. jacobi, the hand-written kernels and the ceilings of one row are timed in alternation (sample by sample), so load on the",
    "machine affects them alike. Ratios divide the first time by the second (below 1× means jacobi is faster). All implementations run in",
    "the same process on the same data, with preallocated outputs where the implementation allows it (jacobi's inputs objects are made",
    "once, as a caller in a loop would); jacobi and the hand-written kernels compute in Float64Array, TensorFlow.js in float32 (its only",
    "float type), with tensors made from the arrays on every call and results read back with `dataSync()`.",
    "",
    "## Machine",
    "",
    `- CPU: ${cpus()[0]?.model ?? "unknown"} × ${cpus().length}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${platform()} ${arch()}; Node ${process.version}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}${QUICK ? " (quick mode: few samples, numbers are rough)" : ""}`,
    "",
  );
  const raw: [string, Timing][] = [];
  const m = (label: string, fn: () => unknown, o = opts): Timing => {
    const t = measure(fn, o);
    raw.push([label, t]);
    log(`${label}: ${time(t.median)}`);
    return t;
  };
  /** Implementations of one row, timed in alternation. */
  const mg = (fns: Record<string, () => unknown>, o = opts): Record<string, Timing> => {
    const t = measureGroup(fns, o);
    for (const [label, v] of Object.entries(t)) {
      raw.push([label, v]);
      log(`${label}: ${time(v.median)}`);
    }
    return t;
  };

  // -------------------------------------------------------------------------
  // Ceilings
  const ceilings = new Map<number, { add: Timing; set: Timing; exp: Timing }>();
  const ceilingSizes = [1e3, 1e5, 1e6, 128 * 784];
  for (const n of ceilingSizes) {
    const a = vec(n);
    const b = vec(n);
    const c = new Float64Array(n);
    const t = mg({
      [`add loop n=${n}`]: () => hand.addLoop(a, b, c),
      [`TypedArray.set n=${n}`]: () => hand.copySet(a, c),
      [`Math.exp loop n=${n}`]: () => hand.expLoop(a, c),
    });
    const add = t[`add loop n=${n}`]!;
    const set = t[`TypedArray.set n=${n}`]!;
    const exp = t[`Math.exp loop n=${n}`]!;
    ceilings.set(n, { add, set, exp });
  }
  out("## Ceilings", "", "What a loop over n Float64Array entries costs at best: c = a + b, `c.set(a)`, c = exp(a).", "", "| n | add loop | TypedArray.set | Math.exp loop |", "|---:|---:|---:|---:|");
  for (const [n, c] of ceilings) out(`| ${n} | ${cell(c.add)} | ${cell(c.set)} | ${cell(c.exp)} |`);
  out("");

  // -------------------------------------------------------------------------
  // softmax and its VJP
  for (const which of ["softmax", "softmaxVjp"] as const) {
    out(
      `## ${which === "softmax" ? "softmax(x)" : "softmax VJP: s .* (g - g'*s)"}`,
      "",
      "| n | jacobi | hand-written | jacobi / hand | tfjs-cpu | jacobi / tfjs-cpu | tfjs-wasm | jacobi / tfjs-wasm | jacobi / add loop | jacobi / exp loop |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const n of [1e3, 1e5, 1e6]) {
      const x = vec(n, 3);
      const g = vec(n);
      const o1 = new Float64Array(n);
      const o2 = new Float64Array(n);
      const x32 = f32(x);
      const g32 = f32(g);
      // inputs objects are made once, as a caller in a loop would
      const xs = { x };
      const xg = { x, g };
      let gen: Timing;
      let hw: Timing;
      if (which === "softmax") {
        agree(`softmax n=${n}`, softmaxK.softmax(xs, o1), hand.softmax(x, o2), 1e-15);
        const t = mg({ [`jacobi softmax n=${n}`]: () => softmaxK.softmax(xs, o1), [`hand softmax n=${n}`]: () => hand.softmax(x, o2) });
        gen = t[`jacobi softmax n=${n}`]!;
        hw = t[`hand softmax n=${n}`]!;
      } else {
        agree(`softmaxVjp n=${n}`, softmaxK.softmaxVjp(xg, o1), hand.softmaxVjp(x, g, o2), 1e-14);
        const t = mg({ [`jacobi softmaxVjp n=${n}`]: () => softmaxK.softmaxVjp(xg, o1), [`hand softmaxVjp n=${n}`]: () => hand.softmaxVjp(x, g, o2) });
        gen = t[`jacobi softmaxVjp n=${n}`]!;
        hw = t[`hand softmaxVjp n=${n}`]!;
      }
      const tf = await tfTimings((b) => {
        if (which === "softmax") {
          agree(`tfjs-${b} softmax n=${n}`, tfSoftmax(x32), o1, 1e-6);
          return m(`tfjs-${backendName()} softmax n=${n}`, () => tfSoftmax(x32));
        }
        agree(`tfjs-${b} softmaxVjp n=${n}`, tfSoftmaxVjp(x32, g32), o1, 1e-6);
        return m(`tfjs-${backendName()} softmaxVjp n=${n}`, () => tfSoftmaxVjp(x32, g32));
      });
      const c = ceilings.get(n)!;
      out(`| ${n} | ${cell(gen)} | ${cell(hw)} | ${ratio(gen, hw)} | ${cell(tf.cpu)} | ${ratio(gen, tf.cpu)} | ${cell(tf.wasm)} | ${ratio(gen, tf.wasm)} | ${ratio(gen, c.add)} | ${ratio(gen, c.exp)} |`);
    }
    out("");
  }

  // -------------------------------------------------------------------------
  // softmax Jacobian
  out(
    "## softmax Jacobian: diag(s) - s*s' (n×n)",
    "",
    "| n | jacobi | hand-written | jacobi / hand | tfjs-cpu | jacobi / tfjs-cpu | tfjs-wasm | jacobi / tfjs-wasm | TypedArray.set of n² | jacobi / set |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  let tfJacobian1000: number | undefined;
  for (const n of [10, 100, 1000, 4000]) {
    const x = vec(n, 3);
    const o1 = new Float64Array(n * n);
    const o2 = new Float64Array(n * n);
    const s = new Float64Array(n);
    const x32 = f32(x);
    const xs = { x };
    agree(`softmaxJacobian n=${n}`, softmaxK.softmaxJacobian(xs, o1), hand.softmaxJacobian(x, o2, s), 1e-15);
    const heavy = n >= 1000 ? { ...opts, samples: Math.min(opts.samples, 9) } : opts;
    const t = mg({ [`jacobi softmaxJacobian n=${n}`]: () => softmaxK.softmaxJacobian(xs, o1), [`hand softmaxJacobian n=${n}`]: () => hand.softmaxJacobian(x, o2, s) }, heavy);
    const gen = t[`jacobi softmaxJacobian n=${n}`]!;
    const hw = t[`hand softmaxJacobian n=${n}`]!;
    // tfjs at n = 4000 would take minutes per backend: it is estimated from n = 1000 (n² work) instead
    const estimate = n === 4000 && tfJacobian1000 !== undefined && tfJacobian1000 * 16 > 5;
    const tf = estimate
      ? { cpu: undefined, wasm: undefined }
      : await tfTimings((b) => {
          agree(`tfjs-${b} softmaxJacobian n=${n}`, tfSoftmaxJacobian(x32), o1, 1e-6);
          return m(`tfjs-${backendName()} softmaxJacobian n=${n}`, () => tfSoftmaxJacobian(x32), heavy);
        });
    if (n === 1000) tfJacobian1000 = Math.min(tf.cpu?.median ?? Infinity, tf.wasm?.median ?? Infinity);
    if (estimate) skipped.push(`tfjs softmax Jacobian at n = 4000: not run; at n = 1000 it took ${time(tfJacobian1000!)}, so about ${time(tfJacobian1000! * 16)} per call at n = 4000`);
    const big = vec(n * n);
    const dst = new Float64Array(n * n);
    const set = m(`TypedArray.set n=${n * n}`, () => hand.copySet(big, dst), heavy);
    out(`| ${n} | ${cell(gen)} | ${cell(hw)} | ${ratio(gen, hw)} | ${cell(tf.cpu)} | ${ratio(gen, tf.cpu)} | ${cell(tf.wasm)} | ${ratio(gen, tf.wasm)} | ${cell(set)} | ${ratio(gen, set)} |`);
  }
  out("");

  // -------------------------------------------------------------------------
  // matrix-vector pullbacks at 128×784
  {
    const [mm, nn] = [128, 784];
    const W = vec(mm * nn);
    const x = vec(nn);
    const g = vec(mm);
    const W32 = f32(W);
    const x32 = f32(x);
    const g32 = f32(g);
    out(
      "## Matrix-vector pullbacks at W: 128×784",
      "",
      "| kernel | jacobi | hand-written | jacobi / hand | tfjs-cpu | jacobi / tfjs-cpu | tfjs-wasm | jacobi / tfjs-wasm | add loop over 128·784 | jacobi / add loop |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    const add = ceilings.get(mm * nn)!.add;
    {
      const o1 = new Float64Array(mm * nn);
      const o2 = new Float64Array(mm * nn);
      const gx = { g, x };
      agree("outer", matvecK.matvecVjpW(gx, o1), hand.outer(g, x, o2), 1e-15);
      const t = mg({ "jacobi outer g*x'": () => matvecK.matvecVjpW(gx, o1), "hand outer g*x'": () => hand.outer(g, x, o2) });
      const gen = t["jacobi outer g*x'"]!;
      const hw = t["hand outer g*x'"]!;
      const tf = await tfTimings((b) => {
        agree(`tfjs-${b} outer`, tfOuter(g32, x32), o1, 1e-6);
        return m(`tfjs-${backendName()} outer`, () => tfOuter(g32, x32));
      });
      out(`| outer product g*x' (matvecVjpW) | ${cell(gen)} | ${cell(hw)} | ${ratio(gen, hw)} | ${cell(tf.cpu)} | ${ratio(gen, tf.cpu)} | ${cell(tf.wasm)} | ${ratio(gen, tf.wasm)} | ${cell(add)} | ${ratio(gen, add)} |`);
    }
    {
      const o1 = new Float64Array(nn);
      const o2 = new Float64Array(nn);
      const Wg = { W, g };
      agree("W'*g", matvecK.matvecVjpX(Wg, o1), hand.matTvec(W, g, o2), 1e-12);
      const t = mg({ "jacobi W'*g": () => matvecK.matvecVjpX(Wg, o1), "hand W'*g": () => hand.matTvec(W, g, o2) });
      const gen = t["jacobi W'*g"]!;
      const hw = t["hand W'*g"]!;
      const tf = await tfTimings((b) => {
        agree(`tfjs-${b} W'*g`, tfMatTvec(W32, g32, mm, nn), o1, 1e-4);
        return m(`tfjs-${backendName()} W'*g`, () => tfMatTvec(W32, g32, mm, nn));
      });
      out(`| W'*g (matvecVjpX) | ${cell(gen)} | ${cell(hw)} | ${ratio(gen, hw)} | ${cell(tf.cpu)} | ${ratio(gen, tf.cpu)} | ${cell(tf.wasm)} | ${ratio(gen, tf.wasm)} | ${cell(add)} | ${ratio(gen, add)} |`);
    }
    {
      const o1 = new Float64Array(mm);
      const o2 = new Float64Array(mm);
      const Wx = { W, x };
      agree("W*x", matvecK.matvec(Wx, o1), hand.matvec(W, x, o2), 1e-12);
      const t = mg({ "jacobi W*x": () => matvecK.matvec(Wx, o1), "hand W*x": () => hand.matvec(W, x, o2) });
      const gen = t["jacobi W*x"]!;
      const hw = t["hand W*x"]!;
      out(`| W*x (matvec) | ${cell(gen)} | ${cell(hw)} | ${ratio(gen, hw)} | — | — | — | — | ${cell(add)} | ${ratio(gen, add)} |`);
    }
    out("");
  }

  // -------------------------------------------------------------------------
  // the network
  out(
    "## The network: loss and gradients (sigmoid layer, softmax, cross-entropy)",
    "",
    "`mlpGrads` for one sample; `mlpGradsBatch` sums loss and gradients over a batch. The idiomatic hand-written step loops over the samples;",
    "the blocked one computes the batch as register-blocked matrix products (X W1', Z1 W2', G2 W2, G2' Z1, G3' X).",
    "",
    "| sizes (n0, n1, n2), batch | jacobi | hand idiomatic | jacobi / idiomatic | hand blocked | blocked / idiomatic | jacobi / blocked | tfjs-cpu | jacobi / tfjs-cpu | tfjs-wasm | jacobi / tfjs-wasm |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const [n0, n1, n2, batch] of [
    [2, 3, 3, 1],
    [784, 128, 10, 64],
  ] as const) {
    const net: hand.Net = { n0, n1, n2, W1: vec(n1 * n0, 0.1), b1: vec(n1, 0.1), W2: vec(n2 * n1, 0.3), b2: vec(n2, 0.1) };
    const X = vec(batch * n0);
    const Y = new Float64Array(batch * n2);
    for (let b = 0; b < batch; b++) Y[b * n2 + Math.floor(random() * n2)] = 1;
    // the inputs object is made once, as a training loop would
    const inputs = { x: X, y: Y, W1: net.W1, b1: net.b1, W2: net.W2, b2: net.b2 };
    const gIdiom = hand.gradsFor(net);
    const gBlock = hand.gradsFor(net);
    const gGen = hand.gradsFor(net);
    const scratch = new hand.NetScratch(net);
    const bscratch = new hand.BatchScratch(net, batch);
    const single = batch === 1;
    const genCall = single ? () => mlpK.mlpGrads(inputs, gGen) : () => mlpK.mlpGradsBatch(inputs, gGen);
    const idiomCall = single ? () => (hand.netStep(net, X, 0, Y, 0, gIdiom, scratch, false), gIdiom) : () => hand.netBatchIdiomatic(net, X, Y, batch, gIdiom, scratch);
    const blockCall = () => hand.netBatchBlocked(net, X, Y, batch, gBlock, bscratch);
    genCall();
    idiomCall();
    blockCall();
    for (const key of ["W1", "b1", "W2", "b2"] as const) {
      agree(`network ${key} (jacobi vs idiomatic)`, gGen[key], gIdiom[key], 1e-10);
      agree(`network ${key} (blocked vs idiomatic)`, gBlock[key], gIdiom[key], 1e-10);
    }
    agree("network loss", [gGen.loss], [gIdiom.loss], 1e-9);
    const label = `(${n0}, ${n1}, ${n2}), batch ${batch}`;
    const t = mg({ [`jacobi network ${label}`]: genCall, [`hand idiomatic network ${label}`]: idiomCall, [`hand blocked network ${label}`]: blockCall });
    const gen = t[`jacobi network ${label}`]!;
    const idiom = t[`hand idiomatic network ${label}`]!;
    const block = t[`hand blocked network ${label}`]!;
    const p = { n0, n1, n2, batch, X: f32(X), Y: f32(Y), W1: f32(net.W1), b1: f32(net.b1), W2: f32(net.W2), b2: f32(net.b2) };
    const tf = await tfTimings((b) => {
      const r = tfNet(p);
      agree(`tfjs-${b} network loss ${label}`, [r.loss], [gIdiom.loss], 1e-3 * Math.max(1, Math.abs(gIdiom.loss)));
      agree(`tfjs-${b} network dW1 ${label}`, r.grads[0]!, gIdiom.W1, 1e-4);
      return m(`tfjs-${backendName()} network ${label}`, () => tfNet(p));
    });
    out(
      `| ${label} | ${cell(gen)} | ${cell(idiom)} | ${ratio(gen, idiom)} | ${cell(block)} | ${ratio(block, idiom)} | ${ratio(gen, block)} | ${cell(tf.cpu)} | ${ratio(gen, tf.cpu)} | ${cell(tf.wasm)} | ${ratio(gen, tf.wasm)} |`,
    );
  }
  out("");

  // -------------------------------------------------------------------------
  // symbolic derivatives
  {
    const spec = "x: vector(n); s = exp(x)/sum(exp(x)); kernel j = jacobian(s, x)";
    const n = 3;
    const derive = measureOnce(() => compile(spec), QUICK ? 5 : 25);
    const mathDerive = measureOnce(() => mathjsSoftmaxJacobian(n), QUICK ? 5 : 25);
    raw.push(["jacobi derive + compile (softmax Jacobian, any n)", derive], ["mathjs derivative + compile (softmax Jacobian, n = 3)", mathDerive]);
    const kernel = compile(spec);
    const entries = mathjsSoftmaxJacobian(n);
    const x = vec(n);
    const o = new Float64Array(n * n);
    const scope = { x1: x[0]!, x2: x[1]!, x3: x[2]! };
    const mathValues = entries.map((e) => e.evaluate(scope));
    agree("mathjs softmax Jacobian", mathValues, kernel({ x }, o) as Float64Array, 1e-12);
    const xs = { x };
    const t = mg({
      "jacobi softmax Jacobian n=3 (evaluate)": () => kernel(xs, o),
      "mathjs softmax Jacobian n=3 (evaluate 9 entries)": () => {
        let sum = 0;
        for (const e of entries) sum += e.evaluate(scope);
        return sum;
      },
    });
    const evalGen = t["jacobi softmax Jacobian n=3 (evaluate)"]!;
    const evalMath = t["mathjs softmax Jacobian n=3 (evaluate 9 entries)"]!;
    out(
      "## Symbolic derivatives: jacobi vs mathjs",
      "",
      "The softmax Jacobian. jacobi derives it once for any n (`diag(s) - s*s'`) and generates the kernel (`compile`); mathjs",
      "differentiates each of the n² entries of the written-out softmax (`derivative`) and compiles them, here for n = 3.",
      "",
      "| step | jacobi | mathjs | jacobi / mathjs |",
      "|---|---:|---:|---:|",
      `| derive + compile | ${cell(derive)} | ${cell(mathDerive)} | ${ratio(derive, mathDerive)} |`,
      `| evaluate the Jacobian at n = 3 | ${cell(evalGen)} | ${cell(evalMath)} | ${ratio(evalGen, evalMath)} |`,
      "",
    );
  }

  // -------------------------------------------------------------------------
  // Deep networks: gradient kernels by depth against hand-written backprop, derivation time
  const deep = deepBenchmarks(time, log, vec, agree, QUICK);
  out(...deep.lines);
  raw.push(...deep.raw);

  // -------------------------------------------------------------------------
  // Symbolic: element-wise Jacobians vs SymPy, matrix-form derivation time by size
  const symbolic = symbolicBenchmarks(time, log, QUICK);
  out(...symbolic.lines);
  raw.push(...symbolic.raw);

  if (skipped.length > 0) out("## Not run", "", ...skipped.map((x) => `- ${x}`), "");
  out("## Checks", "", checks.length === 0 ? "Before timing, every implementation's result was compared with jacobi's: all agree (f64 to 1e-10, tfjs float32 to 1e-4)." : checks.map((c) => `- ${c}`).join("\n"), "");
  out("## Raw timings", "", "| measurement | median | q1 | q3 | samples × calls |", "|---|---:|---:|---:|---:|");
  for (const [label, t] of raw) out(`| ${label} | ${time(t.median)} | ${time(t.q1)} | ${time(t.q3)} | ${t.samples} × ${t.calls} |`);
  out("", `Total bench time: ${((Date.now() - started) / 1000).toFixed(0)} s.`, "");
  writeFileSync(join(process.env["JACOBI_ROOT"] ?? process.cwd(), "bench", "RESULTS.md"), lines.join("\n"));
  log(`wrote bench/RESULTS.md (sink ${sinkValue() === 0 ? 0 : 1})`);
}

await main();
