/**
 * Index notation lowered straight to loop nests (as TACO does), for the derivatives that
 * have no matrix form:
 * - one output loop per free index (row-major in the result's index order);
 * - every Σ_k is a reduction loop, computed once into a temporary over its own free
 *   indices (so a sum that does not depend on an outer index is not recomputed per
 *   outer iteration: loop-invariant code motion at the level of whole sums), and so is
 *   every function call of fewer indices than the loops around it;
 * - a δ(p, q) of a term is an index equality: the term runs on the diagonal only (q := p,
 *   one loop fewer, never a loop over a δ's dead index), a δ with a fixed position fixes
 *   the index; δs are first pulled out of the sums that do not bind their indices.
 * Entries of definitions are read from buffers the matrix-level lowering fills (lower.ts);
 * scalars that depend on no index are its `const`s.
 */
import * as B from "../core/build.js";
import { isFixedIndex } from "../core/build.js";
import type { Expr, Index } from "../core/expr.js";
import type { Program } from "../core/program.js";
import * as Q from "../core/rational.js";
import type { Size } from "../core/shape.js";
import type { ElFactory } from "./elements.js";
import type { Buf, BufView, El, NEl, NIx, Scal, Step } from "./ir.js";
import type { LoweredOutput, LowerOptions, OutputRequest } from "./lowered.js";
import { orderSums } from "./sum-order.js";

/** What the matrix-level lowering provides. */
export interface LoopHost {
  readonly program: Program;
  readonly f: ElFactory;
  readonly options: LowerOptions;
  push(step: Step): void;
  scratch(rows: Size, cols: Size, hint: string, dims?: readonly Size[]): Buf;
  newScal(hint: string): Scal;
  /** A scalar that depends on no index (a matrix-level expression), as a constant. */
  constant(e: Expr): El;
  /** Where a declared value or a definition is stored. */
  named(name: string): BufView;
  /** Where a matrix-level expression (an inverse read at indices) is stored, computed once. */
  matrix(e: Expr): BufView;
}

/** Index → its place in the nest being built, with the sizes of the indices in scope (free and bound). */
interface Places extends ReadonlyMap<Index, NIx> {
  readonly sizes: ReadonlyMap<Index, Size>;
}

function placesWith(at: Iterable<[Index, NIx]>, sizes: ReadonlyMap<Index, Size>): Places {
  return Object.assign(new Map(at), { sizes });
}

/** The places inside Σ_index: the bound index is loop `loop`. */
function inside(places: Places, e: Extract<Expr, { kind: "series" }>, loop: number): Places {
  return placesWith([...places, [e.index, { loop }]], new Map([...places.sizes, [e.index, e.size]]));
}

const INDEX_KINDS = new Set(["entry", "delta", "series"]);

/** An entry of a matrix-level value (`inv(A)[i,j]`) is index-level; `det(A)` is a constant. */
const isIndexed = (e: Expr): boolean => INDEX_KINDS.has(e.kind) || (e.kind === "matfn" && e.at.length > 0);

/** An output in index notation (`o.index`), lowered to loop nests into its buffer (or a scalar). */
export function lowerIndexOutput(host: LoopHost, o: OutputRequest, buf: Buf | undefined): LoweredOutput {
  const index = o.index!;
  const loops = new LoopLowering(host, index.sizes);
  if (buf) {
    // Float32Array outputs: the terms add up in f64 scratch, written to the output once
    const home = host.options.narrowOutputs ? host.scratch(buf.rows, buf.cols, `${o.key}Sum`, buf.dims) : buf;
    loops.into(home, index.expr, index.indices);
    if (home !== buf) {
      const dims = buf.dims ?? [];
      const at = dims.map((_, k): NIx => ({ loop: k }));
      host.push({ k: "nest", target: buf, loops: dims, out: at, sum: undefined, body: { k: "read", buf: home, at }, accumulate: false });
    }
    return { key: o.key, shape: index.shape, buf, value: undefined };
  }
  const s = host.newScal(o.key);
  loops.into(s, index.expr, index.indices);
  return { key: o.key, shape: index.shape, buf: undefined, value: host.f.scal(s) };
}

export class LoopLowering {
  private readonly temps = new Map<string, { target: Buf | Scal }>();
  private readonly indexLevel = new Map<Expr, boolean>();
  /** The element expression of each node in each nest (one object per node, so the emitter sees what is shared). */
  private readonly memo = new Map<Places, Map<Expr, NEl>>();

  constructor(
    private readonly host: LoopHost,
    private readonly sizes: ReadonlyMap<Index, Size>,
  ) {}

  /** Fills `target` (a buffer over `free`, row-major, or a scalar) with the index-form value `e`. */
  into(target: Buf | Scal, e: Expr, free: readonly Index[]): void {
    const groups = new Map<string, { places: Places; loops: Size[]; terms: Expr[] }>();
    const known = (i: Index): boolean => isFixedIndex(i) || free.includes(i);
    for (const term of expandTerms(orderSums(e))) {
      const pulled = pullDeltas(term);
      // δs between output indices (or fixed positions) become index equalities; any other stays a factor
      const deltas = pulled.deltas.filter((d) => d.kind === "delta" && known(d.a) && known(d.b));
      const rest = B.mulAll([...pulled.deltas.filter((d) => !deltas.includes(d)), pulled.rest]);
      const g = this.placesOf(free, deltas);
      if (!g) continue; // δ of two different fixed positions: the term is 0
      const key = free.map((i) => JSON.stringify(g.places.get(i))).join(";");
      const have = groups.get(key);
      if (have) have.terms.push(rest);
      else groups.set(key, { ...g, terms: [rest] });
    }
    const all = [...groups.values()];
    const full = all.find((g) => g.loops.length === free.length && free.every((i, k) => (g.places.get(i) as { loop?: number }).loop === k));
    const ordered = full ? [full, ...all.filter((g) => g !== full)] : all;
    // without a term over every entry, the others add into zeros
    if (!full) this.host.push({ k: "nest", target, loops: free.map((i) => this.sizes.get(i)!), out: free.map((_, k) => ({ loop: k })), sum: undefined, body: { k: "num", value: 0 }, accumulate: false });
    // the nest over every entry assigns; the diagonal and fixed ones add to it
    ordered.forEach((g, k) => this.nest(target, g.places, g.loops, free, B.addAll(g.terms), !(full && k === 0)));
  }

  /** The loops of a term whose δs say which free indices agree (or are fixed); undefined for a zero term. */
  private placesOf(free: readonly Index[], deltas: readonly Expr[]): { places: Places; loops: Size[] } | undefined {
    const parent = new Map<Index, Index>();
    const find = (i: Index): Index => (parent.has(i) ? find(parent.get(i)!) : i);
    for (const d of deltas) {
      if (d.kind !== "delta") continue;
      const [a, b] = [find(d.a), find(d.b)];
      if (a === b) continue;
      if (isFixedIndex(a) && isFixedIndex(b)) return undefined;
      // a fixed position, or the earlier free index, stands for the class
      if (isFixedIndex(b) || (!isFixedIndex(a) && free.indexOf(b) < free.indexOf(a))) parent.set(a, b);
      else parent.set(b, a);
    }
    const places = placesWith([], this.sizes) as Places & Map<Index, NIx>;
    const loops: Size[] = [];
    for (const i of free) {
      const root = find(i);
      if (isFixedIndex(root)) places.set(i, { at: Number(root) - 1 });
      else if (root !== i) places.set(i, places.get(root)!);
      else {
        places.set(i, { loop: loops.length });
        loops.push(this.sizes.get(i)!);
      }
    }
    return { places, loops };
  }

  /** One loop nest: target[places of free] (+)= body. */
  private nest(target: Buf | Scal, places: Places, loops: readonly Size[], free: readonly Index[], body: Expr, accumulate: boolean): void {
    if (body.kind === "series") {
      const inner = inside(places, body, loops.length);
      const el = this.el(body.body, inner, loops.length + 1);
      this.host.push({ k: "nest", target, loops, out: free.map((i) => places.get(i)!), sum: body.size, body: el, accumulate });
      return;
    }
    this.host.push({ k: "nest", target, loops, out: free.map((i) => places.get(i)!), sum: undefined, body: this.el(body, places, loops.length), accumulate });
  }

  /** Does the expression hold index-level nodes (entries, δ, Σ)? */
  private isIndexLevel(e: Expr): boolean {
    let v = this.indexLevel.get(e);
    if (v === undefined) {
      v = isIndexed(e) || kids(e).some((k) => this.isIndexLevel(k));
      this.indexLevel.set(e, v);
    }
    return v;
  }

  /** The element expression of `e` inside `depth` loops, its indices placed by `places`. */
  private el(e: Expr, places: Places, depth: number): NEl {
    let memo = this.memo.get(places);
    if (!memo) this.memo.set(places, (memo = new Map()));
    let v = memo.get(e);
    if (!v) memo.set(e, (v = this.fresh(e, places, depth)));
    return v;
  }

  private fresh(e: Expr, places: Places, depth: number): NEl {
    if (!this.isIndexLevel(e)) return fromEl(this.host.constant(e));
    const free = e.indices.filter((i) => !isFixedIndex(i));
    // a sum, or a function call over fewer indices than the loops around it: a temporary of its own
    const hoist = e.kind === "series" || ((e.kind === "call" || (e.kind === "pow" && !isSmallInteger(e.exponent))) && free.length < depth);
    if (hoist) return this.temp(e, free, places);
    return this.own(e, places, depth);
  }

  /** The element expression of `e` from its own structure (its parts may be temporaries). */
  private own(e: Expr, places: Places, depth: number): NEl {
    const go = (x: Expr): NEl => this.el(x, places, depth);
    switch (e.kind) {
      case "add":
        return { k: "add", terms: e.terms.map(go) };
      case "mul":
        return { k: "mul", factors: e.factors.map(go) };
      case "pow":
        return { k: "pow", base: go(e.base), exponent: go(e.exponent) };
      case "call":
        return { k: "fn", fn: e.fn, arg: go(e.arg) };
      case "delta":
        return { k: "eq", a: place(e.a, places), b: place(e.b, places) };
      case "entry": {
        const view = this.host.named(e.name);
        const at = e.at.map((i) => place(i, places));
        return { k: "read", buf: view.buf, at: view.t && at.length === 2 ? [at[1]!, at[0]!] : at };
      }
      case "matfn": {
        // inv(A)[i,j]: the inverse computed once at matrix level, read at the entry's places
        if (e.fn !== "inv" || e.at.length !== 2) throw new Error(`internal: ${e.fn} read at indices`);
        const view = this.host.matrix(B.inv(e.arg));
        const at = e.at.map((i) => place(i, places));
        return { k: "read", buf: view.buf, at: view.t ? [at[1]!, at[0]!] : at };
      }
      default:
        throw new Error(`internal: ${e.kind} in index notation`);
    }
  }

  /** A value computed once into a temporary over its free indices, read at their places. */
  private temp(e: Expr, free: readonly Index[], places: Places): NEl {
    // the same value over the same indices is the same temporary (free indices are names)
    const dims = free.map((i) => places.sizes.get(i)!);
    // the same value over other index names is the same temporary (Σ_k W[k,a] u[k] and Σ_k W[k,b] u[k])
    const canonical = free.reduce((x, i, k) => B.renameIndex(x, i, `#${k}`), e);
    const key = `${canonical.id}:${dims.join(",")}`;
    let t = this.temps.get(key);
    if (!t) {
      const target = free.length === 0 ? this.host.newScal("sum") : this.host.scratch(dims[0]!, dims.length === 2 ? dims[1]! : 1, "t", dims.length > 2 || dims.length === 1 ? dims : undefined);
      const own = placesWith(
        free.map((i, k): [Index, NIx] => [i, { loop: k }]),
        places.sizes,
      );
      const loops = dims;
      if (e.kind === "series") {
        const inner = inside(own, e, loops.length);
        this.host.push({ k: "nest", target, loops, out: free.map((_, k) => ({ loop: k })), sum: e.size, body: this.el(e.body, inner, loops.length + 1), accumulate: false });
      } else this.host.push({ k: "nest", target, loops, out: free.map((_, k) => ({ loop: k })), sum: undefined, body: this.own(e, own, loops.length), accumulate: false });
      t = { target };
      this.temps.set(key, t);
    }
    if (!("role" in t.target)) return { k: "scal", s: t.target };
    return { k: "read", buf: t.target, at: free.map((i) => place(i, places)) };
  }
}

const isSmallInteger = (e: Expr): boolean => e.kind === "num" && Q.isInteger(e.value) && Math.abs(Q.toFloat(e.value)) <= 3;

function place(i: Index, places: Places): NIx {
  if (isFixedIndex(i)) return { at: Number(i) - 1 };
  const p = places.get(i);
  if (!p) throw new Error(`internal: index ${i} has no loop`);
  return p;
}

function kids(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "add":
      return e.terms;
    case "mul":
      return e.factors;
    case "pow":
      return [e.base, e.exponent];
    case "call":
      return [e.arg];
    case "series":
      return [e.body];
    default:
      return [];
  }
}

/** A constant of the matrix-level lowering as a nest element. */
function fromEl(e: El): NEl {
  switch (e.k) {
    case "num":
      return { k: "num", value: e.value };
    case "scal":
      return { k: "scal", s: e.s };
    case "size":
      return { k: "size", size: e.size };
    case "mul":
      return { k: "mul", factors: e.factors.map(fromEl) };
    case "add":
      return { k: "add", terms: e.terms.map(fromEl) };
    case "pow":
      return { k: "pow", base: fromEl(e.base), exponent: fromEl(e.exponent) };
    case "fn":
      return { k: "fn", fn: e.fn, arg: fromEl(e.arg) };
    default:
      throw new Error(`internal: a constant reads ${e.k}`);
  }
}

/** The terms of a sum, with products of sums that hold δ terms multiplied out (so each δ becomes an index equality). */
function expandTerms(e: Expr): Expr[] {
  if (e.kind === "add") return e.terms.flatMap(expandTerms);
  if (e.kind !== "mul") return [e];
  const k = e.factors.findIndex((f) => f.kind === "add" && f.terms.some((t) => pullDeltas(t).deltas.length > 0));
  if (k < 0) return [e];
  const sum = e.factors[k]! as Extract<Expr, { kind: "add" }>;
  const rest = e.factors.filter((_, j) => j !== k);
  return sum.terms.flatMap((t) => expandTerms(B.mulAll([t, ...rest])));
}

/**
 * A term's δ factors, pulled out of the sums that do not bind their indices
 * (Σ_k f δ(a,b) = δ(a,b) Σ_k f), and the rest of the term.
 */
export function pullDeltas(e: Expr): { deltas: Expr[]; rest: Expr } {
  if (e.kind === "delta") return { deltas: [e], rest: B.num(1) };
  if (e.kind === "mul") {
    const deltas: Expr[] = [];
    const rest: Expr[] = [];
    for (const f of e.factors) {
      const s = pullDeltas(f);
      deltas.push(...s.deltas);
      rest.push(s.rest);
    }
    return { deltas, rest: B.mulAll(rest) };
  }
  if (e.kind === "series") {
    const s = pullDeltas(e.body);
    const out = s.deltas.filter((d) => d.kind === "delta" && d.a !== e.index && d.b !== e.index);
    if (out.length === 0) return { deltas: [], rest: e };
    const keep = s.deltas.filter((d) => !out.includes(d));
    return { deltas: out, rest: B.series(e.index, e.size, B.mulAll([...keep, s.rest])) };
  }
  return { deltas: [], rest: e };
}
