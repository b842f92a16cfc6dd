/**
 * The numeric evaluator of expressions, at both levels:
 * - matrix level: every node to a Value (scalars broadcast in `+`, `.*`, `.^`);
 * - index level: scalar nodes with free indices to a number at given index values
 *   (1-based), `series` looping its bound index from 1 to its size.
 * Nodes without free indices are memoized, so a shared subexpression of the DAG is
 * evaluated once — also inside the body of a `series`.
 */
import * as B from "../core/build.js";
import { isFixedIndex } from "../core/build.js";
import { JacobiError } from "../core/errors.js";
import { LIMITS } from "../core/limits.js";
import { assertNever, type Entry, type Expr, type Index, type MatFn, type Series } from "../core/expr.js";
import { toFloat } from "../core/rational.js";
import { describeShape, type Size } from "../core/shape.js";
import { combine, diagMatrix, extremeValue, diagonalOf, filledValue, identityValue, mapFn, matmulValues, sumValue, transposeValue, applyFn } from "./numeric.js";
import { toText } from "../print/text.js";
import { detOf, inverseOf, logdetOf, luFactor, solveLu, type Lu } from "./linalg.js";
import { stableValue } from "./stable.js";
import { rowScaledExp } from "./stable-rows.js";
import { describeValue, scalarValue, type Value } from "./value.js";

/** What evaluation reads: named values (declared, given, defined) and size values. */
export interface Env {
  readonly values: Map<string, Value>;
  readonly sizes: Map<string, number>;
}

/** Values of free indices (1-based). */
export type IndexValues = Map<Index, number>;

export class Evaluator {
  private readonly memo = new Map<Expr, Value>();

  constructor(readonly env: Env) {}

  /** The number a size stands for. */
  size(s: Size): number {
    if (typeof s === "number") return s;
    const n = this.env.sizes.get(s);
    if (n === undefined) throw new JacobiError("name", `no value for size '${s}'`);
    return n;
  }

  /** The value of any node; `idx` gives the free indices (it is restored after use). */
  value(e: Expr, idx: IndexValues): Value {
    const memoizable = isClosed(e);
    if (memoizable) {
      const known = this.memo.get(e);
      if (known) return known;
    }
    if (e.shape.rows !== 1 || e.shape.cols !== 1) {
      const entries = this.size(e.shape.rows) * this.size(e.shape.cols);
      if (entries > LIMITS.maxValueEntries)
        throw new JacobiError("limit", `a value of ${entries} entries is too large to evaluate (the limit is ${LIMITS.maxValueEntries})`);
    }
    // softmax, log-sum-exp, softplus, sigmoid and norms, evaluated without overflow (eval/stable.ts)
    const stable =
      e.kind === "mul" || e.kind === "pow" || e.kind === "call" ? stableValue(e, (x) => this.value(x, idx)) : e.kind === "matmul" ? rowScaledExp(e, (x) => this.value(x, idx)) : undefined;
    const v = stable ? this.broadcast(stable, e) : this.computed(e, idx);
    if (memoizable) this.memo.set(e, v);
    return v;
  }

  /** The value of a node from the values of its parts (value() memoizes and checks sizes). */
  private computed(e: Expr, idx: IndexValues): Value {
    switch (e.kind) {
      case "num":
        return this.number(e);
      case "sym":
        return this.symbol(e.name, e);
      case "add":
      case "mul": {
        // Σ terms or Π factors, folded left to right into one fresh accumulator.
        const items = e.kind === "add" ? e.terms : e.factors;
        let v = this.value(items[0]!, idx);
        let fresh = false;
        for (let k = 1; k < items.length; k++) {
          v = combine(e.kind, v, this.value(items[k]!, idx), fresh);
          fresh = true;
        }
        return this.broadcast(v, e);
      }
      case "pow":
        return this.broadcast(combine("pow", this.value(e.base, idx), this.value(e.exponent, idx), false), e);
      case "call":
        // logdet(A) = log(det(A)) from the LU factors, never forming det (eval/linalg.ts)
        if (e.fn === "log" && e.arg.kind === "matfn" && e.arg.fn === "det") return scalarValue(logdetOf(this.lu(e.arg.arg, idx)));
        return mapFn(e.fn, this.value(e.arg, idx));
      case "matmul":
        return this.product(e.factors, idx);
      case "matfn":
        if (e.at.length > 0) return scalarValue(this.inverseEntry(e, idx));
        if (e.fn === "det") return scalarValue(detOf(this.lu(e.arg, idx)));
        return inverseOf(this.lu(e.arg, idx), toText(e));
      case "transpose":
        return transposeValue(this.value(e.arg, idx));
      case "sum":
        return scalarValue(sumValue(this.value(e.arg, idx)));
      case "extremum":
        return extremeValue(e.op, this.value(e.arg, idx));
      case "diag":
        // A column argument becomes a diagonal matrix; a square one gives its diagonal.
        return e.arg.shape.cols === 1 ? diagMatrix(this.value(e.arg, idx)) : diagonalOf(this.value(e.arg, idx));
      case "eye":
        return identityValue(this.size(e.size));
      case "matrix": {
        const data = new Float64Array(e.items.length);
        for (let k = 0; k < e.items.length; k++) data[k] = this.scalar(e.items[k]!, idx);
        return { rows: e.shape.rows as number, cols: e.shape.cols as number, data };
      }
      case "entry":
        return scalarValue(this.entry(e, idx));
      case "delta":
        return scalarValue(indexValue(e.a, idx) === indexValue(e.b, idx) ? 1 : 0);
      case "series":
        return scalarValue(this.series(e, idx));
      default:
        return assertNever(e);
    }
  }

  private readonly lus = new Map<Expr, Lu>();

  /** The LU factorization of a matrix-level value (one for det, logdet, inv and solves of it). */
  private lu(a: Expr, idx: IndexValues): Lu {
    let f = this.lus.get(a);
    if (!f) {
      f = luFactor(this.value(a, idx));
      this.lus.set(a, f);
    }
    return f;
  }

  /** inv(A)[i,j] at the current index values (the inverse is computed once). */
  private inverseEntry(e: MatFn, idx: IndexValues): number {
    const v = this.value(B.matfnBase(e), idx);
    const r = inRange(toText(e), e.at[0]!, idx, v.rows);
    const c = inRange(toText(e), e.at[1]!, idx, v.cols);
    return v.data[(r - 1) * v.cols + (c - 1)]!;
  }

  /**
   * A matrix product where every inverse is a solve: folded from the right, inv(A)*V is
   * the solution of A X = V (inv(A)'*V of A' X = V); a product ending in an inverse folds
   * from the left, V*inv(A) = (inv(A)'*V')'. Only a lone inverse is formed explicitly.
   */
  private product(factors: readonly Expr[], idx: IndexValues): Value {
    const inverse = (f: Expr): [Expr, boolean] | undefined =>
      f.kind === "matfn" && f.fn === "inv" ? [f.arg, false] : f.kind === "transpose" && f.arg.kind === "matfn" && f.arg.fn === "inv" ? [f.arg.arg, true] : undefined;
    const apply = (f: Expr, v: Value, left: boolean): Value => {
      const inv = inverse(f);
      if (!inv) return left ? matmulValues(this.value(f, idx), v) : matmulValues(v, this.value(f, idx));
      // inv(A)*V solves A; V*inv(A) = (inv(A')*V')' solves A'; a transposed inverse swaps the two
      const transposed = inv[1] !== !left;
      const f0 = transposed ? luFactor(transposeValue(this.value(inv[0], idx))) : this.lu(inv[0], idx);
      const x = solveLu(f0, left ? v : transposeValue(v), toText(f));
      return left ? x : transposeValue(x);
    };
    const fromRight = !inverse(factors[factors.length - 1]!) || inverse(factors[0]!) !== undefined;
    const order = fromRight ? [...factors].reverse() : factors;
    let v = this.value(order[0]!, idx);
    for (let k = 1; k < order.length; k++) v = apply(order[k]!, v, fromRight);
    return v;
  }

  /** A number, filled out to its shape. */
  private number(e: Extract<Expr, { kind: "num" }>): Value {
    // a number too large for floating point cannot be evaluated (it stays exact symbolically)
    const x = toFloat(e.value);
    return e.shape.rows === 1 && e.shape.cols === 1 ? scalarValue(x) : filledValue(this.size(e.shape.rows), this.size(e.shape.cols), x);
  }

  /**
   * An elementwise result in the node's shape: the terms of a sum may all be scalars
   * while the sum has a shape (`n + zeros(1,n)` is the scalar n broadcast to a row).
   */
  private broadcast(v: Value, e: Expr): Value {
    if (v.rows !== 1 || v.cols !== 1 || (e.shape.rows === 1 && e.shape.cols === 1)) return v;
    return filledValue(this.size(e.shape.rows), this.size(e.shape.cols), v.data[0]!);
  }

  /** The number a scalar node stands for at the given index values. */
  scalar(e: Expr, idx: IndexValues): number {
    if (e.shape.rows !== 1 || e.shape.cols !== 1 || isClosed(e)) return onlyEntry(this.value(e, idx), e);
    switch (e.kind) {
      case "add": {
        let s = 0;
        for (const t of e.terms) s += this.scalar(t, idx);
        return s;
      }
      case "mul": {
        let p = 1;
        for (const f of e.factors) p *= this.scalar(f, idx);
        return p;
      }
      case "pow":
        return Math.pow(this.scalar(e.base, idx), this.scalar(e.exponent, idx));
      case "call":
        return applyFn(e.fn, this.scalar(e.arg, idx));
      case "entry":
        return this.entry(e, idx);
      case "delta":
        return indexValue(e.a, idx) === indexValue(e.b, idx) ? 1 : 0;
      case "series":
        return this.series(e, idx);
      default:
        return onlyEntry(this.value(e, idx), e);
    }
  }

  /** Σ_{index=1..size} body */
  private series(e: Series, idx: IndexValues): number {
    const n = this.size(e.size);
    const outer = idx.get(e.index);
    let s = 0;
    try {
      for (let k = 1; k <= n; k++) {
        idx.set(e.index, k);
        s += this.scalar(e.body, idx);
      }
    } finally {
      if (outer === undefined) idx.delete(e.index);
      else idx.set(e.index, outer);
    }
    return s;
  }

  /** `x[i]` or `W[i,k]` at the current index values. */
  private entry(e: Entry, idx: IndexValues): number {
    const v = this.env.values.get(e.name);
    if (!v) throw new JacobiError("name", `no value for '${e.name}'`);
    if (e.at.length === 1) {
      if (v.rows !== 1 && v.cols !== 1) throw new JacobiError("shape", `${e.name}[${e.at[0]}] reads a vector, but ${e.name} is ${describeValue(v)}`);
      return v.data[inRange(e.name, e.at[0]!, idx, v.data.length) - 1]!;
    }
    const r = inRange(e.name, e.at[0]!, idx, v.rows);
    const c = inRange(e.name, e.at[1]!, idx, v.cols);
    return v.data[(r - 1) * v.cols + (c - 1)]!;
  }

  /** A named value (checked against the node's shape), or a size name used as a scalar. */
  private symbol(name: string, e: Expr): Value {
    const v = this.env.values.get(name);
    if (v) {
      const rows = this.size(e.shape.rows);
      const cols = this.size(e.shape.cols);
      if (v.rows !== rows || v.cols !== cols)
        throw new JacobiError("shape", `${name} is ${describeShape(e.shape)} (${rows}×${cols}) but its value is ${describeValue(v)}`);
      return v;
    }
    const n = this.env.sizes.get(name);
    if (n !== undefined && e.shape.rows === 1 && e.shape.cols === 1) return scalarValue(n);
    throw new JacobiError("name", `no value for '${name}'`);
  }
}

/** The value of an index: bound in `idx`, or a fixed position ("1", "2", … in the element-wise view). */
function indexValue(i: Index, idx: IndexValues): number {
  const k = idx.get(i);
  if (k !== undefined) return k;
  if (isFixedIndex(i)) return Number(i);
  throw new JacobiError("name", `index '${i}' has no value`);
}

/** Free indices that need values: fixed positions have theirs. */
export const unboundIndices = (e: Expr): Index[] => e.indices.filter((i) => !isFixedIndex(i));

/** Does a node's value not depend on index values (so it can be memoized)? */
const isClosed = (e: Expr): boolean => e.indices.length === 0 || e.indices.every(isFixedIndex);

function inRange(name: string, i: Index, idx: IndexValues, length: number): number {
  const k = indexValue(i, idx);
  if (!Number.isInteger(k) || k < 1 || k > length) throw new JacobiError("value", `index ${i} = ${k} is out of range for ${name} (1 to ${length})`);
  return k;
}

function onlyEntry(v: Value, e: Expr): number {
  if (v.rows !== 1 || v.cols !== 1) throw new JacobiError("shape", `expected a scalar, but ${describeShape(e.shape)} evaluates to ${describeValue(v)}`);
  return v.data[0]!;
}
