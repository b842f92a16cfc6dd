/**
 * The kernel sections of the bench: every seed kernel (generated/*.ts, f64; the same
 * specs compiled with `--dtype f32`) next to the hand-written kernels (bench/hand.ts),
 * TensorFlow.js (cpu and wasm) and numpy (f64 and f32), on the same data, every result
 * checked against jacobi's before anything is timed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as softmaxK from "../generated/softmax.js";
import * as matvecK from "../generated/matvec.js";
import * as mlpK from "../generated/mlp.js";
import { compile, compileWasm } from "../src/codegen/index.js";
import { agree, f32, m, mg, notes, numpyTimes, opts, random, ROOT, vec } from "./context.js";
import * as hand from "./hand.js";
import { backendName, tfMatTvec, tfNet, tfOuter, tfSoftmax, tfSoftmaxJacobian, tfSoftmaxVjp, useBackend, type Backend } from "./peers.js";
import { time, type Row } from "./report.js";
import type { Timing } from "./timing.js";

/** A kernel of examples/NAME.jacobi compiled for Float32Array (what `jacobi gen --dtype f32` writes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const f32Kernel = (file: string, kernel: string): ((inputs: any, out?: any) => any) => compile(specText(file), { kernel, dtype: "f32" });
const specText = (file: string): string => readFileSync(join(ROOT, "examples", `${file}.jacobi`), "utf8");
/** A kernel of examples/NAME.jacobi on the wasm target (what `jacobi gen --target wasm` writes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const wasmKernel = (file: string, kernel: string, dtype: "f64" | "f32"): Promise<((inputs: any, out?: any) => any) & { inputs(sizes: Record<string, number>): any }> => compileWasm(specText(file), { kernel, dtype });

async function tfTimings(run: (backend: Backend) => Timing | undefined): Promise<Record<string, Timing | undefined>> {
  const result: Record<string, Timing | undefined> = {};
  for (const b of ["cpu", "wasm"] as const) {
    await useBackend(b);
    result[`tfjs-${b}`] = run(b);
  }
  return result;
}

/** softmax and its VJP at n = 1e3, 1e5, 1e6. */
export async function softmaxRows(which: "softmax" | "softmaxVjp"): Promise<[string, Row][]> {
  const rows: [string, Row][] = [];
  const k32 = f32Kernel("softmax", which);
  const [w64, w32] = [await wasmKernel("softmax", which, "f64"), await wasmKernel("softmax", which, "f32")];
  for (const n of [1e3, 1e5, 1e6]) {
    const x = vec(n, 3);
    const g = vec(n);
    const o1 = new Float64Array(n);
    const o2 = new Float64Array(n);
    const o3 = new Float32Array(n);
    const x32 = f32(x);
    const g32 = f32(g);
    // inputs objects are made once, as a caller in a loop would
    const xs = { x };
    const xg = { x, g };
    const x32s = { x: x32, g: g32 };
    const gen = which === "softmax" ? () => softmaxK.softmax(xs, o1) : () => softmaxK.softmaxVjp(xg, o1);
    const hw = which === "softmax" ? () => hand.softmax(x, o2) : () => hand.softmaxVjp(x, g, o2);
    agree(`${which} n=${n} (hand)`, gen(), hw(), 1e-14);
    agree(`${which} n=${n} (jacobi f32)`, k32(x32s, o3), o1, 1e-6);
    const [o4, o5] = [new Float64Array(n), new Float32Array(n)];
    agree(`${which} n=${n} (jacobi wasm)`, w64(which === "softmax" ? xs : xg, o4), o1, 1e-14);
    agree(`${which} n=${n} (jacobi wasm f32)`, w32(x32s, o5), o1, 1e-6);
    const t = mg({
      [`jacobi ${which} n=${n}`]: gen,
      [`jacobi f32 ${which} n=${n}`]: () => k32(x32s, o3),
      [`jacobi wasm ${which} n=${n}`]: () => w64(which === "softmax" ? xs : xg, o4),
      [`jacobi wasm f32 ${which} n=${n}`]: () => w32(x32s, o5),
      [`hand ${which} n=${n}`]: hw,
    });
    const tf = await tfTimings((b) => {
      const call = which === "softmax" ? () => tfSoftmax(x32) : () => tfSoftmaxVjp(x32, g32);
      agree(`tfjs-${b} ${which} n=${n}`, call(), o1, 1e-6);
      return m(`tfjs-${backendName()} ${which} n=${n}`, call);
    });
    const np = numpyTimes([{ name: `${which}-${n}`, kind: which, inputs: which === "softmax" ? { x } : { x, g } }], { [`${which}-${n}`]: o1 });
    rows.push([
      `${n}`,
      {
        jacobi: t[`jacobi ${which} n=${n}`],
        "jacobi f32": t[`jacobi f32 ${which} n=${n}`],
        "jacobi wasm": t[`jacobi wasm ${which} n=${n}`],
        "jacobi wasm f32": t[`jacobi wasm f32 ${which} n=${n}`],
        hand: t[`hand ${which} n=${n}`],
        ...tf,
        "numpy f64": np[`${which}-${n}.f64`],
        "numpy f32": np[`${which}-${n}.f32`],
      },
    ]);
  }
  return rows;
}

/** The n×n softmax Jacobian. */
export async function jacobianRows(): Promise<[string, Row][]> {
  const rows: [string, Row][] = [];
  let tf1000: number | undefined;
  const w64 = await wasmKernel("softmax", "softmaxJacobian", "f64");
  for (const n of [10, 100, 1000, 4000]) {
    const x = vec(n, 3);
    const o1 = new Float64Array(n * n);
    const o2 = new Float64Array(n * n);
    const s = new Float64Array(n);
    const x32 = f32(x);
    const xs = { x };
    agree(`softmaxJacobian n=${n}`, softmaxK.softmaxJacobian(xs, o1), hand.softmaxJacobian(x, o2, s), 1e-15);
    const heavy = n >= 1000 ? { ...opts, samples: Math.min(opts.samples ?? 15, 9) } : opts;
    const o4 = new Float64Array(n * n);
    agree(`softmaxJacobian n=${n} (jacobi wasm)`, w64(xs, o4), o1, 1e-15);
    const t = mg(
      {
        [`jacobi softmaxJacobian n=${n}`]: () => softmaxK.softmaxJacobian(xs, o1),
        [`jacobi wasm softmaxJacobian n=${n}`]: () => w64(xs, o4),
        [`hand softmaxJacobian n=${n}`]: () => hand.softmaxJacobian(x, o2, s),
      },
      heavy,
    );
    // tfjs at n = 4000 would take many seconds per call: estimated from n = 1000 (n² work) instead
    const estimate = n === 4000 && tf1000 !== undefined && tf1000 * 16 > 5;
    const tf = estimate
      ? {}
      : await tfTimings((b) => {
          agree(`tfjs-${b} softmaxJacobian n=${n}`, tfSoftmaxJacobian(x32), o1, 1e-6);
          return m(`tfjs-${backendName()} softmaxJacobian n=${n}`, () => tfSoftmaxJacobian(x32), heavy);
        });
    if (n === 1000) tf1000 = Math.min(tf["tfjs-cpu"]?.median ?? Infinity, tf["tfjs-wasm"]?.median ?? Infinity);
    if (estimate) notes.push(`tfjs softmax Jacobian at n = 4000: not run; at n = 1000 it took ${time(tf1000!)}, so about ${time(tf1000! * 16)} per call at n = 4000`);
    const np = numpyTimes([{ name: `jacobian-${n}`, kind: "softmaxJacobian", inputs: { x } }], { [`jacobian-${n}`]: o1 });
    const set = m(`TypedArray.set n=${n * n}`, () => hand.copySet(o2, o1), heavy);
    rows.push([`${n}`, { jacobi: t[`jacobi softmaxJacobian n=${n}`], "jacobi wasm": t[`jacobi wasm softmaxJacobian n=${n}`], hand: t[`hand softmaxJacobian n=${n}`], ...tf, "numpy f64": np[`jacobian-${n}.f64`], "numpy f32": np[`jacobian-${n}.f32`], "set of n²": set }]);
  }
  return rows;
}

/** The matrix-vector product and its pullbacks at W: 128×784. */
export async function matvecRows(): Promise<[string, Row][]> {
  const [mm, nn] = [128, 784];
  const W = vec(mm * nn);
  const x = vec(nn);
  const g = vec(mm);
  const [W32, x32, g32] = [f32(W), f32(x), f32(g)];
  const rows: [string, Row][] = [];
  const cases = [
    { label: "outer product `g*x'` (matvecVjpW)", key: "outer", len: mm * nn, gen: matvecK.matvecVjpW, k32: f32Kernel("matvec", "matvecVjpW"), inputs: { g, x }, inputs32: { g: g32, x: x32 }, hand: (o: Float64Array) => hand.outer(g, x, o), tf: () => tfOuter(g32, x32), tol: 1e-6 },
    { label: "`W'*g` (matvecVjpX)", key: "matTvec", len: nn, gen: matvecK.matvecVjpX, k32: f32Kernel("matvec", "matvecVjpX"), inputs: { W, g }, inputs32: { W: W32, g: g32 }, hand: (o: Float64Array) => hand.matTvec(W, g, o), tf: () => tfMatTvec(W32, g32, mm, nn), tol: 1e-4 },
    { label: "`W*x` (matvec)", key: "matvec", len: mm, gen: matvecK.matvec, k32: f32Kernel("matvec", "matvec"), inputs: { W, x }, inputs32: { W: W32, x: x32 }, hand: (o: Float64Array) => hand.matvec(W, x, o), tf: undefined, tol: 1e-4 },
  ] as const;
  for (const c of cases) {
    const [o1, o2, o3, o4, o5] = [new Float64Array(c.len), new Float64Array(c.len), new Float32Array(c.len), new Float64Array(c.len), new Float32Array(c.len)];
    const kernel = c.label.match(/\((\w+)\)/)![1]!;
    const [w64, w32] = [await wasmKernel("matvec", kernel, "f64"), await wasmKernel("matvec", kernel, "f32")];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const gen = (): Float64Array => (c.gen as any)(c.inputs, o1);
    agree(`${c.key} (hand)`, gen(), c.hand(o2), 1e-12);
    agree(`${c.key} (jacobi f32)`, c.k32(c.inputs32, o3), o1, c.tol);
    agree(`${c.key} (jacobi wasm)`, w64(c.inputs, o4), o1, 1e-12);
    agree(`${c.key} (jacobi wasm f32)`, w32(c.inputs32, o5), o1, 1e-3);
    const t = mg({
      [`jacobi ${c.key}`]: gen,
      [`jacobi f32 ${c.key}`]: () => c.k32(c.inputs32, o3),
      [`jacobi wasm ${c.key}`]: () => w64(c.inputs, o4),
      [`jacobi wasm f32 ${c.key}`]: () => w32(c.inputs32, o5),
      [`hand ${c.key}`]: () => c.hand(o2),
    });
    const tfCall = c.tf;
    const tf = tfCall
      ? await tfTimings((b) => {
          agree(`tfjs-${b} ${c.key}`, tfCall(), o1, c.tol);
          return m(`tfjs-${backendName()} ${c.key}`, tfCall);
        })
      : {};
    const np = numpyTimes([{ name: c.key, kind: c.key, inputs: c.inputs, sizes: { m: mm, n: nn } }], { [c.key]: o1 });
    rows.push([
      c.label,
      {
        jacobi: t[`jacobi ${c.key}`],
        "jacobi f32": t[`jacobi f32 ${c.key}`],
        "jacobi wasm": t[`jacobi wasm ${c.key}`],
        "jacobi wasm f32": t[`jacobi wasm f32 ${c.key}`],
        hand: t[`hand ${c.key}`],
        ...tf,
        "numpy f64": np[`${c.key}.f64`],
        "numpy f32": np[`${c.key}.f32`],
      },
    ]);
  }
  // the wasm target's cost per call: a product too small to take time (inputs copied in, the call, the output copied out)
  {
    const [W, x] = [vec(16), vec(4)];
    const inputs = { W, x };
    const w64 = await wasmKernel("matvec", "matvec", "f64");
    const [o1, o2] = [new Float64Array(4), new Float64Array(4)];
    agree("W*x 4×4 (jacobi wasm)", w64(inputs, o2), matvecK.matvec(inputs, o1), 1e-14);
    // zero-copy: the inputs filled in place in views of the kernel's memory (kernel.inputs), so the call copies nothing in
    const views = w64.inputs({ m: 4, n: 4 });
    views.W.set(W);
    views.x.set(x);
    const o3 = new Float64Array(4);
    agree("W*x 4×4 (jacobi wasm, inputs in its memory)", w64(views, o3), o1, 1e-14);
    const t = mg({ "jacobi W*x 4×4": () => matvecK.matvec(inputs, o1), "jacobi wasm W*x 4×4": () => w64(inputs, o2), "jacobi wasm W*x 4×4 in its memory": () => w64(views, o3) });
    rows.push(["`W*x` at 4×4 (the cost of a call)", { jacobi: t["jacobi W*x 4×4"], "jacobi wasm": t["jacobi wasm W*x 4×4"] }]);
    rows.push(["`W*x` at 4×4, inputs in its memory (the cost of a call)", { jacobi: t["jacobi W*x 4×4"], "jacobi wasm": t["jacobi wasm W*x 4×4 in its memory"] }]);
    // the copy at 128×784 (W: 100352 entries), with and without it
    const [Wb, xb] = [vec(128 * 784), vec(784)];
    const big = w64.inputs({ m: 128, n: 784 });
    big.W.set(Wb);
    big.x.set(xb);
    const [o4, o5] = [new Float64Array(128), new Float64Array(128)];
    agree("W*x 128×784 (jacobi wasm, inputs in its memory)", w64(big, o5), w64({ W: Wb, x: xb }, o4), 0);
    const tb = mg({ "jacobi wasm W*x 128×784 copied in": () => w64({ W: Wb, x: xb }, o4), "jacobi wasm W*x 128×784 in its memory": () => w64(big, o5) });
    rows.push(["`W*x` at 128×784, inputs in its memory vs copied in (the cost of a call)", { jacobi: tb["jacobi wasm W*x 128×784 copied in"], "jacobi wasm": tb["jacobi wasm W*x 128×784 in its memory"] }]);
  }
  return rows;
}

/** Multiply-adds of one batch step of the network: forward X W1', Z1 W2'; backward G2 W2, G2' Z1, G3' X. */
export const networkFlops = (n0: number, n1: number, n2: number, batch: number): number => 2 * batch * (2 * n0 * n1 + 3 * n1 * n2);

/** The network's loss and gradients: one sample of (2, 3, 3), and a batch of 64 of (784, 128, 10). */
export async function networkRows(): Promise<[string, Row][]> {
  const rows: [string, Row][] = [];
  const k32 = { single: f32Kernel("mlp", "mlpGrads"), batch: f32Kernel("mlp", "mlpGradsBatch") };
  const w64 = { single: await wasmKernel("mlp", "mlpGrads", "f64"), batch: await wasmKernel("mlp", "mlpGradsBatch", "f64") };
  const w32 = { single: await wasmKernel("mlp", "mlpGrads", "f32"), batch: await wasmKernel("mlp", "mlpGradsBatch", "f32") };
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
    const inputs32 = { x: f32(X), y: f32(Y), W1: f32(net.W1), b1: f32(net.b1), W2: f32(net.W2), b2: f32(net.b2) };
    const [gIdiom, gBlock, gGen] = [hand.gradsFor(net), hand.gradsFor(net), hand.gradsFor(net)];
    const out32 = () => ({ loss: 0, W1: new Float32Array(n1 * n0), b1: new Float32Array(n1), W2: new Float32Array(n2 * n1), b2: new Float32Array(n2) });
    const [g32, gw32, gw64] = [out32(), out32(), hand.gradsFor(net)];
    const scratch = new hand.NetScratch(net);
    const bscratch = new hand.BatchScratch(net, batch);
    const single = batch === 1;
    const genCall = single ? () => mlpK.mlpGrads(inputs, gGen) : () => mlpK.mlpGradsBatch(inputs, gGen);
    const gen32 = single ? () => k32.single(inputs32, g32) : () => k32.batch(inputs32, g32);
    const wasm64 = single ? () => w64.single(inputs, gw64) : () => w64.batch(inputs, gw64);
    const wasm32 = single ? () => w32.single(inputs32, gw32) : () => w32.batch(inputs32, gw32);
    const idiomCall = single ? () => (hand.netStep(net, X, 0, Y, 0, gIdiom, scratch, false), gIdiom) : () => hand.netBatchIdiomatic(net, X, Y, batch, gIdiom, scratch);
    const blockCall = () => hand.netBatchBlocked(net, X, Y, batch, gBlock, bscratch);
    genCall();
    gen32();
    wasm64();
    wasm32();
    idiomCall();
    blockCall();
    for (const key of ["W1", "b1", "W2", "b2"] as const) {
      agree(`network ${key} (idiomatic vs jacobi)`, gIdiom[key], gGen[key], 1e-10);
      agree(`network ${key} (blocked vs jacobi)`, gBlock[key], gGen[key], 1e-10);
      agree(`network ${key} (jacobi f32 vs jacobi)`, g32[key], gGen[key], 1e-4);
      agree(`network ${key} (jacobi wasm vs jacobi)`, gw64[key], gGen[key], 1e-10);
      agree(`network ${key} (jacobi wasm f32 vs jacobi)`, gw32[key], gGen[key], 1e-3);
    }
    agree("network loss", [gIdiom.loss, gBlock.loss, gw64.loss], [gGen.loss, gGen.loss, gGen.loss], 1e-9 * Math.max(1, Math.abs(gGen.loss)));
    agree("network loss (jacobi wasm f32)", [gw32.loss], [gGen.loss], 1e-4 * Math.max(1, Math.abs(gGen.loss)));
    const label = `(${n0}, ${n1}, ${n2}), batch ${batch}`;
    const t = mg({
      [`jacobi network ${label}`]: genCall,
      [`jacobi f32 network ${label}`]: gen32,
      [`jacobi wasm network ${label}`]: wasm64,
      [`jacobi wasm f32 network ${label}`]: wasm32,
      [`hand idiomatic network ${label}`]: idiomCall,
      [`hand blocked network ${label}`]: blockCall,
    });
    const p = { n0, n1, n2, batch, ...{ X: inputs32.x, Y: inputs32.y, W1: inputs32.W1, b1: inputs32.b1, W2: inputs32.W2, b2: inputs32.b2 } };
    const tf = await tfTimings((b) => {
      const r = tfNet(p);
      agree(`tfjs-${b} network loss ${label}`, [r.loss], [gGen.loss], 1e-3 * Math.max(1, Math.abs(gGen.loss)));
      r.grads.forEach((gr, k) => agree(`tfjs-${b} network d${["W1", "b1", "W2", "b2"][k]} ${label}`, gr, gGen[(["W1", "b1", "W2", "b2"] as const)[k]!], 1e-4));
      return m(`tfjs-${backendName()} network ${label}`, () => tfNet(p));
    });
    const name = `network-${n0}-${n1}-${n2}-${batch}`;
    const expected = Float64Array.from([gGen.loss, ...gGen.W1, ...gGen.b1, ...gGen.W2, ...gGen.b2]);
    const np = numpyTimes([{ name, kind: "network", inputs: { X, Y, W1: net.W1, b1: net.b1, W2: net.W2, b2: net.b2 }, sizes: { n0, n1, n2, batch } }], { [name]: expected }, { [name]: Math.max(1, Math.abs(gGen.loss)) });
    rows.push([
      label,
      {
        jacobi: t[`jacobi network ${label}`],
        "jacobi f32": t[`jacobi f32 network ${label}`],
        "jacobi wasm": t[`jacobi wasm network ${label}`],
        "jacobi wasm f32": t[`jacobi wasm f32 network ${label}`],
        "hand idiomatic": t[`hand idiomatic network ${label}`],
        "hand blocked": t[`hand blocked network ${label}`],
        ...tf,
        "numpy f64": np[`${name}.f64`],
        "numpy f32": np[`${name}.f32`],
      },
    ]);
  }
  return rows;
}
