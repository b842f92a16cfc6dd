/**
 * The size of a written form: how many operators and function calls a person reads.
 * The one measure of "smaller" for simplification — the simplify corpus
 * (test/simplify/corpus.test.ts) compares jacobi's printed result with a textbook's
 * expected form by it, and `simplify` keeps a rewrite of the whole only when it is no
 * larger by it. Counted on the text, so a hand-written expected form and jacobi's
 * printed result are measured alike:
 *   operators   + - * / ^ .* ./ .^ and ' (transpose), binary or unary, each once;
 *   calls       a name followed by `(`: sin(x), sqrt(u), sum(x) count one each.
 * Numbers, names, brackets and commas count nothing: `x^2*(y + 2)` is 3, `-1/(2*y)` is 3.
 */
import type { Expr } from "../core/expr.js";
import { toText } from "./text.js";

/** `.*`, `./`, `.^` first (two characters), then the one-character operators; a name directly before `(` is a call. */
const TOKEN = /\.[*/^]|[-+*/^']|[A-Za-z_][A-Za-z_0-9]*\s*\(|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?/g;

/** Operators and function calls in a text of the language (`x^2*(y + 2)` is 3). */
export function operationCount(text: string): number {
  let count = 0;
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0];
    // a number (with its exponent's sign inside the token) counts nothing
    if (/^[\d.]/.test(t) && t !== ".*" && t !== "./" && t !== ".^") continue;
    count++;
  }
  return count;
}

const sizes = new WeakMap<Expr, number>();

/** The size of an expression as printed: operators and function calls in `toText(e)` (nodes are interned, so it is kept per node). */
export function formSize(e: Expr): number {
  let n = sizes.get(e);
  if (n === undefined) sizes.set(e, (n = operationCount(toText(e))));
  return n;
}
