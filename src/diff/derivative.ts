/**
 * Symbolic differentiation of scalar expressions — plain scalars and the index form —
 * with respect to a scalar name or an entry `x[a]`:
 *   d x[i] / d x[a] = δ(i,a),   d W[p,q] / d W[a,b] = δ(p,a) δ(q,b).
 * Everything else is ordinary calculus: sum, product, power and chain rules, and the
 * function table (core/functions.ts, through rules.ts). Results are memoized on the
 * interned nodes, so a shared subexpression is differentiated once per target.
 */
import * as B from "../core/build.js";
import { JacobiError } from "../core/errors.js";
import { assertNever, type Expr, type Index } from "../core/expr.js";
import { checkDepth } from "../core/limits.js";
import { namesOf } from "../core/names.js";
import type { Tracer } from "../core/trace.js";
import { derivativeOf, lawText } from "./rules.js";

/** What to differentiate by: a scalar name, or an entry of a vector or matrix. */
export type Target = { readonly kind: "sym"; readonly name: string } | { readonly kind: "entry"; readonly name: string; readonly at: readonly Index[] };

export const symTarget = (name: string): Target => ({ kind: "sym", name });
export const entryTarget = (name: string, at: readonly Index[]): Target => ({ kind: "entry", name, at });

/** The name of the rule that differentiates this kind of node. */
function ruleName(e: Expr): string {
  switch (e.kind) {
    case "sym":
    case "entry":
      return "variable";
    case "add":
      return "sum rule";
    case "mul":
      return e.factors.some((f) => f.kind === "pow" && f.exponent.kind === "num" && f.exponent.value.num < 0n) ? "quotient rule" : "product rule";
    case "pow":
      return "power rule";
    case "call":
      return "chain rule";
    case "series":
      return "linearity of Σ";
    default:
      return "constant";
  }
}

const lawOf = (e: Expr): { law?: string } => (e.kind === "call" ? { law: lawText(e.fn) } : {});

/** A reusable differentiator: one memo per target, shared across many expressions. */
export class Differentiator {
  private readonly memo = new Map<Expr, Expr>();
  constructor(
    readonly target: Target,
    private readonly trace?: Tracer,
  ) {}

  /** d e / d target. */
  of(e: Expr): Expr {
    checkDepth(e.depth);
    return this.d(e);
  }

  private d(e: Expr): Expr {
    if (!namesOf(e).has(this.target.name)) return B.ZERO;
    const known = this.memo.get(e);
    if (known) return known;
    const r = this.rule(e);
    this.memo.set(e, r);
    if (this.trace) this.trace({ kind: "derivative", rule: ruleName(e), ...lawOf(e), before: e, after: r });
    return r;
  }

  private rule(e: Expr): Expr {
    const t = this.target;
    switch (e.kind) {
      case "num":
      case "delta":
      case "eye":
        return B.ZERO;
      case "sym":
        // d x / d x = 1
        return t.kind === "sym" && e.name === t.name ? B.ONE : B.ZERO;
      case "entry":
        // d x[i] / d x[a] = δ(i,a);  d W[p,q] / d W[a,b] = δ(p,a) δ(q,b)
        if (t.kind !== "entry" || e.name !== t.name || e.at.length !== t.at.length) return B.ZERO;
        return B.mulAll(e.at.map((i, k) => B.delta(i, t.at[k]!)));
      case "add":
        // d(u + v) = du + dv
        return B.addAll(e.terms.map((u) => this.d(u)));
      case "mul":
        return this.product(e.factors);
      case "pow":
        return this.power(e.base, e.exponent);
      case "call":
        // d f(u) = f'(u) du   (chain rule)
        return B.mul(derivativeOf(e.fn, e.arg), this.d(e.arg));
      case "series":
        // d Σ_k u = Σ_k du
        return B.series(e.index, e.size, this.d(e.body));
      case "matrix":
        return B.matrix(e.shape.rows as number, e.shape.cols as number, e.items.map((u) => this.d(u)));
      case "matmul":
      case "transpose":
      case "sum":
      case "extremum":
      case "diag":
        throw new JacobiError("unsupported", "internal: matrix-level expressions are lowered to index form before differentiating");
      default:
        return assertNever(e);
    }
  }

  /** d(u v w) = du v w + u dv w + u v dw, over the factors that depend on the target. */
  private product(factors: readonly Expr[]): Expr {
    const terms: Expr[] = [];
    factors.forEach((f, k) => {
      const df = this.d(f);
      if (df === B.ZERO) return;
      terms.push(B.mulAll([...factors.slice(0, k), ...factors.slice(k + 1), df]));
    });
    return B.addAll(terms);
  }

  private power(u: Expr, v: Expr): Expr {
    const du = this.d(u);
    const dv = this.d(v);
    // d u^c = c u^(c-1) du
    if (dv === B.ZERO) return B.mul(v, B.pow(u, B.sub(v, B.ONE)), du);
    // d 0^v = 0 where 0^v is defined (v > 0: 0^v = 0 there); log(0) would have no value
    if (du === B.ZERO && u === B.ZERO) return B.ZERO;
    // d c^v = c^v log(c) dv
    if (du === B.ZERO) return B.mul(B.pow(u, v), B.call("log", u), dv);
    // d u^v = u^v (dv log(u) + v du / u)
    return B.mul(B.pow(u, v), B.add(B.mul(dv, B.call("log", u)), B.mul(v, du, B.pow(u, B.MINUS_ONE))));
  }
}

/** d e / d target, with a fresh memo. */
export const derivative = (e: Expr, target: Target): Expr => new Differentiator(target).of(e);
