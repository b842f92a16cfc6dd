/**
 * The element-wise view (SymPy's `Matrix.jacobian`): at concrete sizes every entry is
 * written out as a scalar expression of scalar entries x1, x2, … (see `entryName`), and
 * differentiated one by one. The same derivative kinds as `derive`, as matrices of
 * entries — the independent check on the matrix forms.
 */
import * as B from "../core/build.js";
import { JacobiError } from "../core/errors.js";
import { children, withWorkBudget, type Expr, type Index } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import type { Program } from "../core/program.js";
import { describeShape, SCALAR, shape as makeShape, type Shape, type Size } from "../core/shape.js";
import { Differentiator, entryTarget, symTarget } from "../diff/derivative.js";
import { entryName, Lowerer } from "../indexform/lower.js";
import { shapeOfName, type DerivativeSpec } from "./derive.js";

/** A value's entries at concrete sizes, row-major, as scalar expressions. */
export interface Entries {
  readonly rows: number;
  readonly cols: number;
  readonly items: readonly Expr[];
}

function concrete(s: Shape, what: string): [number, number] {
  if (typeof s.rows !== "number" || typeof s.cols !== "number")
    throw new JacobiError("unsupported", `the element-wise view needs concrete sizes, but ${what} is ${describeShape(s)}`);
  if (s.rows * s.cols > LIMITS.maxEntries) throw new JacobiError("limit", `${what} has too many entries for the element-wise view`);
  return [s.rows, s.cols];
}

/** Index positions of a value's entries: null for a dimension of size 1. */
function positions(rows: number, cols: number): [Index | null, Index | null][] {
  const out: [Index | null, Index | null][] = [];
  for (let r = 1; r <= rows; r++) for (let c = 1; c <= cols; c++) out.push([rows === 1 ? null : `${r}`, cols === 1 ? null : `${c}`]);
  return out;
}

const present = (p: [Index | null, Index | null]): Index[] => p.filter((i): i is Index => i !== null);

/** Every entry of a value, written out (sums over concrete sizes unrolled). */
export function expandEntries(program: Program, e: Expr, lowerer = new Lowerer(program, { unroll: true })): Entries {
  const [rows, cols] = concrete(e.shape, "the value");
  return { rows, cols, items: positions(rows, cols).map(([r, c]) => lowerer.lower(e, r, c)) };
}

/** A derivative in the element-wise view: a matrix of scalar expressions in x1, x2, … */
export function deriveElementwise(program: Program, f: Expr, spec: DerivativeSpec): Entries {
  // The derivative table has (value entries) × (variable entries) entries (× again for a Hessian).
  const [fr, fc] = concrete(f.shape, "the value");
  const [xr, xc] = concrete(shapeOfName(program, spec.wrt, "the variable"), spec.wrt);
  const table = fr * fc * xr * xc * (spec.kind === "hessian" ? xr * xc : 1);
  if (table > LIMITS.maxEntries)
    throw new JacobiError("limit", `the element-wise ${spec.kind} has ${table} entry derivatives (the limit is ${LIMITS.maxEntries}); use the matrix form`);
  // estimated before any work: the value written out, times the entries it is differentiated by
  const terms = termsPerEntry(program, f, new Map()) * fr * fc * xr * xc * (spec.kind === "hessian" ? xr * xc : 1);
  if (terms > LIMITS.maxElementwiseTerms)
    throw new JacobiError(
      "limit",
      `the element-wise ${spec.kind} would write out about ${terms.toPrecision(2)} terms (the value has ${fr * fc} entries of about ${termsPerEntry(program, f, new Map()).toPrecision(2)} terms each; the limit is ${LIMITS.maxElementwiseTerms}); use the matrix form`,
    );
  const work = LIMITS.maxWork + LIMITS.workPerEntry * table;
  return withWorkBudget(work, `the element-wise ${spec.kind} by ${spec.wrt}`, () => elementwiseWithin(program, f, spec));
}

/**
 * About how many distinct terms one entry of a matrix-level value has when written out at
 * concrete sizes: each distinct node once (shared parts are shared), a matrix product and a
 * `sum` repeat their operands once per index value, definitions are written in.
 * Saturates far beyond any limit.
 */
function termsPerEntry(program: Program, e: Expr, fresh: Map<Expr, number>): number {
  const size = (n: Size): number => (typeof n === "number" ? n : Infinity);
  /** The terms of `x` unrolled on their own (the copies of a sum's body are distinct). */
  const alone = (x: Expr): number => {
    let t = fresh.get(x);
    if (t === undefined) {
      t = walk(x, new Set());
      fresh.set(x, t);
    }
    return t;
  };
  const walk = (x: Expr, seen: Set<Expr>): number => {
    if (seen.has(x)) return 0;
    seen.add(x);
    let t: number;
    if (x.kind === "sym") {
      const def = program.defs.get(x.name);
      t = def ? walk(def.expr, seen) : 1;
    } else if (x.kind === "matmul") {
      // (A*B)[i,j] = Σ_k A[i,k] B[k,j]: each factor after the first repeats the chain so far k times
      t = alone(x.factors[0]!);
      for (let k = 1; k < x.factors.length; k++) t = size(x.factors[k]!.shape.rows) * (t + alone(x.factors[k]!));
    } else if (x.kind === "sum") {
      t = size(x.arg.shape.rows) * size(x.arg.shape.cols) * alone(x.arg);
    } else {
      t = 1;
      for (const c of children(x)) t += walk(c, seen);
    }
    return Math.min(t, 1e15);
  };
  return alone(e);
}

function elementwiseWithin(program: Program, f: Expr, spec: DerivativeSpec): Entries {
  const lowerer = new Lowerer(program, { unroll: true });
  const value = expandEntries(program, f, lowerer);
  const xShape = shapeOfName(program, spec.wrt, "the variable");
  const [xr, xc] = concrete(xShape, spec.wrt);
  const xs = positions(xr, xc).map((p) => new Differentiator(present(p).length === 0 ? symTarget(spec.wrt) : entryTarget(spec.wrt, present(p))));
  // D[e][v]: d value_e / d x_v
  const d = (items: readonly Expr[]): Expr[][] => items.map((u) => xs.map((dx) => dx.of(u)));
  switch (spec.kind) {
    case "diff": {
      if (xShape !== SCALAR) throw new JacobiError("shape", `diff is by a scalar, and ${spec.wrt} is ${describeShape(xShape)}`);
      return { rows: value.rows, cols: value.cols, items: d(value.items).map((row) => row[0]!) };
    }
    case "grad": {
      if (f.shape !== SCALAR) throw new JacobiError("shape", `grad needs a scalar value, not ${describeShape(f.shape)}`);
      return { rows: xr, cols: xc, items: d(value.items)[0]! };
    }
    case "jacobian": {
      if (f.shape.cols !== 1 || xShape.cols !== 1) throw new JacobiError("shape", "jacobian is for vectors and scalars; use vjp, jvp or grad");
      return { rows: value.rows, cols: xr, items: d(value.items).flat() };
    }
    case "hessian": {
      if (f.shape !== SCALAR || xShape.cols !== 1) throw new JacobiError("shape", "hessian needs a scalar value and a vector or scalar variable");
      const first = d(value.items)[0]!;
      return { rows: xr, cols: xr, items: d(first).flat() };
    }
    case "jvp": {
      const v = expandEntries(program, B.sym(spec.tangent!, shapeOfName(program, spec.tangent!, "the tangent")), lowerer);
      if (v.items.length !== xs.length) throw new JacobiError("shape", `the tangent must be shaped like ${spec.wrt}`);
      return { rows: value.rows, cols: value.cols, items: d(value.items).map((row) => B.addAll(row.map((x, k) => B.mul(x, v.items[k]!)))) };
    }
    case "vjp": {
      const g = expandEntries(program, B.sym(spec.cotangent!, shapeOfName(program, spec.cotangent!, "the cotangent")), lowerer);
      if (g.items.length !== value.items.length) throw new JacobiError("shape", "the cotangent must be shaped like the value");
      const D = d(value.items);
      return { rows: xr, cols: xc, items: xs.map((_, v) => B.addAll(D.map((row, e) => B.mul(g.items[e]!, row[v]!)))) };
    }
  }
}

/**
 * Entries x[2], W[1,2] become the scalars x2, W1_2 (the element-wise naming); share one
 * namer across calls. A generated name that the program already uses for something else
 * is an error: the two would print the same.
 */
export function scalarNamer(program: Program): (e: Expr) => Expr {
  const taken = (name: string): boolean => program.decls.has(name) || program.defs.has(name) || program.uses.has(name) || program.sizes.has(name);
  const walk = B.rebuildWalk({
    leaf: (x) => {
      if (x.kind !== "entry") return undefined;
      const name = entryName(x.name, x.at);
      if (taken(name))
        throw new JacobiError("name", `the element-wise view writes ${x.name}[${x.at.join(",")}] as '${name}', but the program already has a value named '${name}'; rename that value`);
      return B.sym(name);
    },
  });
  return (e) => walk.run(e);
}

/** The entries as one matrix-level value (a literal, or the scalar for 1×1). */
export function entriesAsMatrix(m: Entries, program: Program): Expr {
  const name = scalarNamer(program);
  return B.matrix(m.rows, m.cols, m.items.map(name));
}

export const entriesShape = (m: Entries): Shape => makeShape(m.rows, m.cols);
