/**
 * `cancel`, `fraction` and `polyGcd`: an expression as a rational function p/q of its
 * generators (see generators.ts), reduced so that gcd(p, q) = 1, like SymPy's `cancel`:
 *   (x^2-1)/(x-1)       → x + 1
 *   (x*y + x)/x^2       → (y + 1)/x
 *   (2*x+2)/(4*x)       → 1/2 * (x + 1) * x^-1
 * Normal form: c · P / Q with P and Q expanded, coprime, with coprime integer
 * coefficients, Q's lex-leading coefficient positive (generators in the canonical
 * expression order) and c rational; the numerator of c is multiplied into P, its
 * denominator stays a factor. A polynomial (Q = 1) is returned expanded. So two
 * expressions equal as rational functions of the same atoms cancel to the same node.
 *
 * Arguments of atoms (`exp(…)`, `x^y`, `sum(…)` …) are cancelled too. Past the budget
 * in `CANCEL_LIMITS` a node is returned unchanged.
 */
import { children, type Expr } from "../../core/expr.js";
import { MINUS_ONE, mulAll, num, ONE, pow, rebuild } from "../../core/build.js";
import { checkDepth } from "../../core/limits.js";
import * as Q from "../../core/rational.js";
import type { Rational } from "../../core/rational.js";
import { broadcastShape } from "../../core/shape.js";
import { BudgetExceeded, cancelBudget, strictCancelBudget, withBudget } from "./budget.js";
import { decompose, Generators } from "./generators.js";
import { gcdPoly } from "./gcd.js";
import { monoInverse } from "./monomial.js";
import {
  constFrac,
  denominatorOf,
  fracOf,
  generatorInverse,
  invertFrac,
  powFrac,
  productFracs,
  renumberFrac,
  sumFracs,
  type Frac,
} from "./fraction.js";
import {
  constantOf,
  divExact,
  genPoly,
  isZeroPoly,
  mulPoly,
  normalizePoly,
  ONE_POLY,
  rationalContent,
  scalePoly,
  singleTerm,
  ZERO_POLY,
  type Poly,
} from "./polynomial.js";
import { isStructural, withShape } from "./shape.js";
import { bottomUp, type Parts } from "../../core/traverse.js";

/** Integer exponents beyond this are left to an opaque atom. */
const MAX_RATIONAL_POWER = 1_000_000n;

export function cancel(e: Expr): Expr {
  checkDepth(e.depth);
  return withBudget(cancelBudget(), () => new Canceller().deep(e));
}

/**
 * The numerator and denominator of `cancel(e)`, each expanded (the denominator is 1
 * for a polynomial). Past the budget: [e, 1].
 */
export function fraction(e: Expr): [Expr, Expr] {
  checkDepth(e.depth);
  return withBudget(cancelBudget(), () => {
    const c = new Canceller();
    try {
      const gens = new Generators();
      const r = c.reduced([e], gens)[0]!;
      const [n, d] = splitReduced(r);
      return [withShape(gens.toExpr(n), e.shape), gens.toExpr(d)];
    } catch (err) {
      if (err instanceof BudgetExceeded) return [e, ONE];
      throw err;
    }
  });
}

/**
 * The greatest common divisor of two polynomials in their common atoms, normalized
 * (coprime integer coefficients, positive leading coefficient): gcd(x^2-1, x^2+2x+1)
 * = x + 1. For rational functions it is gcd(numerators)/lcm(denominators). Too large
 * a computation is a `JacobiError("limit")`.
 */
export function polyGcd(a: Expr, b: Expr): Expr {
  checkDepth(Math.max(a.depth, b.depth));
  return withBudget(strictCancelBudget(), () => {
    const gens = new Generators();
    const [ra, rb] = new Canceller().reduced([a, b], gens);
    const g = gcdPoly(ra!.p, rb!.p);
    // lcm(qa, qb) = qa·qb / gcd(qa, qb)
    const l = divExact(mulPoly(ra!.q, rb!.q), gcdPoly(ra!.q, rb!.q))!;
    const shape = broadcastShape(a.shape, b.shape);
    const r = toExprOf({ c: Q.ONE, p: g, q: l }, gens);
    return shape ? withShape(r, shape) : r;
  });
}

/** c·p/q: p and q coprime and primitive, q's leading coefficient positive. */
interface Reduced {
  readonly c: Rational;
  readonly p: Poly;
  readonly q: Poly;
}

function reduce(f: Frac): Reduced {
  const n = f.num;
  if (isZeroPoly(n)) return { c: Q.ZERO, p: ZERO_POLY, q: ONE_POLY };
  const d = denominatorOf(f);
  const g = constantOf(d) === undefined ? gcdPoly(n, d) : ONE_POLY;
  const [cq, q] = normalizePoly(divExact(d, g)!);
  const p0 = divExact(n, g)!;
  const cp = rationalContent([p0]);
  return { c: Q.div(cp, cq), p: scalePoly(p0, Q.div(Q.ONE, cp)), q };
}

/** The numerator and denominator polynomials: the numerator of c joins p, its denominator q. */
function splitReduced(r: Reduced): [Poly, Poly] {
  if (constantOf(r.q) !== undefined) return [scalePoly(r.p, r.c), ONE_POLY];
  return [scalePoly(r.p, Q.rat(r.c.num)), scalePoly(r.q, Q.rat(r.c.den))];
}

function toExprOf(r: Reduced, gens: Generators): Expr {
  if (constantOf(r.q) !== undefined) return gens.toExpr(scalePoly(r.p, r.c));
  const t = singleTerm(r.q);
  const inverse = t ? gens.termToExpr(monoInverse(t.mono), Q.div(Q.ONE, t.coeff)) : pow(gens.toExpr(r.q), MINUS_ONE);
  return mulAll([num(Q.rat(1n, r.c.den)), gens.toExpr(scalePoly(r.p, Q.rat(r.c.num))), inverse]);
}

/** What `frac` walks structurally and what it cancels separately (atoms' arguments). */
const cancelParts: Parts = (e) => {
  switch (e.kind) {
    case "num":
      return [[], []];
    case "add":
      return [e.terms, []];
    case "mul":
      return [e.factors, []];
    case "pow":
      if (e.exponent.kind === "num" && e.base.kind !== "num" && Q.isInteger(e.exponent.value)) return [[e.base], []];
      return [[], [e.base, e.exponent]];
    default:
      return [[], children(e)];
  }
};

/** Rational functions of expressions, with atoms' arguments cancelled (memoized). */
class Canceller {
  private readonly memo = new Map<Expr, Expr>();

  /** The cancelled form of e (memoized; atoms' arguments first, without recursion). */
  deep(e: Expr): Expr {
    const known = this.memo.get(e);
    if (known) return known;
    bottomUp(e, cancelParts, (n) => this.memo.has(n), (n) => this.memo.set(n, this.node(n)));
    return this.memo.get(e)!;
  }

  private node(e: Expr): Expr {
    try {
      const gens = new Generators();
      return withShape(toExprOf(this.reduced([e], gens)[0]!, gens), e.shape);
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      return e;
    }
  }

  /** The reduced forms of expressions over one generator table (sorted canonically). */
  reduced(list: readonly Expr[], gens: Generators): Reduced[] {
    const fracs = list.map((e) => this.frac(e, gens, false));
    const map = gens.sortCanonically();
    return fracs.map((f) => reduce(renumberFrac(f, map)));
  }

  /** e as a rational function; `processed`: e's atoms already have cancelled arguments. */
  private frac(e: Expr, gens: Generators, processed: boolean): Frac {
    switch (e.kind) {
      case "num":
        return constFrac(e.value);
      case "add":
        return sumFracs(e.terms.map((t) => this.frac(t, gens, processed)));
      case "mul":
        return productFracs(e.factors.map((f) => this.frac(f, gens, processed)));
      case "pow": {
        const { base, exponent } = e;
        if (exponent.kind !== "num" || base.kind === "num" || !Q.isInteger(exponent.value)) break;
        const k = exponent.value.num;
        if (k > MAX_RATIONAL_POWER || -k > MAX_RATIONAL_POWER) break;
        const f = this.frac(base, gens, processed);
        // u^-k = (1/u)^k; 1/0 stays an atom
        if (k < 0n && isZeroPoly(f.num)) break;
        return powFrac(k < 0n ? invertFrac(f) : f, Number(k < 0n ? -k : k));
      }
      default:
        break;
    }
    return this.atom(e, gens, processed);
  }

  private atom(e: Expr, gens: Generators, processed: boolean): Frac {
    const a = processed ? e : rebuild(e, children(e).map((c) => this.deep(c)));
    if (a !== e && isStructural(a)) return this.frac(a, gens, true);
    const d = decompose(a);
    const g = gens.id(d.root);
    return d.power >= 0 ? fracOf(genPoly(g, d.power)) : generatorInverse(g, -d.power);
  }
}
