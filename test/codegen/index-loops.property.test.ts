/**
 * The loop-nest lowering on its own (src/codegen/loops.ts, sum-order.ts): random index
 * notation — entries of A: m×n, x: n and y: m, δs, nested Σs, function calls, sums and
 * products — over output indices i (size m) and a, b (size n), lowered to a kernel and
 * compared with the evaluator entry by entry, at random sizes and values (seeded).
 */
import { describe, expect, it } from "vitest";
import { compiledSource, parseSpec } from "../../src/codegen/index.js";
import type { KernelSpec } from "../../src/codegen/spec.js";
import * as B from "../../src/core/build.js";
import type { Expr, Index } from "../../src/core/expr.js";
import { shape, type Size } from "../../src/core/shape.js";
import { evaluateAt } from "../../src/eval/evaluate.js";
import { envOf } from "../support/derivatives.js";
import { rngFrom, type Rng } from "../support/random.js";
import { relativeError } from "./support.js";

const DECLS = "A: matrix(m,n); x: vector(n); y: vector(m); kernel k = A";

/** A random scalar of index notation over the indices in scope (name → size). */
function gen(rng: Rng, scope: ReadonlyMap<Index, Size>, depth: number, bound: { n: number }): Expr {
  const of = (size: Size): Index[] => [...scope].filter(([, s]) => s === size).map(([i]) => i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const leaf = (): Expr => {
    const ms = of("m");
    const ns = of("n");
    const options: (() => Expr)[] = [() => B.num(Math.floor(rng() * 5) - 2)];
    if (ns.length > 0) options.push(() => B.entry("x", [pick(ns)]));
    if (ms.length > 0) options.push(() => B.entry("y", [pick(ms)]));
    if (ms.length > 0 && ns.length > 0) options.push(() => B.entry("A", [pick(ms), pick(ns)]));
    if (ns.length > 1) options.push(() => B.delta(pick(ns), pick(ns)));
    return pick(options)();
  };
  if (depth <= 0) return leaf();
  const go = (): Expr => gen(rng, scope, depth - 1, bound);
  return pick<() => Expr>([
    leaf,
    () => B.add(go(), go()),
    () => B.mul(go(), go()),
    () => B.mul(go(), go(), go()),
    () => B.call(pick(["tanh", "sin", "exp"] as const), go()),
    () => B.pow(go(), B.num(2)),
    () => {
      const size = pick<Size>(["m", "n"]);
      const k = `s${++bound.n}`;
      return B.series(k, size, gen(rng, new Map([...scope, [k, size]]), depth - 1, bound));
    },
  ])();
}

describe("loop nests from random index notation agree with the evaluator", () => {
  const base = parseSpec(DECLS).kernels[0]!;
  const outs: readonly (readonly Index[])[] = [[], ["a"], ["i", "a"], ["a", "b"], ["i", "a", "b"]];
  for (let trial = 0; trial < 150; trial++) {
    const free = outs[trial % outs.length]!;
    it(`#${trial}: free indices ${free.join(", ") || "none"}`, () => {
      const rng = rngFrom(7000 + trial);
      const sizes = new Map<Index, Size>(free.map((i) => [i, i === "i" ? "m" : "n"]));
      const expr = gen(rng, sizes, 4, { n: 0 });
      const index = { expr, indices: free, sizes, shape: shape(free.length === 0 ? 1 : "m", 1) };
      const spec: KernelSpec = { ...base, outputs: [{ key: "k", expr, shape: index.shape, title: "T", reverse: false, wrt: undefined, index }] };
      const k = (new Function(compiledSource([spec], "f64"))() as Record<string, (i: object) => Float64Array | number>).k!;
      const [m, n] = [1 + Math.floor(rng() * 3), 1 + Math.floor(rng() * 4)];
      const value = (len: number): Float64Array => Float64Array.from({ length: len }, () => rng() - 0.5);
      const A = value(m * n);
      const x = value(n);
      const y = value(m);
      const got = k({ A, x, y, m, n });
      const env = envOf(base.program, new Map([["A", { value: { rows: m, cols: n, data: A } }], ["x", { value: { rows: n, cols: 1, data: x } }], ["y", { value: { rows: m, cols: 1, data: y } }]]));
      const expected: number[] = [];
      const dims = free.map((i) => (sizes.get(i) === "m" ? m : n));
      const at = new Array<number>(free.length).fill(1);
      const total = dims.reduce((p, d) => p * d, 1);
      for (let e = 0; e < total; e++) {
        let r = e;
        for (let d = free.length - 1; d >= 0; d--) {
          at[d] = (r % dims[d]!) + 1;
          r = Math.floor(r / dims[d]!);
        }
        expected.push(evaluateAt(expr, env, new Map(free.map((i, d) => [i, at[d]!]))));
      }
      const arr = typeof got === "number" ? [got] : Array.from(got);
      expect(arr.length).toBe(expected.length);
      expect(relativeError(arr, expected)).toBeLessThan(1e-10);
    });
  }
});
