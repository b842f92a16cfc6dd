/**
 * The random points `jacobi check` judges claims at: sizes drawn for the symbolic sizes
 * (2 to 5), every declared value and undeclared scalar drawn entry by entry from the grid
 * ±0.10, ±0.11, …, ±2.00 (so a counterexample prints exactly), values given with `--at`
 * kept. Seeded (mulberry32): the same program gives the same points.
 */
import type { Program } from "../core/program.js";
import type { Shape, Size } from "../core/shape.js";
import type { Binding, Bindings } from "../eval/bind.js";
import { scalarValue, type Value } from "../eval/value.js";

export type Random = () => number;

/** A seeded generator of numbers in [0, 1) (mulberry32). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sizes the given values fix (a size named in `--at`, or a dimension of a given value). */
export function fixedSizes(program: Program, at: Bindings): Map<string, number> {
  const fixed = new Map<string, number>();
  const fit = (size: Size, n: number): void => void (typeof size === "string" && fixed.set(size, n));
  for (const [name, b] of at) {
    if (program.sizes.has(name)) fixed.set(name, b.value.data[0]!);
    const decl = program.decls.get(name);
    if (decl) {
      fit(decl.shape.rows, b.value.rows);
      fit(decl.shape.cols, b.value.cols);
    }
  }
  return fixed;
}

/** The symbolic sizes left to draw. */
export const freeSizes = (program: Program, fixed: ReadonlyMap<string, number>): string[] => [...program.sizes.keys()].filter((s) => !fixed.has(s));

/** Draws `rounds` bindings of the free sizes, each differing from the one before in some size. */
export function drawSizes(free: readonly string[], fixed: ReadonlyMap<string, number>, rounds: number, rand: Random): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let r = 0; r < rounds; r++) {
    let sizes = new Map(fixed);
    for (let tries = 0; tries < 20; tries++) {
      sizes = new Map(fixed);
      for (const s of free) sizes.set(s, 2 + Math.floor(rand() * 4));
      const prev = out[out.length - 1];
      if (!prev || free.some((s) => prev.get(s) !== sizes.get(s))) break;
    }
    out.push(sizes);
  }
  return out;
}

/** One entry from the grid: ±(0.10 … 2.00), or only positive ones. */
const entry = (rand: Random, positive: boolean): number => {
  const magnitude = (10 + Math.floor(rand() * 191)) / 100;
  return positive || rand() < 0.5 ? magnitude : -magnitude;
};

const dim = (s: Size, sizes: ReadonlyMap<string, number>): number => (typeof s === "number" ? s : sizes.get(s)!);

function randomValue(shape: Shape, sizes: ReadonlyMap<string, number>, rand: Random, positive: boolean): Value {
  const rows = dim(shape.rows, sizes);
  const cols = dim(shape.cols, sizes);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => entry(rand, positive)) };
}

/** The undeclared scalars a program reads. */
export const undeclaredScalars = (program: Program): string[] =>
  [...program.uses.keys()].filter((n) => !program.decls.has(n) && !program.defs.has(n) && !program.sizes.has(n));

/** A point: the sizes, then every value (given ones kept, the rest drawn). */
export function drawPoint(program: Program, sizes: ReadonlyMap<string, number>, at: Bindings, rand: Random, positive: boolean): Map<string, Binding> {
  const point = new Map<string, Binding>();
  for (const [s, n] of sizes) point.set(s, { value: scalarValue(n) });
  for (const [name, decl] of program.decls) point.set(name, at.get(name) ?? { value: randomValue(decl.shape, sizes, rand, positive) });
  for (const name of undeclaredScalars(program)) point.set(name, at.get(name) ?? { value: scalarValue(entry(rand, positive)) });
  return point;
}
