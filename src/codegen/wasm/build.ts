/**
 * One kernel's WebAssembly module, built with binaryen (its builder and its -O3
 * optimizer; never by hand-encoding the binary format): one exported function `run`
 * taking the symbolic sizes, the byte offset of every buffer in linear memory and the
 * input scalars, and an exported memory that the caller lays the buffers out in.
 */
import { JacobiError } from "../../core/errors.js";
import type { Size } from "../../core/shape.js";
import type { Buf, El, Scal, Step } from "../ir.js";
import type { Lowered } from "../lower.js";
import { stepCode } from "./steps.js";
import { Fn, type Binaryen, type Dtype } from "./values.js";

export interface WasmKernel {
  readonly bytes: Uint8Array;
  /** `run`'s parameters, in order: sizes (i32), buffer byte offsets (i32), input scalars (f64). */
  readonly sizes: readonly string[];
  readonly bufs: readonly Buf[];
  readonly scalars: readonly Scal[];
}

/** Every buffer the steps touch, and every symbolic size they need, in first-use order. */
function usesOf(lowered: Lowered): { bufs: Buf[]; sizes: string[] } {
  const bufs: Buf[] = [];
  const sizes: string[] = [];
  const size = (s: Size): void => {
    if (typeof s === "string" && !sizes.includes(s)) sizes.push(s);
  };
  const buf = (b: Buf): void => {
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
    else if (s.k === "softmax") {
      size(s.rows);
      size(s.cols);
      el(s.u);
      if (s.out) buf(s.out);
    }
  };
  lowered.steps.forEach(step);
  for (const o of lowered.outputs) if (o.buf) buf(o.buf);
  return { bufs, sizes };
}

/** The module of a kernel the target accepts (see acceptWasm). */
export function buildWasm(binaryen: Binaryen, lowered: Lowered, dtype: Dtype): WasmKernel {
  const { bufs, sizes } = usesOf(lowered);
  const scalars = [...lowered.inputScals.values()];
  const m = new binaryen.Module();
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128);
    m.setMemory(1, 65536, "memory");
    const fn = new Fn(binaryen, m, dtype, { sizes, bufs, scalars });
    const body = [...fn.prologue, ...lowered.steps.flatMap((s) => stepCode(fn, s))];
    if (fn.usesLog) m.addFunctionImport("log", "math", "log", binaryen.createType([binaryen.f64]), binaryen.f64);
    m.addFunction("run", binaryen.createType(fn.paramTypes), binaryen.none, fn.varTypes, m.block(null, body));
    m.addFunctionExport("run", "run");
    if (!m.validate()) throw new Error("internal: the generated WebAssembly module does not validate");
    binaryen.setOptimizeLevel(3);
    binaryen.setShrinkLevel(0);
    m.optimize();
    return { bytes: m.emitBinary(), sizes, bufs, scalars };
  } finally {
    m.dispose();
  }
}

/**
 * The toolchain's package. Named through a variable, so that bundlers leave it out of the
 * library's browser bundle: kernels for the browser are built ahead (jacobi gen, the Vite
 * plugin) and need nothing at run time.
 */
const BINARYEN = "binaryen";
let loading: Promise<Binaryen> | undefined;
/** binaryen, loaded on first use (it is large, and only generation with the wasm target needs it). */
export function loadBinaryen(): Promise<Binaryen> {
  loading ??= (import(/* @vite-ignore */ BINARYEN) as Promise<{ default: Binaryen }>).then(
    (mod) => mod.default,
    (e: unknown) => {
      loading = undefined;
      throw new JacobiError("usage", `the wasm target needs binaryen, which could not be loaded here (${e instanceof Error ? e.message : String(e)}); build kernels ahead with jacobi gen --target wasm or the Vite plugin`);
    },
  );
  return loading;
}
