/**
 * The loop IR's steps as WebAssembly SIMD loops (the same schedule as the JavaScript
 * emitter, src/codegen/emit-steps.ts):
 *   map      target[i, j] = body: SIMD along the contiguous index, scalar tail
 *   reduce   t = Σ body: a vector accumulator, its lanes summed, scalar tail
 *   gemv     dot form (4 rows at a time, SIMD along the row) or axpy form (4 rows of
 *            M' at a time, SIMD along the output)
 *   gemm     A*B and A'*B: 2 rows × 4 k's per pass, SIMD along the output row;
 *            A*B': 2×4 blocks of SIMD dot products; A'*B': scalar
 *   norm2    a max-|u| pass, then Σ (u/m)² (as the JS target: finite wherever the norm is)
 *   literal  the entries one by one
 * Every vector loop is followed by a scalar loop for the entries left over.
 */
import type { Size } from "../../core/shape.js";
import { viewCols, viewRows, type Buf, type BufView, type El, type Step } from "../ir.js";
import { sexp, vexp } from "./exp.js";
import { vectorizes, type Env, type Fn, type Ref } from "./values.js";

export function stepCode(fn: Fn, s: Step): Ref[] {
  switch (s.k) {
    case "scalar":
      return [fn.m.local.set(fn.scal(s.target), fn.scalar(s.value, {}))];
    case "map":
      return map(fn, s.target, s.body, s.diag, s.accumulate);
    case "reduce":
      return reduce(fn, fn.scal(s.target), s.rows, s.cols, s.body);
    case "gemv":
      return s.mat.t ? gemvAxpy(fn, s.target, s.mat.buf, s.vec, s.accumulate) : gemvDot(fn, s.target, s.mat.buf, s.vec, s.accumulate);
    case "gemm":
      if (!s.b.t) return gemmAxpy(fn, s.target, s.a, s.b.buf, s.accumulate);
      if (!s.a.t) return gemmDot(fn, s.target, s.a.buf, s.b.buf, s.accumulate);
      return gemmScalar(fn, s.target, s.a, s.b, s.accumulate);
    case "softmax":
      return softmax(fn, s);
    case "norm2":
      return norm2(fn, s);
    case "literal":
      return s.items.map((item, k) => fn.store(s.target, fn.i32(k), fn.scalar(item, {})));
    case "lu":
    case "luDet":
    case "solve":
    case "linemax":
    case "nest":
      throw new Error(`internal: step ${s.k} on the wasm target (wasmGap sends its kernel to the JavaScript loops)`);
  }
}

const count = (fn: Fn, rows: Size, cols: Size): Ref => (rows === 1 ? fn.size(cols) : cols === 1 ? fn.size(rows) : fn.m.i32.mul(fn.size(rows), fn.size(cols)));

/** i = 0; the vector loop (when `vector` is given), then the scalar loop, to `end`. */
function run(fn: Fn, i: number, end: () => Ref, vector: (() => Ref[]) | undefined, scalar: () => Ref[]): Ref[] {
  const out = [fn.m.local.set(i, fn.i32(0))];
  if (vector) out.push(fn.loop(i, end(), fn.lanes, vector()));
  out.push(fn.loop(i, end(), 1, scalar()));
  return out;
}

function map(fn: Fn, target: Buf, body: El, diag: El | undefined, accumulate: boolean): Ref[] {
  const { m } = fn;
  const twoD = target.rows !== 1 && target.cols !== 1;
  const i = fn.local(fn.b.i32);
  const j = twoD ? fn.local(fn.b.i32) : i;
  const lanes = new Set(twoD ? (["c"] as const) : (["r", "c"] as const));
  const env: Env = { r: i, c: j, lanes };
  const scalarEnv: Env = { r: i, c: j };
  const at = (): Ref => (twoD ? m.i32.add(m.i32.mul(fn.get(i), fn.size(target.cols)), fn.get(j)) : fn.get(i));
  const vstep = (): Ref[] => [fn.vstore(target, at(), accumulate ? fn.v.add(fn.vload(target, at()), fn.vector(body, env)) : fn.vector(body, env))];
  const sstep = (): Ref[] => [fn.store(target, at(), accumulate ? fn.f.add(fn.load(target, at()), fn.scalar(body, scalarEnv)) : fn.scalar(body, scalarEnv))];
  const vector = vectorizes(body, env) ? vstep : undefined;
  const onDiagonal = (): Ref[] => {
    if (!diag) return [];
    const ii = (): Ref => m.i32.add(m.i32.mul(fn.get(i), fn.size(target.cols)), fn.get(i));
    return [fn.store(target, ii(), fn.f.add(fn.load(target, ii()), fn.scalar(diag, { r: i, c: i })))];
  };
  if (twoD) {
    const row = [...run(fn, j, () => fn.size(target.cols), vector, sstep), ...onDiagonal()];
    return [m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(target.rows), 1, row)];
  }
  const out = run(fn, i, () => count(fn, target.rows, target.cols), vector, sstep);
  // the diagonal of a vector-shaped map: its one entry per row
  if (diag) out.push(m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(target.rows), 1, onDiagonal()));
  return out;
}

function reduce(fn: Fn, target: number, rows: Size, cols: Size, body: El): Ref[] {
  const { m } = fn;
  const twoD = rows !== 1 && cols !== 1;
  const i = fn.local(fn.b.i32);
  const j = twoD ? fn.local(fn.b.i32) : i;
  const env: Env = { r: i, c: j, lanes: new Set(twoD ? (["c"] as const) : (["r", "c"] as const)) };
  const acc = fn.local(fn.b.v128);
  const vacc = (): Ref[] => [m.local.set(acc, fn.v.add(fn.get(acc, fn.b.v128), fn.vector(body, env)))];
  const sacc = (): Ref[] => [m.local.set(target, fn.f.add(fn.get(target, fn.F), fn.scalar(body, { r: i, c: j })))];
  const vector = vectorizes(body, env) ? vacc : undefined;
  const init = [m.local.set(acc, fn.vzero()), m.local.set(target, fn.fconst(0))];
  const loops = twoD ? [m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(rows), 1, run(fn, j, () => fn.size(cols), vector, sacc))] : run(fn, i, () => count(fn, rows, cols), vector, sacc);
  return [...init, ...loops, m.local.set(target, fn.f.add(fn.get(target, fn.F), fn.hsum(acc)))];
}

/** Max-shifted softmax of u: a max pass (u kept in out), exp(u - max) and its sum, a scale pass; lse = max + log(sum). */
function softmax(fn: Fn, s: Extract<Step, { k: "softmax" }>): Ref[] {
  const { m, v, f } = fn;
  const V = fn.b.v128;
  const i = fn.local(fn.b.i32);
  const env: Env = { r: i, c: i, lanes: new Set(["r", "c"] as const) };
  const senv: Env = { r: i, c: i };
  const n = (): Ref => count(fn, s.rows, s.cols);
  const [vmax, vsum, U] = [fn.local(V), fn.local(V), fn.local(V)];
  const [max, sum, u] = [fn.local(fn.F), fn.local(fn.F), fn.local(fn.F)];
  const out = s.out;
  // u is kept in out by the first pass unless it is an entry of a buffer already
  const keep = out !== undefined && s.u.k !== "flat" && s.u.k !== "read";
  const vok = vectorizes(s.u, env);
  const at = (): Ref => fn.get(i);
  const pass1 = run(
    fn,
    i,
    n,
    // max as JavaScript's `if (v > max) max = v` (a NaN entry is passed over; it makes the sum NaN later): pmax(max, v)
    vok ? () => [m.local.set(U, fn.vector(s.u, env)), ...(keep ? [fn.vstore(out, at(), fn.get(U, V))] : []), m.local.set(vmax, v.pmax(fn.get(vmax, V), fn.get(U, V)))] : undefined,
    () => [m.local.set(u, fn.scalar(s.u, senv)), ...(keep ? [fn.store(out, at(), fn.get(u, fn.F))] : []), m.local.set(max, larger(fn, max, fn.get(u, fn.F)))],
  );
  const vsource = (): Ref => (keep ? fn.vload(out, at()) : fn.vector(s.u, env));
  const ssource = (): Ref => (keep ? fn.load(out, at()) : fn.scalar(s.u, senv));
  const pass2 = run(
    fn,
    i,
    n,
    keep || vok ? () => [m.local.set(U, vexp(fn, v.sub(vsource(), v.splat(fn.get(max, fn.F))))), ...(out ? [fn.vstore(out, at(), fn.get(U, V))] : []), m.local.set(vsum, v.add(fn.get(vsum, V), fn.get(U, V)))] : undefined,
    () => [m.local.set(u, sexp(fn, f.sub(ssource(), fn.get(max, fn.F)))), ...(out ? [fn.store(out, at(), fn.get(u, fn.F))] : []), m.local.set(sum, f.add(fn.get(sum, fn.F), fn.get(u, fn.F)))],
  );
  const scale = fn.local(fn.F);
  const pass3 = out
    ? [
        m.local.set(scale, f.div(fn.fconst(1), fn.get(sum, fn.F))),
        ...run(fn, i, n, () => [fn.vstore(out, at(), v.mul(fn.vload(out, at()), v.splat(fn.get(scale, fn.F))))], () => [fn.store(out, at(), f.mul(fn.load(out, at()), fn.get(scale, fn.F)))]),
      ]
    : [];
  return [
    m.local.set(vmax, v.splat(fn.fconst(-Infinity))),
    m.local.set(max, fn.fconst(-Infinity)),
    m.local.set(vsum, fn.vzero()),
    m.local.set(sum, fn.fconst(0)),
    ...pass1,
    ...Array.from({ length: fn.lanes }, (_, k) => m.local.set(max, larger(fn, max, fn.v.extract_lane(fn.get(vmax, V), k)))),
    ...pass2,
    m.local.set(sum, f.add(fn.get(sum, fn.F), fn.hsum(vsum))),
    ...pass3,
    ...(s.lse ? [m.local.set(fn.scal(s.lse), f.add(fn.get(max, fn.F), fn.log(fn.get(sum, fn.F))))] : []),
  ];
}

/** m = max |u| (NaN kept); the norm m sqrt(Σ (u/m)²) where 0 < m < ∞, else m (0, ∞ or NaN), as on the JS target. */
function norm2(fn: Fn, s: Extract<Step, { k: "norm2" }>): Ref[] {
  const { m, v, f } = fn;
  const [V, F] = [fn.b.v128, fn.F];
  const i = fn.local(fn.b.i32);
  const env: Env = { r: i, c: i, lanes: new Set(["r", "c"] as const) };
  const senv: Env = { r: i, c: i };
  const n = (): Ref => count(fn, s.rows, s.cols);
  const [vmax, vsum, U] = [fn.local(V), fn.local(V), fn.local(V)];
  const [max, sum, u] = [fn.local(F), fn.local(F), fn.local(F)];
  const vok = vectorizes(s.u, env);
  // wasm's max is NaN when either side is: a NaN entry makes the norm NaN
  const pass1 = run(fn, i, n, vok ? () => [m.local.set(vmax, v.max(fn.get(vmax, V), v.abs(fn.vector(s.u, env))))] : undefined, () => [m.local.set(max, f.max(fn.get(max, F), f.abs(fn.scalar(s.u, senv))))]);
  const pass2 = run(
    fn,
    i,
    n,
    vok ? () => [m.local.set(U, v.div(fn.vector(s.u, env), v.splat(fn.get(max, F)))), m.local.set(vsum, v.add(fn.get(vsum, V), v.mul(fn.get(U, V), fn.get(U, V))))] : undefined,
    () => [m.local.set(u, f.div(fn.scalar(s.u, senv), fn.get(max, F))), m.local.set(sum, f.add(fn.get(sum, F), f.mul(fn.get(u, F), fn.get(u, F))))],
  );
  const scaled = (): Ref => m.i32.and(f.gt(fn.get(max, F), fn.fconst(0)), f.lt(fn.get(max, F), fn.fconst(Infinity)));
  return [
    m.local.set(vmax, fn.vzero()),
    m.local.set(max, fn.fconst(0)),
    m.local.set(vsum, fn.vzero()),
    m.local.set(sum, fn.fconst(0)),
    ...pass1,
    ...Array.from({ length: fn.lanes }, (_, k) => m.local.set(max, f.max(fn.get(max, F), v.extract_lane(fn.get(vmax, V), k)))),
    m.if(scaled(), m.block(null, [...pass2, m.local.set(sum, f.add(fn.get(sum, F), fn.hsum(vsum)))])),
    m.local.set(fn.scal(s.target), m.select(scaled(), f.mul(fn.get(max, F), f.sqrt(fn.get(sum, F))), fn.get(max, F))),
  ];
}

/** `value > max ? value : max`, for the local max. */
function larger(fn: Fn, max: number, value: Ref): Ref {
  const t = fn.local(fn.F);
  return fn.m.block(null, [fn.m.local.set(t, value), fn.m.select(fn.f.gt(fn.get(t, fn.F), fn.get(max, fn.F)), fn.get(t, fn.F), fn.get(max, fn.F))], fn.F);
}

/** out = (accumulate ? out + value : value) at entry `index`. */
const put = (fn: Fn, buf: Buf, index: () => Ref, value: Ref, accumulate: boolean): Ref => fn.store(buf, index(), accumulate ? fn.f.add(fn.load(buf, index()), value) : value);

/** target[r] = Σ_p M[r, p] vec[p]: rows in blocks of 4 (then 1), SIMD dot products along p. */
function gemvDot(fn: Fn, target: Buf, M: Buf, vec: El, accumulate: boolean): Ref[] {
  const { m } = fn;
  const K = M.cols;
  const i = fn.local(fn.b.i32);
  const p = fn.local(fn.b.i32);
  const venv: Env = { r: p, c: p, lanes: new Set(["r", "c"] as const) };
  const vectorOk = vectorizes(vec, venv);
  const block = (R: number): Ref[] => {
    const accs = Array.from({ length: R }, () => fn.local(fn.b.v128));
    const sums = Array.from({ length: R }, () => fn.local(fn.F));
    const row = (k: number): Ref => m.i32.add(fn.get(i), fn.i32(k));
    const rows = Array.from({ length: R }, (_, k) => fn.pointer(M, m.i32.mul(row(k), fn.size(K))));
    const v = fn.local(fn.b.v128);
    const s = fn.local(fn.F);
    const vbody = (): Ref[] => [m.local.set(v, fn.vector(vec, venv)), ...accs.map((a, k) => m.local.set(a, fn.v.add(fn.get(a, fn.b.v128), fn.v.mul(fn.vloadAt(rows[k]![0], fn.get(p)), fn.get(v, fn.b.v128)))))];
    const sbody = (): Ref[] => [m.local.set(s, fn.scalar(vec, { r: p, c: p })), ...sums.map((t, k) => m.local.set(t, fn.f.add(fn.get(t, fn.F), fn.f.mul(fn.loadAt(rows[k]![0], fn.get(p)), fn.get(s, fn.F)))))];
    return [
      ...rows.map(([, set]) => set),
      ...accs.map((a) => m.local.set(a, fn.vzero())),
      ...sums.map((t) => m.local.set(t, fn.fconst(0))),
      ...run(fn, p, () => fn.size(K), vectorOk ? vbody : undefined, sbody),
      ...sums.map((t, k) => put(fn, target, () => row(k), fn.f.add(fn.get(t, fn.F), fn.hsum(accs[k]!)), accumulate)),
    ];
  };
  return [m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(M.rows), 4, block(4)), fn.loop(i, fn.size(M.rows), 1, block(1))];
}

/** target[r] = Σ_p M[p, r] vec[p] (M' applied): 4 rows of M per pass added along the output. */
function gemvAxpy(fn: Fn, target: Buf, M: Buf, vec: El, accumulate: boolean): Ref[] {
  const { m } = fn;
  const N = M.cols;
  const p = fn.local(fn.b.i32);
  const j = fn.local(fn.b.i32);
  const q = fn.local(fn.b.i32);
  const zero = accumulate ? [] : run(fn, j, () => fn.size(N), () => [fn.vstore(target, fn.get(j), fn.vzero())], () => [fn.store(target, fn.get(j), fn.fconst(0))]);
  const block = (P: number): Ref[] => {
    const xs = Array.from({ length: P }, () => fn.local(fn.F));
    const vs = Array.from({ length: P }, () => fn.local(fn.b.v128));
    const rows = Array.from({ length: P }, (_, k) => fn.pointer(M, m.i32.mul(m.i32.add(fn.get(p), fn.i32(k)), fn.size(N))));
    const setX = xs.flatMap((x, k) => [m.local.set(q, m.i32.add(fn.get(p), fn.i32(k))), m.local.set(x, fn.scalar(vec, { r: q, c: q })), m.local.set(vs[k]!, fn.v.splat(fn.get(x, fn.F)))]);
    const vsum = (): Ref => vs.map((v, k) => fn.v.mul(fn.vloadAt(rows[k]![0], fn.get(j)), fn.get(v, fn.b.v128))).reduce((a, b) => fn.v.add(a, b));
    const ssum = (): Ref => xs.map((x, k) => fn.f.mul(fn.loadAt(rows[k]![0], fn.get(j)), fn.get(x, fn.F))).reduce((a, b) => fn.f.add(a, b));
    return [
      ...rows.map(([, set]) => set),
      ...setX,
      ...run(
        fn,
        j,
        () => fn.size(N),
        () => [fn.vstore(target, fn.get(j), fn.v.add(fn.vload(target, fn.get(j)), vsum()))],
        () => [fn.store(target, fn.get(j), fn.f.add(fn.load(target, fn.get(j)), ssum()))],
      ),
    ];
  };
  return [...zero, m.local.set(p, fn.i32(0)), fn.loop(p, fn.size(M.rows), 4, block(4)), fn.loop(p, fn.size(M.rows), 1, block(1))];
}

/** Element (i, p) of a view as an entry index of its buffer. */
function viewIndex(fn: Fn, v: BufView, i: Ref, p: Ref): Ref {
  return v.t ? fn.index(v.buf, p, i) : fn.index(v.buf, i, p);
}

/** C = op(A) B with B row-major: 2 rows of C × 4 k's per pass (then 1), SIMD along C's rows. */
function gemmAxpy(fn: Fn, C: Buf, a: BufView, B: Buf, accumulate: boolean): Ref[] {
  const { m } = fn;
  const N = C.cols;
  const K = viewCols(a);
  const i = fn.local(fn.b.i32);
  const p = fn.local(fn.b.i32);
  const j = fn.local(fn.b.i32);
  const rowBlock = (R: number): Ref[] => {
    const cs = Array.from({ length: R }, (_, r) => fn.pointer(C, m.i32.mul(m.i32.add(fn.get(i), fn.i32(r)), fn.size(N))));
    const c = (r: number): number => cs[r]![0];
    const zero = accumulate
      ? []
      : Array.from({ length: R }, (_, r) => run(fn, j, () => fn.size(N), () => [fn.vstoreAt(c(r), fn.get(j), fn.vzero())], () => [fn.storeAt(c(r), fn.get(j), fn.fconst(0))])).flat();
    const kBlock = (P: number): Ref[] => {
      const xs = Array.from({ length: R * P }, () => fn.local(fn.F));
      const vs = Array.from({ length: R * P }, () => fn.local(fn.b.v128));
      const setX = xs.flatMap((x, k) => {
        const [r, q] = [Math.floor(k / P), k % P];
        const at = viewIndex(fn, a, m.i32.add(fn.get(i), fn.i32(r)), m.i32.add(fn.get(p), fn.i32(q)));
        return [m.local.set(x, fn.load(a.buf, at)), m.local.set(vs[k]!, fn.v.splat(fn.get(x, fn.F)))];
      });
      const bs = Array.from({ length: P }, (_, q) => fn.pointer(B, m.i32.mul(m.i32.add(fn.get(p), fn.i32(q)), fn.size(N))));
      const vrow = (r: number): Ref => Array.from({ length: P }, (_, q) => fn.v.mul(fn.get(vs[r * P + q]!, fn.b.v128), fn.vloadAt(bs[q]![0], fn.get(j)))).reduce((x, y) => fn.v.add(x, y));
      const srow = (r: number): Ref => Array.from({ length: P }, (_, q) => fn.f.mul(fn.get(xs[r * P + q]!, fn.F), fn.loadAt(bs[q]![0], fn.get(j)))).reduce((x, y) => fn.f.add(x, y));
      const vbody = (): Ref[] => Array.from({ length: R }, (_, r) => fn.vstoreAt(c(r), fn.get(j), fn.v.add(fn.vloadAt(c(r), fn.get(j)), vrow(r))));
      const sbody = (): Ref[] => Array.from({ length: R }, (_, r) => fn.storeAt(c(r), fn.get(j), fn.f.add(fn.loadAt(c(r), fn.get(j)), srow(r))));
      return [...setX, ...bs.map(([, set]) => set), ...run(fn, j, () => fn.size(N), vbody, sbody)];
    };
    return [...cs.map(([, set]) => set), ...zero, m.local.set(p, fn.i32(0)), fn.loop(p, fn.size(K), 4, kBlock(4)), fn.loop(p, fn.size(K), 1, kBlock(1))];
  };
  return [m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(C.rows), 2, rowBlock(2)), fn.loop(i, fn.size(C.rows), 1, rowBlock(1))];
}

/** C = A B' with A (M×K) and B (N×K) row-major: 2×4 blocks of SIMD dot products along k (then smaller blocks). */
function gemmDot(fn: Fn, C: Buf, A: Buf, B: Buf, accumulate: boolean): Ref[] {
  const { m } = fn;
  const K = A.cols;
  const N = C.cols;
  const i = fn.local(fn.b.i32);
  const j = fn.local(fn.b.i32);
  const p = fn.local(fn.b.i32);
  const block = (R: number, S: number): Ref[] => {
    const accs = Array.from({ length: R * S }, () => fn.local(fn.b.v128));
    const sums = Array.from({ length: R * S }, () => fn.local(fn.F));
    const as = Array.from({ length: R }, () => fn.local(fn.b.v128));
    const aRows = Array.from({ length: R }, (_, r) => fn.pointer(A, m.i32.mul(m.i32.add(fn.get(i), fn.i32(r)), fn.size(K))));
    const bRows = Array.from({ length: S }, (_, s) => fn.pointer(B, m.i32.mul(m.i32.add(fn.get(j), fn.i32(s)), fn.size(K))));
    const vbody = (): Ref[] => {
      const out: Ref[] = as.map((x, r) => m.local.set(x, fn.vloadAt(aRows[r]![0], fn.get(p))));
      for (let s = 0; s < S; s++) {
        const bv = fn.local(fn.b.v128);
        out.push(m.local.set(bv, fn.vloadAt(bRows[s]![0], fn.get(p))));
        for (let r = 0; r < R; r++) out.push(m.local.set(accs[r * S + s]!, fn.v.add(fn.get(accs[r * S + s]!, fn.b.v128), fn.v.mul(fn.get(as[r]!, fn.b.v128), fn.get(bv, fn.b.v128)))));
      }
      return out;
    };
    const sbody = (): Ref[] => sums.map((t, k) => m.local.set(t, fn.f.add(fn.get(t, fn.F), fn.f.mul(fn.loadAt(aRows[Math.floor(k / S)]![0], fn.get(p)), fn.loadAt(bRows[k % S]![0], fn.get(p))))));
    const cAt = (k: number) => (): Ref => m.i32.add(m.i32.mul(m.i32.add(fn.get(i), fn.i32(Math.floor(k / S))), fn.size(N)), m.i32.add(fn.get(j), fn.i32(k % S)));
    return [
      ...aRows.map(([, set]) => set),
      ...bRows.map(([, set]) => set),
      ...accs.map((x) => m.local.set(x, fn.vzero())),
      ...sums.map((t) => m.local.set(t, fn.fconst(0))),
      ...run(fn, p, () => fn.size(K), vbody, sbody),
      ...sums.map((t, k) => put(fn, C, cAt(k), fn.f.add(fn.get(t, fn.F), fn.hsum(accs[k]!)), accumulate)),
    ];
  };
  const rowsOf = (S: number): Ref[] => [m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(C.rows), 2, block(2, S)), fn.loop(i, fn.size(C.rows), 1, block(1, S))];
  return [m.local.set(j, fn.i32(0)), fn.loop(j, fn.size(N), 4, rowsOf(4)), fn.loop(j, fn.size(N), 1, rowsOf(1))];
}

/** C = A' B' (rare): one dot product at a time. */
function gemmScalar(fn: Fn, C: Buf, a: BufView, b: BufView, accumulate: boolean): Ref[] {
  const { m } = fn;
  const [i, j, p] = [fn.local(fn.b.i32), fn.local(fn.b.i32), fn.local(fn.b.i32)];
  const s = fn.local(fn.F);
  const K = viewCols(a);
  const dot = [
    m.local.set(s, fn.fconst(0)),
    m.local.set(p, fn.i32(0)),
    fn.loop(p, fn.size(K), 1, [m.local.set(s, fn.f.add(fn.get(s, fn.F), fn.f.mul(fn.load(a.buf, viewIndex(fn, a, fn.get(i), fn.get(p))), fn.load(b.buf, viewIndex(fn, b, fn.get(p), fn.get(j))))))]),
    put(fn, C, () => m.i32.add(m.i32.mul(fn.get(i), fn.size(C.cols)), fn.get(j)), fn.get(s, fn.F), accumulate),
  ];
  return [m.local.set(i, fn.i32(0)), fn.loop(i, fn.size(viewRows(a)), 1, [m.local.set(j, fn.i32(0)), fn.loop(j, fn.size(C.cols), 1, dot)])];
}
