/**
 * jacobi's one error type. Every input error carries where it happened, so the CLI
 * prints `error: LINE:COL: message`, the source line and a caret — never a stack trace.
 */

/** A half-open range of character offsets in a source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A named text that spans point into: the program, a `--decl`, an `--at` value. */
export interface Source {
  /** Shown before the position when it is not the main program, e.g. `--at x`. */
  readonly label?: string;
  readonly text: string;
}

/** A place in a text: 1-based line and column. */
export interface Position {
  /** The line, from 1. */
  line: number;
  /** The column, from 1 (in UTF-16 code units). */
  col: number;
}

export type ErrorKind =
  | "syntax"
  | "name"
  | "shape"
  | "arity"
  | "value"
  | "limit"
  | "usage"
  | "unsupported"
  | "io";

/**
 * An error in the input (program text, a value, an option), with where it happened:
 * `position` gives the line and column, `format()` the message with the line and a caret.
 */
export class JacobiError extends Error {
  /** What went wrong: `syntax`, `name`, `shape`, `arity`, `value`, `limit`, `usage`, `unsupported` or `io`. */
  readonly kind: ErrorKind;
  /** Where in the source text, as character offsets (undefined when the error has no place). */
  readonly span: Span | undefined;
  /** The text the span points into: the program, a declaration, a value. */
  readonly source: Source | undefined;
  constructor(kind: ErrorKind, message: string, span?: Span, source?: Source) {
    super(message);
    this.name = "JacobiError";
    this.kind = kind;
    this.span = span;
    this.source = source;
  }

  /** The same error, placed in a source (when it has no source yet). */
  at(source: Source, span?: Span): JacobiError {
    if (this.source) return this;
    return new JacobiError(this.kind, this.message, this.span ?? span, source);
  }

  /** 1-based line and column of the start of the span, or undefined without a place. */
  get position(): Position | undefined {
    if (!this.span || !this.source) return undefined;
    return lineCol(this.source.text, this.span.start);
  }

  /** `error: 3:7: message`, the line, and a caret under the place. */
  format(): string {
    const pos = this.position;
    if (!pos || !this.source) return `error: ${this.message}`;
    const label = this.source.label ? `${this.source.label}: ` : "";
    const lines = this.source.text.split("\n");
    const lineText = (lines[pos.line - 1] ?? "").replace(/\r$/, "");
    const width = Math.max(1, Math.min(this.span!.end - this.span!.start, lineText.length - (pos.col - 1)));
    const shown = window(lineText, pos.col - 1, width);
    return `error: ${label}${pos.line}:${pos.col}: ${this.message}\n  ${shown.text}\n  ${shown.pad}${"^".repeat(shown.width)}`;
  }
}

export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let k = 0; k < end; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** Characters of a source line shown around the caret at most. */
const WINDOW = 120;

/**
 * A line as it can be shown on a terminal: control characters become `?` so the caret
 * stays aligned and nothing is sent to the terminal; tabs are kept for alignment; a long
 * line is cut to a window around the caret, marked with `…`. The caret may stand past
 * the end of the line (an error at a line break).
 */
function window(line: string, col: number, width: number): { text: string; pad: string; width: number } {
  // eslint-disable-next-line no-control-regex
  const visible = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?");
  const start = visible.length <= WINDOW ? 0 : Math.max(0, Math.min(col - WINDOW / 3, visible.length - WINDOW));
  const end = Math.min(visible.length, start + WINDOW);
  const head = start > 0 ? "…" : "";
  const text = head + visible.slice(start, end) + (end < visible.length ? "…" : "");
  const inside = Math.min(col, end);
  const pad = (head + visible.slice(start, inside)).replace(/[^\t]/g, " ") + " ".repeat(col - inside);
  return { text, pad, width: Math.max(1, Math.min(width, end - col)) };
}

export const isJacobiError = (e: unknown): e is JacobiError => e instanceof JacobiError;
