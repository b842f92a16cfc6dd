/**
 * Polynomial and rational-function algebra for the simplifier.
 *
 * An expression is read as a polynomial (or a quotient of two) with exact rational
 * coefficients in its generators: every subexpression that is not a number, a sum,
 * a commutative product or a numeric power is an opaque atom (`x`, `exp(x)`,
 * `sqrt(x)`, `x^y`, `x[i]`, `A*B` …), with related atoms sharing a generator
 * (`exp(2x) = exp(x)^2`, `x^(3/2) = (x^(1/2))^3`; see poly/generators.ts). Products
 * are the commutative `mul` node (scalar or elementwise), so this is valid for
 * elementwise expressions of any shape; `matmul` nodes are atoms.
 *
 * - `expand`   distributes products and non-negative integer powers over sums.
 * - `together` puts a sum of fractions over a common denominator (structurally).
 * - `cancel`   reduces p/q to lowest terms (multivariate GCD), normalized.
 * - `fraction` the numerator and denominator of `cancel`.
 * - `polyGcd`  the GCD of two polynomials.
 * The polynomial layer (sparse polynomials, `gcdPoly`, `divExact`) is exported for
 * tests and other passes.
 */
export { expand } from "./poly/expand.js";
export { together } from "./poly/together.js";
export { cancel, fraction, polyGcd } from "./poly/cancel.js";
export { CANCEL_LIMITS } from "./poly/budget.js";
export { gcdPoly, gcdPolyPrs } from "./poly/gcd.js";
export { heuristicGcd } from "./poly/heuristic.js";
export { decompose, Generators } from "./poly/generators.js";
export {
  addPoly,
  constPoly,
  divExact,
  equalPoly,
  genPoly,
  isZeroPoly,
  mulPoly,
  normalizePoly,
  powPoly,
  subPoly,
  type Poly,
  type Term,
} from "./poly/polynomial.js";
