/**
 * Sums of fractions reduce with gcds against the smaller numbers (Knuth's way); the
 * result is the one normalizing the full a d ± c b over b d gives, for any operands.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Q from "../../src/core/rational.js";

const big = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }));
const nonzero = big.filter((d) => d !== 0n);
const fraction = fc.tuple(big, nonzero).map(([n, d]) => Q.rat(n, d));
// shared factors in the denominators, as in a harmonic sum
const shared = fc.tuple(big, nonzero, fc.bigInt({ min: 1n, max: 10n ** 12n })).map(([n, d, k]) => Q.rat(n, d * k));

describe("exact sums of fractions", () => {
  it("a/b ± c/d equals (a d ± c b)/(b d) normalized", () => {
    fc.assert(
      fc.property(fc.oneof(fraction, shared), fc.oneof(fraction, shared), (x, y) => {
        expect(Q.add(x, y)).toEqual(Q.rat(x.num * y.den + y.num * x.den, x.den * y.den));
        expect(Q.sub(x, y)).toEqual(Q.rat(x.num * y.den - y.num * x.den, x.den * y.den));
      }),
      { seed: 16, numRuns: 2000 },
    );
  });

  it("x - x is exactly 0 and x + 0 is x", () => {
    fc.assert(
      fc.property(fraction, (x) => {
        expect(Q.sub(x, x)).toEqual(Q.ZERO);
        expect(Q.add(x, Q.ZERO)).toEqual(x);
      }),
      { seed: 16, numRuns: 500 },
    );
  });
});
