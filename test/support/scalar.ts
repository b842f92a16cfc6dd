/**
 * Random scalar expressions over a, b, c with every function of the language, and
 * their values at points (through jacobi's evaluator).
 */
import fc from "fast-check";
import * as B from "../../src/core/build.js";
import { FUNCTIONS, type Expr } from "../../src/core/expr.js";
import { rat } from "../../src/core/rational.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { scalarValue } from "../../src/eval/value.js";
import { scanDomain, type Scan } from "./domain.js";

export const VARIABLES = ["a", "b", "c"] as const;
export type Point = { readonly a: number; readonly b: number; readonly c: number };

/** Small exact numbers: integers −3…3, halves and thirds. */
const smallNumber = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((k) => B.num(k)),
  fc.constantFrom(rat(1, 2), rat(-1, 2), rat(3, 2), rat(1, 3), rat(-2, 3)).map((v) => B.num(v)),
);
/** Exponents: 2, 3, −1, −2, 1/2, −1/2, 3/2, 1/3. */
const exponent = fc.constantFrom(rat(2), rat(3), rat(-1), rat(-2), rat(1, 2), rat(-1, 2), rat(3, 2), rat(1, 3)).map((v) => B.num(v));

/** Scalar expressions over a, b, c: + − * / ^ (numeric and symbolic exponents), sqrt, every function. */
export function smallScalarExpr(maxDepth = 4): fc.Arbitrary<Expr> {
  const leaf = fc.oneof({ arbitrary: fc.constantFrom(...VARIABLES.map((v) => B.sym(v))), weight: 4 }, { arbitrary: smallNumber, weight: 1 });
  const memo = new Map<number, fc.Arbitrary<Expr>>();
  const at = (depth: number): fc.Arbitrary<Expr> => {
    if (depth <= 0) return leaf;
    const known = memo.get(depth);
    if (known) return known;
    const sub = at(depth - 1);
    const arb = fc.oneof(
      { arbitrary: leaf, weight: 2 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.add(u, v)), weight: 3 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.sub(u, v)), weight: 2 },
      { arbitrary: sub.map((u) => B.neg(u)), weight: 1 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.mul(u, v)), weight: 3 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.div(u, v)), weight: 2 },
      { arbitrary: fc.tuple(sub, exponent).map(([u, k]) => B.pow(u, k)), weight: 2 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.pow(u, v)), weight: 1 },
      { arbitrary: sub.map((u) => B.sqrt(u)), weight: 1 },
      { arbitrary: fc.tuple(fc.constantFrom(...FUNCTIONS), sub).map(([f, u]) => B.call(f, u)), weight: 4 },
    );
    memo.set(depth, arb);
    return arb;
  };
  return at(maxDepth);
}

const coordinate = fc.integer({ min: -2500, max: 2500 }).map((k) => k / 1000);
const positive = fc.integer({ min: 50, max: 2500 }).map((k) => k / 1000);
/** Points on a grid of thousandths: half in [−2.5, 2.5]³, half in [0.05, 2.5]³ (where log and sqrt are real). */
export const pointArb: fc.Arbitrary<Point> = fc.oneof(
  fc.record({ a: coordinate, b: coordinate, c: coordinate }),
  fc.record({ a: positive, b: positive, c: positive }),
);

/** The value of a scalar expression over a, b, c at a point (NaN when evaluation fails). */
export function valueAtPoint(e: Expr, p: Point): number {
  const values = new Map(VARIABLES.map((v) => [v, scalarValue(p[v])]));
  return evaluate(e, { values, sizes: new Map() }).data[0]!;
}

/** The same, as a function of one variable with the others fixed. */
export const along =
  (e: Expr, p: Point, v: (typeof VARIABLES)[number]) =>
  (t: number): number =>
    valueAtPoint(e, { ...p, [v]: t });

/** `scanDomain` (test/support/domain.ts) at a point of a, b, c. */
export function scanPoint(e: Expr, p: Point): Scan {
  return scanDomain(e, { values: new Map(VARIABLES.map((v) => [v, scalarValue(p[v])])), sizes: new Map() });
}

/** Is the point inside the real domain where the expression is smooth (see domain.ts)? */
export const insideDomain = (e: Expr, p: Point): boolean => scanPoint(e, p).inside;
