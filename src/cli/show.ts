/** Printing expressions for the CLI: text (one matrix row a line), LaTeX, or JSON. */
import type { Expr } from "../core/expr.js";
import { toLatex } from "../print/latex.js";
import { toText } from "../print/text.js";
import { exprText } from "../print/text-lines.js";
import type { Format } from "./common.js";

export function showExpr(e: Expr, format: Format): string {
  if (format === "latex") return toLatex(e);
  if (format === "json") return JSON.stringify({ text: toText(e), latex: toLatex(e) });
  return exprText(e);
}
