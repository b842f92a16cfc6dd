/**
 * Raising index form back to matrix notation. Each term is a product under sums; its
 * factors become tensors with at most two indices, then:
 *   factors over the same indices      -> elementwise product   x[i] y[i]      = (x .* y)[i]
 *   a summed index shared by two       -> matrix product        Σ_k W[i,k] x[k] = (W*x)[i]
 *   a summed index in one factor only  -> sum / row sums        Σ_k x[k]       = sum(x)
 *                                                               Σ_k x[k]^2     = x'*x
 *   δ(i,j) between the output indices  -> diag                  δ(i,j) s[i]    = diag(s)[i,j]
 *   vectors in the row and the column  -> outer product         g[i] x[j]      = (g*x')[i,j]
 * A term that cannot be written this way (three-index products) raises NotMatrixForm.
 */
import * as B from "../core/build.js";
import { factorsOf, type Expr, type Index } from "../core/expr.js";
import { checkDepth } from "../core/limits.js";
import type { Program } from "../core/program.js";
import { SCALAR, shape as makeShape, vectorShape, type Shape, type Size } from "../core/shape.js";

/** The result has no matrix form (the caller falls back to index notation). */
export class NotMatrixForm extends Error {
  constructor(why: string) {
    super(why);
    this.name = "NotMatrixForm";
  }
}

/** A matrix-level value standing for the entries over `idx` (rows, then columns). */
interface Tensor {
  readonly expr: Expr;
  readonly idx: readonly Index[];
}

const sameSet = (a: readonly Index[], b: readonly Index[]): boolean =>
  a.length === b.length && a.every((i) => b.includes(i));

export class Matricizer {
  private readonly sizes: Map<Index, Size>;

  constructor(
    private readonly program: Program,
    sizes: ReadonlyMap<Index, Size>,
  ) {
    this.sizes = new Map(sizes);
  }

  private sizeOf(i: Index): Size {
    const s = this.sizes.get(i);
    if (s === undefined) throw new NotMatrixForm(`no size for index ${i}`);
    return s;
  }

  private shapeOfName(name: string): Shape {
    const decl = this.program.decls.get(name);
    if (decl) return decl.shape;
    const def = this.program.defs.get(name);
    if (def) return def.expr.shape;
    throw new NotMatrixForm(`unknown name ${name}`);
  }

  /** The matrix-level value of `e` over the output indices `out` ([], [row] or [row, col]). */
  run(e: Expr, out: readonly Index[]): Expr {
    checkDepth(e.depth);
    for (const i of e.indices) if (!out.includes(i)) throw new NotMatrixForm(`index ${i} is not an output index`);
    if (e.kind === "add") return B.addAll(e.terms.map((t) => this.term(t, out)));
    return this.term(e, out);
  }

  private term(e: Expr, out: readonly Index[]): Expr {
    let body = e;
    const bound: Index[] = [];
    while (body.kind === "series") {
      bound.push(body.index);
      this.sizes.set(body.index, body.size);
      body = body.body;
    }
    if (body.kind === "add") return B.addAll(body.terms.map((t) => this.term(this.wrap(bound, t), out)));
    // A sum factor holding a δ (a literal's entries): distribute, so each δ meets its term.
    const split = body.kind === "mul" ? body.factors.find((f) => f.kind === "add" && f.terms.some((t) => factorsOf(t).some((g) => g.kind === "delta"))) : undefined;
    if (split && split.kind === "add" && body.kind === "mul") {
      const others = body.factors.filter((f) => f !== split);
      return B.addAll(split.terms.map((t) => this.term(this.wrap(bound, B.mulAll([...others, t])), out)));
    }
    let factors = body.kind === "mul" ? [...body.factors] : [body];
    // δ between the two output indices: the term is diagonal; read it over the row index.
    let diagonal = false;
    for (;;) {
      const d = factors.find((f) => f.kind === "delta");
      if (!d || d.kind !== "delta") break;
      const rest = B.mulAll(factors.filter((f) => f !== d));
      const [a, b] = d.a === out[0] ? [d.a, d.b] : [d.b, d.a];
      if (bound.includes(b) || bound.includes(a)) {
        const [keep, drop] = bound.includes(b) ? [a, b] : [b, a];
        factors = [...flatten(B.renameIndex(rest, drop, keep))];
        bound.splice(bound.indexOf(drop), 1);
        continue;
      }
      // δ(i,p) with a fixed position p: the term lives in entry p of a literal
      if (B.isFixedIndex(a) || B.isFixedIndex(b)) return this.literalEntry(factors, bound, out);
      if (out.length !== 2 || a !== out[0] || b !== out[1]) throw new NotMatrixForm("a δ that is not between the output indices");
      diagonal = true;
      factors = [...flatten(B.renameIndex(rest, b, a))];
    }
    const target = diagonal ? [out[0]!] : out;
    const tensors = factors.map((f) => this.tensorOf(f));
    const result = this.assemble(this.contractAll(tensors, bound), target);
    if (!diagonal) return result;
    // Σ … δ(i,j) v[i]  = diag(v)[i,j]
    return result.shape.rows === 1 ? B.mul(result, B.eye(this.sizeOf(out[0]!))) : B.diag(result);
  }

  /** e_p, the unit column of a concrete size with a 1 at fixed position p. */
  private unit(size: Size, p: Index): Expr {
    if (typeof size !== "number") throw new NotMatrixForm(`a fixed position in a dimension of symbolic size ${size}`);
    return B.matrix(size, 1, Array.from({ length: size }, (_, k) => (`${k + 1}` === p ? B.ONE : B.ZERO)));
  }

  /** An entry at fixed positions: g[p] = e_p'*g;  W[p,j] = (W'*e_p)[j];  W[p,q] = e_p'*W*e_q. */
  private fixedEntry(value: Expr, at: readonly Index[]): Tensor {
    const s = value.shape;
    if (at.length === 1) {
      // a vector, or a 1×n value over its columns
      const column = s.rows === 1 ? B.transpose(value) : value;
      return { expr: B.matmul(B.transpose(this.unit(column.shape.rows, at[0]!)), column), idx: [] };
    }
    const [p, q] = at as [Index, Index];
    const rowFixed = B.isFixedIndex(p);
    const colFixed = B.isFixedIndex(q);
    if (rowFixed && colFixed) return { expr: B.matmul(B.transpose(this.unit(s.rows, p)), value, this.unit(s.cols, q)), idx: [] };
    if (rowFixed) return { expr: B.matmul(B.transpose(value), this.unit(s.rows, p)), idx: [q] };
    return { expr: B.matmul(value, this.unit(s.cols, q)), idx: [p] };
  }

  /**
   * A term with δ(r,p) (and δ(c,q) for a matrix) at fixed positions: a literal that is
   * zero but for entry (p, q), which holds the rest of the term.
   */
  private literalEntry(factors: readonly Expr[], bound: readonly Index[], out: readonly Index[]): Expr {
    let rest = B.mulAll(factors);
    const positions: Index[] = [];
    for (const o of out) {
      const d = factorsOf(rest).find((f) => f.kind === "delta" && (f.a === o || f.b === o) && B.isFixedIndex(f.a === o ? f.b : f.a));
      if (!d || d.kind !== "delta") throw new NotMatrixForm("a fixed position in only some output indices");
      const p = d.a === o ? d.b : d.a;
      positions.push(p);
      rest = B.renameIndex(rest, o, p);
    }
    const value = this.term(this.wrap(bound, rest), []);
    if (value.shape !== SCALAR) throw new NotMatrixForm("a fixed entry that is not a scalar");
    const [rows, cols] = [out[0] ? this.sizeOf(out[0]) : 1, out[1] ? this.sizeOf(out[1]) : 1];
    if (typeof rows !== "number" || typeof cols !== "number") throw new NotMatrixForm("a fixed position in a dimension of symbolic size");
    const at = (positions[0] ? Number(positions[0]) - 1 : 0) * cols + (positions[1] ? Number(positions[1]) - 1 : 0);
    return B.matrix(rows, cols, Array.from({ length: rows * cols }, (_, k) => (k === at ? value : B.ZERO)));
  }

  /** Σ over the given bound indices of a body. */
  private wrap(bound: readonly Index[], body: Expr): Expr {
    let out = body;
    for (let k = bound.length - 1; k >= 0; k--) out = B.series(bound[k]!, this.sizeOf(bound[k]!), out);
    return out;
  }

  private tensorOf(f: Expr): Tensor {
    const idx = f.indices;
    if (idx.length > 2) throw new NotMatrixForm("a factor with more than two indices");
    switch (f.kind) {
      case "entry": {
        const s = this.shapeOfName(f.name);
        const value = B.sym(f.name, s);
        if (f.at.some(B.isFixedIndex)) return this.fixedEntry(value, f.at);
        if (f.at.length === 2 && f.at[0] === f.at[1]) return { expr: B.diag(value), idx: [f.at[0]!] };
        // A 1×n value has one index, over its columns: as a tensor over one index it is a column.
        return { expr: s.rows === 1 ? B.transpose(value) : value, idx: f.at };
      }
      case "matfn": {
        // inv(A)[i,j]: an entry of the matrix inv(A); det(A) is a scalar as it is
        if (f.at.length === 0) return { expr: f, idx: [] };
        const value = B.matfnBase(f);
        if (f.at.some(B.isFixedIndex)) return this.fixedEntry(value, f.at);
        if (f.at[0] === f.at[1]) return { expr: B.diag(value), idx: [f.at[0]!] };
        return { expr: value, idx: f.at };
      }
      case "call":
        // f(u)[i] = f(u[i]): elementwise
        return { expr: B.call(f.fn, this.over(f.arg, idx)), idx };
      case "pow":
        return { expr: B.pow(this.over(f.base, idx), this.over(f.exponent, idx)), idx };
      default:
        return { expr: idx.length === 0 && f.level === 0 ? f : this.run(f, idx), idx };
    }
  }

  /** The value of `e` over `idx`, spread over the indices it does not use. */
  private over(e: Expr, idx: readonly Index[]): Expr {
    const own = idx.filter((i) => e.indices.includes(i));
    const v = this.run(e, own);
    if (own.length === idx.length || own.length === 0) return v;
    const [r, c] = idx;
    // u[i] over (i,j) is u*1'; w[j] over (i,j) is 1*w'
    return own[0] === r
      ? B.matmul(v, B.transpose(B.num(1, vectorShape(this.sizeOf(c!)))))
      : B.matmul(B.num(1, vectorShape(this.sizeOf(r!))), B.transpose(v));
  }

  /** Contracts every summed index away. */
  private contractAll(start: readonly Tensor[], bound: readonly Index[]): Tensor[] {
    let tensors = mergeSame(start, bound);
    for (const [n, k] of bound.entries()) {
      const users = tensors.filter((t) => t.idx.includes(k));
      let rest = tensors.filter((t) => !t.idx.includes(k));
      if (users.length === 0) {
        rest = [...rest, { expr: B.sizeExpr(this.sizeOf(k)), idx: [] }];
      } else if (users.length === 1) {
        rest = [...rest, this.sumOut(users[0]!, k)];
      } else {
        let group = users;
        while (group.length > 2) {
          // x[k] y[k] under more factors: (x .* y)[k]; a last vector folds into a matrix
          const vectors = group.filter((t) => t.idx.length === 1);
          group = vectors.length >= 2 ? [{ expr: B.mul(vectors[0]!.expr, vectors[1]!.expr), idx: [k] }, ...group.filter((t) => t !== vectors[0] && t !== vectors[1])] : this.absorbVector(group, k);
        }
        rest = [...rest, contractPair(group[0]!, group[1]!, k)];
      }
      tensors = mergeSame(rest, bound.slice(n + 1));
    }
    return tensors;
  }

  /** Σ_k t[…k…]: sum(v) for a vector, A*1 (row sums) for a matrix. */
  private sumOut(t: Tensor, k: Index): Tensor {
    // Σ_k u[k]^2 = u'*u
    if (t.idx.length === 1 && t.expr.kind === "pow" && B.isNum(t.expr.exponent, 2) && t.expr.base.shape === t.expr.shape)
      return { expr: B.matmul(B.transpose(t.expr.base), t.expr.base), idx: [] };
    if (t.idx.length === 1) return { expr: B.sumAll(t.expr), idx: [] };
    const ones = B.num(1, vectorShape(this.sizeOf(k)));
    const other = t.idx[0] === k ? t.idx[1]! : t.idx[0]!;
    const m = t.idx[0] === k ? B.transpose(t.expr) : t.expr;
    return { expr: B.matmul(m, ones), idx: [other] };
  }

  /** Three or more factors share k: fold a vector v[k] into a matrix as A*diag(v). */
  private absorbVector(group: readonly Tensor[], k: Index): Tensor[] {
    const v = group.find((t) => t.idx.length === 1);
    const m = group.find((t) => t.idx.length === 2);
    if (!v || !m) throw new NotMatrixForm("more than two matrices share a summed index");
    const merged: Tensor =
      m.idx[1] === k ? { expr: B.matmul(m.expr, B.diag(v.expr)), idx: m.idx } : { expr: B.matmul(B.diag(v.expr), m.expr), idx: m.idx };
    return [merged, ...group.filter((t) => t !== v && t !== m)];
  }

  /** The product of the remaining tensors over the output indices. */
  private assemble(tensors: readonly Tensor[], out: readonly Index[]): Expr {
    const merged = mergeSame(tensors);
    const scalars = merged.filter((t) => t.idx.length === 0).map((t) => t.expr);
    const scale = B.mulAll(scalars.length > 0 ? scalars : [B.ONE]);
    if (out.length === 0) return scale;
    const [r, c] = out;
    const row = merged.find((t) => sameSet(t.idx, [r!]))?.expr;
    if (out.length === 1) {
      if (merged.some((t) => t.idx.length > 0 && !sameSet(t.idx, [r!]))) throw new NotMatrixForm("a factor over indices that are not the output's");
      return row ? B.mul(scale, row) : scale;
    }
    const col = merged.find((t) => sameSet(t.idx, [c!]))?.expr;
    const m = merged.find((t) => t.idx.length === 2);
    for (const t of merged)
      if (t.idx.length > 0 && t.expr !== row && t.expr !== col && t !== m) throw new NotMatrixForm("a factor over indices that are not the output's");
    let value: Expr;
    if (m) {
      value = m.idx[0] === r ? m.expr : B.transpose(m.expr);
      // M[i,j] u[i] = (diag(u)*M)[i,j];  M[i,j] w[j] = (M*diag(w))[i,j]
      if (row) value = B.matmul(B.diag(row), value);
      if (col) value = B.matmul(value, B.diag(col));
    } else if (row && col) value = B.matmul(row, B.transpose(col));
    else if (row) value = B.matmul(row, B.transpose(B.num(1, vectorShape(this.sizeOf(c!)))));
    else if (col) value = B.matmul(B.num(1, vectorShape(this.sizeOf(r!))), B.transpose(col));
    else return scale; // constant over the matrix: a scalar that broadcasts
    return B.mul(scale, value);
  }
}

const flatten = (e: Expr): readonly Expr[] => (e.kind === "mul" ? e.factors : e === B.ONE ? [] : [e]);

/**
 * Tensors over the same indices multiply elementwise (aligned by transposing) — except
 * vectors over a summed index, which meet in a dot product instead (x'*y, not sum(x .* y)).
 */
function mergeSame(tensors: readonly Tensor[], bound: readonly Index[] = []): Tensor[] {
  const out: Tensor[] = [];
  for (const t of tensors) {
    const k = out.findIndex((o) => o.idx.length > 0 && sameSet(o.idx, t.idx) && !(o.idx.length === 1 && bound.includes(o.idx[0]!)));
    if (k < 0) {
      out.push(t);
      continue;
    }
    const o = out[k]!;
    const aligned = o.idx.length === 2 && o.idx[0] !== t.idx[0] ? B.transpose(t.expr) : t.expr;
    out[k] = { expr: B.mul(o.expr, aligned), idx: o.idx };
  }
  return out;
}

/** Σ_k X[…k] Y[k…] = (X*Y)[…]; both orientations handled by transposing. */
function contractPair(x: Tensor, y: Tensor, k: Index): Tensor {
  const xr = x.idx.filter((i) => i !== k);
  const yr = y.idx.filter((i) => i !== k);
  const xo = x.idx.length === 1 ? B.transpose(x.expr) : x.idx[1] === k ? x.expr : B.transpose(x.expr);
  const yo = y.idx.length === 1 ? y.expr : y.idx[0] === k ? y.expr : B.transpose(y.expr);
  const product = B.matmul(xo, yo);
  if (xr.length === 1 && yr.length === 1 && xr[0] === yr[0]) return { expr: B.diag(product), idx: xr };
  const idx = [...xr, ...yr];
  // One index left: tensors over one index are columns, so a row product turns over.
  return { expr: idx.length === 1 && product.shape.rows === 1 ? B.transpose(product) : product, idx };
}

/** Sizes of the output indices of a value of this shape. */
export function outputIndices(s: Shape, row: Index, col: Index): { out: Index[]; sizes: Map<Index, Size> } {
  const out: Index[] = [];
  const sizes = new Map<Index, Size>();
  if (s.rows !== 1) {
    out.push(row);
    sizes.set(row, s.rows);
  }
  if (s.cols !== 1) {
    out.push(col);
    sizes.set(col, s.cols);
  }
  return { out, sizes };
}

export const matrixShapeOf = (rows: Size, cols: Size): Shape => makeShape(rows, cols);
