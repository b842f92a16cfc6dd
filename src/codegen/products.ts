/**
 * Matrix products, lowered without materializing what need not be:
 *   diag(v)*u        -> v .* u                      (elementwise, no n×n matrix)
 *   diag(v)*M        -> rows of M scaled by v        (lazy: v[r] * M[r, c])
 *   u*v'             -> outer product                (lazy: u[r] * v[c])
 *   u'*v             -> dot product                  (one accumulator loop)
 *   M*v, M'*v, v'*M  -> matrix-vector product        (dot form or axpy form, see emit)
 *   A*B              -> matrix product               (loop order chosen by layout, see emit)
 * A chain of three or more factors is associated by estimated cost (matrix-chain
 * order), so A*B*x computes B*x first.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import type { Size } from "../core/shape.js";
import { isTrivialEl, type ElFactory } from "./elements.js";
import { viewCols, type Buf, type BufView, type El, type Ix, type Scal, type Step } from "./ir.js";

/** What the loop context says about element access: inside a two-index loop? */
export interface Ctx {
  readonly twoD: boolean;
}
export const CTX_1D: Ctx = { twoD: false };
export const CTX_2D: Ctx = { twoD: true };

/** Loop indices and context of a loop over a value of this shape. */
export function loopOver(rows: Size, cols: Size): [Ix, Ix, Ctx] {
  if (rows !== 1 && cols !== 1) return ["r", "c", CTX_2D];
  return cols === 1 ? ["r", "z", CTX_1D] : ["z", "c", CTX_1D];
}

/** A matrix-level value during lowering: read element by element, or stored in a buffer. */
export interface Src {
  readonly rows: Size;
  readonly cols: Size;
  /** Element access is free of loops of its own (nothing to compute first). */
  readonly lazy: boolean;
  /** The element at (row, col); a computed product is stored first. */
  el(row: Ix, col: Ix, ctx: Ctx): El;
  /** Its buffer (stored first when needed). */
  stored(): BufView;
  /** Computes the value into target. */
  into(target: Buf): void;
}

/** What products need from the lowering. */
export interface ProductHost {
  readonly f: ElFactory;
  push(step: Step): void;
  scratch(rows: Size, cols: Size, hint: string): Buf;
  newScal(hint: string): Scal;
  /** An expression as a value. */
  exprSrc(e: Expr): Src;
  /** Stores a lazy value into target with a map step. */
  mapInto(target: Buf, el: (row: Ix, col: Ix, ctx: Ctx) => El): void;
}

type Operand = { readonly diag: Expr } | { readonly expr: Expr };

const rowsOf = (o: Operand): Size => ("diag" in o ? o.diag.shape.rows : o.expr.shape.rows);
const colsOf = (o: Operand): Size => ("diag" in o ? o.diag.shape.rows : o.expr.shape.cols);

/** Named sizes count as large when ordering a chain. */
const estimate = (s: Size): number => (typeof s === "number" ? s : 1000);

/**
 * Folds diagonal factors into their neighbours where that removes them:
 *   diag(v)*diag(w) = diag(v .* w),  diag(v)*u = v .* u,  u'*diag(v) = (u .* v)'.
 */
function foldDiagonals(factors: readonly Operand[]): Operand[] {
  const ops = [...factors];
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k + 1 < ops.length; k++) {
      const a = ops[k]!;
      const b = ops[k + 1]!;
      let merged: Operand | undefined;
      if ("diag" in a && "diag" in b) merged = { diag: B.mul(a.diag, b.diag) };
      else if ("diag" in a && "expr" in b && b.expr.shape.cols === 1) merged = { expr: B.mul(a.diag, b.expr) };
      else if ("expr" in a && "diag" in b && a.expr.shape.rows === 1) merged = { expr: B.mul(a.expr, B.transpose(b.diag)) };
      if (merged) {
        ops.splice(k, 2, merged);
        changed = true;
        break;
      }
    }
  }
  return ops;
}

/** Cost of multiplying an a×k value by a k×b value (a diagonal costs as a scaling). */
function pairCost(a: Size, k: Size, b: Size, diagonal: boolean): number {
  return diagonal ? estimate(a) * estimate(b) : estimate(a) * estimate(k) * estimate(b);
}

interface Plan {
  readonly cost: number;
  readonly split: number;
}

/** Matrix-chain order: best[i][j] is the cheapest way to form operands i..j. */
function chainOrder(ops: readonly Operand[]): Plan[][] {
  const m = ops.length;
  const best: Plan[][] = Array.from({ length: m }, () => new Array<Plan>(m));
  for (let i = 0; i < m; i++) best[i]![i] = { cost: 0, split: i };
  for (let len = 2; len <= m; len++) {
    for (let i = 0; i + len - 1 < m; i++) {
      const j = i + len - 1;
      let plan: Plan | undefined;
      for (let s = i; s < j; s++) {
        const diagonal = (s === i && "diag" in ops[i]!) || (s + 1 === j && "diag" in ops[j]!);
        const cost = best[i]![s]!.cost + best[s + 1]![j]!.cost + pairCost(rowsOf(ops[i]!), colsOf(ops[s]!), colsOf(ops[j]!), diagonal);
        if (!plan || cost < plan.cost) plan = { cost, split: s };
      }
      best[i]![j] = plan!;
    }
  }
  return best;
}

/** The value of a matrix product of the given factors (resolved nodes). */
export function productSrc(host: ProductHost, factors: readonly Expr[]): Src | { diag: Expr } {
  const ops = foldDiagonals(factors.map((f) => (f.kind === "diag" && f.arg.shape.cols === 1 ? { diag: f.arg } : { expr: f })));
  if (ops.length === 1) {
    const only = ops[0]!;
    return "diag" in only ? only : host.exprSrc(only.expr);
  }
  const best = chainOrder(ops);
  const build = (i: number, j: number): Src | { diag: Expr } => {
    if (i === j) {
      const o = ops[i]!;
      return "diag" in o ? o : host.exprSrc(o.expr);
    }
    const s = best[i]![j]!.split;
    return multiply(host, build(i, s), build(s + 1, j));
  };
  return build(0, ops.length - 1);
}

/** The product of two values. */
function multiply(host: ProductHost, left: Src | { diag: Expr }, right: Src | { diag: Expr }): Src {
  const f = host.f;
  if ("diag" in left && "diag" in right) return diagSrc(host, B.mul(left.diag, right.diag));
  // diag(v)*M: row r scaled by v[r];  M*diag(v): column c scaled by v[c]
  if ("diag" in left) {
    const v = host.exprSrc(left.diag);
    const m = right as Src;
    return lazySrc(host, m.rows, m.cols, (r, c, ctx) => f.mul([v.el(r, "z", ctx), m.el(r, c, ctx)]));
  }
  if ("diag" in right) {
    const v = host.exprSrc(right.diag);
    const m = left;
    return lazySrc(host, m.rows, m.cols, (r, c, ctx) => f.mul([m.el(r, c, ctx), v.el(c, "z", ctx)]));
  }
  const a = left.rows;
  const k = left.cols;
  const b = right.cols;
  // (u*v')[r, c] = u[r] * v[c]
  if (k === 1) return lazySrc(host, a, b, (r, c, ctx) => f.mul([left.el(r, "z", ctx), right.el("z", c, ctx)]));
  // u'*v = Σ_p u[p] v[p]
  if (a === 1 && b === 1) return dotSrc(host, left, right);
  // M*v: Σ_p M[r, p] v[p]
  if (b === 1) return computedSrc(host, a, 1, (target) => gemv(host, target, left.stored(), right, false));
  // v'*M = (M'*v)': Σ_p v[p] M[p, c]
  if (a === 1) return computedSrc(host, 1, b, (target) => gemv(host, target, transposedView(right.stored()), left, true));
  return computedSrc(host, a, b, (target) => host.push({ k: "gemm", target, a: left.stored(), b: right.stored(), accumulate: false }));
}

const transposedView = (v: BufView): BufView => ({ buf: v.buf, t: !v.t });

/**
 * target = mat * vec. With `mat` a transposed view the loop runs down its stored rows
 * (axpy form) and reads each vec entry once, so vec may be any expression; otherwise
 * (dot form) vec is read once per row and is stored unless it is a plain read.
 * `vecIsRow`: vec is a row vector (1×k), read over its column index.
 */
function gemv(host: ProductHost, target: Buf, mat: BufView, vec: Src, vecIsRow: boolean): void {
  const read = (s: Src): El => {
    // the vector's entries over the loop index r
    const e = vecIsRow ? s.el("z", "r", CTX_1D) : s.el("r", "z", CTX_1D);
    return e;
  };
  let v = read(vec);
  if (!mat.t && !isTrivialEl(v)) {
    const stored = vec.stored();
    v = vecIsRow ? host.f.read(stored.buf, stored.t ? "r" : "z", stored.t ? "z" : "r") : host.f.read(stored.buf, stored.t ? "z" : "r", stored.t ? "r" : "z");
  }
  if (viewCols(mat) !== (vecIsRow ? vec.cols : vec.rows)) throw new Error("internal: matrix-vector sizes do not match");
  host.push({ k: "gemv", target, mat, vec: v, accumulate: false });
}

function dotSrc(host: ProductHost, left: Src, right: Src): Src {
  let value: El | undefined;
  const compute = (): El => {
    if (!value) {
      const s = host.newScal("dot");
      // Σ_p left[0, p] * right[p, 0], p running as r
      const body = host.f.mul([left.el("z", "r", CTX_1D), right.el("r", "z", CTX_1D)]);
      host.push({ k: "reduce", target: s, rows: left.cols, cols: 1, body });
      value = host.f.scal(s);
    }
    return value;
  };
  return {
    rows: 1,
    cols: 1,
    lazy: false,
    el: () => compute(),
    stored: () => {
      throw new Error("internal: a scalar product is not stored in a buffer");
    },
    into: () => {
      throw new Error("internal: a scalar product is not stored in a buffer");
    },
  };
}

/** diag(v) as a value by itself: δ(r, c) v[r]. */
function diagSrc(host: ProductHost, v: Expr): Src {
  const src = host.exprSrc(v);
  return lazySrc(host, v.shape.rows, v.shape.rows, (r, _c, ctx) => host.f.mul([host.f.delta(), src.el(r, "z", ctx)]));
}

/** A value read element by element; stored on demand. */
export function lazySrc(host: ProductHost, rows: Size, cols: Size, el: (row: Ix, col: Ix, ctx: Ctx) => El): Src {
  let kept: BufView | undefined;
  const into = (target: Buf): void => host.mapInto(target, el);
  return {
    rows,
    cols,
    lazy: true,
    el,
    into,
    stored: () => {
      if (!kept) {
        const buf = host.scratch(rows, cols, "t");
        into(buf);
        kept = { buf, t: false };
      }
      return kept;
    },
  };
}

/** A value computed by its own loops (a product): stored once, then read. */
function computedSrc(host: ProductHost, rows: Size, cols: Size, compute: (target: Buf) => void): Src {
  let kept: BufView | undefined;
  const stored = (): BufView => {
    if (!kept) {
      const buf = host.scratch(rows, cols, "t");
      compute(buf);
      kept = { buf, t: false };
    }
    return kept;
  };
  return {
    rows,
    cols,
    lazy: false,
    el: (r, c) => {
      const v = stored();
      return v.t ? host.f.read(v.buf, c, r) : host.f.read(v.buf, r, c);
    },
    stored,
    into: (target) => {
      if (kept) host.mapInto(target, (r, c) => (kept!.t ? host.f.read(kept!.buf, c, r) : host.f.read(kept!.buf, r, c)));
      else {
        compute(target);
        kept = { buf: target, t: false };
      }
    },
  };
}

