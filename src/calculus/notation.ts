/**
 * How a result with more than two indices is written: index notation with its indices
 * named on the left,
 *   ∂f[i,j]/∂X[a,b] = A[i,a]*delta(b,j)            (text)
 *   \frac{\partial f_{i j}}{\partial X_{a b}} = …   (LaTeX)
 *   ∂²f/∂X[a,b]∂X[c,d] = …                         (a Hessian)
 * The left side names the layout: the value's indices, then the variable's (the nested
 * order of `--format json` values, J[i][j][a][b]).
 */
import * as B from "../core/build.js";
import type { Index } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { toLatex } from "../print/latex.js";
import { toText } from "../print/text.js";
import type { DerivativeResult } from "./result.js";

export interface Notation {
  /** The left side, `∂f[i,j]/∂X[a,b]`. */
  readonly lhs: string;
  /** The whole equation. */
  readonly equation: string;
}

const indexed = (name: string, at: readonly Index[]): string => (at.length === 0 ? name : `${name}[${at.join(",")}]`);
const indexedLatex = (name: string, at: readonly Index[]): string => toLatex(at.length === 0 ? B.sym(name) : B.entry(name, at));

/** The result in index notation, its indices named on the left (text or LaTeX). */
export function indexNotation(program: Program, r: DerivativeResult, format: "text" | "latex"): Notation {
  const f = program.subjectName ?? "f";
  const x = r.spec.wrt;
  const { value, variable, second } = r.roles;
  const hessian = r.spec.kind === "hessian";
  let lhs: string;
  if (format === "text") lhs = hessian ? `∂²${f}/∂${indexed(x, variable)}∂${indexed(x, second)}` : `∂${indexed(f, value)}/∂${indexed(x, variable)}`;
  else
    lhs = hessian
      ? `\\frac{\\partial^{2} ${indexedLatex(f, [])}}{\\partial ${indexedLatex(x, variable)} \\, \\partial ${indexedLatex(x, second)}}`
      : `\\frac{\\partial ${indexedLatex(f, value)}}{\\partial ${indexedLatex(x, variable)}}`;
  const rhs = format === "text" ? toText(r.index) : toLatex(r.index);
  return { lhs, equation: `${lhs} = ${rhs}` };
}
