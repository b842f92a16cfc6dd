/**
 * Property: the symbolic derivative of a random scalar expression agrees with central
 * finite differences of the evaluator wherever the function is smooth and well
 * conditioned at the sampled point. The rule: the point is inside the real domain
 * (`scanDomain` in test/support/domain.ts: every subexpression finite, powers with a
 * non-integer exponent have a positive base, asin/acos inside (−1, 1), abs/sign away from
 * 0, nothing beyond 1e±100), central differences at two step sizes agree, and rounding
 * at the size of the largest subexpression cannot swamp them (`judge` in
 * test/support/fd.ts, where the whole rule is written out).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Expr } from "../../src/core/expr.js";
import { Differentiator, symTarget } from "../../src/diff/derivative.js";
import { toText } from "../../src/print/text.js";
import { scalarExpr } from "../arbitrary.js";
import { centralPair, judge, Tally } from "../support/fd.js";
import { along, pointArb, scanPoint, smallScalarExpr, valueAtPoint, VARIABLES, type Point } from "../support/scalar.js";

/** Checks d e / d v at p; returns a failure description, or undefined. */
function check(e: Expr, v: (typeof VARIABLES)[number], p: Point, tally: Tally): string | undefined {
  const scan = scanPoint(e, p);
  if (!scan.inside) return void tally.skip("outside the domain");
  const d = new Differentiator(symTarget(v)).of(e);
  const fd = centralPair(along(e, p, v), p[v]);
  // Rounding enters at the size of the largest subexpression (see scanPoint).
  const verdict = judge(valueAtPoint(d, p), fd.coarse, fd.fine, { magnitude: Math.max(fd.magnitude, scan.largest) });
  if (verdict.kind === "skip") return void tally.skip(verdict.why);
  tally.compared++;
  if (verdict.kind === "ok") return undefined;
  return `d/d${v} ${toText(e)} = ${toText(d)}\nat ${JSON.stringify(p)}: symbolic ${verdict.symbolic}, finite differences ${verdict.fd}`;
}

describe("derivative agrees with finite differences (scalar expressions)", () => {
  it("over a, b, c with every function, powers and symbolic exponents (4000 cases, seeded)", () => {
    const tally = new Tally();
    fc.assert(
      fc.property(smallScalarExpr(4), fc.constantFrom(...VARIABLES), pointArb, (e, v, p) => {
        const problem = check(e, v, p, tally);
        if (problem) throw new Error(problem);
      }),
      { seed: 20261129, numRuns: 4000 },
    );
    // Skipping must not hide the property: most cases are compared.
    expect(tally.compared, tally.toString()).toBeGreaterThan(0.5 * tally.total);
  });

  it("over test/arbitrary.ts scalarExpr (large and fractional constants; 1500 cases, seeded)", () => {
    const tally = new Tally();
    fc.assert(
      fc.property(scalarExpr({ maxDepth: 4 }), fc.constantFrom(...VARIABLES), pointArb, (e, v, p) => {
        const problem = check(e, v, p, tally);
        if (problem) throw new Error(problem);
      }),
      { seed: 7, numRuns: 1500 },
    );
    expect(tally.compared, tally.toString()).toBeGreaterThan(0.4 * tally.total);
  });
});
