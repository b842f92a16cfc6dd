/**
 * Fuzzing the reader (tokenizer, nearley, elaborator) in-process: whatever the text,
 * `parseProgram` returns a program or throws a JacobiError with a position — a span in
 * one of the given texts, and a `format()` of `error: LINE:COL: message`, the line and a
 * caret at that column. Nothing else escapes. Seeded: a failure prints the seed and the
 * shrunk counterexample.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { parseProgram } from "../../src/parse/parse.js";
import { checkPositioned, expectJacobi, fuzzSettings } from "./harness.js";
import { declText, programText, rawText } from "./programs.js";

/** Runs of each property; the four together take a few seconds. */
export const PARSE_RUNS = { grammar: 3000, mistakes: 3000, raw: 3000, decls: 1500 } as const;

function readsOrPointsAtTheError(text: string, decls: readonly string[] = []): void {
  const context = `parseProgram(${JSON.stringify(text)}${decls.length > 0 ? `, { decls: ${JSON.stringify(decls)} }` : ""})`;
  const r = expectJacobi(context, () => parseProgram(text, { decls }));
  if (r.ok === false) checkPositioned(r.error, [text, ...decls], context);
}

describe("parseProgram never lets anything but a positioned JacobiError escape", () => {
  it(`grammar-aware programs (${PARSE_RUNS.grammar} runs, seeded)`, () => {
    fc.assert(
      fc.property(programText(), (t) => readsOrPointsAtTheError(t)),
      fuzzSettings(7001, PARSE_RUNS.grammar),
    );
  });

  it(`grammar-aware programs with mistakes spliced in (${PARSE_RUNS.mistakes} runs, seeded)`, () => {
    fc.assert(
      fc.property(programText({ mistakes: true }), (t) => readsOrPointsAtTheError(t)),
      fuzzSettings(7002, PARSE_RUNS.mistakes),
    );
  });

  it(`raw strings: unicode, control characters, token soups (${PARSE_RUNS.raw} runs, seeded)`, () => {
    fc.assert(
      fc.property(rawText, (t) => readsOrPointsAtTheError(t)),
      fuzzSettings(7003, PARSE_RUNS.raw),
    );
  });

  it(`programs with --decl texts (${PARSE_RUNS.decls} runs, seeded)`, () => {
    fc.assert(
      fc.property(programText({ mistakes: true }), fc.array(declText, { maxLength: 3 }), (t, decls) => readsOrPointsAtTheError(t, decls)),
      fuzzSettings(7004, PARSE_RUNS.decls),
    );
  });
});
