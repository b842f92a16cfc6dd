/**
 * Derivatives of programs in index form: gradients, Jacobians, Hessians, JVPs and VJPs
 * of any size, raised back to matrix notation.
 *
 *   lower            f[i]          = exp(x[i]) / Σ_k exp(x[k])
 *   differentiate    ∂f[i]/∂x[a]   = exp(x[i]) δ(i,a) / Σ_k exp(x[k]) − exp(x[i]) exp(x[a]) / (Σ_k exp(x[k]))²
 *   contract, recognize s          = s[i] δ(i,a) − s[i] s[a]
 *   matricize                      = diag(s) − s*s'
 *
 * Output indices: the differentiated value's are i (rows) and j (columns); the
 * variable's are a and b.
 */
import * as B from "../core/build.js";
import { ShapeError } from "../core/build.js";
import type { DerivativeKind } from "../core/derivative-kinds.js";
import { JacobiError } from "../core/errors.js";
import { withWorkBudget, type Expr, type Index } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import type { Program } from "../core/program.js";
import type { Tracer } from "../core/trace.js";
import { describeShape, SCALAR, shape as makeShape, type Shape, type Size } from "../core/shape.js";
import { Differentiator, entryTarget, symTarget, type Target } from "../diff/derivative.js";
import { contract } from "../indexform/contract.js";
import { distributeToCancel } from "../indexform/distribute.js";
import { Lowerer } from "../indexform/lower.js";
import { Matricizer, NotMatrixForm } from "../indexform/matricize.js";
import { recognize } from "../indexform/recognize.js";
import { collect } from "../simplify/collect.js";
import { simplify } from "../simplify/simplify.js";
import type { Binding } from "../reverse/backprop.js"; // [reverse]
import { preferReverse } from "../reverse/choose.js"; // [reverse]

export type { DerivativeKind };

export interface DerivativeSpec {
  readonly kind: DerivativeKind;
  /** The name to differentiate by (a declared value or an undeclared scalar). */
  readonly wrt: string;
  /** jvp: the tangent's name (shaped like `wrt`). */
  readonly tangent?: string;
  /** vjp: the cotangent's name (shaped like the value). */
  readonly cotangent?: string;
}

export interface DerivativeResult {
  readonly spec: DerivativeSpec;
  /** The result's shape. */
  readonly shape: Shape;
  /** The index-form result after contraction and recognition, with its free indices. */
  readonly index: Expr;
  readonly indices: readonly Index[];
  /** Sizes of the free indices. */
  readonly sizes: ReadonlyMap<Index, Size>;
  /** The result in matrix notation, or undefined when it has none (see `index`). */
  readonly matrix: Expr | undefined;
  /** [reverse] When the backward sweep made `matrix`: the same with its shared cotangents named. */
  readonly backprop?: { readonly named: Expr; readonly where: readonly Binding[] };
}

const ROW = "i";
const COL = "j";
const WRT_ROW = "a";
const WRT_COL = "b";

/** Index names for a value's dimensions (null for size 1) and their sizes. */
function dims(s: Shape, row: Index, col: Index, sizes: Map<Index, Size>): [Index | null, Index | null] {
  const r = s.rows === 1 ? null : row;
  const c = s.cols === 1 ? null : col;
  if (r) sizes.set(r, s.rows);
  if (c) sizes.set(c, s.cols);
  return [r, c];
}

const present = (...xs: (Index | null)[]): Index[] => xs.filter((x): x is Index => x !== null);

/** The shape of a name the derivative refers to; undeclared names are scalars. */
export function shapeOfName(program: Program, name: string, what: string): Shape {
  const decl = program.decls.get(name);
  if (decl) return decl.shape;
  if (program.defs.has(name)) throw new JacobiError("name", `${what} '${name}' is a definition; differentiate by a declared value`);
  if (!program.uses.has(name)) throw new JacobiError("name", `${what} '${name}' does not occur in the program`);
  return SCALAR;
}

function targetFor(name: string, r: Index | null, c: Index | null): Target {
  const at = present(r, c);
  return at.length === 0 ? symTarget(name) : entryTarget(name, at);
}

/** Σ over the given indices of a body, with their sizes. */
function sumOver(body: Expr, idx: readonly (Index | null)[], sizes: ReadonlyMap<Index, Size>): Expr {
  let out = body;
  for (const i of idx) if (i) out = B.series(i, sizes.get(i)!, out);
  return out;
}

/** The index-form derivative, before simplification, with its output indices. */
function indexDerivative(program: Program, f: Expr, spec: DerivativeSpec, trace?: Tracer): { expr: Expr; out: Index[]; shape: Shape; sizes: Map<Index, Size> } {
  const sizes = new Map<Index, Size>();
  const xShape = shapeOfName(program, spec.wrt, "--wrt");
  const lowerer = new Lowerer(program);
  const [fr, fc] = dims(f.shape, ROW, COL, sizes);
  const [xr, xc] = dims(xShape, WRT_ROW, WRT_COL, sizes);
  const value = lowerer.lower(f, fr, fc);
  trace?.({ kind: "rewrite", rule: "lower to index form", before: f, after: value });
  const d = new Differentiator(targetFor(spec.wrt, xr, xc), trace).of(value);
  switch (spec.kind) {
    case "diff":
      // d f[i,j] / d x for a scalar x: shaped like f
      if (xShape !== SCALAR) throw new JacobiError("shape", `diff is by a scalar, and ${spec.wrt} is ${describeShape(xShape)}; use grad, jacobian, jvp or vjp`);
      return { expr: d, out: present(fr, fc), shape: f.shape, sizes };
    case "grad":
      if (f.shape !== SCALAR) throw new JacobiError("shape", `grad needs a scalar value, not ${describeShape(f.shape)}; use jacobian or vjp`);
      return { expr: d, out: present(xr, xc), shape: xShape, sizes };
    case "jacobian": {
      if (f.shape.cols !== 1 || xShape.cols !== 1)
        throw new JacobiError("shape", `jacobian is for vectors and scalars; for ${describeShape(f.shape.cols !== 1 ? f.shape : xShape)} use vjp, jvp or grad`);
      return { expr: d, out: present(fr, xr), shape: makeShape(f.shape.rows, xShape.rows), sizes };
    }
    case "hessian": {
      if (f.shape !== SCALAR) throw new JacobiError("shape", `hessian needs a scalar value, not ${describeShape(f.shape)}`);
      if (xShape.cols !== 1) throw new JacobiError("shape", `hessian is taken by a vector or a scalar, not ${describeShape(xShape)}`);
      const [yr] = dims(xShape, WRT_COL, WRT_COL, sizes);
      const second = new Differentiator(targetFor(spec.wrt, yr, null), trace).of(contract(d, trace));
      return { expr: second, out: present(xr, yr), shape: makeShape(xShape.rows, xShape.rows), sizes };
    }
    case "jvp": {
      const v = spec.tangent;
      if (!v) throw new JacobiError("usage", "jvp needs a tangent (--tangent NAME)");
      const vShape = shapeOfName(program, v, "--tangent");
      if (vShape !== xShape) throw new JacobiError("shape", `the tangent ${v} is ${describeShape(vShape)} but ${spec.wrt} is ${describeShape(xShape)}`);
      // (J v)[i] = Σ_a ∂f[i]/∂x[a] v[a]
      const tangent = lowerer.lower(B.sym(v, vShape), xr, xc);
      return { expr: sumOver(B.mul(d, tangent), [xr, xc], sizes), out: present(fr, fc), shape: f.shape, sizes };
    }
    case "vjp": {
      const g = spec.cotangent;
      if (!g) throw new JacobiError("usage", "vjp needs a cotangent (--cotangent NAME)");
      const gShape = shapeOfName(program, g, "--cotangent");
      if (gShape !== f.shape) throw new JacobiError("shape", `the cotangent ${g} is ${describeShape(gShape)} but the value is ${describeShape(f.shape)}`);
      // (g' J)[a] = Σ_i g[i] ∂f[i]/∂x[a]
      const cotangent = lowerer.lower(B.sym(g, gShape), fr, fc);
      return { expr: sumOver(B.mul(cotangent, d), [fr, fc], sizes), out: present(xr, xc), shape: xShape, sizes };
    }
  }
}

/** A derivative of a value of the program, in index form and (when it has one) matrix form. */
export function derive(program: Program, f: Expr, spec: DerivativeSpec, trace?: Tracer): DerivativeResult {
  const viaIndex = (): DerivativeResult => withWorkBudget(LIMITS.maxWork, `the ${spec.kind} by ${spec.wrt}`, () => deriveWithin(program, f, spec, trace));
  // [reverse] grad and vjp: the backward sweep's matrix form where it is smaller (src/reverse)
  return trace ? viaIndex() : preferReverse(program, f, spec, viaIndex);
}

function deriveWithin(program: Program, f: Expr, spec: DerivativeSpec, trace?: Tracer): DerivativeResult {
  const raw = indexDerivative(program, f, spec, trace);
  const recognized = recognize(contract(raw.expr, trace), program, trace);
  const distributed = distributeToCancel(recognized);
  if (distributed !== recognized) trace?.({ kind: "rewrite", rule: "distribute to cancel", before: recognized, after: distributed });
  const index = contract(distributed, trace);
  let matrix: Expr | undefined;
  try {
    const column = new Matricizer(program, raw.sizes).run(index, raw.out);
    // A 1×n result has only its column index: matricized as a column, then turned over.
    const m = raw.shape.rows === 1 && raw.shape.cols !== 1 && column.shape !== SCALAR ? B.transpose(column) : column;
    const shaped = m.shape === raw.shape ? m : liftTo(m, raw.shape);
    trace?.({ kind: "rewrite", rule: "matrix form", before: index, after: shaped });
    const factored = collect(shaped);
    if (factored !== shaped) trace?.({ kind: "rewrite", rule: "factor", before: shaped, after: factored });
    matrix = simplify(factored, trace ? { onStep: (s) => trace({ kind: "rewrite", rule: s.rule, before: s.before, after: s.after }) } : {});
  } catch (e) {
    // No matrix form: the index form stands (a shape mismatch in matricizing means the same).
    if (!(e instanceof NotMatrixForm) && !(e instanceof ShapeError)) throw e;
  }
  return { spec, shape: raw.shape, index, indices: raw.out, sizes: raw.sizes, matrix };
}

/** A scalar result standing for a constant-filled value of the expected shape. */
function liftTo(e: Expr, s: Shape): Expr {
  if (e.shape === s) return e;
  if (e.shape !== SCALAR) throw new NotMatrixForm(`result shape ${describeShape(e.shape)} is not ${describeShape(s)}`);
  return e.kind === "num" ? B.num(e.value, s) : B.mul(e, B.num(1, s));
}
