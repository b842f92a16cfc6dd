/**
 * Seeded random numbers for tests that are not fast-check properties: a small PRNG
 * (mulberry32), random sizes and random values for every declared name of a program.
 */
import type { Program } from "../../src/core/program.js";
import type { Size } from "../../src/core/shape.js";
import type { Binding, Bindings } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";
import { seeded } from "../../src/check/points.js";

export type Rng = () => number;

/** A deterministic PRNG in [0, 1) (mulberry32, the one `jacobi check` draws with). */
export const rngFrom: (seed: number) => Rng = seeded;


export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
export const intBetween = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** Where random values are drawn from: a range, or a range per name (positive ones for log, sqrt). */
export interface ValueRanges {
  readonly lo?: number;
  readonly hi?: number;
  /** Names whose values are drawn from [0.5, 2] (arguments of log, sqrt, …). */
  readonly positive?: readonly string[];
  /** Fixed values by name (e.g. a one-hot y). */
  readonly fixed?: ReadonlyMap<string, Value>;
}

/** Random sizes (1–6 unless told) for every size name of the program. */
export function randomSizes(program: Program, rng: Rng, lo = 1, hi = 6): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of program.sizes.keys()) out.set(name, intBetween(rng, lo, hi));
  return out;
}

const sizeValue = (s: Size, sizes: ReadonlyMap<string, number>): number => {
  if (typeof s === "number") return s;
  const n = sizes.get(s);
  if (n === undefined) throw new Error(`no size for ${s}`);
  return n;
};

export function randomValue(rng: Rng, rows: number, cols: number, lo: number, hi: number): Value {
  const data = new Float64Array(rows * cols);
  for (let k = 0; k < data.length; k++) data[k] = uniform(rng, lo, hi);
  return { rows, cols, data };
}

/**
 * Random values for every declared name and every undeclared scalar the program uses,
 * at the given sizes (values learn the sizes: no size is bound directly).
 */
export function randomBindings(program: Program, sizes: ReadonlyMap<string, number>, rng: Rng, ranges: ValueRanges = {}): Map<string, Binding> {
  const out = new Map<string, Binding>();
  const pick = (name: string, rows: number, cols: number): Value => {
    const fixed = ranges.fixed?.get(name);
    if (fixed) return fixed;
    const positive = ranges.positive?.includes(name) ?? false;
    return randomValue(rng, rows, cols, positive ? 0.5 : (ranges.lo ?? -1), positive ? 2 : (ranges.hi ?? 1));
  };
  for (const [name, decl] of program.decls) out.set(name, { value: pick(name, sizeValue(decl.shape.rows, sizes), sizeValue(decl.shape.cols, sizes)) });
  for (const name of program.uses.keys())
    if (!program.decls.has(name) && !program.defs.has(name) && !program.sizes.has(name)) out.set(name, { value: pick(name, 1, 1) });
  return out;
}

/** Ranges with `name` fixed to a probability vector (positive, summing to one) of the size `size` (softmax's cross-entropy labels). */
export const probability = (name: string, size: string) => (sizes: ReadonlyMap<string, number>): ValueRanges => {
  const n = sizes.get(size)!;
  const raw = Array.from({ length: n }, (_, k) => 1 + ((k * 7919) % 5));
  const total = raw.reduce((a, b) => a + b, 0);
  return { fixed: new Map<string, Value>([[name, { rows: n, cols: 1, data: Float64Array.from(raw, (v) => v / total) }]]) };
};

/** A value as nested arrays, row-major: what `--format json` prints. */
export function nested(v: Value): number | number[] | number[][] {
  if (v.rows === 1 && v.cols === 1) return v.data[0]!;
  if (v.cols === 1) return Array.from(v.data);
  const out: number[][] = [];
  for (let r = 0; r < v.rows; r++) out.push(Array.from(v.data.subarray(r * v.cols, (r + 1) * v.cols)));
  return out;
}

/** Nested arrays (as JSON prints them) back to a flat row-major list. */
export function flatten(json: unknown): number[] {
  if (typeof json === "number") return [json];
  if (Array.isArray(json)) return json.flatMap((x) => flatten(x));
  throw new Error(`not a number or a list: ${JSON.stringify(json)}`);
}

/** `--at` text for a value: `0.5`, `[1,2]`, `[[1,2],[3,4]]` (full precision). */
export function valueText(v: Value): string {
  return JSON.stringify(nested(v));
}

/** The bindings of a program as `--at NAME=VALUE` arguments. */
export function atArgs(bindings: Bindings): string[] {
  return [...bindings].flatMap(([name, b]) => ["--at", `${name}=${valueText(b.value)}`]);
}
