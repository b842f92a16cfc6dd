/**
 * Diagonal terms of square maps: diag(v) and eye(n) appear in element expressions as
 * δ(r, c) factors. Rather than a test per entry, the map writes the terms off the
 * diagonal, then adds the δ terms along the diagonal in a loop of its own.
 */
import { renameIx, type ElFactory } from "./elements.js";
import type { El } from "./ir.js";

/**
 * Splits a square map's body into the part off the diagonal and the part on it:
 * diag(s) - s*s' is written as -s[r]*s[c] everywhere, then s[r] added on the diagonal.
 */
export function splitDiagonal(f: ElFactory, body: El): { main: El; diag: El | undefined } {
  const terms = body.k === "add" ? body.terms : [body];
  const main: El[] = [];
  const diag: El[] = [];
  for (const t of terms) {
    const factors = t.k === "mul" ? t.factors : [t];
    const d = factors.findIndex((x) => x.k === "delta");
    if (d < 0) main.push(t);
    else diag.push(renameCol(f, f.mul(factors.filter((_, k) => k !== d))));
  }
  if (diag.length === 0) return { main: body, diag: undefined };
  return { main: f.add(main), diag: f.add(diag) };
}

/** On the diagonal the column index is the row index (and δ(r,c) is 1). */
const renameCol = (f: ElFactory, e: El): El => (e.deps < 2 ? e : renameIx(f, e, "c", "r"));

