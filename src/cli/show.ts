/** Printing expressions for the CLI: text (one matrix row a line), LaTeX, or JSON. */
import type { Expr } from "../core/expr.js";
import { checkOutput } from "../core/limits.js";
import { toLatex } from "../print/latex.js";
import { textPrinter, toText } from "../print/text.js";
import type { Format } from "./common.js";

/** Text, with a matrix literal's rows on lines of their own (it still parses back). */
export function exprText(e: Expr): string {
  if (e.kind !== "matrix" || typeof e.shape.rows !== "number" || typeof e.shape.cols !== "number" || e.shape.cols === 1) return toText(e);
  const cols = e.shape.cols;
  const rows: string[] = [];
  const print = textPrinter();
  let length = 0;
  for (let r = 0; r < e.shape.rows; r++) {
    const row = `[${e.items.slice(r * cols, (r + 1) * cols).map(print).join(", ")}]`;
    checkOutput((length += row.length + 3));
    rows.push(row);
  }
  return `[${rows.join(",\n ")}]`;
}

export function showExpr(e: Expr, format: Format): string {
  if (format === "latex") return toLatex(e);
  if (format === "json") return JSON.stringify({ text: toText(e), latex: toLatex(e) });
  return exprText(e);
}
