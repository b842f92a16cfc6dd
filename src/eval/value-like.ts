/** Values given to the library as JavaScript numbers and arrays, checked. */
import { JacobiError } from "../core/errors.js";
import type { Value } from "./value.js";

/** What a loose input is, in a message: `the string "12"`, `null`, `an object`. */
const describeLoose = (v: unknown): string =>
  typeof v === "string" ? `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}` : v === null || v === undefined ? `${v}` : Array.isArray(v) ? "an array" : `a ${typeof v}`;

/** The numbers of a flat list, each checked (no coercion of "12", [2] or null). */
function numbersOf(name: string, xs: ArrayLike<unknown>, into: Float64Array, at: number, where: (k: number) => string): void {
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k];
    if (typeof x !== "number") throw new JacobiError("value", `${name}: ${where(k)} is ${describeLoose(x)}, not a number`);
    into[at + k] = x;
  }
}

/**
 * A library caller's value (`evaluate(p, { x: [1, 2] })`): a number, a flat list of numbers
 * (a column) or a list of rows, each entry checked; "12", [1, [2]], [] and null are refused
 * with the input's name rather than coerced.
 */
export function valueOfLike(name: string, v: unknown): Value {
  if (typeof v === "number") return { rows: 1, cols: 1, data: Float64Array.of(v) };
  const list = v;
  if (typeof list !== "object" || list === null || typeof (list as ArrayLike<unknown>).length !== "number")
    throw new JacobiError("value", `${name}: expected a number, an array of numbers or an array of rows, not ${describeLoose(list)}`);
  const items = list as ArrayLike<unknown>;
  if (items.length === 0) throw new JacobiError("value", `${name}: an empty array has no entries (every size is at least 1)`);
  const first = items[0];
  if (typeof first === "object" && first !== null) {
    const rows = items as readonly ArrayLike<number>[];
    const cols = rows[0]!.length;
    if (typeof cols !== "number" || cols === 0) throw new JacobiError("value", `${name}: row 1 is ${cols === 0 ? "empty" : describeLoose(first)}`);
    const data = new Float64Array(rows.length * cols);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as unknown;
      if (typeof row !== "object" || row === null || typeof (row as ArrayLike<unknown>).length !== "number")
        throw new JacobiError("value", `${name}: row ${r + 1} is ${describeLoose(row)}, not a list of numbers`);
      const entries = row as ArrayLike<unknown>;
      if (entries.length !== cols) throw new JacobiError("value", `${name}: row ${r + 1} has ${entries.length} entries but row 1 has ${cols}`);
      numbersOf(name, entries, data, r * cols, (c) => `entry [${r + 1}, ${c + 1}]`);
    }
    return { rows: rows.length, cols, data };
  }
  const data = new Float64Array(items.length);
  numbersOf(name, items, data, 0, (k) => `entry ${k + 1}`);
  return { rows: items.length, cols: 1, data };
}
