/**
 * The display structure both printers share, so text and LaTeX make the same choices:
 * - the precedence table of the written language;
 * - the order in which a sum's terms are shown (positive terms first);
 * - how a product splits into sign, numeric coefficient, numerator and denominator.
 *
 * Display nodes (a denominator factor with its exponent negated, `ones(n)` split off a
 * filled constant) are made with the canonical builders; nothing here changes a value.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import * as Q from "../core/rational.js";
import type { Rational } from "../core/rational.js";
import { SCALAR } from "../core/shape.js";

// ---------------------------------------------------------------------------
// Precedence

/**
 * Binding strength, loosest first. A child printed in a position that needs more
 * than the child's own precedence is parenthesized.
 */
export const PREC = {
  /** `a + b`, `a - b` */
  sum: 1,
  /** `a*b`, `a/b`, `a .* b`, `a ./ b`, matrix products (left associative) */
  product: 2,
  /** `-a` (binds looser than `^`: `-x^2` is `-(x^2)`) */
  unary: 3,
  /** `a^b`, `a.^b` (right associative) */
  power: 4,
  /** `a'` */
  postfix: 5,
  /** names, calls, numbers ≥ 0 that are integers, brackets */
  atom: 6,
} as const;
export type Prec = (typeof PREC)[keyof typeof PREC];

// ---------------------------------------------------------------------------
// Products

/** A product as it is written: `-3*a*x/(2*b)` is negative, 3/2, [a, x], [b]. */
export interface ProductParts {
  readonly negative: boolean;
  /** |coefficient| as p/q (1 when there is none). */
  readonly coefficient: Rational;
  /** Factors above the line, in canonical order. */
  readonly numerator: readonly Expr[];
  /** Factors below the line (exponents made positive), in canonical order. */
  readonly denominator: readonly Expr[];
}

/** A scalar numeric exponent below zero: such a power is written below the line. */
function negativeExponent(f: Expr): Rational | undefined {
  if (f.kind !== "pow" || f.exponent.kind !== "num" || f.exponent.shape !== SCALAR) return undefined;
  return Q.isNegative(f.exponent.value) ? f.exponent.value : undefined;
}

/**
 * Splits any expression into the parts of a written product. A plain expression is
 * a product of one factor; a number is a coefficient alone; a filled constant `c*ones(n)`
 * is the coefficient c times `ones(n)`.
 */
export function splitProduct(e: Expr): ProductParts {
  let coefficient = Q.ONE;
  const numerator: Expr[] = [];
  const denominator: Expr[] = [];
  const visit = (f: Expr): void => {
    if (f.kind === "num" && f.shape !== SCALAR && Q.isZero(f.value)) {
      // zeros(...) stands as it is
      numerator.push(f);
      return;
    }
    if (f.kind === "num") {
      coefficient = Q.mul(coefficient, f.value);
      // a filled constant keeps its shape as a factor: 3*ones(n)
      if (f.shape !== SCALAR) numerator.push(B.num(1, f.shape));
      return;
    }
    const k = negativeExponent(f);
    if (k !== undefined && f.kind === "pow") {
      // u^-k = 1/u^k (unless u^k folds to a number, as 0^1 does: then `0^(-1)` stays)
      const below = B.pow(f.base, B.num(Q.neg(k)));
      if (below.kind !== "num") {
        denominator.push(below);
        return;
      }
    }
    numerator.push(f);
  };
  if (e.kind === "mul") for (const f of e.factors) visit(f);
  else visit(e);
  return {
    negative: Q.isNegative(coefficient),
    coefficient: Q.abs(coefficient),
    numerator,
    denominator,
  };
}

/** True when the parts are a single factor with nothing around it. */
export const isBareFactor = (p: ProductParts): boolean =>
  !p.negative && Q.isOne(p.coefficient) && p.numerator.length === 1 && p.denominator.length === 0;

// ---------------------------------------------------------------------------
// Sums

/** A sum's term as shown: its sign and its product parts with the sign removed. */
export interface DisplayTerm {
  readonly negative: boolean;
  readonly parts: ProductParts;
}

const isConstantTerm = (t: Expr): boolean => t.kind === "num";

/**
 * The order a sum's terms are shown in: positive non-constant terms (canonical order),
 * a positive constant, negative non-constant terms, a negative constant.
 * So `x + 1`, `1 - x`, `s*sum(y) - y`, `diag(s) - s*s'`.
 *
 * A sum keeps its constant as a scalar, so when no term has the sum's shape, the
 * shape is shown on the constant: `a + ones(n)`; with no constant, `a + b + zeros(n)`
 * (such sums arise when broadcast constants cancel).
 */
export function sumDisplayOrder(e: Extract<Expr, { kind: "add" }>): DisplayTerm[] {
  const shapedElsewhere = e.terms.some((t) => t.shape === e.shape);
  const hasConstant = e.terms.some(isConstantTerm);
  const terms = shapedElsewhere || hasConstant ? e.terms : [...e.terms, B.num(0, e.shape)];
  const groups: DisplayTerm[][] = [[], [], [], []];
  for (const t of terms) {
    const constant = isConstantTerm(t);
    const shown = constant && !shapedElsewhere && t.kind === "num" ? B.num(t.value, e.shape) : t;
    const parts = splitProduct(shown);
    const group = (parts.negative ? 2 : 0) + (constant ? 1 : 0);
    groups[group]!.push({ negative: parts.negative, parts: { ...parts, negative: false } });
  }
  return groups.flat();
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/**
 * A vector or matrix sum whose terms' numbers are whole with a common divisor above 1,
 * shown as that number times the sum divided by it: `2*(W1*z2) - 2*y` is written
 * `2*(W1*z2 - y)`, which the parser reads back as the same sum (the builders multiply a
 * number into a sum); with every term negative, the number is negative: `-2*(u + v)`.
 * Scalar sums are shown as they are.
 */
export function sumContent(e: Extract<Expr, { kind: "add" }>): { readonly factor: bigint; readonly terms: DisplayTerm[] } | undefined {
  if (e.shape === SCALAR) return undefined;
  const shown = sumDisplayOrder(e);
  let g = 0n;
  for (const t of shown) {
    if (t.parts.coefficient.den !== 1n) return undefined;
    g = gcd(t.parts.coefficient.num, g);
  }
  if (g < 2n) return undefined;
  const flip = shown.every((t) => t.negative);
  return { factor: flip ? -g : g, terms: shown.map((t) => ({ negative: t.negative !== flip, parts: { ...t.parts, coefficient: Q.rat(t.parts.coefficient.num / g) } })) };
}

/**
 * How each factor of a written product joins the ones before it, left to right:
 * elementwise (`.*`, `\odot`) when the product so far and the factor are both
 * non-scalar, else scaling (`*`, juxtaposition). Reading left to right this is what
 * the parser does: `x*a .* y` is `(x*a) .* y`, while `x*a*y` would be a matrix product.
 */
export function elementwiseJoins(scalar: readonly boolean[]): boolean[] {
  let soFarScalar = true;
  return scalar.map((isScalar, k) => {
    const elementwise = k > 0 && !soFarScalar && !isScalar;
    soFarScalar = soFarScalar && isScalar;
    return elementwise;
  });
}

// ---------------------------------------------------------------------------
// Small shared helpers

/** `u^(1/2)` with a scalar exponent is written as a square root. */
export const isSquareRoot = (e: Expr): boolean =>
  e.kind === "pow" && e.exponent.kind === "num" && e.exponent.shape === SCALAR && Q.equals(e.exponent.value, Q.rat(1, 2));

/** Both operands of a power scalar: `^`; otherwise the elementwise `.^`. */
export const isScalarPower = (e: Extract<Expr, { kind: "pow" }>): boolean => e.base.shape === SCALAR && e.exponent.shape === SCALAR;

/**
 * The named reductions, as the parser builds them: tr(A) = sum(diag(A)) for a square A,
 * norm1(u) = sum(abs(u)), norm2(u) = sqrt(u'*u) for a column u and sqrt(sum(u.^2))
 * otherwise. The printers write these names (the text printer keeps sum(abs(u)) as it is);
 * each parses back to the same expression.
 */
export function namedReduction(e: Expr): { readonly name: "tr" | "norm1" | "norm2"; readonly arg: Expr } | undefined {
  if (e.kind === "sum") {
    const a = e.arg;
    if (a.kind === "diag" && a.arg.shape !== SCALAR && a.arg.shape.rows === a.arg.shape.cols && a.shape.cols === 1) return { name: "tr", arg: a.arg };
    if (a.kind === "call" && a.fn === "abs" && a.shape !== SCALAR) return { name: "norm1", arg: a.arg };
    return undefined;
  }
  if (!isSquareRoot(e) || e.kind !== "pow") return undefined;
  const s = e.base;
  const column = (u: Expr): boolean => u.shape !== SCALAR && u.shape.cols === 1;
  if (s.kind === "sum" && s.arg.kind === "pow" && s.arg.base.shape !== SCALAR && !column(s.arg.base) && s.arg.exponent.kind === "num" && Q.equals(s.arg.exponent.value, Q.rat(2)))
    return { name: "norm2", arg: s.arg.base };
  if (s.kind === "matmul" && s.factors.length === 2 && column(s.factors[1]!) && s.factors[0] === B.transpose(s.factors[1]!))
    return { name: "norm2", arg: s.factors[1]! };
  return undefined;
}
