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

/** Options of the element-wise view. */
export interface ElementwiseOptions {
  /** The entries will be printed (default): refused when they would write out too many terms. Off (values only), only the work counts. */
  readonly printed?: boolean;
}

/** A derivative in the element-wise view: a matrix of scalar expressions in x1, x2, … */
export function deriveElementwise(program: Program, f: Expr, spec: DerivativeSpec, options: ElementwiseOptions = {}): Entries {
  // The derivative table has (value entries) × (variable entries) entries (× again for a Hessian).
  const [fr, fc] = concrete(f.shape, "the value");
  const [xr, xc] = concrete(shapeOfName(program, spec.wrt, "the variable"), spec.wrt);
  const by = xr * xc * (spec.kind === "hessian" ? xr * xc : 1);
  const table = fr * fc * by;
  if (table > LIMITS.maxEntries)
    throw new JacobiError("limit", `the element-wise ${spec.kind} has ${table} entry derivatives (the limit is ${LIMITS.maxEntries}); use the matrix form`);
  // estimated before any work. Printed: every entry written out as a tree (shared parts each time they occur)
  if (options.printed ?? true) {
    const perEntry = termsPerEntry(program, f, new Map());
    const terms = perEntry * table;
    if (terms > LIMITS.maxElementwiseTerms)
      throw new JacobiError(
        "limit",
        `the element-wise ${spec.kind} would write out about ${terms.toPrecision(2)} terms (the value has ${fr * fc} entries of about ${perEntry.toPrecision(2)} terms each; the limit is ${LIMITS.maxElementwiseTerms}); use the matrix form`,
      );
  }
  // the work: the value's entries as one DAG (a shared part once), differentiated by each variable entry
  const distinct = distinctTerms(program, f);
  if (distinct * by > LIMITS.maxElementwiseTerms)
    throw new JacobiError(
      "limit",
      `the element-wise ${spec.kind} would build about ${(distinct * by).toPrecision(2)} terms (the value's entries have about ${distinct.toPrecision(2)} distinct terms, differentiated by ${by} entries; the limit is ${LIMITS.maxElementwiseTerms}); use the matrix form`,
    );
  const work = LIMITS.maxWork + LIMITS.workPerEntry * table;
  return withWorkBudget(work, `the element-wise ${spec.kind} by ${spec.wrt}`, () => elementwiseWithin(program, f, spec));
}

/**
 * About how many distinct terms all entries of a matrix-level value have together when
 * written out at concrete sizes, each shared part once (the lowering builds a DAG): every
 * distinct node contributes its entries, a `sum` an addend per entry of its operand, a
 * matrix product a term per combination of its inner indices. Saturates far beyond any limit.
 */
export function distinctTerms(program: Program, e: Expr): number {
  const size = (n: Size): number => (typeof n === "number" ? n : Infinity);
  const entries = (s: Shape): number => size(s.rows) * size(s.cols);
  const seen = new Set<Expr>();
  const stack = [e];
  let total = 0;
  while (stack.length > 0 && total < 1e15) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    let local = 1;
    if (x.kind === "sym") {
      const def = program.defs.get(x.name);
      if (def) stack.push(def.expr);
    } else if (x.kind === "matmul") {
      // (F1 F2 … Fk)[i,j] = Σ_{p1…p(k-1)} F1[i,p1] … Fk[p(k-1),j]: a product and a sum per inner combination
      for (let k = 0; k < x.factors.length - 1; k++) local *= size(x.factors[k]!.shape.cols);
      local *= 2;
    } else if (x.kind === "sum") local = entries(x.arg.shape);
    total += entries(x.shape) * local;
    for (const c of children(x)) stack.push(c);
  }
  return Math.min(total, 1e15);
}

/**
 * About how many terms one entry of a matrix-level value has when printed at concrete
 * sizes (a printed entry repeats what the DAG shares): a matrix product and a `sum` repeat
 * their operands once per index value, definitions are written in.
 * Saturates far beyond any limit.
 */
export function termsPerEntry(program: Program, e: Expr, fresh: Map<Expr, number> = new Map()): number {
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
      if (f.shape.cols !== 1 || xShape.cols !== 1)
        throw new JacobiError("shape", "the element-wise jacobian is of vectors and scalars by vectors and scalars; without --elementwise, a matrix's is in index notation");
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
