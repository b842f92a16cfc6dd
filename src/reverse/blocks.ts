/**
 * The Hessian by several names, block by block: the block of x and y is
 *   ∂²f/∂x∂y = ∂(∇ₓf)/∂y,
 * the Jacobian by y of the gradient by x (rows along x, columns along y). The diagonal
 * blocks are the Hessians by each name; the cross blocks complete the block matrix.
 */
import type { DerivativeResult, DerivativeSpec } from "../calculus/derive.js";
import { JacobiError } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";

export interface HessianBlock {
  readonly row: string;
  readonly col: string;
  readonly result: DerivativeResult;
}

type Derive = (program: Program, f: Expr, spec: DerivativeSpec) => DerivativeResult;

/** Every block of the Hessian of f by the names, row by row. */
export function hessianBlocks(program: Program, f: Expr, names: readonly string[], derive: Derive): HessianBlock[] {
  const blocks: HessianBlock[] = [];
  for (const row of names) {
    const gradient = names.length > 1 ? derive(program, f, { kind: "grad", wrt: row }).matrix : undefined;
    for (const col of names) {
      if (row === col) {
        blocks.push({ row, col, result: derive(program, f, { kind: "hessian", wrt: row }) });
        continue;
      }
      if (!gradient) throw new JacobiError("unsupported", `the gradient by ${row} has no matrix form, so the block ${row},${col} of the Hessian has none either`);
      blocks.push({ row, col, result: derive(program, gradient, { kind: "jacobian", wrt: col }) });
    }
  }
  return blocks;
}
