/**
 * One case of the property "evaluating the canonical form equals evaluating the raw
 * form": a random program text, evaluated by jacobi (parse → canonical builders →
 * evaluate) and by the oracle (its own tree, evaluated directly).
 */
import fc from "fast-check";
import { evaluateProgram } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";
import { parseProgram } from "../../src/parse/parse.js";
import { declarations, DECLARED, evalTree, textOf, TreeGen, UNDECLARED, type Dims, type M, type Seen, type Tree } from "./oracle.js";

export interface CompareStats {
  cases: number;
  compared: number;
  skipped: number;
}

const SHAPES: readonly Dims[] = [[1, 1], [3, 1], [2, 1], [1, 3], [2, 3], [3, 3], [3, 2], [2, 2]];

/** Generates, evaluates both ways and compares; returns a description of a disagreement. */
export function compareOnRandomProgram(g: fc.GeneratorValue, stats: CompareStats): string | undefined {
  const pick = { below: (n: number): number => g(fc.integer, { min: 0, max: n - 1 }) };
  const symbolic = pick.below(3) === 0;
  const gen = new TreeGen(pick, symbolic);
  const defs: { name: string; tree: Tree }[] = [];
  const defCount = pick.below(3);
  for (let k = 1; k <= defCount; k++) {
    const dims = SHAPES[pick.below(SHAPES.length)]!;
    defs.push({ name: `d${k}`, tree: gen.tree(dims, 2) });
    gen.defined.set(`d${k}`, dims);
  }
  const subject = gen.tree(SHAPES[pick.below(SHAPES.length)]!, 4);
  const text = [declarations(symbolic), ...defs.map((d) => `${d.name} = ${textOf(d.tree, symbolic)}`), textOf(subject, symbolic)].join("\n");

  const values = new Map<string, M>();
  if (symbolic) for (const [name, size] of [["n", 3], ["m", 2]] as const) values.set(name, { rows: 1, cols: 1, d: [size] });
  const bindings = new Map<string, { value: Value }>();
  const names = [...DECLARED.keys(), ...(gen.used.has(UNDECLARED) ? [UNDECLARED] : [])];
  for (const name of names) {
    const [rows, cols] = DECLARED.get(name) ?? [1, 1];
    const d: number[] = [];
    // Values on a grid of hundredths: no denormals, whose underflow the two forms meet differently.
    for (let k = 0; k < rows * cols; k++) d.push(g(fc.integer, { min: -200, max: 200 }) / 100);
    values.set(name, { rows, cols, d });
    bindings.set(name, { value: { rows, cols, data: Float64Array.from(d) } });
  }
  /** The oracle's value of the subject (definitions first), optionally with rounding noise. */
  const seen: Seen = { infinity: false };
  const oracle = (noise?: () => number): M => {
    const scope = new Map(values);
    for (const d of defs) scope.set(d.name, evalTree(d.tree, scope, noise, seen));
    return evalTree(subject, scope, noise, seen);
  };
  const want = oracle();
  let state = 12345;
  const noise = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648 - 0.5) * 2e-10;
  };
  const noisy = [oracle(noise), oracle(noise), oracle(noise)];

  stats.cases++;
  const where = `${text}\nvalues: ${JSON.stringify([...values].map(([n, v]) => [n, v.d]))}`;
  let got: Value;
  try {
    got = evaluateProgram(parseProgram(text), bindings);
  } catch (e) {
    return `${where}\njacobi threw: ${(e as Error).message}`;
  }
  if (got.rows !== want.rows || got.cols !== want.cols) return `${where}\njacobi gives ${got.rows}×${got.cols}, the oracle ${want.rows}×${want.cols}`;
  for (let k = 0; k < want.d.length; k++) {
    const o = want.d[k]!;
    const j = got.data[k]!;
    const spreads = noisy.map((n) => Math.abs(n.d[k]! - o));
    // An infinity on the way (1/0, exp overflow) can turn finite again (sigmoid, atan, 1/∞), by
    // IEEE rules that exact arithmetic does not share (-0 is 0): such points are skipped too.
    if (seen.infinity || !Number.isFinite(o) || !Number.isFinite(j) || !spreads.every(Number.isFinite)) {
      stats.skipped++;
      continue;
    }
    stats.compared++;
    // Rounding differs between the forms; the noisy runs bound how much that can matter here.
    const tolerance = 10 * Math.max(...spreads) + 1e-12 * Math.abs(o) + 1e-300;
    if (Math.abs(j - o) > tolerance) return `${where}\nentry ${k}: jacobi ${j}, oracle ${o}, tolerance ${tolerance}`;
  }
  return undefined;
}
