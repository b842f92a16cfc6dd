/**
 * Numeric values: what `--at NAME=VALUE` gives and what evaluation returns.
 * Row-major Float64Array data; a scalar is 1×1, a vector is n×1 (a column).
 *
 * Value text: a number (`0.7`, `-3`, `1e-3`, `.5`), a flat list `[0.2, -0.3]`
 * (a column vector) or rows `[[1, 0.2], [-1, 3]]` (a matrix). The parser is a loop
 * over at most two bracket levels: no recursion, whatever the input.
 */
import { JacobiError, type Source, type Span } from "../core/errors.js";

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
  const r = new ValueReader(source, start);
  r.skipSpace();
  if (r.pos >= r.end) return r.fail("empty value; give a number like 0.5, a list like [1, 2] or rows like [[1, 2], [3, 4]]", start);
  let result: Value;
  if (r.text[r.pos] !== "[") {
    result = scalarValue(r.readNumber());
  } else {
    const open = r.pos;
    r.pos++;
    r.skipSpace();
    if (r.text[r.pos] === "[") result = r.readRows(open);
    else {
      const data: number[] = [];
      r.readNumbers(open, false, data);
      result = columnValue(data);
    }
  }
  r.skipSpace();
  if (r.pos < r.end) {
    const w = r.wordAt(r.pos);
    r.fail(`unexpected ${r.describeAt(r.pos)} after the value`, w.start, w.end);
  }
  return result;
}

/** A cursor over value text: numbers, lists and rows, with positioned errors. */
class ValueReader {
  readonly text: string;
  readonly end: number;
  pos: number;

  constructor(
    private readonly source: Source,
    start: number,
  ) {
    this.text = source.text;
    this.end = this.text.length;
    this.pos = start;
  }

  fail(message: string, from: number, to = from + 1): never {
    throw new JacobiError("value", message, { start: from, end: Math.max(to, from + 1) }, this.source);
  }

  skipSpace(): void {
    while (this.pos < this.end && isSpace(this.text[this.pos])) this.pos++;
  }

  /** The word at `at` (up to the next delimiter), for messages. */
  wordAt(at: number): Span {
    let k = at;
    while (k < this.end && !DELIMITER.test(this.text[k]!)) k++;
    return { start: at, end: Math.max(k, at + 1) };
  }

  describeAt(at: number): string {
    if (at >= this.end) return "the end of the value";
    const w = this.wordAt(at);
    return `'${DELIMITER.test(this.text[at]!) ? this.text[at] : this.text.slice(w.start, w.end)}'`;
  }

  readNumber(): number {
    const { text, end, pos } = this;
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    const word = this.wordAt(pos);
    if (!m) return this.fail(`expected a number, not ${this.describeAt(pos)}`, word.start, word.end);
    const stop = pos + m[0].length;
    if (stop < end && !DELIMITER.test(text[stop]!)) return this.fail(`malformed number '${text.slice(word.start, word.end)}'`, word.start, word.end);
    const x = Number(m[0]);
    if (!Number.isFinite(x)) return this.fail(`number ${m[0]} is out of range`, pos, stop);
    this.pos = stop;
    return x;
  }

  /** After an item: `,` (more follow) or `]` (the list ends, consumed). Returns true at `]`. */
  afterItem(open: number): boolean {
    this.skipSpace();
    if (this.pos >= this.end) return this.fail("'[' is never closed", open);
    if (this.text[this.pos] === "]") {
      this.pos++;
      return true;
    }
    if (this.text[this.pos] !== ",") return this.fail(`expected ',' or ']', not ${this.describeAt(this.pos)}`, this.pos, this.wordAt(this.pos).end);
    this.pos++;
    this.skipSpace();
    return false;
  }

  /** A bracketed list of numbers starting at `[`; `inMatrix` when it is a row. */
  readNumbers(open: number, inMatrix: boolean, into: number[]): void {
    this.pos = open + 1;
    this.skipSpace();
    if (this.text[this.pos] === "]") return this.fail(inMatrix ? "empty row" : "empty list", open, this.pos + 1);
    for (;;) {
      if (this.text[this.pos] === "[")
        return this.fail(inMatrix ? "nesting deeper than a matrix: a row holds numbers" : "a list cannot mix numbers and rows", this.pos);
      into.push(this.readNumber());
      if (this.afterItem(open)) return;
    }
  }

  /** Rows of a matrix, inside the `[` at `open` (the cursor is at the first row's `[`). */
  readRows(open: number): Value {
    const data: number[] = [];
    let width = -1;
    let rows = 0;
    for (;;) {
      if (this.text[this.pos] !== "[") {
        if (this.pos < this.end && this.text[this.pos] !== "]" && this.text[this.pos] !== ",") return this.fail("a list cannot mix rows and numbers", this.pos, this.wordAt(this.pos).end);
        return this.fail(`expected '[' to start row ${rows + 1}, not ${this.describeAt(this.pos)}`, this.pos);
      }
      const rowStart = this.pos;
      const before = data.length;
      this.readNumbers(rowStart, true, data);
      rows++;
      const count = data.length - before;
      if (width < 0) width = count;
      else if (count !== width) return this.fail(`row ${rows} has ${count} ${count === 1 ? "entry" : "entries"} but row 1 has ${width}`, rowStart, this.pos);
      if (this.afterItem(open)) break;
    }
    return { rows, cols: width, data: Float64Array.from(data) };
  }
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
  if (v.cols === 1) {
    const items: string[] = [];
    for (let r = 0; r < v.rows; r++) items.push(n(v.data[r]!));
    return `[${items.join(sep)}]`;
  }
  const rows: string[] = [];
  for (let r = 0; r < v.rows; r++) {
    const items: string[] = [];
    for (let c = 0; c < v.cols; c++) items.push(n(v.data[r * v.cols + c]!));
    rows.push(`[${items.join(sep)}]`);
  }
  return `[${rows.join(json ? "," : ",\n ")}]`;
}
