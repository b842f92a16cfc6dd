/** Restoring a node's shape after polynomial arithmetic dropped the broadcast context. */
import { mul, num } from "../../core/build.js";
import type { Expr } from "../../core/expr.js";
import type { Shape } from "../../core/shape.js";

/**
 * `e` with shape `s`: a polynomial result can lose a shaped factor (`x - x + y` with
 * vector x is the scalar y), but the value keeps its shape: y broadcast to s.
 */
export function withShape(e: Expr, s: Shape): Expr {
  if (e.shape === s) return e;
  if (e.kind === "num") return num(e.value, s);
  return mul(e, num(1, s));
}

/** Node kinds the polynomial conversions take apart (everything else is an atom). */
export const isStructural = (e: Expr): boolean => e.kind === "num" || e.kind === "add" || e.kind === "mul" || e.kind === "pow";
