/**
 * Properties of the textbook-form rules (src/simplify/rules-trig.ts, rules-forms.ts) and
 * of simplify as a whole, on random scalar expressions (seeded):
 *   - simplify never makes a result larger by the one measure (src/print/size.ts), on the
 *     general random expressions of test/support/scalar.ts and on trigonometry-heavy ones
 *     (Pythagorean pairs, ratios, sums of angles, inverse functions, exp(±u));
 *   - simplify keeps the value of the trigonometry-heavy ones, and so does each rule set
 *     on its own — the trials too, which simplify keeps only when smaller — wherever the
 *     input is inside its smooth real domain (test/support/domain.ts) and well conditioned,
 *     by the same rule as test/calculus/simplify-values.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import type { Expr, FnName } from "../../src/core/expr.js";
import { formSize } from "../../src/print/size.js";
import { toText } from "../../src/print/text.js";
import { Rewriter, type Rule } from "../../src/simplify/rewrite.js";
import { ALGEBRAIC_RULES, FORM_RULES } from "../../src/simplify/rules-forms.js";
import { COSINE_SQUARES, EXPANSION_RULES, SINE_SQUARES, TRIG_RULES } from "../../src/simplify/rules-trig.js";
import { simplify } from "../../src/simplify/simplify.js";
import { Tally } from "../support/fd.js";
import { pointArb, scanPoint, smallScalarExpr, valueAtPoint, type Point } from "../support/scalar.js";

const TRIG: readonly FnName[] = ["sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh"];
const INVERSE: readonly FnName[] = ["asin", "acos", "atan", "asinh", "acosh", "atanh"];
const ROUNDING = 64 * Number.EPSILON;

/** Expressions built to meet the rules: f(u)^k, g(inverse(u)), f(u ± v), exp(±u), sums and products of those. */
function trigExpr(depth: number): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(fc.constantFrom(...["a", "b", "c"].map((v) => B.sym(v))), fc.integer({ min: -3, max: 3 }).map((k) => B.num(k)));
  if (depth <= 0) return leaf;
  const sub = trigExpr(depth - 1);
  const arg = fc.oneof(leaf, fc.tuple(leaf, leaf).map(([u, v]) => B.add(u, v)), fc.tuple(leaf, leaf).map(([u, v]) => B.sub(u, v)), leaf.map((u) => B.mul(B.num(2), u)));
  const trig = fc.tuple(fc.constantFrom(...TRIG), arg, fc.constantFrom(1, 2, 3, -1, -2)).map(([f, u, k]) => B.pow(B.call(f, u), B.num(k)));
  return fc.oneof(
    { arbitrary: leaf, weight: 1 },
    { arbitrary: trig, weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom(...TRIG), fc.constantFrom(...INVERSE), sub).map(([f, g, u]) => B.call(f, B.call(g, u))), weight: 2 },
    { arbitrary: fc.tuple(fc.boolean(), sub).map(([s, u]) => B.call("exp", s ? u : B.neg(u))), weight: 1 },
    { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.add(u, v)), weight: 3 },
    { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.sub(u, v)), weight: 2 },
    { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.mul(u, v)), weight: 3 },
    { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.div(u, v)), weight: 1 },
    { arbitrary: sub.map((u) => B.sqrt(u)), weight: 1 },
  );
}

/** The failure, if `after` differs from `e` at `p` (where e is inside its domain and well conditioned). */
function differs(e: Expr, after: Expr, p: Point, tally: Tally): string | undefined {
  const scan = scanPoint(e, p);
  if (!scan.inside) return void tally.skip("outside the domain");
  const f = valueAtPoint(e, p);
  const noise = ROUNDING * scan.largest;
  if (noise > 1e-6 * Math.max(1, Math.abs(f))) return void tally.skip("ill-conditioned");
  const g = valueAtPoint(after, p);
  tally.compared++;
  if (Math.abs(f - g) <= 1e-9 * Math.max(1, Math.abs(f)) + 100 * noise) return undefined;
  return `${toText(e)} -> ${toText(after)}\nat ${JSON.stringify(p)}: ${f} before, ${g} after`;
}

describe("textbook forms", () => {
  it("simplify never makes a random scalar expression larger (1500 cases, seeded)", () => {
    fc.assert(
      fc.property(smallScalarExpr(4), (e) => {
        const s = simplify(e);
        if (formSize(s) > formSize(e)) throw new Error(`${toText(e)} (${formSize(e)}) -> ${toText(s)} (${formSize(s)})`);
      }),
      { seed: 1818, numRuns: 1500 },
    );
  });

  it("simplify never makes a trigonometric expression larger, and keeps its value (1500 cases, seeded)", () => {
    const tally = new Tally();
    fc.assert(
      fc.property(trigExpr(3), pointArb, (e, p) => {
        const s = simplify(e);
        if (formSize(s) > formSize(e)) throw new Error(`${toText(e)} (${formSize(e)}) -> ${toText(s)} (${formSize(s)})`);
        const problem = differs(e, s, p, tally);
        if (problem) throw new Error(problem);
      }),
      { seed: 1819, numRuns: 1500 },
    );
    expect(tally.compared, tally.toString()).toBeGreaterThan(0.3 * tally.total);
  });

  const sets: [string, readonly Rule[]][] = [
    ["trigonometric rules", TRIG_RULES],
    ["form rules", FORM_RULES],
    ["algebraic inverse functions (a trial)", ALGEBRAIC_RULES],
    ["addition theorems (a trial)", EXPANSION_RULES],
    ["sin² = 1 - cos² (a trial)", SINE_SQUARES],
    ["cos² = 1 - sin² (a trial)", COSINE_SQUARES],
  ];
  for (const [name, rules] of sets) {
    it(`${name} keep values and terminate under the budget (600 cases, seeded)`, () => {
      const tally = new Tally();
      fc.assert(
        fc.property(fc.oneof(trigExpr(3), smallScalarExpr(3)), pointArb, (e, p) => {
          const r = new Rewriter(rules, { budget: 2000 });
          const out = r.run(e);
          expect(r.stepsTaken).toBeLessThanOrEqual(2000);
          const problem = differs(e, out, p, tally);
          if (problem) throw new Error(problem);
        }),
        { seed: 1820 + name.length, numRuns: 600 },
      );
      expect(tally.compared, tally.toString()).toBeGreaterThan(0.3 * tally.total);
    });
  }
});
