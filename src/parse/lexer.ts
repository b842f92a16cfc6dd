/**
 * The tokenizer. It runs before nearley and enforces the input limits (size, tokens,
 * nesting), so the Earley parser never sees input that would make it slow or deep.
 */
import { JacobiError, type Source } from "../core/errors.js";
import { LIMITS } from "../core/limits.js";

export type TokenType = "number" | "name" | "sep" | "op" | "transposeT";

export interface Token {
  readonly type: TokenType;
  /** The exact text; for `sep` it is `;` or a newline. */
  readonly text: string;
  /** nearley reads `value`; it is the text. */
  readonly value: string;
  readonly offset: number;
}

const OPERATORS = [".*", "./", ".^", "+", "-", "*", "/", "^", "'", "(", ")", "[", "]", ",", ":", "=", ";"];

/** Characters people paste from documents, and what they meant. */
const LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ["\u2212", "-"],
  ["\u2013", "-"],
  ["\u2014", "-"],
  ["\u00d7", "*"],
  ["\u22c5", "*"],
  ["\u00b7", "*"],
  ["\u2217", "*"],
  ["\u00f7", "/"],
  ["\u2019", "'"],
  ["\u2018", "'"],
  ["\u2032", "'"],
  ["\u201c", '"'],
  ["\u00a0", "a space"],
  ["\uff08", "("],
  ["\uff09", ")"],
]);

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isNameStart = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isNameChar = (c: string): boolean => isNameStart(c) || isDigit(c);

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `control character ${hex}`;
  const meant = LOOKALIKES.get(ch);
  return `character '${ch}' (${hex})${meant ? `; did you mean ${meant.length === 1 ? `'${meant}'` : meant}?` : ""}`;
}

/** Splits program text into tokens, or throws a positioned JacobiError. */
export function tokenize(source: Source): Token[] {
  const text = source.text;
  if (text.length > LIMITS.maxInputChars)
    throw new JacobiError("limit", `input is too large (${text.length} characters; the limit is ${LIMITS.maxInputChars})`, { start: 0, end: 1 }, source);
  const tokens: Token[] = [];
  const fail = (message: string, start: number, end = start + 1): never => {
    throw new JacobiError("syntax", message, { start, end }, source);
  };
  const push = (type: TokenType, start: number, end: number): void => {
    const t = text.slice(start, end);
    tokens.push({ type, text: t, value: t, offset: start });
    if (tokens.length > LIMITS.maxTokens)
      throw new JacobiError("limit", `input has too many tokens (the limit is ${LIMITS.maxTokens})`, { start, end }, source);
  };
  let bracketDepth = 0;
  // a byte-order mark at the start of a file is not part of the program
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < text.length) {
    const c = text[pos]!;
    if (c === " " || c === "\t" || c === "\r") {
      pos++;
    } else if (c === "#") {
      while (pos < text.length && text[pos] !== "\n") pos++;
    } else if (c === "\n" || c === ";") {
      // Newlines inside brackets continue the expression; `;` always separates.
      if (c === ";" && bracketDepth > 0) fail("';' inside brackets: separate entries with ',' (rows of a matrix are [[…], […]])", pos);
      const last = tokens[tokens.length - 1];
      if (bracketDepth === 0 && last && last.type !== "sep") push("sep", pos, pos + 1);
      pos++;
    } else if (isDigit(c) || (c === "." && isDigit(text[pos + 1] ?? ""))) {
      const start = pos;
      while (isDigit(text[pos] ?? "")) pos++;
      // `2.*x` is `2 .* x`: a dot followed by an operator is not part of the number.
      if (text[pos] === "." && !"*/^".includes(text[pos + 1] ?? "")) {
        pos++;
        while (isDigit(text[pos] ?? "")) pos++;
      }
      if ((text[pos] === "e" || text[pos] === "E") && (isDigit(text[pos + 1] ?? "") || ("+-".includes(text[pos + 1] ?? "") && isDigit(text[pos + 2] ?? "")))) {
        pos += 2;
        while (isDigit(text[pos] ?? "")) pos++;
      }
      if (isNameChar(text[pos] ?? "")) fail(`malformed number '${text.slice(start, pos + 1)}'`, start, pos + 1);
      push("number", start, pos);
    } else if (isNameStart(c)) {
      const start = pos;
      while (pos < text.length && isNameChar(text[pos]!)) pos++;
      push("name", start, pos);
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, pos));
      if (!op) {
        const ch = String.fromCodePoint(text.codePointAt(pos)!);
        fail(`unexpected ${describeChar(ch)}`, pos, pos + ch.length);
      }
      if (op === "(" || op === "[") {
        bracketDepth++;
        if (bracketDepth > LIMITS.maxNesting)
          throw new JacobiError("limit", `brackets are nested too deeply (the limit is ${LIMITS.maxNesting})`, { start: pos, end: pos + 1 }, source);
      } else if (op === ")" || op === "]") bracketDepth = Math.max(0, bracketDepth - 1);
      // `x^T` is the transpose (unless a value named T exists; the elaborator decides).
      if (op === "^" && text[pos + 1] === "T" && !isNameChar(text[pos + 2] ?? "")) {
        push("transposeT", pos, pos + 2);
        pos += 2;
        continue;
      }
      push("op", pos, pos + op!.length);
      pos += op!.length;
    }
  }
  checkChains(tokens, source);
  return tokens;
}

const endsOperand = (t: Token | undefined): boolean =>
  t !== undefined && (t.type === "number" || t.type === "name" || t.type === "transposeT" || t.text === ")" || t.text === "]" || t.text === "'");

/** Binary operators that end a chain of powers (they bind looser than `^`). */
const LOOSER_THAN_POWER = new Set(["+", "-", "*", "/", ".*", "./", ",", "=", ":"]);

/**
 * Unary signs and `^` nest to the right, which makes Earley parsing quadratic; a run
 * of either longer than the nesting limit is refused here.
 */
function checkChains(tokens: readonly Token[], source: Source): void {
  let unaryRun = 0;
  let powerRun = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const binaryPosition = endsOperand(tokens[k - 1]);
    const isSign = t.type === "op" && (t.text === "-" || t.text === "+");
    unaryRun = isSign && !binaryPosition ? unaryRun + 1 : 0;
    if (t.text === "^" || t.text === ".^") powerRun++;
    else if (t.type === "sep" || (t.type === "op" && binaryPosition && LOOSER_THAN_POWER.has(t.text))) powerRun = 0;
    if (unaryRun > LIMITS.maxNesting || powerRun > LIMITS.maxNesting) {
      const what = unaryRun > LIMITS.maxNesting ? "unary signs" : "powers";
      throw new JacobiError("limit", `too many ${what} in a row (the limit is ${LIMITS.maxNesting})`, { start: t.offset, end: t.offset + t.text.length }, source);
    }
  }
}
