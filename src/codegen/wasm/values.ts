/**
 * Element expressions as WebAssembly (binaryen) expressions: one entry (scalar f64/f32)
 * or a run of consecutive entries along the vectorized loop index (f64x2 / f32x4), the
 * buffers' entries read from linear memory, row-major, at the offsets the call passes.
 */
import type { Size } from "../../core/shape.js";
import type { Buf, El, Ix, Scal } from "../ir.js";
import { functionCode, hostCall, Imports } from "./lanes.js";
// binaryen's module and expression types, without loading binaryen (it is loaded on demand)
import type { Binaryen, Dtype, Locals, Module, Ref } from "./types.js";

export type { Binaryen, Dtype, Module, Ref } from "./types.js";

/** Loop indices in scope: the i32 local of `r` and of `c`, and which of them runs along SIMD lanes. */
export interface Env {
  readonly r?: number;
  readonly c?: number;
  readonly lanes?: ReadonlySet<Ix>;
}

/** A function under construction: its locals, its parameters (sizes, buffer offsets, input scalars), and expression helpers. */
export class Fn implements Locals {
  readonly m: Module;
  readonly lanes: number;
  readonly shift: number;
  readonly F: number;
  private readonly vars: number[] = [];
  readonly sizes: string[] = [];
  readonly bufs: Buf[] = [];
  readonly inputScalars: Scal[] = [];
  private readonly scalLocals = new Map<Scal, number>();
  private readonly bufParams = new Map<Buf, number>();
  private labels = 0;
  /** Statements that run first (input scalars narrowed to f32). */
  readonly prologue: Ref[] = [];

  constructor(
    readonly b: Binaryen,
    m: Module,
    readonly dtype: Dtype,
    /** Every size, buffer and input scalar, in parameter order. */
    params: { sizes: readonly string[]; bufs: readonly Buf[]; scalars: readonly Scal[] },
  ) {
    this.m = m;
    this.lanes = dtype === "f64" ? 2 : 4;
    this.shift = dtype === "f64" ? 3 : 2;
    this.F = dtype === "f64" ? b.f64 : b.f32;
    this.sizes.push(...params.sizes);
    this.bufs.push(...params.bufs);
    this.bufs.forEach((buf, k) => this.bufParams.set(buf, this.sizes.length + k));
    this.inputScalars.push(...params.scalars);
    const first = this.sizes.length + this.bufs.length;
    params.scalars.forEach((s, k) => {
      if (dtype === "f64") this.scalLocals.set(s, first + k);
      else {
        const local = this.local(this.F);
        this.prologue.push(m.local.set(local, m.f32.demote(m.local.get(first + k, b.f64))));
        this.scalLocals.set(s, local);
      }
    });
  }

  get paramTypes(): number[] {
    return [...this.sizes.map(() => this.b.i32), ...this.bufs.map(() => this.b.i32), ...this.inputScalars.map(() => this.b.f64)];
  }
  get varTypes(): number[] {
    return this.vars;
  }

  local(type: number): number {
    this.vars.push(type);
    return this.paramTypes.length + this.vars.length - 1;
  }
  label(): string {
    return `L${this.labels++}`;
  }

  // --- arithmetic of the element type, scalar (f) and vector (v)
  get f() {
    return this.dtype === "f64" ? this.m.f64 : this.m.f32;
  }
  get v() {
    return this.dtype === "f64" ? this.m.f64x2 : this.m.f32x4;
  }
  i32 = (k: number): Ref => this.m.i32.const(k);
  get = (local: number, type = this.b.i32): Ref => this.m.local.get(local, type);
  fconst = (x: number): Ref => (this.dtype === "f64" ? this.m.f64.const(x) : this.m.f32.const(x));
  vzero = (): Ref => this.v.splat(this.fconst(0));
  /** The sum of the lanes of a v128 local. */
  hsum(local: number, combine = (a: Ref, b: Ref): Ref => this.f.add(a, b)): Ref {
    const lane = (k: number): Ref => this.v.extract_lane(this.get(local, this.b.v128), k);
    let s = lane(0);
    for (let k = 1; k < this.lanes; k++) s = combine(s, lane(k));
    return s;
  }
  /** The natural logarithm of one entry, by the host's Math.log (imported). */
  log(x: Ref): Ref {
    return hostCall(this, "Math.log", [x], false);
  }
  /** The host's functions the module calls. */
  readonly imports = new Imports();

  size(s: Size): Ref {
    if (typeof s === "number") return this.i32(s);
    const k = this.sizes.indexOf(s);
    if (k < 0) throw new Error(`internal: size ${s} is not a parameter`);
    return this.get(k);
  }
  /** A size as a number of the element type. */
  sizeValue(s: Size): Ref {
    return this.dtype === "f64" ? this.m.f64.convert_u.i32(this.size(s)) : this.m.f32.convert_u.i32(this.size(s));
  }
  /** The accumulator of a batch's summed scalar output. */
  sum(key: string): number {
    let local = this.sums.get(key);
    if (local === undefined) {
      local = this.local(this.F);
      this.sums.set(key, local);
    }
    return local;
  }
  private readonly sums = new Map<string, number>();

  /** The local holding a scalar value (an input's, or one a step computes). */
  scal(s: Scal): number {
    let local = this.scalLocals.get(s);
    if (local === undefined) {
      local = this.local(this.F);
      this.scalLocals.set(s, local);
    }
    return local;
  }

  /** The byte address of entry `index` (an i32 expression) of a buffer. */
  addr(buf: Buf, index: Ref): Ref {
    const param = this.base(buf);
    return this.m.i32.add(this.get(param), this.m.i32.shl(index, this.i32(this.shift)));
  }
  /** The local holding a buffer's byte address: its parameter, its base buffer's for an alias, or a sample's (in a batch loop). */
  private base(buf: Buf): number {
    const b = this.aliases.get(buf) ?? buf;
    const local = this.sampleBases.get(b) ?? this.bufParams.get(b);
    if (local === undefined) throw new Error(`internal: buffer ${b.hint} has no offset`);
    return local;
  }
  /** Views of per-sample buffers as B-row matrices (alias -> buffer). */
  aliases: ReadonlyMap<Buf, Buf> = new Map();
  /** Within a loop over the samples: buffers holding every sample, at the current sample. */
  readonly sampleBases = new Map<Buf, number>();
  /** The byte-offset parameter of a buffer. */
  param(buf: Buf): number {
    const p = this.bufParams.get(buf);
    if (p === undefined) throw new Error(`internal: buffer ${buf.hint} has no offset`);
    return p;
  }
  load = (buf: Buf, index: Ref): Ref => this.f.load(0, 1 << this.shift, this.addr(buf, index));
  store = (buf: Buf, index: Ref, value: Ref): Ref => this.f.store(0, 1 << this.shift, this.addr(buf, index), value);
  vload = (buf: Buf, index: Ref): Ref => this.m.v128.load(0, 1 << this.shift, this.addr(buf, index));
  vstore = (buf: Buf, index: Ref, value: Ref): Ref => this.m.v128.store(0, 1 << this.shift, this.addr(buf, index), value);

  /** A local set to the byte address of entry `index` of a buffer (a row's start, computed once per row): the local and its set. */
  pointer(buf: Buf, index: Ref): [number, Ref] {
    const local = this.local(this.b.i32);
    return [local, this.m.local.set(local, this.addr(buf, index))];
  }
  /** The byte address `index` entries past a pointer local. */
  private past = (pointer: number, index: Ref): Ref => this.m.i32.add(this.get(pointer), this.m.i32.shl(index, this.i32(this.shift)));
  loadAt = (pointer: number, index: Ref): Ref => this.f.load(0, 1 << this.shift, this.past(pointer, index));
  storeAt = (pointer: number, index: Ref, value: Ref): Ref => this.f.store(0, 1 << this.shift, this.past(pointer, index), value);
  vloadAt = (pointer: number, index: Ref): Ref => this.m.v128.load(0, 1 << this.shift, this.past(pointer, index));
  vstoreAt = (pointer: number, index: Ref, value: Ref): Ref => this.m.v128.store(0, 1 << this.shift, this.past(pointer, index), value);

  /** Entry index of element (row, col) of a row-major buffer. */
  index(buf: Buf, row: Ref, col: Ref): Ref {
    if (buf.cols === 1) return row;
    if (buf.rows === 1) return col;
    return this.m.i32.add(this.m.i32.mul(row, this.size(buf.cols)), col);
  }

  /** `while (i + step <= end) { body; i += step }` (i keeps its value after). */
  loop(i: number, end: Ref, step: number, body: Ref[]): Ref {
    const out = this.label();
    const again = this.label();
    const m = this.m;
    const done = m.i32.gt_s(m.i32.add(this.get(i), this.i32(step)), end);
    return m.block(out, [m.loop(again, m.block(null, [m.br(out, done), ...body, m.local.set(i, m.i32.add(this.get(i), this.i32(step))), m.br(again)]))]);
  }

  // --- element expressions

  private ix(i: Ix, env: Env): Ref {
    if (i === "z") return this.i32(0);
    const local = env[i];
    if (local === undefined) throw new Error(`internal: no loop for index ${i}`);
    return this.get(local);
  }

  /** One entry of `e`. */
  scalar(e: El, env: Env): Ref {
    const { f } = this;
    switch (e.k) {
      case "num":
        return this.fconst(e.value);
      case "scal":
        return this.get(this.scal(e.s), this.F);
      case "size":
        return this.sizeValue(e.size);
      case "read":
        return this.load(e.buf, this.index(e.buf, this.ix(e.row, env), this.ix(e.col, env)));
      case "flat":
        return this.load(e.buf, this.ix("r", env));
      case "delta":
        return this.m.select(this.m.i32.eq(this.ix("r", env), this.ix("c", env)), this.fconst(1), this.fconst(0));
      case "add":
        return e.terms.map((t) => this.scalar(t, env)).reduce((a, b) => f.add(a, b));
      case "mul":
        return e.factors.map((t) => this.scalar(t, env)).reduce((a, b) => f.mul(a, b));
      case "pow":
        return this.power(e, (x) => this.scalar(x, env), false);
      case "fn":
        return functionCode(this, e.fn, this.scalar(e.arg, env), false);
    }
  }

  /** `lanes` consecutive entries of `e` along the vectorized index (see {@link vectorizes}). */
  vector(e: El, env: Env): Ref {
    const { v } = this;
    switch (e.k) {
      case "num":
      case "scal":
      case "size":
        return v.splat(this.scalar(e, env));
      case "read":
        return readKind(e.buf, e.row, e.col, env) === "contiguous" ? this.m.v128.load(0, 1 << this.shift, this.addr(e.buf, this.index(e.buf, this.ix(e.row, env), this.ix(e.col, env)))) : v.splat(this.scalar(e, env));
      case "flat":
        return env.lanes?.has("r") ? this.vload(e.buf, this.ix("r", env)) : v.splat(this.scalar(e, env));
      case "add":
        return e.terms.map((t) => this.vector(t, env)).reduce((a, b) => v.add(a, b));
      case "mul":
        return e.factors.map((t) => this.vector(t, env)).reduce((a, b) => v.mul(a, b));
      case "pow":
        return this.power(e, (x) => this.vector(x, env), true);
      case "fn":
        return functionCode(this, e.fn, this.vector(e.arg, env), true);
      case "delta":
        throw new Error(`internal: ${e.k} is not vectorized`);
    }
  }

  /**
   * base^p as the JS target computes it: p = ±1/2 by sqrt, p = ±1, ±2, ±3 by multiplying
   * (the base through a local), 1/… for p < 0, any other power by Math.pow (per lane).
   */
  private power(e: Extract<El, { k: "pow" }>, code: (x: El) => Ref, vector: boolean): Ref {
    const o = vector ? this.v : this.f;
    const type = vector ? this.b.v128 : this.F;
    if (e.exponent.k !== "num") return hostCall(this, "Math.pow", [code(e.base), code(e.exponent)], vector);
    const p = e.exponent.value;
    const n = Math.abs(p);
    const one = (): Ref => (vector ? this.v.splat(this.fconst(1)) : this.fconst(1));
    let value: Ref;
    if (n === 0.5) value = o.sqrt(code(e.base));
    else if (n === 1 || n === 2 || n === 3) {
      const t = this.local(type);
      value = this.m.local.tee(t, code(e.base), type);
      for (let k = 1; k < n; k++) value = o.mul(value, this.get(t, type));
    } else value = hostCall(this, "Math.pow", [code(e.base), { f64: n }], vector);
    return p < 0 ? o.div(one(), value) : value;
  }
}

/** How a read moves along the vectorized index: consecutive entries, the same entry, or neither. */
function readKind(buf: Buf, row: Ix, col: Ix, env: Env): "contiguous" | "broadcast" | "strided" {
  const lane = (i: Ix): boolean => i !== "z" && (env.lanes?.has(i) ?? false);
  if (buf.cols === 1) return lane(row) ? "contiguous" : "broadcast";
  if (buf.rows === 1) return lane(col) ? "contiguous" : "broadcast";
  if (lane(row)) return "strided";
  return lane(col) ? "contiguous" : "broadcast";
}

/** Can `e` be computed a vector at a time along env's lanes? */
export function vectorizes(e: El, env: Env): boolean {
  switch (e.k) {
    case "num":
    case "scal":
    case "size":
      return true;
    case "read":
      return readKind(e.buf, e.row, e.col, env) !== "strided";
    case "flat":
      return true;
    case "delta":
      return false;
    case "fn":
      return vectorizes(e.arg, env);
    case "add":
      return e.terms.every((t) => vectorizes(t, env));
    case "mul":
      return e.factors.every((t) => vectorizes(t, env));
    case "pow":
      return vectorizes(e.base, env);
  }
}
