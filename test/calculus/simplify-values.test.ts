/**
 * Property: simplification never changes a value. Random expressions (scalar ones over
 * a, b, c with every function; matrix ones from test/arbitrary.ts at random sizes) and
 * random derivatives are evaluated before and after `simplify` at random points.
 *
 * Skip rule (as for derivatives): the original must be inside its smooth real domain at
 * the point (`scanDomain` in test/support/domain.ts: every subexpression finite and well scaled, powers with a
 * non-integer exponent on a positive base, asin/acos inside (−1, 1)), and well
 * conditioned: the rounding error of evaluating it, about 64ε times its largest
 * subexpression, must be below 1e-6 of its value (else both sides are noise). Then the
 * simplified value must be finite and within 1e-9·max(1, |f|) + 100·(that rounding error).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Expr } from "../../src/core/expr.js";
import { Differentiator, symTarget } from "../../src/diff/derivative.js";
import { evaluate } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";
import { toText } from "../../src/print/text.js";
import { simplify } from "../../src/simplify/simplify.js";
import { DECLS, matrixExpr } from "../arbitrary.js";
import { parseProgram } from "../../src/parse/parse.js";
import { Tally } from "../support/fd.js";
import { randomBindings, rngFrom } from "../support/random.js";
import { pointArb, scanPoint, smallScalarExpr, valueAtPoint, VARIABLES, type Point } from "../support/scalar.js";

const ROUNDING = 64 * Number.EPSILON;

function compareScalar(e: Expr, p: Point, tally: Tally): string | undefined {
  const scan = scanPoint(e, p);
  if (!scan.inside) return void tally.skip("outside the domain");
  const f = valueAtPoint(e, p);
  const noise = ROUNDING * scan.largest;
  if (noise > 1e-6 * Math.max(1, Math.abs(f))) return void tally.skip("ill-conditioned");
  const s = simplify(e);
  const g = valueAtPoint(s, p);
  tally.compared++;
  if (Math.abs(f - g) <= 1e-9 * Math.max(1, Math.abs(f)) + 100 * noise) return undefined;
  return `simplify(${toText(e)}) = ${toText(s)}\nat ${JSON.stringify(p)}: ${f} before, ${g} after`;
}

describe("simplify never changes a value", () => {
  it("random scalar expressions over a, b, c (2000 cases, seeded)", () => {
    const tally = new Tally();
    fc.assert(
      fc.property(smallScalarExpr(4), pointArb, (e, p) => {
        const problem = compareScalar(e, p, tally);
        if (problem) throw new Error(problem);
      }),
      { seed: 314159, numRuns: 2000 },
    );
    expect(tally.compared, tally.toString()).toBeGreaterThan(0.5 * tally.total);
  });

  it("random derivatives of scalar expressions (1000 cases, seeded)", () => {
    const tally = new Tally();
    fc.assert(
      fc.property(smallScalarExpr(3), fc.constantFrom(...VARIABLES), pointArb, (e, v, p) => {
        const d = new Differentiator(symTarget(v)).of(e);
        const problem = compareScalar(d, p, tally);
        if (problem) throw new Error(problem);
      }),
      { seed: 271828, numRuns: 1000 },
    );
    expect(tally.compared, tally.toString()).toBeGreaterThan(0.5 * tally.total);
  });

  it("random matrix expressions at random sizes (800 cases, seeded)", () => {
    const program = parseProgram(`${DECLS}0`);
    const tally = new Tally();
    fc.assert(
      fc.property(matrixExpr({ maxDepth: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (e, seed) => {
        const rng = rngFrom(seed);
        const sizes = new Map([
          ["n", 1 + Math.floor(rng() * 4)],
          ["m", 1 + Math.floor(rng() * 4)],
        ]);
        const bindings = randomBindings(program, sizes, rng, { lo: -1.5, hi: 1.5 });
        const env = { values: new Map([...bindings].map(([k, b]) => [k, b.value])), sizes };
        let before: Value;
        try {
          before = evaluate(e, env);
        } catch {
          return void tally.skip("not evaluable");
        }
        if (!before.data.every(Number.isFinite)) return void tally.skip("not finite");
        const s = simplify(e);
        const after = evaluate(s, env);
        tally.compared++;
        expect(after.rows, toText(e)).toBe(before.rows);
        expect(after.cols, toText(e)).toBe(before.cols);
        for (let k = 0; k < before.data.length; k++) {
          const f = before.data[k]!;
          const g = after.data[k]!;
          // No subexpression scan here: a loose relative bound, and skip where the value is
          // far beyond the scale of its inputs (a cancellation-prone size).
          if (Math.abs(f) > 1e6) continue;
          if (!(Math.abs(f - g) <= 1e-7 * Math.max(1, Math.abs(f))))
            throw new Error(`simplify(${toText(e)}) = ${toText(s)}\nentry ${k}: ${f} before, ${g} after (sizes ${JSON.stringify([...sizes])})`);
        }
      }),
      { seed: 1618, numRuns: 800 },
    );
    expect(tally.compared, tally.toString()).toBeGreaterThan(0.3 * tally.total);
  });
});
