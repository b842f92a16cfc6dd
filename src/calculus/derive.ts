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
 * variable's are a and b — or other letters where the program has values of those names
 * (forms.ts); the result says which index is which (`roles`). With `{ record: true }` the
 * result carries every step taken (`record`), which derivation pages select from.
 */
import * as B from "../core/build.js";
import { ShapeError } from "../core/build.js";
import type { DerivativeKind } from "../core/derivative-kinds.js";
import { JacobiError } from "../core/errors.js";
import { withWorkBudget, type Expr, type Index } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import type { Program } from "../core/program.js";
import type { Step, Tracer } from "../core/trace.js";
import { describeShape, SCALAR, shape as makeShape, type Shape, type Size } from "../core/shape.js";
import { Differentiator, entryTarget, symTarget, type Target } from "../diff/derivative.js";
import { contract } from "../indexform/contract.js";
import { distributeToCancel } from "../indexform/distribute.js";
import { Lowerer } from "../indexform/lower.js";
import { Matricizer, NotMatrixForm } from "../indexform/matricize.js";
import { recognize } from "../indexform/recognize.js";
import { collect, textbookForms } from "../simplify/collect.js";
import { simplify } from "../simplify/simplify.js";
import { dimensionIndices, indexNamesFor, presentIndices, withIndexNames, type IndexNames } from "./forms.js";
import { resultUnderAssumptions } from "./assume.js";
import { preferReverse } from "./choose.js"; // [reverse]
import type { DerivativeResult, DerivativeSpec, IndexRoles } from "./result.js";

export type { DerivativeKind };
export type { DerivativeRecord, DerivativeResult, DerivativeSpec, IndexRoles } from "./result.js";

export interface DeriveOptions {
  /** Keep the record of every step (for derivation pages). */
  readonly record?: boolean;
}

/** Index names for a value's dimensions (null for size 1) and their sizes. */
function dims(s: Shape, row: Index, col: Index, sizes: Map<Index, Size>): [Index | null, Index | null] {
  const [r, c] = dimensionIndices(s, row, col);
  if (r) sizes.set(r, s.rows);
  if (c) sizes.set(c, s.cols);
  return [r, c];
}

/** The shape of a name the derivative refers to; undeclared names are scalars. */
export function shapeOfName(program: Program, name: string, what: string): Shape {
  const decl = program.decls.get(name);
  if (decl) return decl.shape;
  if (program.defs.has(name)) throw new JacobiError("name", `${what} '${name}' is a definition; differentiate by a declared value`);
  if (!program.uses.has(name)) throw new JacobiError("name", `${what} '${name}' does not occur in the program`);
  return SCALAR;
}

/** Is the name a definition (not also declared)? */
export const isDefinitionName = (program: Program, name: string): boolean => program.defs.has(name) && !program.decls.has(name);

/** The shape of a name differentiated by: a declared value, a definition, or an undeclared scalar. */
export function variableShape(program: Program, name: string): Shape {
  return isDefinitionName(program, name) ? program.defs.get(name)!.expr.shape : shapeOfName(program, name, "the variable");
}

/**
 * The shape of a derivative laid out as value indices then variable indices: with at most
 * one index on each side, the matrix ∂vec(F)/∂vec(X) (rows along F, columns along X; a
 * scalar by a vector is a row); with one side empty, the other side's shape; with more
 * than two indices, the value's shape (the outer shape: the result is an F-shaped array of
 * X-shaped blocks; its `dims` say every index's size).
 */
function layoutShape(fShape: Shape, xShape: Shape, v: readonly Index[], x: readonly Index[], sizes: ReadonlyMap<Index, Size>): Shape {
  if (v.length <= 1 && x.length <= 1) return makeShape(v.length ? sizes.get(v[0]!)! : 1, x.length ? sizes.get(x[0]!)! : 1);
  if (x.length === 0) return fShape;
  if (v.length === 0) return xShape;
  return fShape;
}

/**
 * The program with the spec's tangent (jvp) or cotangent (vjp) declared when the program
 * does not mention that name: a tangent takes the variable's shape, a cotangent the value's.
 */
export function declareDirection(program: Program, f: Expr, spec: DerivativeSpec): Program {
  const name = spec.kind === "jvp" ? spec.tangent : spec.kind === "vjp" ? spec.cotangent : undefined;
  if (name === undefined || program.decls.has(name) || program.defs.has(name) || program.uses.has(name) || program.sizes.has(name)) return program;
  const shape = spec.kind === "jvp" ? variableShape(program, spec.wrt) : f.shape;
  return { ...program, decls: new Map(program.decls).set(name, { name, shape, span: undefined, source: undefined }) };
}

function targetFor(name: string, r: Index | null, c: Index | null): Target {
  const at = presentIndices([r, c]);
  return at.length === 0 ? symTarget(name) : entryTarget(name, at);
}

/** Σ over the given indices of a body, with their sizes. */
function sumOver(body: Expr, idx: readonly (Index | null)[], sizes: ReadonlyMap<Index, Size>): Expr {
  let out = body;
  for (const i of idx) if (i) out = B.series(i, sizes.get(i)!, out);
  return out;
}

interface IndexDerivative {
  readonly expr: Expr;
  readonly shape: Shape;
  readonly sizes: Map<Index, Size>;
  readonly roles: IndexRoles;
  readonly lowered: Expr;
  readonly pairing?: Expr;
  /** More than two indices: each output index's size, in layout order. */
  readonly dims?: readonly Size[];
}

/** The index-form derivative, before simplification, with its output indices. */
function indexDerivative(program: Program, f: Expr, spec: DerivativeSpec, names: IndexNames, trace?: Tracer): IndexDerivative {
  const sizes = new Map<Index, Size>();
  const xShape = variableShape(program, spec.wrt);
  // by a definition: it stays an entry z[a] where the value uses it, and is differentiated as a variable
  const lowerer = new Lowerer(program, isDefinitionName(program, spec.wrt) ? { keep: new Set([spec.wrt]) } : {});
  const [fr, fc] = dims(f.shape, names.row, names.col, sizes);
  const [xr, xc] = dims(xShape, names.wrtRow, names.wrtCol, sizes);
  const value = lowerer.lower(f, fr, fc);
  trace?.({ kind: "rewrite", rule: "lower to index form", before: f, after: value });
  const lowerArg = (a: Expr, r: Index, c: Index): Expr => lowerer.lower(a, r, c);
  const d = new Differentiator(targetFor(spec.wrt, xr, xc), trace, lowerArg).of(value);
  const roles = (v: (Index | null)[], x: (Index | null)[], second: (Index | null)[] = []): IndexRoles => ({ value: presentIndices(v), variable: presentIndices(x), second: presentIndices(second) });
  const result = (expr: Expr, shape: Shape, r: IndexRoles, pairing?: Expr): IndexDerivative => {
    const out = outputIndices(spec.kind, r);
    const tensor = out.length > 2 ? { dims: out.map((i) => sizes.get(i)!) } : {};
    return { expr, shape, sizes, roles: r, lowered: value, ...(pairing ? { pairing } : {}), ...tensor };
  };
  /** The JVP's or VJP's product with the derivative, reported as a step. */
  const product = (rule: string, out: Expr): Expr => {
    trace?.({ kind: "rewrite", rule, before: d, after: out, run: { ruleSet: rule, before: d, after: out }, whole: () => ({ before: d, after: out }) });
    return out;
  };
  switch (spec.kind) {
    case "diff":
      // d f[i,j] / d x for a scalar x: shaped like f
      if (xShape !== SCALAR) throw new JacobiError("shape", `diff is by a scalar, and ${spec.wrt} is ${describeShape(xShape)}; use grad, jacobian, jvp or vjp`);
      return result(d, f.shape, roles([fr, fc], []));
    case "grad":
      if (f.shape !== SCALAR) throw new JacobiError("shape", `grad needs a scalar value, not ${describeShape(f.shape)}; use jacobian or vjp`);
      return result(d, xShape, roles([], [xr, xc]));
    case "jacobian": {
      // ∂F[i,j]/∂X[a,b]: the value's indices, then the variable's
      const [v, x] = [presentIndices([fr, fc]), presentIndices([xr, xc])];
      return result(d, layoutShape(f.shape, xShape, v, x, sizes), roles([fr, fc], [xr, xc]));
    }
    case "hessian": {
      if (f.shape !== SCALAR) throw new JacobiError("shape", `hessian needs a scalar value, not ${describeShape(f.shape)}`);
      // ∂²f/∂X[a,b]∂X[c,d]; by a vector, the second index is the column letter (H[a,b])
      const [yr, yc] = xShape.cols === 1 ? dims(xShape, names.wrtCol, names.wrtCol, sizes) : dims(xShape, names.wrtRow2, names.wrtCol2, sizes);
      const second = new Differentiator(targetFor(spec.wrt, yr, yc), trace, lowerArg).of(contract(d, trace));
      const [x, y] = [presentIndices([xr, xc]), presentIndices([yr, yc])];
      return result(second, layoutShape(xShape, xShape, x, y, sizes), roles([], [xr, xc], [yr, yc]));
    }
    case "jvp": {
      const v = spec.tangent;
      if (!v) throw new JacobiError("usage", "jvp needs a tangent");
      const vShape = shapeOfName(program, v, "the tangent");
      if (vShape !== xShape) throw new JacobiError("shape", `the tangent ${v} is ${describeShape(vShape)} but ${spec.wrt} is ${describeShape(xShape)}`);
      // (J v)[i] = Σ_a ∂f[i]/∂x[a] v[a]
      const tangent = lowerer.lower(B.sym(v, vShape), xr, xc);
      return result(product("Jacobian-vector product", sumOver(B.mul(d, tangent), [xr, xc], sizes)), f.shape, roles([fr, fc], [xr, xc]));
    }
    case "vjp": {
      const g = spec.cotangent;
      if (!g) throw new JacobiError("usage", "vjp needs a cotangent");
      const gShape = shapeOfName(program, g, "the cotangent");
      if (gShape !== f.shape) throw new JacobiError("shape", `the cotangent ${g} is ${describeShape(gShape)} but the value is ${describeShape(f.shape)}`);
      // (g' J)[a] = Σ_i g[i] ∂f[i]/∂x[a], the gradient of Σ_i g[i] f[i]
      const cotangent = lowerer.lower(B.sym(g, gShape), fr, fc);
      const vjp = product("vector-Jacobian product", sumOver(B.mul(cotangent, d), [fr, fc], sizes));
      return result(vjp, xShape, roles([fr, fc], [xr, xc]), trace ? sumOver(B.mul(cotangent, value), [fr, fc], sizes) : undefined);
    }
  }
}

/** A derivative of a value of the program, in index form and (when it has one) matrix form. */
export function derive(program: Program, f: Expr, spec: DerivativeSpec, options: DeriveOptions = {}): DerivativeResult {
  const names = indexNamesFor(program);
  const viaIndex = (): DerivativeResult => withWorkBudget(LIMITS.maxWork, `the ${spec.kind} by ${spec.wrt}`, () => withIndexNames(names, () => deriveWithin(program, f, spec, names, options)));
  // [reverse] grad and vjp: the backward sweep's matrix form where it is smaller (src/reverse); a record is the index path's
  // the program's assumptions (`assume sum(y) = 1`) used in the result
  return resultUnderAssumptions(program, options.record ? viaIndex() : preferReverse(program, f, spec, viaIndex));
}

function deriveWithin(program: Program, f: Expr, spec: DerivativeSpec, names: IndexNames, options: DeriveOptions): DerivativeResult {
  const steps: Step[] = [];
  const trace: Tracer | undefined = options.record ? (s) => steps.push(s) : undefined;
  const raw = indexDerivative(program, f, spec, names, trace);
  const recognized = recognize(contract(raw.expr, trace), program, trace);
  const distributed = distributeToCancel(recognized, trace);
  const index = contract(distributed, trace);
  const indices = outputIndices(spec.kind, raw.roles);
  // more than two indices: index notation (no matrix form)
  const matrix = raw.dims ? undefined : matrixForm(program, raw, index, indices, trace);
  const record = options.record ? { record: { lowered: raw.lowered, steps, ...(raw.pairing ? { pairing: raw.pairing } : {}) } } : {};
  return { spec, shape: raw.shape, index, indices, sizes: raw.sizes, roles: raw.roles, matrix, ...(raw.dims ? { dims: raw.dims } : {}), ...record };
}

/** The result's free indices: rows, then columns. */
function outputIndices(kind: DerivativeKind, roles: IndexRoles): Index[] {
  switch (kind) {
    case "diff":
    case "jvp":
      return [...roles.value];
    case "jacobian":
      return [...roles.value, ...roles.variable];
    case "grad":
    case "vjp":
    case "hessian":
      return [...roles.variable, ...roles.second];
  }
}

/** The result in matrix form, factored and simplified, or undefined when it has none. */
function matrixForm(program: Program, raw: IndexDerivative, index: Expr, indices: readonly Index[], trace?: Tracer): Expr | undefined {
  try {
    const column = new Matricizer(program, raw.sizes).run(index, indices);
    // A 1×n result has only its column index: matricized as a column, then turned over.
    const m = raw.shape.rows === 1 && raw.shape.cols !== 1 && column.shape !== SCALAR ? B.transpose(column) : column;
    const shaped = m.shape === raw.shape ? m : liftTo(m, raw.shape);
    trace?.({ kind: "rewrite", rule: "matrix form", before: index, after: shaped });
    const factored = collect(shaped, trace);
    const simplified = simplify(factored, trace ? { onStep: trace } : {});
    return simplified === factored ? simplified : textbookForms(simplified, trace);
  } catch (e) {
    // No matrix form: the index form stands (a shape mismatch in matricizing means the same).
    if (!(e instanceof NotMatrixForm) && !(e instanceof ShapeError)) throw e;
    return undefined;
  }
}

/** A scalar result standing for a constant-filled value of the expected shape. */
function liftTo(e: Expr, s: Shape): Expr {
  if (e.shape === s) return e;
  if (e.shape !== SCALAR) throw new NotMatrixForm(`result shape ${describeShape(e.shape)} is not ${describeShape(s)}`);
  return e.kind === "num" ? B.num(e.value, s) : B.mul(e, B.num(1, s));
}
