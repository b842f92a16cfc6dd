/**
 * Text to syntax tree: tokenize (with limits), check brackets, run nearley, and turn
 * every failure into a positioned JacobiError.
 */
import nearley from "nearley";
import { JacobiError, type Source } from "../core/errors.js";
import { LIMITS } from "../core/limits.js";
import grammar from "./grammar.generated.js";
import { astChildren, type AstExpr, type Statement } from "./ast.js";
import { tokenize, type Token } from "./lexer.js";

const compiled = nearley.Grammar.fromCompiled(grammar);

/** The grammar's immutable list of statements (see grammar/jacobi.ne). */
interface StatementList {
  readonly prev: StatementList | null;
  readonly item: Statement;
}

function listToArray(list: StatementList): Statement[] {
  const out: Statement[] = [];
  for (let c: StatementList | null = list; c; c = c.prev) out.push(c.item);
  return out.reverse();
}

/** Feeds already-made tokens to nearley. */
class TokenStream {
  private k = 0;
  constructor(private readonly tokens: readonly Token[]) {}
  reset(): void {}
  next(): Token | undefined {
    return this.tokens[this.k++];
  }
  save(): object {
    return {};
  }
  formatError(token: Token, message: string): string {
    return `${message} at ${token.offset}`;
  }
  has(): boolean {
    return true;
  }
}

const CLOSERS: Readonly<Record<string, string>> = { "(": ")", "[": "]" };

/** Unmatched and unclosed brackets get their own messages, pointing at the bracket. */
function checkBrackets(tokens: readonly Token[], source: Source): void {
  const open: Token[] = [];
  for (const t of tokens) {
    if (t.type !== "op") continue;
    if (t.text === "(" || t.text === "[") open.push(t);
    else if (t.text === ")" || t.text === "]") {
      const o = open.pop();
      if (!o) throw new JacobiError("syntax", `unmatched '${t.text}'`, span(t), source);
      if (CLOSERS[o.text] !== t.text)
        throw new JacobiError("syntax", `'${t.text}' does not close '${o.text}' (expected '${CLOSERS[o.text]}')`, span(t), source);
    }
  }
  const unclosed = open.pop();
  if (unclosed) throw new JacobiError("syntax", `'${unclosed.text}' is never closed`, span(unclosed), source);
}

const span = (t: Token) => ({ start: t.offset, end: t.offset + t.text.length });

function describeToken(t: Token): string {
  if (t.type === "sep") return t.text === ";" ? "';'" : "end of line";
  if (t.type === "number") return `number ${t.text}`;
  if (t.type === "name") return `name '${t.text}'`;
  return `'${t.text}'`;
}

/** What the parser could have accepted next, from the states waiting for a token. */
function expectedAt(parser: nearley.Parser): string[] {
  const out = new Set<string>();
  const column = (parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[] }).table[parser.current];
  for (const state of column?.states ?? []) {
    const sym = state.rule.symbols[state.dot] as { literal?: string; type?: string } | string | undefined;
    if (sym === undefined || typeof sym === "string") continue;
    if (sym.literal) out.add(`'${sym.literal}'`);
    else if (sym.type === "name") out.add("a name");
    else if (sym.type === "number") out.add("a number");
  }
  return [...out].sort();
}

/** Parses a program's text into statements (no meaning yet: see elaborate.ts). */
export function parseStatements(source: Source): Statement[] {
  const tokens = tokenize(source);
  if (tokens.every((t) => t.type === "sep")) throw new JacobiError("syntax", "empty program", { start: 0, end: 1 }, source);
  checkBrackets(tokens, source);
  const parser = new nearley.Parser(compiled, { lexer: new TokenStream(tokens) });
  try {
    parser.feed("");
  } catch (e) {
    const offset = (e as { offset?: number }).offset;
    const bad = offset === undefined ? undefined : tokens[offset];
    if (!bad) throw e;
    const expected = expectedAt(parser);
    const hint = expected.length > 0 && expected.length <= 6 ? `; expected ${expected.join(" or ")}` : "";
    throw new JacobiError("syntax", `unexpected ${describeToken(bad)}${hint}`, span(bad), source);
  }
  const results = parser.results as StatementList[];
  if (results.length === 0) {
    const last = tokens[tokens.length - 1]!;
    const expected = expectedAt(parser);
    const hint = expected.length > 0 && expected.length <= 6 ? `; expected ${expected.join(" or ")}` : "";
    throw new JacobiError("syntax", `unexpected end of input after ${describeToken(last)}${hint}`, span(last), source);
  }
  if (results.length > 1) throw new Error(`internal error: the grammar is ambiguous here (${results.length} parses)`);
  const statements = listToArray(results[0]!);
  for (const s of statements) checkNesting(s, source);
  return statements;
}

/**
 * How deeply passes will recurse over this statement. Left-leaning chains of one
 * operator (`a + b + c …`, `a * b * c …`) are walked iteratively and count once.
 */
function checkNesting(s: Statement, source: Source): void {
  const roots = s.type === "decl" ? [s.typeExpr] : s.type === "claim" || s.type === "assume" ? [s.lhs, s.rhs] : [s.value];
  const stack: [AstExpr, number][] = roots.map((r) => [r, 1]);
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    if (depth > LIMITS.maxNesting)
      throw new JacobiError("limit", `expression is nested too deeply (the limit is ${LIMITS.maxNesting} levels)`, e.span, source);
    if (e.type === "binary" && (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/" || e.op === ".*" || e.op === "./")) {
      stack.push([e.left, depth], [e.right, depth + 1]);
    } else if (e.type === "transpose") {
      stack.push([e.arg, depth]);
    } else for (const c of astChildren(e)) stack.push([c, depth + 1]);
  }
}
