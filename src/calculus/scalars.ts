/**
 * Derivatives by a list of scalars, taken together as one variable vector — SymPy's
 * `Matrix.jacobian(f, [x, y])` and `hessian(f, [x, y])`: the gradient of a scalar by
 * [x, y] is the column of its partials, the Jacobian of [f1, f2] by [x, y] the matrix of
 * ∂f_i/∂x_j, the Hessian the matrix of second partials. Written entry by entry.
 */
import type { DerivativeKind } from "../core/derivative-kinds.js";
import { JacobiError } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { describeShape, SCALAR } from "../core/shape.js";
import { Differentiator, symTarget } from "../diff/derivative.js";
import { simplifier } from "../simplify/simplify.js";
import { shapeOfName } from "./derive.js";
import { expandEntries, type Entries } from "./elementwise.js";

/** The derivatives taken by a list of scalars as one variable vector. */
export type ListKind = Extract<DerivativeKind, "grad" | "jacobian" | "hessian">;

/** Are these names all scalars of the program (declared or not)? */
export const allScalars = (program: Program, names: readonly string[]): boolean =>
  names.every((n) => !program.defs.has(n) && (program.decls.get(n)?.shape ?? SCALAR) === SCALAR);

export function deriveByScalars(program: Program, f: Expr, kind: ListKind, names: readonly string[]): Entries {
  for (const n of names) if (shapeOfName(program, n, "the variable") !== SCALAR) throw new JacobiError("shape", `a list of variables must be scalars; ${n} is ${describeShape(shapeOfName(program, n, "the variable"))}`);
  const value = expandEntries(program, f);
  const by = names.map((n) => new Differentiator(symTarget(n)));
  const simplify = simplifier({ expected: value.items.length * names.length * (kind === "hessian" ? names.length : 1) });
  const k = names.length;
  switch (kind) {
    case "grad": {
      if (f.shape !== SCALAR) throw new JacobiError("shape", `grad needs a scalar value, not ${describeShape(f.shape)}; use jacobian`);
      // ∇f = [∂f/∂x1, …, ∂f/∂xk]
      return { rows: k, cols: 1, items: by.map((d) => simplify(d.of(value.items[0]!))) };
    }
    case "jacobian": {
      if (f.shape.cols !== 1) throw new JacobiError("shape", `jacobian is for vectors and scalars, not ${describeShape(f.shape)}`);
      // J[i][j] = ∂f_i/∂x_j
      return { rows: value.rows, cols: k, items: value.items.flatMap((u) => by.map((d) => simplify(d.of(u)))) };
    }
    case "hessian": {
      if (f.shape !== SCALAR) throw new JacobiError("shape", `hessian needs a scalar value, not ${describeShape(f.shape)}`);
      // H[i][j] = ∂²f/∂x_i∂x_j
      const first = by.map((d) => d.of(value.items[0]!));
      return { rows: k, cols: k, items: first.flatMap((g) => by.map((d) => simplify(d.of(g)))) };
    }
  }
}
