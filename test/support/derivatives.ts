/**
 * Derivatives as numbers: the value of a derivative result (its matrix form, or its
 * index form entry by entry) and the value finite differences expect for the same
 * derivative kind, judged by the smoothness rule of fd.ts.
 */
import type { DerivativeResult, DerivativeSpec } from "../../src/calculus/derive.js";
import type { Expr, Index } from "../../src/core/expr.js";
import { type Program, subjectOf } from "../../src/core/program.js";
import type { Shape, Size } from "../../src/core/shape.js";
import { bindProgram } from "../../src/eval/bind.js";
import { evaluate, evaluateAt, type Bindings, type Env } from "../../src/eval/evaluate.js";
import { tensorValue } from "../../src/eval/tensor.js";
import type { Value } from "../../src/eval/value.js";
import { toText } from "../../src/print/text.js";
import { HESSIAN_JUDGE, hessianDifferences, judgeAll, jvpOf, programDifferences, vjpOf, type JudgeOptions, type Verdict } from "./fd.js";

const sizeOf = (s: Size, env: Env): number => (typeof s === "number" ? s : env.sizes.get(s)!);

/**
 * An index-form result's value: every entry by `evaluateAt` at its index values
 * (row-major). The result's shape says which dimension a single free index runs over
 * (a 1×n result has only a column index).
 */
export function indexFormValue(index: Expr, out: readonly Index[], sizes: ReadonlyMap<Index, Size>, env: Env, shape: Shape): Value {
  const rowIndex = shape.rows === 1 ? undefined : out[0];
  const colIndex = shape.cols === 1 ? undefined : out[shape.rows === 1 ? 0 : 1];
  const rows = rowIndex === undefined ? 1 : sizeOf(sizes.get(rowIndex)!, env);
  const cols = colIndex === undefined ? 1 : sizeOf(sizes.get(colIndex)!, env);
  const data = new Float64Array(rows * cols);
  for (let p = 0; p < rows; p++)
    for (let q = 0; q < cols; q++) {
      const at = new Map<Index, number>();
      if (rowIndex !== undefined) at.set(rowIndex, p + 1);
      if (colIndex !== undefined) at.set(colIndex, q + 1);
      data[p * cols + q] = evaluateAt(index, env, at);
    }
  return { rows, cols, data };
}

/**
 * The value of a derivative result: its matrix form when it has one, else its index form
 * (a result with more than two indices by the product's own tensor evaluator, row-major
 * over its free indices, the value's first: data only, rows 1 × cols = entries).
 */
export function resultValue(r: DerivativeResult, env: Env): { value: Value; form: "matrix" | "index" } {
  if (r.matrix) return { value: evaluate(r.matrix, env), form: "matrix" };
  if (r.dims) {
    const t = tensorValue(r.index, r.indices, r.dims, env);
    return { value: { rows: 1, cols: t.data.length, data: t.data }, form: "index" };
  }
  return { value: indexFormValue(r.index, r.indices, r.sizes, env, r.shape), form: "index" };
}

export interface Expected {
  readonly coarse: Float64Array;
  readonly fine: Float64Array;
  readonly judge: JudgeOptions;
}

const absSum = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += Math.abs(v[k]!);
  return s;
};

/** What finite differences say the derivative `spec` of the program's subject is, row-major. */
export function expectedByFd(program: Program, spec: DerivativeSpec, bindings: Bindings, f: Expr = subjectOf(program)): Expected {
  if (spec.kind === "hessian") {
    const h = hessianDifferences(program, f, spec.wrt, bindings);
    return { coarse: h.coarse, fine: h.fine, judge: { ...HESSIAN_JUDGE, magnitude: h.magnitude } };
  }
  const t = programDifferences(program, f, spec.wrt, bindings);
  switch (spec.kind) {
    case "diff":
    case "grad":
    case "jacobian":
      return { coarse: t.coarse, fine: t.fine, judge: { magnitude: t.magnitude } };
    case "jvp": {
      const v = bindings.get(spec.tangent!)!.value.data;
      return { coarse: jvpOf(t.coarse, t.rows, t.cols, v), fine: jvpOf(t.fine, t.rows, t.cols, v), judge: { magnitude: t.magnitude * Math.max(1, absSum(v)) } };
    }
    case "vjp": {
      const g = bindings.get(spec.cotangent!)!.value.data;
      return { coarse: vjpOf(t.coarse, t.rows, t.cols, g), fine: vjpOf(t.fine, t.rows, t.cols, g), judge: { magnitude: t.magnitude * Math.max(1, absSum(g)) } };
    }
  }
}

/** Judges a computed derivative value against finite differences. */
export function judgeValue(actual: Value, expected: Expected, requireAll = false): Verdict & { readonly index?: number } {
  return judgeAll(actual.data, expected.coarse, expected.fine, { ...expected.judge, requireAll });
}

/** A readable description of a failed comparison. */
export function describeFailure(what: string, r: DerivativeResult | undefined, actual: Value, expected: Expected, bindings: Bindings): string {
  const form = r ? (r.matrix ? `matrix form ${toText(r.matrix)}` : `index form ${toText(r.index)}`) : "";
  const values = [...bindings].map(([k, b]) => `${k}=${JSON.stringify(Array.from(b.value.data))}`).join(" ");
  return `${what} ${form}\n  computed ${JSON.stringify(Array.from(actual.data))}\n  finite differences ${JSON.stringify(Array.from(expected.fine))}\n  at ${values}`;
}

/** The environment (definitions evaluated) for bindings. */
export const envOf = (program: Program, bindings: Bindings): Env => bindProgram(program, bindings);
