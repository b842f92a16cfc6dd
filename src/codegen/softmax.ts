/**
 * Stable softmax and log-sum-exp in a kernel: one pass for the maximum of u, one for
 * exp(u - max) and its sum, one to scale (the softmax) or take the log (lse = max +
 * log(sum)). Each group of a u is emitted once, for every softmax and lse of it. The
 * other reductions that read u in passes of their own are here too: the scaled 2-norm
 * (the maximum of |u|, then the scaled squares) and the maxima of rows or columns.
 */
import type { Expr } from "../core/expr.js";
import type { Group } from "./analysis.js";
import type { Buf, BufView, El, Ix } from "./ir.js";
import { CTX_1D, type Ctx, type ProductHost } from "./products.js";

/** What the softmax needs of the lowering: elements, stored nodes and the buffers reserved for outputs. */
export interface SoftmaxHost extends ProductHost {
  /** The element (row, col) of a node, inside a loop with the given context. */
  el(e: Expr, row: Ix, col: Ix, ctx: Ctx): El;
  /** Stores a node (once) and returns where. */
  store(n: Expr): BufView;
  readView(v: BufView, row: Ix, col: Ix): El;
  /** The output buffer a node is to be computed into, if any. */
  pendingBuf(n: Expr): Buf | undefined;
  /** Records where a node is stored. */
  markStored(n: Expr, view: BufView): void;
}

/** One pass for the maximum, one for the exponentials and their sum, one to scale. */
export function emitSoftmaxGroup(host: SoftmaxHost, g: Group, into: Buf | undefined): void {
  if (g.done) {
    if (into && g.softmax && into !== g.softmax) {
      const from = g.softmax;
      host.mapInto(into, (r, c) => host.f.read(from, r, c));
    }
    return;
  }
  g.done = true;
  const u = g.u;
  const { rows, cols } = u.shape;
  const oneIndex = rows === 1 || cols === 1;
  const out = g.needSoftmax || into ? (into ?? (g.placeholder && host.pendingBuf(g.placeholder)) ?? host.scratch(rows, cols, "s")) : undefined;
  g.softmax = out;
  g.lse = g.needLse ? host.newScal("lse") : undefined;
  let uEl: El;
  if (oneIndex) {
    uEl = rows === 1 ? host.el(u, "z", "r", CTX_1D) : host.el(u, "r", "z", CTX_1D);
    // read twice (maximum, exponentials) when there is no output to hold it in between
    if (!out && uEl.costly) {
      const v = host.store(u);
      uEl = host.f.flat(v.buf);
    }
  } else {
    let v = host.store(u);
    if (v.t) {
      const copy = host.scratch(rows, cols, "u");
      const from = v;
      host.mapInto(copy, (r, c) => host.readView(from, r, c));
      v = { buf: copy, t: false };
    }
    uEl = host.f.flat(v.buf);
  }
  if (g.placeholder && out) host.markStored(g.placeholder, { buf: out, t: false });
  host.push({ k: "softmax", rows, cols, u: uEl, out, lse: g.lse });
}

/**
 * The maximum (minimum) of each row (or column) of u, computed once (memo) into a vector:
 * max(X), min(X), and the shift of a row-wise softmax or log-sum-exp (`shift`: 0 where not finite).
 */
export function lineMaxOf(host: SoftmaxHost, memo: Map<string, Buf>, u: Expr, byRows: boolean, op: "max" | "min", shift: boolean): Buf {
  const key = `${u.id}|${byRows}|${op}|${shift}`;
  let target = memo.get(key);
  if (!target) {
    const uEl = host.readView(host.store(u), "r", "c");
    target = host.scratch(byRows ? u.shape.rows : u.shape.cols, 1, "max");
    host.push({ k: "linemax", target, rows: u.shape.rows, cols: u.shape.cols, u: uEl, byRows, op, shift });
    memo.set(key, target);
  }
  return target;
}

/** sqrt(Σ u²) of a node, computed with scaling (order does not matter: a stored u is read flat); `hint` names u. */
export function emitNorm2(host: SoftmaxHost, u: Expr, hint: string | undefined): El {
  const { rows, cols } = u.shape;
  let uEl = rows === 1 ? host.el(u, "z", "r", CTX_1D) : cols === 1 ? host.el(u, "r", "z", CTX_1D) : undefined;
  // read twice (maximum, scaled squares): a costly or two-index u is stored once
  if (!uEl || uEl.costly) uEl = host.f.flat(host.store(u).buf);
  const target = host.newScal(hint ? `${hint}Norm` : "norm");
  host.push({ k: "norm2", target, rows, cols, u: uEl });
  return host.f.scal(target);
}
