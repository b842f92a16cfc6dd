/**
 * Elementwise functions and powers on the wasm target, for every function the language
 * has, without the target naming any:
 *   a row with a `wasm` form (src/core/functions.ts)   its SIMD operations, on all lanes at once
 *   a row without one, logsigmoid                        its JavaScript kernel form, called lane
 *                                                        by lane (an import: the host's Math)
 *   x^p                                                  sqrt, multiplications, 1/…; other
 *                                                        powers Math.pow per lane, as the JS target
 * The imports are the host's Math functions or arrow functions of the table's kernel
 * forms; nothing of a spec's text reaches them.
 */
import { FUNCTION_TABLE, isFnName, type Lanes } from "../../core/functions.js";
import type { ElFn } from "../ir.js";
import { kernelForm } from "../stable.js";
import { sexp, slog, stanh, vexp, vlog, vtanh } from "./exp.js";
import type { Locals, Ref } from "./types.js";

/** A function of the host that the module imports: its JavaScript code, and how many numbers it takes. */
export interface HostImport {
  readonly name: string;
  readonly code: string;
  readonly arity: 1 | 2;
}

/** The imports a module under construction calls, by their JavaScript code. */
export class Imports {
  readonly list: HostImport[] = [];

  /** The import computing `code` (Math.log, Math.pow, or `(u) => …`). */
  name(code: string, arity: 1 | 2): string {
    const found = this.list.find((i) => i.code === code);
    if (found) return found.name;
    const name = `f${this.list.length}`;
    this.list.push({ name, code, arity });
    return name;
  }
}

/** What a function of values.ts offers this file: the locals of exp.ts, and the imports. */
export interface LaneHost extends Locals {
  readonly imports: Imports;
}

/** The JavaScript of a kernel form as an import: `Math.sin`, or `(u) => 1 / Math.cos(u)`. */
function formImport(fn: ElFn): string {
  const { code } = kernelForm(fn);
  const direct = /^Math\.(\w+)\(u\)$/.exec(code);
  return direct ? `Math.${direct[1]}` : `(u) => ${code}`;
}

/** An argument of a host call: an expression of the element type, or an f64 constant. */
export type HostArg = Ref | { readonly f64: number };

/** Calls the host's `code` on f64 values (an f32 entry is widened, and the result rounded back). */
function callHost(h: LaneHost, code: string, args: readonly HostArg[]): Ref {
  const { m } = h;
  const name = h.imports.name(code, args.length as 1 | 2);
  const wide = args.map((a) => (typeof a === "object" ? m.f64.const(a.f64) : h.dtype === "f64" ? a : m.f64.promote(a)));
  const call = m.call(name, wide, h.b.f64);
  return h.dtype === "f64" ? call : m.f32.demote(call);
}

/** `code` applied to each lane of vectors (one call a lane). */
function perLane(h: LaneHost, code: string, args: readonly HostArg[]): Ref {
  const { m, b } = h;
  const v = h.dtype === "f64" ? m.f64x2 : m.f32x4;
  const lanes = h.dtype === "f64" ? 2 : 4;
  const locals = args.map((a) => (typeof a === "object" ? a : h.local(b.v128)));
  const first = locals.find((l): l is number => typeof l === "number")!;
  const lane = (k: number) => (l: HostArg): HostArg => (typeof l === "object" ? l : v.extract_lane(m.local.get(l, b.v128), k));
  let out: Ref = m.local.get(first, b.v128);
  for (let k = 0; k < lanes; k++) out = v.replace_lane(out, k, callHost(h, code, locals.map(lane(k))));
  const sets = args.flatMap((a, k) => (typeof a === "object" ? [] : [m.local.set(locals[k] as number, a)]));
  return m.block(null, [...sets, out], b.v128);
}

/** The host's `code` on one entry, or on each lane of vectors (at least one argument an expression). */
export const hostCall = (h: LaneHost, code: string, args: readonly HostArg[], vector: boolean): Ref => (vector ? perLane(h, code, args) : callHost(h, code, args));

type Lane = () => Ref;

/** The table's SIMD operations as binaryen expressions (vector: all lanes; else one entry). */
function lanes(h: LaneHost, vector: boolean): Lanes<Lane> {
  const { m } = h;
  const o = vector ? (h.dtype === "f64" ? m.f64x2 : m.f32x4) : h.dtype === "f64" ? m.f64 : m.f32;
  const c = (x: number): Ref => (h.dtype === "f64" ? m.f64.const(x) : m.f32.const(x));
  const two = (op: (a: Ref, b: Ref) => Ref) => (a: Lane, b: Lane): Lane => () => op(a(), b());
  const one = (op: (a: Ref) => Ref) => (a: Lane): Lane => () => op(a());
  return {
    num: (x) => () => (vector ? (o as typeof m.f64x2).splat(c(x)) : c(x)),
    add: two((a, b) => o.add(a, b)),
    sub: two((a, b) => o.sub(a, b)),
    mul: two((a, b) => o.mul(a, b)),
    div: two((a, b) => o.div(a, b)),
    min: two((a, b) => o.min(a, b)),
    max: two((a, b) => o.max(a, b)),
    neg: one((a) => o.neg(a)),
    abs: one((a) => o.abs(a)),
    sqrt: one((a) => o.sqrt(a)),
    exp: one((a) => (vector ? vexp(h, a) : sexp(h, a))),
    log: one((a) => (vector ? vlog(h, a) : slog(h, a))),
    tanh: one((a) => (vector ? vtanh(h, a) : stanh(h, a))),
    greater: (a, b, yes, no) => () => (vector ? m.v128.bitselect(yes(), no(), (o as typeof m.f64x2).gt(a(), b())) : m.select(o.gt(a(), b()), yes(), no())),
  };
}

/** fn(arg) on one entry or a vector: the row's SIMD form, else its kernel form per lane. */
export function functionCode(h: LaneHost, fn: ElFn, arg: Ref, vector: boolean): Ref {
  const form = isFnName(fn) ? FUNCTION_TABLE[fn].wasm : undefined;
  if (!form) return hostCall(h, formImport(fn), [arg], vector);
  const type = vector ? h.b.v128 : h.dtype === "f64" ? h.b.f64 : h.b.f32;
  const u = h.local(type);
  return h.m.block(null, [h.m.local.set(u, arg), form(() => h.m.local.get(u, type), lanes(h, vector))()], type);
}
