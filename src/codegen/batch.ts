/**
 * Batched kernels: the per-sample steps, run over B samples.
 * - Steps that depend on no batched input run once, before everything.
 * - A matrix-vector product of a shared matrix and a per-sample vector becomes one
 *   matrix-matrix product over the whole batch (V*M' for M*v):  that is where
 *   register blocking pays.
 * - An outer product summed over the batch (Σ_b g_b x_b', a weight gradient) becomes
 *   G'*X, also one blocked product.
 * - The other steps run in loops over the samples; between two whole-batch products,
 *   consecutive steps share one loop.
 * Values that live within one loop need one sample's storage (reused per sample); values
 * that cross loops or feed whole-batch products hold every sample (B × size).
 * Outputs summed over the batch are zeroed first and accumulated.
 */
import { renameIx, type ElFactory } from "./elements.js";
import type { Buf, BufView, El, Scal, Step } from "./ir.js";
import type { Lowered } from "./lowered.js";
import { elReads, renameBuffer, stepReads, stepWrites } from "./rewrite.js";
import { BATCH } from "./sizes.js";
import type { KernelSpec, OutputSpec } from "./spec.js";

export type Segment =
  | { readonly k: "whole"; readonly step: Step }
  | {
      readonly k: "loop";
      readonly steps: readonly Step[];
      /** Buffers holding every sample that the loop reads or writes (they need the sample's offset). */
      readonly buffers: readonly Buf[];
      /** Scalar outputs computed in this loop. */
      readonly scalarOutputs: readonly { readonly key: string; readonly value: El }[];
    };

export interface Schedule {
  readonly pre: readonly Step[];
  readonly segments: readonly Segment[];
  /** Steps after the loops (copying f64 sums into Float32Array outputs). */
  readonly post: readonly Step[];
  /** Buffers holding every sample (B × size). */
  readonly full: ReadonlySet<Buf>;
  /** Outputs summed over the batch (or their f64 accumulators): zeroed before the loops. */
  readonly summed: ReadonlySet<Buf>;
  /** Scalar outputs summed over the batch, and those returned per sample. */
  readonly summedScalars: ReadonlySet<string>;
  readonly stackedScalars: ReadonlySet<string>;
  /** Scalar outputs that depend on no batched value (the same for every sample). */
  readonly constantScalars: ReadonlySet<string>;
  /** Extra scratch buffers, and views of per-sample buffers as B-row matrices (alias -> buffer). */
  readonly scratch: readonly Buf[];
  readonly aliases: ReadonlyMap<Buf, Buf>;
}

/** The step with its output accumulated (+=) instead of assigned. */
function accumulating(s: Step): Step | undefined {
  switch (s.k) {
    case "map":
    case "gemv":
    case "gemm":
      return { ...s, accumulate: true };
    default:
      return undefined;
  }
}

let aliasId = 1_000_000;

/** A per-sample vector buffer seen as a B × n matrix (one row per sample). */
function asRows(buf: Buf, aliases: Map<Buf, Buf>): Buf {
  const alias: Buf = { ...buf, id: aliasId++, rows: BATCH, cols: buf.cols === 1 ? buf.rows : buf.cols, batched: false };
  aliases.set(alias, buf);
  return alias;
}

/** Is `e` exactly entry p (the loop index r) of a vector buffer? */
function plainVectorRead(e: El): Buf | undefined {
  if (e.k !== "read") return undefined;
  const b = e.buf;
  if (b.cols === 1 && e.row === "r" && e.col === "z") return b;
  if (b.rows === 1 && e.row === "z" && e.col === "r") return b;
  return undefined;
}

/**
 * @param narrow the outputs are Float32Array: sums over the batch accumulate in f64
 *   scratch and are copied to the outputs at the end
 */
export function scheduleBatch(lowered: Lowered, spec: KernelSpec, f: ElFactory, narrow: boolean): Schedule {
  return plan(lowered, spec, f, narrow, true) ?? plan(lowered, spec, f, narrow, false)!;
}

/** What planning knows of a kernel: which values are per sample, which outputs are summed over the batch. */
interface BatchState {
  readonly f: ElFactory;
  readonly batchedBufs: Set<Buf>;
  readonly batchedScals: Set<Scal>;
  readonly outputOf: Map<Buf, OutputSpec>;
  /** A gradient or pullback of a shared value is summed; anything else is per sample. */
  readonly isSummed: (o: OutputSpec) => boolean;
  readonly summed: Set<Buf>;
  readonly extraScratch: Buf[];
  readonly aliases: Map<Buf, Buf>;
}

/** A step placed in the schedule: in a loop over the samples, or once over the whole batch. */
type Item = { step: Step; whole: boolean };

/** The schedule; undefined when lifting products would split a per-sample scalar across loops. */
function plan(lowered: Lowered, spec: KernelSpec, f: ElFactory, narrow: boolean, lift: boolean): Schedule | undefined {
  const state = batchState(lowered, spec, f);
  const { steps, post } = narrow ? accumulateInF64(state, lowered.steps) : { steps: lowered.steps, post: [] };
  const { pre, items } = placeSteps(state, steps, lift);
  const list = loopsBetweenWholeSteps(items);
  const buffers = fullBuffers(state, list);
  if (!buffers) return undefined;
  const { full, defSegmentOfScal } = buffers;
  const scalars = placeScalarOutputs(state, lowered, spec, defSegmentOfScal);
  const out: Segment[] = list.map((seg, n) => {
    if (seg.k === "whole") return seg;
    const used = new Set<Buf>();
    for (const s of seg.steps) {
      const r = stepReads(s);
      const w = stepWrites(s);
      for (const b of [...r.bufs, ...(w.buf ? [w.buf] : [])]) if (full.has(b)) used.add(b);
    }
    return { k: "loop", steps: seg.steps, buffers: [...used], scalarOutputs: scalars.scalarOutputs.get(n) ?? [] };
  });
  const { summedScalars, stackedScalars, constantScalars } = scalars;
  const { summed, extraScratch, aliases } = state;
  return { pre, segments: out, post, full, summed, summedScalars, stackedScalars, constantScalars, scratch: extraScratch, aliases };
}

function batchState(lowered: Lowered, spec: KernelSpec, f: ElFactory): BatchState {
  const names = new Set(spec.batch!.names);
  const batchedBufs = new Set<Buf>();
  const batchedScals = new Set<Scal>();
  for (const [name, b] of lowered.inputBufs) if (names.has(name)) batchedBufs.add(b);
  for (const [name, s] of lowered.inputScals) if (names.has(name)) batchedScals.add(s);
  const outputOf = new Map<Buf, OutputSpec>();
  spec.outputs.forEach((o, k) => {
    const buf = lowered.outputs[k]!.buf;
    if (buf) outputOf.set(buf, o);
  });
  const isSummed = (o: OutputSpec): boolean => o.reverse && !(o.wrt !== undefined && names.has(o.wrt));
  const summed = new Set<Buf>();
  for (const [buf, o] of outputOf) if (isSummed(o)) summed.add(buf);
  return { f, batchedBufs, batchedScals, outputOf, isSummed, summed, extraScratch: [], aliases: new Map() };
}

/** Float32Array sums: accumulate in f64, copy once at the end. */
function accumulateInF64(state: BatchState, lowered: readonly Step[]): { steps: readonly Step[]; post: Step[] } {
  const { f, summed, outputOf, extraScratch } = state;
  const post: Step[] = [];
  let steps = lowered;
  for (const out of [...summed]) {
    const acc: Buf = { id: aliasId++, rows: out.rows, cols: out.cols, role: "scratch", hint: `${out.hint}Sum`, key: undefined, batched: false };
    extraScratch.push(acc);
    steps = renameBuffer(steps, out, acc, f);
    summed.delete(out);
    summed.add(acc);
    outputOf.set(acc, outputOf.get(out)!);
    post.push({ k: "map", target: out, body: readAll(f, acc), diag: undefined, accumulate: false });
  }
  return { steps, post };
}

/** A new buffer holding one value per sample, shaped like `like`. */
function freshPerSample(state: BatchState, like: Buf, hint: string): Buf {
  const b: Buf = { id: aliasId++, rows: like.rows, cols: like.cols, role: "scratch", hint, key: undefined, batched: true };
  state.extraScratch.push(b);
  state.batchedBufs.add(b);
  return b;
}

/** Each step once before the loops (it reads nothing per sample), per sample, or lifted to the whole batch. */
function placeSteps(state: BatchState, steps: readonly Step[], lift: boolean): { pre: Step[]; items: Item[] } {
  const { f, batchedBufs, batchedScals, outputOf, summed } = state;
  const pre: Step[] = [];
  const items: Item[] = [];
  for (const original of steps) {
    let step = original;
    const { bufs, scals } = stepReads(step);
    const w = stepWrites(step);
    const isOutput = w.buf !== undefined && outputOf.has(w.buf);
    const batched = isOutput || [...bufs].some((b) => batchedBufs.has(b)) || [...scals].some((s) => batchedScals.has(s));
    if (!batched) {
      pre.push(step);
      continue;
    }
    if (w.buf && !summed.has(w.buf)) batchedBufs.add(w.buf);
    if (w.scal) batchedScals.add(w.scal);
    if (w.buf && summed.has(w.buf)) {
      const acc = accumulating(step);
      if (!acc) {
        // computed per sample into scratch, then added to the output
        const tmp = freshPerSample(state, w.buf, "sample");
        const retarget: Step = step.k === "softmax" ? { ...step, out: tmp } : step.k === "literal" ? { ...step, target: tmp } : step;
        items.push({ step: retarget, whole: false });
        items.push({ step: { k: "map", target: w.buf, body: readAll(f, tmp), diag: undefined, accumulate: true }, whole: false });
        continue;
      }
      step = acc;
    }
    if (lift && step.k === "gemv" && !batchedBufs.has(step.mat.buf) && !(w.buf && summed.has(w.buf))) {
      liftMatrixVector(state, step, items);
      continue;
    }
    if (lift && step.k === "map" && step.accumulate && w.buf && summed.has(w.buf) && step.diag === undefined && w.buf.rows !== 1 && w.buf.cols !== 1) {
      if (liftSummedOuter(state, step, w.buf, items)) continue;
    }
    items.push({ step, whole: false });
  }
  return { pre, items };
}

/** Per sample t = M v  ->  T = V M' over the batch (V: B × k, one row per sample). */
function liftMatrixVector(state: BatchState, step: Extract<Step, { k: "gemv" }>, items: Item[]): void {
  const { batchedBufs, batchedScals, aliases } = state;
  let vec = plainVectorRead(step.vec);
  if (!vec || !batchedBufs.has(vec)) {
    if (!isBatchedEl(step.vec, batchedBufs, batchedScals)) {
      items.push({ step, whole: false });
      return;
    }
    const k = step.mat.t ? step.mat.buf.rows : step.mat.buf.cols;
    const tmp = freshPerSample(state, { ...step.target, rows: k, cols: 1 }, "v");
    items.push({ step: { k: "map", target: tmp, body: step.vec, diag: undefined, accumulate: false }, whole: false });
    vec = tmp;
  }
  const m: BufView = { buf: step.mat.buf, t: !step.mat.t };
  items.push({ step: { k: "gemm", target: asRows(step.target, aliases), a: { buf: asRows(vec, aliases), t: false }, b: m, accumulate: false }, whole: true });
}

/** Σ_b u_b v_b' -> U' V (U: B × rows, V: B × cols); false when the body is not such an outer product. */
function liftSummedOuter(state: BatchState, step: Extract<Step, { k: "map" }>, target: Buf, items: Item[]): boolean {
  const { f, batchedBufs, batchedScals, aliases } = state;
  const parts = outerParts(f, step.body);
  if (!parts || !isBatchedEl(parts.u, batchedBufs, batchedScals) || !isBatchedEl(parts.v, batchedBufs, batchedScals)) return false;
  const column = (e: El, like: Buf, hint: string): Buf => {
    const plain = plainVectorRead(e);
    if (plain && batchedBufs.has(plain)) return plain;
    const tmp = freshPerSample(state, like, hint);
    items.push({ step: { k: "map", target: tmp, body: e, diag: undefined, accumulate: false }, whole: false });
    return tmp;
  };
  const u = column(parts.u, { ...target, cols: 1 }, "u");
  const v = column(parts.v, { ...target, rows: target.cols, cols: 1 }, "v");
  items.push({ step: { k: "gemm", target, a: { buf: asRows(u, aliases), t: true }, b: { buf: asRows(v, aliases), t: false }, accumulate: true }, whole: true });
  return true;
}

type Placed = { k: "whole"; step: Step } | { k: "loop"; steps: Step[] };

/** Segments: whole-batch products, and loops of consecutive per-sample steps. */
function loopsBetweenWholeSteps(items: readonly Item[]): Placed[] {
  const list: Placed[] = [];
  for (const it of items) {
    if (it.whole) list.push({ k: "whole", step: it.step });
    else {
      const last = list[list.length - 1];
      if (last && last.k === "loop") last.steps.push(it.step);
      else list.push({ k: "loop", steps: [it.step] });
    }
  }
  return list;
}

/**
 * The buffers that must hold every sample (read in more than one segment, inputs and
 * outputs, operands of whole-batch products), and the segment computing each scalar;
 * undefined when a per-sample scalar is read in another loop than the one computing it.
 */
function fullBuffers(state: BatchState, list: readonly Placed[]): { full: Set<Buf>; defSegmentOfScal: Map<Scal, number> } | undefined {
  const { aliases, batchedBufs, batchedScals, summed } = state;
  const segmentOfBuf = new Map<Buf, Set<number>>();
  const segmentOfScal = new Map<Scal, Set<number>>();
  const defSegmentOfScal = new Map<Scal, number>();
  const touch = <T>(m: Map<T, Set<number>>, x: T, seg: number): void => {
    let s = m.get(x);
    if (!s) m.set(x, (s = new Set()));
    s.add(seg);
  };
  const full = new Set<Buf>();
  list.forEach((seg, n) => {
    const steps = seg.k === "whole" ? [seg.step] : seg.steps;
    for (const s of steps) {
      const r = stepReads(s);
      const w = stepWrites(s);
      for (const b of r.bufs) touch(segmentOfBuf, aliases.get(b) ?? b, n);
      if (w.buf) touch(segmentOfBuf, aliases.get(w.buf) ?? w.buf, n);
      for (const x of r.scals) touch(segmentOfScal, x, n);
      if (w.scal) {
        touch(segmentOfScal, w.scal, n);
        defSegmentOfScal.set(w.scal, n);
      }
      if (seg.k === "whole") {
        if (s.k === "gemm") {
          for (const b of [s.a.buf, s.b.buf, s.target]) {
            const orig = aliases.get(b);
            if (orig) full.add(orig);
          }
        }
      }
    }
  });
  // a per-sample scalar read in another loop than the one computing it: give up lifting
  for (const [s, segs] of segmentOfScal) if (batchedScals.has(s) && segs.size > 1) return undefined;
  for (const [b, segs] of segmentOfBuf) if (batchedBufs.has(b) && (segs.size > 1 || b.role !== "scratch")) full.add(b);
  for (const b of summed) full.delete(b);
  return { full, defSegmentOfScal };
}

/** Scalar outputs: summed or per sample, and the loop that computes each (none when it is the same for every sample). */
interface ScalarOutputs {
  /** By segment: the scalar outputs computed in that loop. */
  readonly scalarOutputs: ReadonlyMap<number, readonly { readonly key: string; readonly value: El }[]>;
  readonly summedScalars: ReadonlySet<string>;
  readonly stackedScalars: ReadonlySet<string>;
  readonly constantScalars: ReadonlySet<string>;
}

function placeScalarOutputs(state: BatchState, lowered: Lowered, spec: KernelSpec, defSegmentOfScal: ReadonlyMap<Scal, number>): ScalarOutputs {
  const scalarOutputs = new Map<number, { key: string; value: El }[]>();
  const summedScalars = new Set<string>();
  const stackedScalars = new Set<string>();
  const constantScalars = new Set<string>();
  spec.outputs.forEach((o, k) => {
    const lo = lowered.outputs[k]!;
    if (lo.buf || !lo.value) return;
    (state.isSummed(o) ? summedScalars : stackedScalars).add(o.key);
    const bufs = new Set<Buf>();
    const scals = new Set<Scal>();
    elReads(lo.value, bufs, scals);
    const segs = [...scals].filter((s) => state.batchedScals.has(s)).map((s) => defSegmentOfScal.get(s)!);
    if (segs.length === 0) {
      constantScalars.add(o.key);
      return;
    }
    const at = Math.max(...segs);
    const listAt = scalarOutputs.get(at) ?? [];
    listAt.push({ key: o.key, value: lo.value });
    scalarOutputs.set(at, listAt);
  });
  return { scalarOutputs, summedScalars, stackedScalars, constantScalars };
}

/** Every entry of a buffer, as the body of a map over its shape. */
function readAll(f: ElFactory, b: Buf): El {
  if (b.rows !== 1 && b.cols !== 1) return f.read(b, "r", "c");
  return b.cols === 1 ? f.read(b, "r", "z") : f.read(b, "z", "c");
}

function isBatchedEl(e: El, bufs: ReadonlySet<Buf>, scals: ReadonlySet<Scal>): boolean {
  const b = new Set<Buf>();
  const s = new Set<Scal>();
  elReads(e, b, s);
  return [...b].some((x) => bufs.has(x)) || [...s].some((x) => scals.has(x));
}

/** body = u[r] * v[c]: the factors over the row index and those over the column index (v over r). */
function outerParts(f: ElFactory, body: El): { u: El; v: El } | undefined {
  if (body.k !== "mul") return undefined;
  const u: El[] = [];
  const v: El[] = [];
  for (const x of body.factors) {
    if (x.deps === 3) return undefined;
    if (x.deps === 2) v.push(x);
    else u.push(x);
  }
  if (u.length === 0 || v.length === 0) return undefined;
  return { u: f.mul(u), v: renameIx(f, f.mul(v), "c", "r") };
}
