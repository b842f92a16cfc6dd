/**
 * Numeric values: what `--at NAME=VALUE` gives and what evaluation returns.
 * Row-major Float64Array data; a scalar is 1×1, a vector is n×1 (a column).
 *
 * Value text: a number (`0.7`, `-3`, `1e-3`, `.5`), a flat list `[0.2, -0.3]`
 * (a column vector) or rows `[[1, 0.2], [-1, 3]]` (a matrix). The parser is a loop
 * over at most two bracket levels: no recursion, whatever the input.
 */
import { JacobiError, type Source, type Span } from "../core/errors.js";
import { checkOutput } from "../core/limits.js";

export interface Value {
  readonly rows: number;
  readonly cols: number;
  /** Row-major entries: entry (r, c) (0-based) is `data[r * cols + c]`. */
  readonly data: Float64Array;
}

export const scalarValue = (x: number): Value => ({ rows: 1, cols: 1, data: Float64Array.of(x) });

export const columnValue = (xs: readonly number[]): Value => ({ rows: xs.length, cols: 1, data: Float64Array.from(xs) });

/** A matrix from rows (they must all have the same length). */
export function matrixValue(rows: readonly (readonly number[])[]): Value {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new RangeError(`row ${r + 1} has ${row.length} entries, not ${cols}`);
    data.set(row, r * cols);
  });
  return { rows: rows.length, cols, data };
}

/** How a value is called in messages: `a number`, `a list of 3 numbers`, `a 2×3 matrix`. */
export function describeValue(v: Value): string {
  if (v.rows === 1 && v.cols === 1) return "a number";
  if (v.cols === 1) return `a list of ${v.rows} numbers`;
  return `a ${v.rows}×${v.cols} matrix`;
}

// ---------------------------------------------------------------------------
// Parsing

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A number as the program's lexer reads it, with an optional sign. */
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
/** The characters that end a number or a word. */
const DELIMITER = /[\s,[\]]/;

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";

/** Parses `--at` value text; every error is a positioned JacobiError("value"). */
export function parseValue(text: string, source: Source): Value {
  return parseValueIn(source.text === text ? source : { ...source, text }, 0);
}

/** Parses the value that runs from `start` to the end of `source.text`; spans point into the whole text. */
function parseValueIn(source: Source, start: number): Value {
  const text = source.text;
  const end = text.length;
  const fail = (message: string, from: number, to = from + 1): never => {
    throw new JacobiError("value", message, { start: from, end: Math.max(to, from + 1) }, source);
  };
  let pos = start;
  const skipSpace = (): void => {
    while (pos < end && isSpace(text[pos])) pos++;
  };
  /** The word at `at` (up to the next delimiter), for messages. */
  const wordAt = (at: number): Span => {
    let k = at;
    while (k < end && !DELIMITER.test(text[k]!)) k++;
    return { start: at, end: Math.max(k, at + 1) };
  };
  const describeAt = (at: number): string => {
    if (at >= end) return "the end of the value";
    const w = wordAt(at);
    return `'${DELIMITER.test(text[at]!) ? text[at] : text.slice(w.start, w.end)}'`;
  };
  const readNumber = (): number => {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    const word = wordAt(pos);
    if (!m) return fail(`expected a number, not ${describeAt(pos)}`, word.start, word.end);
    const stop = pos + m[0].length;
    if (stop < end && !DELIMITER.test(text[stop]!)) return fail(`malformed number '${text.slice(word.start, word.end)}'`, word.start, word.end);
    const x = Number(m[0]);
    if (!Number.isFinite(x)) return fail(`number ${m[0]} is out of range`, pos, stop);
    pos = stop;
    return x;
  };
  /** After an item: `,` (more follow) or `]` (the list ends, consumed). Returns true at `]`. */
  const afterItem = (open: number): boolean => {
    skipSpace();
    if (pos >= end) return fail("'[' is never closed", open);
    if (text[pos] === "]") {
      pos++;
      return true;
    }
    if (text[pos] !== ",") return fail(`expected ',' or ']', not ${describeAt(pos)}`, pos, wordAt(pos).end);
    pos++;
    skipSpace();
    return false;
  };
  /** A bracketed list of numbers starting at `[`; `inMatrix` when it is a row. */
  const readNumbers = (open: number, inMatrix: boolean, into: number[]): void => {
    pos = open + 1;
    skipSpace();
    if (text[pos] === "]") return fail(inMatrix ? "empty row" : "empty list", open, pos + 1);
    for (;;) {
      if (text[pos] === "[")
        return fail(inMatrix ? "nesting deeper than a matrix: a row holds numbers" : "a list cannot mix numbers and rows", pos);
      into.push(readNumber());
      if (afterItem(open)) return;
    }
  };

  skipSpace();
  if (pos >= end) return fail("empty value; give a number like 0.5, a list like [1, 2] or rows like [[1, 2], [3, 4]]", start);
  let result: Value;
  if (text[pos] !== "[") {
    result = scalarValue(readNumber());
  } else {
    const open = pos;
    pos++;
    skipSpace();
    if (text[pos] === "[") {
      // Rows of a matrix.
      const data: number[] = [];
      let width = -1;
      let rows = 0;
      for (;;) {
        if (text[pos] !== "[") {
          if (pos < end && text[pos] !== "]" && text[pos] !== ",") return fail("a list cannot mix rows and numbers", pos, wordAt(pos).end);
          return fail(`expected '[' to start row ${rows + 1}, not ${describeAt(pos)}`, pos);
        }
        const rowStart = pos;
        const before = data.length;
        readNumbers(rowStart, true, data);
        rows++;
        const count = data.length - before;
        if (width < 0) width = count;
        else if (count !== width)
          return fail(`row ${rows} has ${count} ${count === 1 ? "entry" : "entries"} but row 1 has ${width}`, rowStart, pos);
        if (afterItem(open)) break;
      }
      result = { rows, cols: width, data: Float64Array.from(data) };
    } else {
      const data: number[] = [];
      readNumbers(open, false, data);
      result = columnValue(data);
    }
  }
  skipSpace();
  if (pos < end) {
    const w = wordAt(pos);
    fail(`unexpected ${describeAt(pos)} after the value`, w.start, w.end);
  }
  return result;
}

/** `NAME=VALUE` from `--at`; errors point into the whole argument (label `--at`). */
export function parseBinding(arg: string): { name: string; value: Value } {
  const source: Source = { label: "--at", text: arg };
  const eq = arg.indexOf("=");
  if (eq < 0) throw new JacobiError("value", "expected NAME=VALUE, like x=[0.1, 0.2]", { start: 0, end: Math.max(arg.length, 1) }, source);
  let from = 0;
  let to = eq;
  while (from < to && isSpace(arg[from])) from++;
  while (to > from && isSpace(arg[to - 1])) to--;
  if (from === to) throw new JacobiError("value", "expected a name before '='", { start: eq, end: eq + 1 }, source);
  const name = arg.slice(from, to);
  if (!NAME.test(name))
    throw new JacobiError("value", `'${name}' is not a name; a name is letters, digits and _, starting with a letter or _`, { start: from, end: to }, source);
  return { name, value: parseValueIn(source, eq + 1) };
}

// ---------------------------------------------------------------------------
// Printing

/** A number rounded to `precision` significant digits, in its shortest form. */
function formatNumber(x: number, precision: number, json: boolean): string {
  if (!Number.isFinite(x)) return json ? "null" : String(x);
  const rounded = Number(x.toPrecision(precision));
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * One value as text or as one JSON value: a number for a scalar, a flat list for a
 * column vector, row lists otherwise (row-major).
 */
export function formatValue(v: Value, format: "text" | "json", precision = 15): string {
  if (!Number.isInteger(precision) || precision < 1 || precision > 100)
    throw new JacobiError("usage", `precision must be a whole number from 1 to 100, not ${precision}`);
  const json = format === "json";
  const n = (x: number): string => formatNumber(x, precision, json);
  const sep = json ? "," : ", ";
  if (v.rows === 1 && v.cols === 1) return n(v.data[0]!);
  // every entry takes a digit and a separator at least: a value that cannot fit is refused before any is written
  checkOutput(2 * v.data.length);
  let length = 0;
  if (v.cols === 1) {
    const items: string[] = [];
    for (let r = 0; r < v.rows; r++) {
      items.push(n(v.data[r]!));
      checkOutput((length += items[r]!.length + sep.length));
    }
    return `[${items.join(sep)}]`;
  }
  const rows: string[] = [];
  for (let r = 0; r < v.rows; r++) {
    const items: string[] = [];
    for (let c = 0; c < v.cols; c++) items.push(n(v.data[r * v.cols + c]!));
    rows.push(`[${items.join(sep)}]`);
    checkOutput((length += rows[r]!.length + 3));
  }
  return `[${rows.join(json ? "," : ",\n ")}]`;
}

/**
 * JSON has no Infinity or NaN: they are printed as null. This says so (how many entries,
 * and which non-finite numbers they were), or undefined when every entry is finite.
 */
export function jsonNullNote(v: Value): string | undefined {
  const seen = new Set<string>();
  let count = 0;
  for (const x of v.data)
    if (!Number.isFinite(x)) {
      count++;
      seen.add(String(x));
    }
  if (count === 0) return undefined;
  return `note: JSON has no ${[...seen].sort().join(" or ")}: ${count === 1 ? "1 entry is" : `${count} entries are`} printed as null`;
}
