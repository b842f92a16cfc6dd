/**
 * `expand`: distribute products and non-negative integer powers over sums,
 * everywhere (inside function arguments, sums, series bodies … too), like SymPy's
 * `expand` without its exp/log rules:
 *   (x+1)^2          → x^2 + 2*x + 1
 *   (x+1)^-2         → 1/(x^2 + 2*x + 1)        (the denominator is expanded, kept whole)
 *   (x+1)^(3/2)      → x*(x+1)^(1/2) + (x+1)^(1/2)
 *   (x+1)*(x+2)/x    → x + 3 + 2/x               (atoms may have negative exponents)
 * Sizes are bounded: more than `LIMITS.maxNodes` terms or term products is a
 * `JacobiError("limit")`.
 */
import { withExactBudget } from "../../core/rational.js";
import { children, type Expr, type Pow } from "../../core/expr.js";
import { num, pow, rebuild } from "../../core/build.js";
import { checkDepth } from "../../core/limits.js";
import * as Q from "../../core/rational.js";
import { expandBudget, refuse, withBudget } from "./budget.js";
import { decompose, Generators } from "./generators.js";
import { monoInverse } from "./monomial.js";
import {
  constPoly,
  genPoly,
  mulPoly,
  powPoly,
  productPolys,
  singleTerm,
  sumPolys,
  termPoly,
  type Poly,
} from "./polynomial.js";
import { isStructural, withShape } from "./shape.js";
import { bottomUp, type Parts } from "../../core/traverse.js";

/** Integer exponents beyond this are left to an opaque atom. */
const MAX_EXPANDED_POWER = 1_000_000n;

export function expand(e: Expr): Expr {
  checkDepth(e.depth);
  return withBudget(expandBudget(), () => withExactBudget("the expansion", () => new Expander().deep(e)));
}

/** What `laurent` walks structurally and what it expands separately (atoms' arguments). */
const expandParts: Parts = (e) => {
  switch (e.kind) {
    case "num":
      return [[], []];
    case "add":
      return [e.terms, []];
    case "mul":
      return [e.factors, []];
    case "pow":
      if (e.exponent.kind === "num" && e.base.kind !== "num")
        return Q.isInteger(e.exponent.value) ? [[e.base], []] : [[], [e.base]];
      return [[], [e.base, e.exponent]];
    default:
      return [[], children(e)];
  }
};

/** Laurent polynomials of an expression, with one generator table per call. */
class Expander {
  private readonly gens = new Generators();
  private readonly memo = new Map<Expr, Expr>();

  /** The expanded form of e (memoized; atoms' arguments first, without recursion). */
  deep(e: Expr): Expr {
    const known = this.memo.get(e);
    if (known) return known;
    bottomUp(e, expandParts, (n) => this.memo.has(n), (n) => {
      this.memo.set(n, withShape(this.gens.toExpr(this.laurent(n, false)), n.shape));
    });
    return this.memo.get(e)!;
  }

  /**
   * e as a Laurent polynomial. `processed`: e's atoms already have expanded
   * arguments (e was built from expanded parts), so they are not visited again.
   */
  private laurent(e: Expr, processed: boolean): Poly {
    switch (e.kind) {
      case "num":
        return constPoly(e.value);
      case "add":
        return sumPolys(e.terms.map((t) => this.laurent(t, processed)));
      case "mul":
        return productPolys(e.factors.map((f) => this.laurent(f, processed)));
      case "pow":
        return this.power(e, processed);
      default:
        return this.atom(e, processed);
    }
  }

  private atom(e: Expr, processed: boolean): Poly {
    const a = processed ? e : rebuild(e, children(e).map((c) => this.deep(c)));
    if (a !== e && isStructural(a)) return this.laurent(a, true);
    const d = decompose(a);
    return genPoly(this.gens.id(d.root), d.power);
  }

  private power(e: Pow, processed: boolean): Poly {
    const { base, exponent } = e;
    if (exponent.kind !== "num" || base.kind === "num") return this.atom(e, processed);
    const v = exponent.value;
    if (Q.isInteger(v)) {
      const u = this.laurent(base, processed);
      if (v.num > MAX_EXPANDED_POWER || -v.num > MAX_EXPANDED_POWER) {
        // A huge power of a monomial stays an atom; of a sum it cannot be expanded.
        if (u.size === 1) return this.atom(e, processed);
        refuse(`a power ${Q.toString(v)} of a sum`);
      }
      const k = Number(v.num);
      // u^k = u·u·…·u;  u^-k = 1/(u^k) with u^k expanded
      const p = powPoly(u, Math.abs(k));
      return k >= 0 ? p : this.reciprocal(p);
    }
    const b = processed ? base : this.deep(base);
    if (b.kind !== "add") {
      const a = processed ? e : pow(b, exponent);
      if (a.kind !== "pow") return this.laurent(a, true);
      const d = decompose(a);
      return genPoly(this.gens.id(d.root), d.power);
    }
    if (Q.isNegative(v)) return this.reciprocal(this.power(pow(b, num(Q.neg(v))) as Pow, true));
    // u^(n + r) = u^n · u^r for 0 < r < 1: the integer part expands.
    const n = v.num / v.den;
    const rest = decompose(pow(b, num(Q.sub(v, Q.rat(n)))));
    return mulPoly(powPoly(this.laurent(b, true), Number(n)), genPoly(this.gens.id(rest.root), rest.power));
  }

  /** 1/p: a monomial inverts; a longer polynomial becomes the atom (p)^-1. */
  private reciprocal(p: Poly): Poly {
    const t = singleTerm(p);
    if (t) return termPoly(monoInverse(t.mono), Q.div(Q.ONE, t.coeff));
    // 1/0 stays an (undefined) atom.
    return genPoly(this.gens.id(this.gens.toExpr(p)), -1);
  }
}
