/**
 * Values with more than two indices: a Jacobian of a matrix by a matrix, of a vector by a
 * matrix, a Hessian by a matrix. They are laid out row-major and nested, the value's
 * indices first, then the variable's:
 *   J[i][j][a][b] = ∂F[i,j]/∂X[a,b]        H[a][b][c][d] = ∂²f/∂X[a,b]∂X[c,d]
 * (what `--format json` prints, and the layout kernels over index forms fill).
 */
import { JacobiError } from "../core/errors.js";
import type { Expr, Index } from "../core/expr.js";
import { checkOutput, LIMITS } from "../core/limits.js";
import type { Size } from "../core/shape.js";
import { checkDepth } from "../core/limits.js";
import { Evaluator, unboundIndices, type Env } from "./evaluator.js";
import { formatValue, jsonNullNote } from "./value.js";

/** A value with any number of indices: its dimensions and its entries, row-major. */
export interface Tensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

/** Nested arrays of numbers, outermost index first. */
export type Nested = number | Nested[];

/** The dimensions at an environment's sizes. */
export const tensorDims = (sizes: readonly Size[], env: Env): number[] => sizes.map((s) => (typeof s === "number" ? s : env.sizes.get(s)!));

/** The value of an index-form expression at every combination of its free indices (1-based), in the order given. */
export function tensorValue(e: Expr, indices: readonly Index[], sizes: readonly Size[], env: Env): Tensor {
  const dims = tensorDims(sizes, env);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > LIMITS.maxValueEntries) throw new JacobiError("limit", `a value of ${count} entries is too large to evaluate (the limit is ${LIMITS.maxValueEntries})`);
  checkDepth(e.depth);
  for (const i of unboundIndices(e)) if (!indices.includes(i)) throw new JacobiError("name", `index '${i}' has no value`);
  // one evaluator for every entry: the parts without free indices (a Σ over the whole value) are computed once
  const evaluator = new Evaluator(env);
  const data = new Float64Array(count);
  const at = new Map<Index, number>();
  for (let flat = 0; flat < count; flat++) {
    // the last index runs fastest
    let rest = flat;
    for (let k = dims.length - 1; k >= 0; k--) {
      at.set(indices[k]!, (rest % dims[k]!) + 1);
      rest = Math.floor(rest / dims[k]!);
    }
    data[flat] = evaluator.scalar(e, new Map(at));
  }
  return { dims, data };
}

/** The entries as nested arrays (J[i][j][a][b]). */
export function nested(t: Tensor): Nested {
  const build = (level: number, offset: number): Nested => {
    if (level === t.dims.length) return t.data[offset]!;
    const stride = t.dims.slice(level + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: t.dims[level]! }, (_, k) => build(level + 1, offset + k * stride));
  };
  return build(0, 0);
}

/**
 * A tensor as text (nested brackets, the outer entries one a line), JSON (nested arrays)
 * or LaTeX (nested matrices: the first two indices the outer matrix, the next two each
 * block; an odd index count makes the outer level a column).
 */
export function formatTensor(t: Tensor, format: "text" | "json" | "latex", precision: number, note?: (text: string) => void): string {
  checkOutput(2 * t.data.length, " for its entries");
  const flat = { rows: t.data.length, cols: 1, data: t.data };
  if (format === "json") {
    const why = jsonNullNote(flat);
    if (why !== undefined) note?.(why);
  }
  const n = (x: number): string => {
    const s = formatValue({ rows: 1, cols: 1, data: Float64Array.of(x) }, format === "json" ? "json" : "text", precision);
    return format === "latex" ? s.replace("Infinity", "\\infty") : s;
  };
  const stride = (level: number): number => t.dims.slice(level).reduce((a, b) => a * b, 1);
  const brackets = (level: number, offset: number): string => {
    if (level === t.dims.length) return n(t.data[offset]!);
    const items = Array.from({ length: t.dims[level]! }, (_, k) => brackets(level + 1, offset + k * stride(level + 1)));
    return `[${items.join(format === "json" ? "," : level === 0 ? ",\n " : ", ")}]`;
  };
  if (format !== "latex") return brackets(0, 0);
  const latex = (level: number, offset: number): string => {
    const left = t.dims.length - level;
    if (left === 0) return n(t.data[offset]!);
    const rows = t.dims[level]!;
    const cols = left === 1 || left % 2 === 1 ? 1 : t.dims[level + 1]!;
    const inner = level + (cols === 1 && left % 2 === 1 ? 1 : 2);
    const cell = (r: number, c: number): string => latex(inner, offset + (r * cols + c) * stride(inner));
    const lines = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => cell(r, c)).join(" & "));
    return `\\begin{bmatrix} ${lines.join(" \\\\ ")} \\end{bmatrix}`;
  };
  return latex(0, 0);
}
