/**
 * Numeric building blocks of evaluation: elementwise operations with scalar
 * broadcasting, the matrix product, transpose, diag. Plain loops over Float64Array.
 */
import { JacobiError } from "../core/errors.js";
import { assertNever, type FnName } from "../core/expr.js";
import { FUNCTION_TABLE } from "../core/functions.js";
import type { Value } from "./value.js";

export type Binary = "add" | "mul" | "pow";

const isScalarValue = (v: Value): boolean => v.rows === 1 && v.cols === 1;

export function filledValue(rows: number, cols: number, x: number): Value {
  const data = new Float64Array(rows * cols);
  if (x !== 0) data.fill(x);
  return { rows, cols, data };
}

/** The shape two elementwise operands broadcast to (a 1×1 value stands for any shape). */
function broadcastDims(a: Value, b: Value, what: string): [number, number] {
  if (a.rows === b.rows && a.cols === b.cols) return [a.rows, a.cols];
  if (isScalarValue(a)) return [b.rows, b.cols];
  if (isScalarValue(b)) return [a.rows, a.cols];
  throw new JacobiError("shape", `${what}: values of ${a.rows}×${a.cols} and ${b.rows}×${b.cols} do not fit`);
}

/**
 * Folds `v` into the accumulator `acc` (which it may overwrite): acc + v, acc .* v or
 * acc .^ v, broadcasting 1×1 values. Returns the accumulator (possibly a new one).
 */
export function combine(op: Binary, acc: Value, v: Value, fresh: boolean): Value {
  const [rows, cols] = broadcastDims(acc, v, op);
  const n = rows * cols;
  const out = fresh && acc.data.length === n ? acc : { rows, cols, data: new Float64Array(n) };
  const o = out.data;
  const a = acc.data;
  const b = v.data;
  const sa = a.length === n ? 1 : 0;
  const sb = b.length === n ? 1 : 0;
  switch (op) {
    case "add":
      for (let k = 0; k < n; k++) o[k] = a[k * sa]! + b[k * sb]!;
      break;
    case "mul":
      for (let k = 0; k < n; k++) o[k] = a[k * sa]! * b[k * sb]!;
      break;
    case "pow":
      for (let k = 0; k < n; k++) o[k] = Math.pow(a[k * sa]!, b[k * sb]!);
      break;
    default:
      return assertNever(op);
  }
  return out;
}

/** One elementwise function at one number (its value from the function table). */
export const applyFn = (fn: FnName, u: number): number => FUNCTION_TABLE[fn].value(u);

/** An elementwise function over every entry. */
export function mapFn(fn: FnName, v: Value): Value {
  const f = FUNCTION_TABLE[fn].value;
  const n = v.data.length;
  const out = new Float64Array(n);
  const a = v.data;
  for (let k = 0; k < n; k++) out[k] = f(a[k]!);
  return { rows: v.rows, cols: v.cols, data: out };
}

/** The matrix product a·b. */
export function matmulValues(a: Value, b: Value): Value {
  if (a.cols !== b.rows) throw new JacobiError("shape", `*: values of ${a.rows}×${a.cols} and ${b.rows}×${b.cols} do not fit`);
  const m = a.rows;
  const inner = a.cols;
  const n = b.cols;
  const out = new Float64Array(m * n);
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let k = 0; k < inner; k++) {
      const aik = x[i * inner + k]!;
      const yrow = k * n;
      for (let j = 0; j < n; j++) out[row + j] += aik * y[yrow + j]!;
    }
  }
  return { rows: m, cols: n, data: out };
}

export function transposeValue(v: Value): Value {
  if (v.rows === 1 || v.cols === 1) return { rows: v.cols, cols: v.rows, data: v.data };
  const out = new Float64Array(v.data.length);
  const a = v.data;
  for (let r = 0; r < v.rows; r++) for (let c = 0; c < v.cols; c++) out[c * v.rows + r] = a[r * v.cols + c]!;
  return { rows: v.cols, cols: v.rows, data: out };
}

/**
 * max or min of a column's entries (a 1×1 value), or of each row of a matrix (a column of
 * rows); NaN anywhere in a line makes its extreme NaN, as Math.max does.
 */
export function extremeValue(op: "max" | "min", v: Value): Value {
  const byRows = v.cols !== 1;
  const count = byRows ? v.rows : 1;
  const width = byRows ? v.cols : v.rows;
  const data = new Float64Array(count);
  const pick = op === "max" ? Math.max : Math.min;
  for (let r = 0; r < count; r++) {
    let m = op === "max" ? -Infinity : Infinity;
    for (let c = 0; c < width; c++) m = pick(m, v.data[r * width + c]!);
    data[r] = m;
  }
  return { rows: count, cols: 1, data };
}

export function sumValue(v: Value): number {
  let s = 0;
  const a = v.data;
  for (let k = 0; k < a.length; k++) s += a[k]!;
  return s;
}

/** diag of a vector: the diagonal matrix with it on the diagonal. */
export function diagMatrix(v: Value): Value {
  const n = v.data.length;
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) out[k * n + k] = v.data[k]!;
  return { rows: n, cols: n, data: out };
}

/** diag of a square matrix: its diagonal as a column. */
export function diagonalOf(v: Value): Value {
  if (v.rows !== v.cols) throw new JacobiError("shape", `diag: a ${v.rows}×${v.cols} value is not square`);
  const n = v.rows;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = v.data[k * n + k]!;
  return { rows: n, cols: 1, data: out };
}

export function identityValue(n: number): Value {
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) out[k * n + k] = 1;
  return { rows: n, cols: n, data: out };
}
