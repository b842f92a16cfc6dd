/**
 * The numeric side of `jacobi check`: both sides evaluated at POINTS random points for
 * each of SIZE_ROUNDS bindings of the symbolic sizes (one when every size is fixed). Two
 * values agree when every entry is within TOLERANCE of the other, relative to
 * max(1, |entry|). A point where a side is undefined (NaN, ±∞) is drawn again with
 * positive values; a point where both are defined and differ is the counterexample.
 */
import type { Expr } from "../core/expr.js";
import { JacobiError } from "../core/errors.js";
import type { Program } from "../core/program.js";
import { bindWithEvaluator, type Binding, type Bindings } from "../eval/bind.js";
import type { Value } from "../eval/value.js";
import { maxRelativeError } from "./fd.js";
import { drawPoint, drawSizes, fixedSizes, freeSizes, seeded } from "./points.js";

export const POINTS = 3;
export const SIZE_ROUNDS = 2;
export const TOLERANCE = 1e-8;

/** A value as JSON: a number, a list (vector), or rows (matrix). */
export type Numbers = number | number[] | number[][];

export interface Counterexample {
  readonly sizes: Readonly<Record<string, number>>;
  readonly values: Readonly<Record<string, Numbers>>;
  readonly lhs: Numbers;
  readonly rhs: Numbers;
}

/** How a numeric verdict was reached. */
export interface Sampling {
  readonly points: number;
  /** The bindings of the symbolic sizes tried (empty objects when the sizes are all fixed). */
  readonly sizes: readonly Readonly<Record<string, number>>[];
}

export function numbersOf(v: Value): Numbers {
  if (v.rows === 1 && v.cols === 1) return v.data[0]!;
  if (v.cols === 1) return Array.from(v.data);
  return Array.from({ length: v.rows }, (_, r) => Array.from(v.data.subarray(r * v.cols, (r + 1) * v.cols)));
}

const finite = (v: Value): boolean => v.data.every((x) => Number.isFinite(x));

/** Both sides at a point; undefined when either is undefined there. */
function bothAt(program: Program, lhs: Expr, rhs: Expr, point: Bindings): [Value, Value] | undefined {
  try {
    const { evaluator } = bindWithEvaluator(program, point);
    const l = evaluator.value(lhs, new Map());
    const r = evaluator.value(rhs, new Map());
    return finite(l) && finite(r) ? [l, r] : undefined;
  } catch (e) {
    if (e instanceof JacobiError && e.kind === "value") return undefined;
    throw e;
  }
}

const record = (m: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries(m);

function counterexample(program: Program, sizes: ReadonlyMap<string, number>, point: Bindings, l: Value, r: Value): Counterexample {
  const values: Record<string, Numbers> = {};
  for (const [name, b] of point) if (!program.sizes.has(name)) values[name] = numbersOf(b.value);
  return { sizes: record(sizes), values, lhs: numbersOf(l), rhs: numbersOf(r) };
}

/** The first point where the sides differ, or none; and how many points and sizes were tried. */
export function compareAt(program: Program, lhs: Expr, rhs: Expr, at: Bindings, seed: number): { counterexample: Counterexample | null; sampling: Sampling } {
  const rand = seeded(seed);
  const fixed = fixedSizes(program, at);
  const free = freeSizes(program, fixed);
  const rounds = drawSizes(free, fixed, free.length > 0 ? SIZE_ROUNDS : 1, rand);
  let points = 0;
  for (const sizes of rounds) {
    for (let k = 0; k < POINTS; k++) {
      let both: [Value, Value] | undefined;
      let point: Map<string, Binding> | undefined;
      for (let attempt = 0; attempt < 4 && !both; attempt++) {
        point = drawPoint(program, sizes, at, rand, attempt >= 2);
        both = bothAt(program, lhs, rhs, point);
      }
      if (!both) continue;
      points++;
      const [l, r] = both;
      if (l.rows !== r.rows || l.cols !== r.cols || maxRelativeError(r.data, l.data) > TOLERANCE)
        return { counterexample: counterexample(program, sizes, point!, l, r), sampling: { points, sizes: rounds.map(record) } };
    }
  }
  if (points === 0) throw new JacobiError("value", "jacobi check found no point where both sides of a claim are defined; fix some values with --at");
  return { counterexample: null, sampling: { points, sizes: rounds.map((s) => record(new Map([...s].filter(([n]) => free.includes(n))))) } };
}
