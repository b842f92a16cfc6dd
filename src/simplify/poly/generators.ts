/**
 * Generators: the opaque atoms a polynomial is written in (`x`, `exp(x)`, `sqrt(y)`,
 * `x^n`, `x[i]`, `A*B`, …). Like SymPy's `decompose_power`, an atom with a rational
 * coefficient in its exponent is a power of a simpler generator, so related atoms
 * share one:
 *   u^(p/q·t)  = (u^(t/q))^p      e.g. x^(3/2) = (x^(1/2))^3, x^(-n) = (x^n)^-1
 *   exp(p/q·t) = exp(t/q)^p       e.g. exp(2x) = exp(x)^2, exp(-x) = exp(x)^-1
 *   exp(u)^r   = exp(r·u)         for a numeric r (exp is positive)
 * and converting back turns exp(t)^k into exp(k·t).
 */
import { call, mul, mulAll, num, ONE, pow, splitCoefficient, addAll } from "../../core/build.js";
import type { Expr } from "../../core/expr.js";
import { compareExpr } from "../../core/order.js";
import * as Q from "../../core/rational.js";
import type { Mono } from "./monomial.js";
import type { Poly, Term } from "./polynomial.js";

/** Powers of one generator beyond this stay inside an opaque atom. */
const MAX_GENERATOR_POWER = 1_000_000n;

export interface Decomposed {
  /** The generator's expression. */
  readonly root: Expr;
  /** The atom is root^power. */
  readonly power: number;
}

const isExp = (e: Expr): boolean => e.kind === "call" && e.fn === "exp";

/** exp(arg) as a power of exp(t/q). */
function expPower(arg: Expr): Decomposed {
  const [c, t] = splitCoefficient(arg);
  if (c.num > MAX_GENERATOR_POWER || -c.num > MAX_GENERATOR_POWER) return { root: call("exp", arg), power: 1 };
  const scale = num(Q.rat(1n, c.den));
  return { root: call("exp", t === ONE ? scale : mul(scale, t)), power: Number(c.num) };
}

/** An atom (not a number, sum or product) as generator^power. */
export function decompose(e: Expr): Decomposed {
  if (isExp(e) && e.kind === "call") return expPower(e.arg);
  if (e.kind !== "pow" || e.base.kind === "num") return { root: e, power: 1 };
  const { base, exponent } = e;
  if (base.kind === "call" && isExp(base) && exponent.kind === "num") return expPower(mul(exponent, base.arg));
  const [c, t] = splitCoefficient(exponent);
  if (c.num > MAX_GENERATOR_POWER || -c.num > MAX_GENERATOR_POWER) return { root: e, power: 1 };
  const scale = num(Q.rat(1n, c.den));
  const root = t === ONE ? (c.den === 1n ? base : pow(base, scale)) : pow(base, mul(scale, t));
  return { root, power: Number(c.num) };
}

/** The generators of one conversion, numbered in order of discovery. */
export class Generators {
  readonly roots: Expr[] = [];
  private readonly index = new Map<Expr, number>();

  /** The number of a generator, adding it when new. */
  id(root: Expr): number {
    let g = this.index.get(root);
    if (g === undefined) {
      g = this.roots.length;
      this.roots.push(root);
      this.index.set(root, g);
    }
    return g;
  }

  /** root^k as an expression: exp(t)^k is exp(k·t), other roots a power. */
  power(g: number, k: number): Expr {
    const root = this.roots[g]!;
    if (root.kind === "call" && root.fn === "exp") return call("exp", mul(num(k), root.arg));
    return k === 1 ? root : pow(root, num(k));
  }

  /**
   * Renumbers the generators in the canonical expression order (so that normal forms
   * do not depend on the order of discovery). Returns `map[old] = new`.
   */
  sortCanonically(): number[] {
    const order = this.roots.map((_, k) => k).sort((a, b) => compareExpr(this.roots[a]!, this.roots[b]!));
    const map: number[] = [];
    order.forEach((old, k) => (map[old] = k));
    const sorted = order.map((k) => this.roots[k]!);
    this.index.clear();
    sorted.forEach((r, k) => {
      this.roots[k] = r;
      this.index.set(r, k);
    });
    return map;
  }

  /** A monomial with a coefficient as an expression. */
  termToExpr(mono: Mono, coeff: Q.Rational): Expr {
    const factors: Expr[] = [num(coeff)];
    for (let i = 0; i < mono.length; i += 2) factors.push(this.power(mono[i]!, mono[i + 1]!));
    return mulAll(factors);
  }

  /** A polynomial as an expression (a sum of monomials; the builders order it). */
  toExpr(p: Poly): Expr {
    const terms: Expr[] = [];
    for (const t of p.values() as Iterable<Term>) terms.push(this.termToExpr(t.mono, t.coeff));
    return terms.length === 0 ? num(0) : addAll(terms);
  }
}
