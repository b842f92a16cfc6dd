/**
 * Predicates for inputs that hit known bugs, so that property tests can leave them out
 * (each bug has its own failing test that names it; remove the exclusion when fixed).
 */
import { children, type Expr } from "../../src/core/expr.js";
import { SCALAR } from "../../src/core/shape.js";

/** Does a subexpression work at matrix level (a non-scalar shape, or sum/matmul/diag/transpose/eye)? */
function matrixLevel(e: Expr): boolean {
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    if (u.shape !== SCALAR || ["sum", "matmul", "diag", "transpose", "eye"].includes(u.kind)) return true;
    for (const c of children(u)) stack.push(c);
  }
  return false;
}

/**
 * Does a matrix literal hold an entry computed at matrix level ([sum(x), 1], [x'*y, a])?
 * KNOWN BUG (literal entries): such programs cannot be differentiated — `derive` throws
 * "internal: matrix-level expressions are lowered to index form before differentiating"
 * (see test/calculus/literals.test.ts), so the property leaves them out until it is fixed.
 */
export function literalOfMatrixValues(f: Expr): boolean {
  const seen = new Set<Expr>();
  const stack = [f];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    if (u.kind === "matrix" && u.items.some(matrixLevel)) return true;
    for (const c of children(u)) stack.push(c);
  }
  return false;
}

/** Does the expression hold a matrix literal? */
export function hasLiteral(f: Expr): boolean {
  const seen = new Set<Expr>();
  const stack = [f];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    if (u.kind === "matrix") return true;
    for (const c of children(u)) stack.push(c);
  }
  return false;
}

/** Is a shape a row vector (1×k, k ≠ 1)? KNOWN BUG (row vectors): see test/calculus/row-values.test.ts. */
export const isRow = (s: { readonly rows: unknown; readonly cols: unknown }): boolean => s.rows === 1 && s.cols !== 1;
