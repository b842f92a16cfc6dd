/**
 * Evaluation's front door: an expression at given values (matrix level), a scalar
 * index-level expression at given index values, and a whole program at `--at` values.
 * Results may share storage with the given values (`x'` is x's data): treat them as read-only.
 */
import { JacobiError } from "../core/errors.js";
import type { Expr, Index } from "../core/expr.js";
import { checkDepth } from "../core/limits.js";
import { type Program, subjectOf } from "../core/program.js";
import { bindWithEvaluator, type BindOptions, type Bindings } from "./bind.js";
import { Evaluator, unboundIndices, type Env } from "./evaluator.js";
import type { Value } from "./value.js";

export type { Env } from "./evaluator.js";
export type { Binding, Bindings } from "./bind.js";

/** The value of an expression without free indices. */
export function evaluate(e: Expr, env: Env): Value {
  checkDepth(e.depth);
  const free = unboundIndices(e);
  if (free.length > 0) throw new JacobiError("name", `the expression has free indices (${free.join(", ")}); use evaluateAt`);
  return new Evaluator(env).value(e, new Map());
}

/** The number a scalar index-level expression stands for at the given (1-based) index values. */
export function evaluateAt(e: Expr, env: Env, indexValues: ReadonlyMap<Index, number>): number {
  checkDepth(e.depth);
  for (const i of unboundIndices(e)) if (!indexValues.has(i)) throw new JacobiError("name", `index '${i}' has no value`);
  return new Evaluator(env).scalar(e, new Map(indexValues));
}

/** Binds the values to the program and evaluates its subject. */
export function evaluateProgram(program: Program, bindings: Bindings, options: BindOptions = {}): Value {
  const subject = subjectOf(program);
  const { evaluator } = bindWithEvaluator(program, bindings, options);
  checkDepth(subject.depth);
  return evaluator.value(subject, new Map());
}
