/**
 * One kernel's WebAssembly module, built with binaryen (its builder and its -O3
 * optimizer; never by hand-encoding the binary format): one exported function `run`
 * taking the symbolic sizes, the byte offset of every buffer in linear memory and the
 * input scalars, and an exported memory that the caller lays the buffers out in.
 */
import { JacobiError } from "../../core/errors.js";
import type { Size } from "../../core/shape.js";
import type { Schedule } from "../batch.js";
import type { Buf, El, Scal, Step } from "../ir.js";
import type { Lowered } from "../lowered.js";
import { BATCH } from "../sizes.js";
import type { KernelSpec } from "../spec.js";
import type { HostImport } from "./lanes.js";
import { stepCode } from "./steps.js";
import { Fn, type Binaryen, type Dtype, type Ref } from "./values.js";

export interface WasmKernel {
  readonly bytes: Uint8Array;
  /** `run`'s parameters, in order: sizes (i32), buffer byte offsets (i32), input scalars (f64). */
  readonly sizes: readonly string[];
  readonly bufs: readonly Buf[];
  readonly scalars: readonly Scal[];
  /** Values the module leaves in its last buffer (`slots`) for the kernel's scalar outputs: computed scalars, or a batch's sums by output key. */
  readonly slots: readonly ({ readonly scal: Scal } | { readonly sum: string })[];
  /** A batch's per-sample input scalars: the buffer (B entries) each is laid out in. */
  readonly sampleScalars: ReadonlyMap<Buf, Scal>;
  /** A batch's per-sample scalar outputs: the buffer (B entries) of each, by output key. */
  readonly stacked: ReadonlyMap<Buf, string>;
  /** The host's functions the module imports (module "math"). */
  readonly imports: readonly HostImport[];
}

/** A buffer of one entry per sample (a batch's per-sample scalar). */
const perSample = (hint: string, role: Buf["role"]): Buf => ({ id: -1, rows: BATCH, cols: 1, role, hint, key: undefined, batched: false });

/** The steps in the order they run (a batch's: before the loops, the segments, after). */
const stepsOf = (lowered: Lowered, schedule: Schedule | undefined): Step[] =>
  schedule ? [...schedule.pre, ...schedule.segments.flatMap((g) => (g.k === "whole" ? [g.step] : g.steps)), ...schedule.post] : [...lowered.steps];

/** Every buffer the steps touch (aliases as their buffers), and every symbolic size they need, in first-use order. */
function usesOf(lowered: Lowered, schedule: Schedule | undefined): { bufs: Buf[]; sizes: string[] } {
  const bufs: Buf[] = [];
  const sizes: string[] = [];
  const size = (s: Size): void => {
    if (typeof s === "string" && !sizes.includes(s)) sizes.push(s);
  };
  const buf = (alias: Buf): void => {
    size(alias.rows);
    size(alias.cols);
    const b = schedule?.aliases.get(alias) ?? alias;
    if (!bufs.includes(b)) bufs.push(b);
    size(b.rows);
    size(b.cols);
  };
  const el = (e: El): void => {
    if (e.k === "read" || e.k === "flat") buf(e.buf);
    else if (e.k === "size") size(e.size);
    else if (e.k === "add") e.terms.forEach(el);
    else if (e.k === "mul") e.factors.forEach(el);
    else if (e.k === "pow") [e.base, e.exponent].forEach(el);
    else if (e.k === "fn") el(e.arg);
  };
  const step = (s: Step): void => {
    if (s.k === "scalar") el(s.value);
    else if (s.k === "reduce") {
      size(s.rows);
      size(s.cols);
      el(s.body);
    } else if (s.k === "map") {
      buf(s.target);
      el(s.body);
      if (s.diag) el(s.diag);
    } else if (s.k === "gemv") {
      buf(s.target);
      buf(s.mat.buf);
      el(s.vec);
    } else if (s.k === "gemm") [s.target, s.a.buf, s.b.buf].forEach(buf);
    else if (s.k === "softmax" || s.k === "norm2") {
      size(s.rows);
      size(s.cols);
      el(s.u);
      if (s.k === "softmax" && s.out) buf(s.out);
    } else if (s.k === "literal") {
      buf(s.target);
      s.items.forEach(el);
    }
  };
  if (schedule) size(BATCH);
  stepsOf(lowered, schedule).forEach(step);
  for (const g of schedule?.segments ?? []) if (g.k === "loop") g.scalarOutputs.forEach((o) => el(o.value));
  for (const o of lowered.outputs) if (o.buf) buf(o.buf);
  else if (o.value) el(o.value);
  return { bufs, sizes };
}

/** The scalars (not inputs) that the scalar outputs' values read. */
function scalsOf(e: El, into: Set<Scal>): Set<Scal> {
  if (e.k === "scal" && !e.s.input) into.add(e.s);
  else if (e.k === "add") e.terms.forEach((t) => scalsOf(t, into));
  else if (e.k === "mul") e.factors.forEach((t) => scalsOf(t, into));
  else if (e.k === "pow") [e.base, e.exponent].forEach((t) => scalsOf(t, into));
  else if (e.k === "fn") scalsOf(e.arg, into);
  return into;
}

/** The module of a kernel the target accepts (see acceptWasm). */
export function buildWasm(binaryen: Binaryen, spec: KernelSpec, lowered: Lowered, schedule: Schedule | undefined, dtype: Dtype): WasmKernel {
  const { bufs, sizes } = usesOf(lowered, schedule);
  const batchNames = new Set(spec.batch?.names ?? []);
  const sampleScalars = new Map([...lowered.inputScals.values()].filter((s) => batchNames.has(s.hint)).map((s) => [perSample(s.hint, "input"), s]));
  const stacked = new Map([...(schedule?.stackedScalars ?? [])].map((key) => [perSample(key, "output"), key]));
  const slots: WasmKernel["slots"] = schedule
    ? [...schedule.summedScalars].map((sum) => ({ sum }))
    : [...lowered.outputs.reduce((set, o) => (o.value ? scalsOf(o.value, set) : set), new Set<Scal>())].map((scal) => ({ scal }));
  // the slots live in a buffer of their own, the last one
  const slotBuf: Buf = { id: -1, rows: Math.max(1, slots.length), cols: 1, role: "scratch", hint: "scalars", key: undefined, batched: false };
  const allBufs = [...bufs, ...sampleScalars.keys(), ...stacked.keys(), slotBuf];
  const scalars = [...lowered.inputScals.values()].filter((s) => !batchNames.has(s.hint));
  const m = new binaryen.Module();
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128);
    m.setMemory(1, 65536, "memory");
    const fn = new Fn(binaryen, m, dtype, { sizes, bufs: allBufs, scalars });
    if (schedule) fn.aliases = schedule.aliases;
    const body = [...fn.prologue, ...(schedule ? batchCode(fn, schedule, lowered, sampleScalars, stacked) : lowered.steps.flatMap((s) => stepCode(fn, s)))];
    const sums = new Map((schedule ? [...schedule.summedScalars] : []).map((key) => [key, fn.sum(key)]));
    slots.forEach((slot, k) => body.push(fn.store(slotBuf, fn.i32(k), "scal" in slot ? m.local.get(fn.scal(slot.scal), fn.F) : m.local.get(sums.get(slot.sum)!, fn.F))));
    for (const i of fn.imports.list) m.addFunctionImport(i.name, "math", i.name, binaryen.createType(Array.from({ length: i.arity }, () => binaryen.f64)), binaryen.f64);
    m.addFunction("run", binaryen.createType(fn.paramTypes), binaryen.none, fn.varTypes, m.block(null, body));
    m.addFunctionExport("run", "run");
    if (!m.validate()) throw new Error("internal: the generated WebAssembly module does not validate");
    binaryen.setOptimizeLevel(3);
    binaryen.setShrinkLevel(0);
    m.optimize();
    return { bytes: m.emitBinary(), sizes, bufs: allBufs, scalars, slots, sampleScalars, stacked, imports: fn.imports.list };
  } finally {
    m.dispose();
  }
}

/**
 * A batch: sums zeroed, shared steps, the segments (loops over the samples with every-sample buffers at the sample,
 * per-sample input scalars read, scalar outputs summed or stored; or whole-batch products), the steps after, and
 * the scalar outputs that are the same for every sample.
 */
function batchCode(fn: Fn, schedule: Schedule, lowered: Lowered, sampleScalars: ReadonlyMap<Buf, Scal>, stacked: ReadonlyMap<Buf, string>): Ref[] {
  const { m } = fn;
  const out: Ref[] = [];
  const stackedOf = new Map([...stacked].map(([buf, key]) => [key, buf]));
  for (const b of schedule.summed) out.push(...zero(fn, b, schedule.full.has(b)));
  for (const key of schedule.summedScalars) out.push(m.local.set(fn.sum(key), fn.fconst(0)));
  out.push(...schedule.pre.flatMap((s) => stepCode(fn, s)));
  for (const g of schedule.segments) {
    if (g.k === "whole") {
      out.push(...stepCode(fn, g.step));
      continue;
    }
    const b = fn.local(fn.b.i32);
    const bases = g.buffers.map((buf) => {
      const local = fn.local(fn.b.i32);
      const per = [buf.rows, buf.cols].filter((s) => s !== 1).reduce((a: Ref, s) => m.i32.mul(a, fn.size(s)), fn.i32(1 << fn.shift));
      return { buf, local, set: m.local.set(local, m.i32.add(fn.get(fn.param(buf)), m.i32.mul(fn.get(b), per))) };
    });
    bases.forEach(({ buf, local }) => fn.sampleBases.set(buf, local));
    const scalarsIn = [...sampleScalars].map(([buf, s]) => m.local.set(fn.scal(s), fn.load(buf, fn.get(b))));
    const body = [...bases.map((x) => x.set), ...scalarsIn, ...g.steps.flatMap((s) => stepCode(fn, s))];
    for (const o of g.scalarOutputs) {
      const at = stackedOf.get(o.key);
      body.push(at ? fn.store(at, fn.get(b), fn.scalar(o.value, {})) : m.local.set(fn.sum(o.key), fn.f.add(m.local.get(fn.sum(o.key), fn.F), fn.scalar(o.value, {}))));
    }
    fn.sampleBases.clear();
    out.push(m.local.set(b, fn.i32(0)), fn.loop(b, fn.size(BATCH), 1, body));
  }
  out.push(...schedule.post.flatMap((s) => stepCode(fn, s)));
  for (const o of lowered.outputs) {
    if (!schedule.constantScalars.has(o.key)) continue;
    const at = stackedOf.get(o.key);
    const value = (): Ref => fn.scalar(o.value!, {});
    if (!at) out.push(m.local.set(fn.sum(o.key), fn.f.mul(fn.sizeValue(BATCH), value())));
    else {
      const i = fn.local(fn.b.i32);
      out.push(m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(BATCH), 1, [fn.store(at, fn.get(i), value())]));
    }
  }
  return out;
}

/** buf = 0 over its entries (every sample's when it holds them all). */
function zero(fn: Fn, buf: Buf, full: boolean): Ref[] {
  const { m } = fn;
  const i = fn.local(fn.b.i32);
  const count = (): Ref => [buf.rows, buf.cols, ...(full ? [BATCH] : [])].filter((s) => s !== 1).reduce((a: Ref, s) => m.i32.mul(a, fn.size(s)), fn.i32(1));
  return [
    m.local.set(i, fn.i32(0)),
    fn.loop(i, count(), fn.lanes, [fn.vstore(buf, fn.get(i), fn.vzero())]),
    fn.loop(i, count(), 1, [fn.store(buf, fn.get(i), fn.fconst(0))]),
  ];
}

let loading: Promise<Binaryen> | undefined;
/**
 * binaryen, loaded on first use (it is large, and only generation with the wasm target
 * needs it): in Node from node_modules; in a browser bundle a chunk of its own that the
 * bundler splits off (binaryen's package is an ES module that runs in browsers), fetched
 * only when a kernel is first compiled for the wasm target.
 */
export function loadBinaryen(): Promise<Binaryen> {
  loading ??= (import("binaryen") as Promise<{ default: Binaryen }>).then(
    (mod) => mod.default,
    (e: unknown) => {
      loading = undefined;
      throw new JacobiError("usage", `the wasm target needs binaryen, which could not be loaded here (${e instanceof Error ? e.message : String(e)}); build kernels ahead with jacobi gen --target wasm or the Vite plugin`);
    },
  );
  return loading;
}
