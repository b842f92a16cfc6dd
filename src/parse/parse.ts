/** The parser's front door: program text (and `--decl` texts) to a checked Program. */
import type { Source } from "../core/errors.js";
import type { Program } from "../core/program.js";
import { elaborate, type StatementGroup } from "./elaborate.js";
import { parseStatements } from "./syntax.js";

export interface ParseOptions {
  /** Extra declarations, each its own text (`--decl 'W: matrix(3,2)'`). */
  readonly decls?: readonly string[];
  /** A label for the program's text in error messages (e.g. a file name). */
  readonly label?: string;
}

/** Parses and checks a program; every input error is a JacobiError with a position. */
export function parseProgram(text: string, options: ParseOptions = {}): Program {
  const groups: StatementGroup[] = (options.decls ?? []).map((d, k) => {
    const source: Source = { label: `--decl ${k + 1}`, text: d };
    return { statements: parseStatements(source), source };
  });
  const source: Source = options.label === undefined ? { text } : { label: options.label, text };
  groups.push({ statements: parseStatements(source), source });
  return elaborate(groups);
}
