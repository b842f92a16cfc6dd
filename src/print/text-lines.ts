/** The text printer's form for terminals and notebooks: a matrix literal one row a line. */
import type { Expr } from "../core/expr.js";
import { checkOutput } from "../core/limits.js";
import { textPrinter, toText } from "./text.js";

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
