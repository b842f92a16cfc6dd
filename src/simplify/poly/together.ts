/**
 * `together`: a sum of fractions over one common denominator, structurally (no
 * expansion, no GCD), like SymPy's `together`:
 *   1/x + 1/y               → (x + y) / (x*y)
 *   x/2 + 1/y               → (x*y + 2) / (2*y)
 *   1/(x+1) + 1/(x+1)^2     → (x + 2) / (x+1)^2
 *   1/sqrt(x) + 1           → (sqrt(x) + 1) / sqrt(x)
 * A denominator factor is a power with a negative numeric exponent (or a rational
 * coefficient's denominator); the common denominator takes each base to the largest
 * such power. Applied bottom-up everywhere (function arguments too). A number alone
 * over a sum is distributed again by the builders (`(3*x + 2*y)/6` is `x/2 + y/3`).
 */
import { addAll, mapBottomUp, mulAll, num, pow } from "../../core/build.js";
import type { Expr } from "../../core/expr.js";
import * as Q from "../../core/rational.js";
import type { Rational } from "../../core/rational.js";
import { withShape } from "./shape.js";

export const together = (e: Expr): Expr => mapBottomUp(e, (r) => (r.kind === "add" ? withShape(combine(r.terms), r.shape) : r));

/** A term c · Π numerator / Π base^exponent (exponents > 0). */
interface Split {
  readonly coeff: Rational;
  readonly numerator: readonly Expr[];
  readonly denominator: ReadonlyMap<Expr, Rational>;
}

function split(t: Expr): Split {
  let coeff = Q.ONE;
  const numerator: Expr[] = [];
  const denominator = new Map<Expr, Rational>();
  for (const f of t.kind === "mul" ? t.factors : [t]) {
    if (f.kind === "num") coeff = Q.mul(coeff, f.value);
    else if (f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value))
      denominator.set(f.base, Q.neg(f.exponent.value));
    else numerator.push(f);
  }
  return { coeff, numerator, denominator };
}

const lcmBig = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
};

/** Σ cᵢ·nᵢ/dᵢ = (Σ cᵢ·L·nᵢ/dᵢ) / L, each base of L at its largest exponent. */
function combine(terms: readonly Expr[]): Expr {
  const parts = terms.map(split);
  const common = new Map<Expr, Rational>();
  let lcm = 1n;
  for (const p of parts) {
    lcm = lcmBig(lcm, p.coeff.den);
    for (const [base, k] of p.denominator) {
      const prev = common.get(base);
      if (!prev || Q.compare(k, prev) > 0) common.set(base, k);
    }
  }
  if (common.size === 0 && lcm === 1n) return addAll(terms);
  const numerators = parts.map((p) => {
    const factors: Expr[] = [num(Q.mul(p.coeff, Q.rat(lcm))), ...p.numerator];
    for (const [base, k] of common) {
      const missing = Q.sub(k, p.denominator.get(base) ?? Q.ZERO);
      if (!Q.isZero(missing)) factors.push(pow(base, num(missing)));
    }
    return mulAll(factors);
  });
  const denominator: Expr[] = [num(Q.rat(1n, lcm))];
  for (const [base, k] of common) denominator.push(pow(base, num(Q.neg(k))));
  return mulAll([addAll(numerators), ...denominator]);
}
