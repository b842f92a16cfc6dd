/**
 * The simplify corpus (corpus.ts: SymPy's and mathjs's simplification tests, translated,
 * and issue 18's scalar forms; corpus-matrix.ts: issue 18's matrix forms). For every case:
 *   - jacobi's simplified result equals the input at random points wherever the input is
 *     defined (value-preserving), and so does the expected form (the translation is right);
 *   - the result is no larger than the input (as built) by the one measure;
 *   - its size (operators and function calls, src/print/size.ts) is compared with the
 *     expected form's: the share at most as large is the measure of "textbook forms".
 * A matrix case is a derivative request: what the library prints for it is measured, and
 * it has the expected form's value at random sizes and points (the evaluator).
 * README.md's "Simplification corpus" table must be exactly the table this measures
 * (so the README's numbers are never typed by hand). The "before" column is this same
 * measure at main b90fa5e, before the issue 18 rules (main has no `assume`: its softmax
 * case is measured there without the assumption).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, simplify } from "../../src/api.js";
import type { Expr } from "../../src/core/expr.js";
import { forEachNode } from "../../src/core/traverse.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { scalarValue } from "../../src/eval/value.js";
import { formSize, operationCount } from "../../src/print/size.js";
import { toText } from "../../src/print/text.js";
import { envOf } from "../support/derivatives.js";
import { randomBindings, randomSizes, rngFrom } from "../support/random.js";
import { CORPUS, type CorpusCase } from "./corpus.js";
import { derivativeOf, MATRIX_CASES, type MatrixCase } from "./corpus-matrix.js";

const MATRIX = "issue 18, matrix forms";
type Group = keyof typeof CORPUS | typeof MATRIX;

/** The measure at main b90fa5e (this test's measurement there), by group: cases at most the expected size. */
const BEFORE: Readonly<Record<Group, number>> = { "sympy trigsimp": 30, "sympy simplify, radsimp": 20, "mathjs simplify": 102, "issue 18, scalar forms": 2, [MATRIX]: 1 };

const names = (e: Expr): string[] => {
  const out = new Set<string>();
  forEachNode(e, (x) => void (x.kind === "sym" && out.add(x.name)));
  return [...out].sort();
};

function valueAt(e: Expr, at: ReadonlyMap<string, number>): number {
  try {
    return evaluate(e, { values: new Map([...at].map(([k, v]) => [k, scalarValue(v)])), sizes: new Map() }).data[0]!;
  } catch {
    return NaN;
  }
}

/** Random points: half in (0.05, 0.95) (inside asin's and log's domains), half in (−2.5, 2.5). */
function points(vars: readonly string[], seed: number): Map<string, number>[] {
  const rng = rngFrom(seed);
  return Array.from({ length: 12 }, (_, k) => new Map(vars.map((v) => [v, k < 6 ? 0.05 + 0.9 * rng() : -2.5 + 5 * rng()])));
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-8 * Math.max(1, Math.abs(a), Math.abs(b));

interface Measured {
  /** The input (a matrix case: the request). */
  readonly input: string;
  readonly expected: string;
  readonly result: string;
  readonly size: number;
  readonly expectedSize: number;
}

function measure(c: CorpusCase, seed: number): Measured {
  const input = parse(c.input);
  const e = input.subject!;
  const s = simplify(input);
  const expected = parse(c.expected).subject!;
  const vars = [...new Set([...names(e), ...names(expected)])];
  let compared = 0;
  for (const at of points(vars, seed)) {
    const f = valueAt(e, at);
    if (!Number.isFinite(f) || Math.abs(f) > 1e6) continue;
    compared++;
    const g = valueAt(s, at);
    const h = valueAt(expected, at);
    const where = `${c.input} (${c.from}) at ${JSON.stringify([...at])}`;
    expect(close(f, g), `simplified to ${toText(s)}: ${g} but ${f} before, ${where}`).toBe(true);
    if (Number.isFinite(h)) expect(close(f, h), `the expected form ${c.expected} is ${h} but the input ${f}, ${where}`).toBe(true);
  }
  expect(compared, `${c.input}: no point inside its domain`).toBeGreaterThan(0);
  // no larger than what it simplified
  expect(formSize(s), `${c.input} (as built ${toText(e)}) simplified to ${toText(s)}`).toBeLessThanOrEqual(formSize(e));
  return { input: c.input, expected: c.expected, result: toText(s), size: formSize(s), expectedSize: operationCount(c.expected) };
}

/** A derivative request: the library's result has the expected form's value at random sizes and points. */
function measureMatrix(c: MatrixCase, seed: number): Measured {
  const program = parse(c.program);
  const r = derivativeOf(c);
  const expected = parse(`${c.program}\n${c.expected}`).subject!;
  const rng = rngFrom(seed);
  for (let trial = 0; trial < 8; trial++) {
    const sizes = randomSizes(program, rng, 1, 5);
    const env = envOf(program, randomBindings(program, sizes, rng, c.ranges?.(sizes) ?? {}));
    const got = evaluate(r, env);
    const want = evaluate(expected, env);
    const where = `${c.kind} by ${c.wrt} of ${c.program} (${c.from}) at sizes ${JSON.stringify([...sizes])}`;
    expect([got.rows, got.cols], `${toText(r)} against ${c.expected}, ${where}`).toEqual([want.rows, want.cols]);
    for (let k = 0; k < want.data.length; k++) expect(close(got.data[k]!, want.data[k]!), `${toText(r)} is ${got.data[k]} but ${c.expected} ${want.data[k]}, ${where}`).toBe(true);
  }
  return { input: `${c.kind} by ${c.wrt} of ${c.program}`, expected: c.expected, result: toText(r), size: formSize(r), expectedSize: operationCount(c.expected) };
}

const groups: readonly Group[] = [...(Object.keys(CORPUS) as (keyof typeof CORPUS)[]), MATRIX];

/** The measured cases of a group. */
const measureGroup = (g: Group, seed: () => number): Measured[] => (g === MATRIX ? MATRIX_CASES.map((c) => measureMatrix(c, seed())) : CORPUS[g].map((c) => measure(c, seed())));

/** The README table from the measurements. */
function table(measured: ReadonlyMap<Group, readonly Measured[]>): string {
  const row = (name: string, n: number, before: number, after: number): string => `| ${name} | ${n} | ${before} (${percent(before, n)}) | ${after} (${percent(after, n)}) |`;
  const lines = ["| cases from | cases | at most the expected size, before | after |", "| --- | ---: | ---: | ---: |"];
  let n = 0;
  let before = 0;
  let after = 0;
  for (const g of groups) {
    const m = measured.get(g)!;
    const small = m.filter((x) => x.size <= x.expectedSize).length;
    lines.push(row(g, m.length, BEFORE[g], small));
    n += m.length;
    before += BEFORE[g];
    after += small;
  }
  lines.push(row("all", n, before, after));
  return lines.join("\n");
}

const percent = (k: number, n: number): string => `${Math.round((100 * k) / n)}%`;

describe("the simplify corpus (SymPy and mathjs simplification tests, issue 18)", () => {
  const measured = new Map<Group, Measured[]>();
  let seed = 1;
  for (const g of groups) {
    const what = g === MATRIX ? "every derivative has the expected form's value" : "every result keeps the input's value, and the expected forms are right";
    it(`${g}: ${what}`, () => void measured.set(g, measureGroup(g, () => seed++)));
  }

  it("README.md's table is the measured one", () => {
    const t = table(measured);
    if (process.env.JACOBI_CORPUS_REPORT) {
      for (const g of groups) for (const m of measured.get(g)!) console.log(`${m.size <= m.expectedSize ? "ok  " : "LONG"} ${m.size}/${m.expectedSize}  ${m.input}  =>  ${m.result}   [want ${m.expected}]`);
      console.log(t);
    }
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("<!-- simplify-corpus -->\n");
    expect(start, "README.md has no <!-- simplify-corpus --> table").toBeGreaterThan(0);
    const rest = readme.slice(start + "<!-- simplify-corpus -->\n".length);
    expect(rest.slice(0, rest.indexOf("\n\n"))).toBe(t);
  });
});
