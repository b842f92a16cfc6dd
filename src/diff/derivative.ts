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
import { MATRIX_FUNCTIONS } from "../core/functions.js";
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
    case "matfn":
      return e.fn === "det" ? "derivative of a determinant" : "derivative of an inverse";
    case "series":
      return "linearity of Σ";
    default:
      return "constant";
  }
}

const lawOf = (e: Expr): { law?: string } => (e.kind === "call" ? { law: lawText(e.fn) } : e.kind === "matfn" ? { law: MATRIX_FUNCTIONS[e.fn].law.text } : {});

/** A reusable differentiator: one memo per target, shared across many expressions. */
export class Differentiator {
  private readonly memo = new Map<Expr, Expr>();
  private fresh = 0;
  constructor(
    readonly target: Target,
    private readonly trace?: Tracer,
    /** Lowers a matrix-level argument of det or inv to its entry (r, c) (calculus passes the Lowerer). */
    private readonly lowerArg?: (a: Expr, r: Index, c: Index) => Expr,
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
      case "matfn":
        return this.matrixFunction(e);
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

  /**
   * The Matrix Cookbook's differentials in index form, dA[p,q] from the argument lowered:
   *   d det(A)      = det(A) Σ_p Σ_q inv(A)[q,p] dA[p,q]
   *   d inv(A)[i,j] = -Σ_p Σ_q inv(A)[i,p] dA[p,q] inv(A)[q,j]
   */
  private matrixFunction(e: Extract<Expr, { kind: "matfn" }>): Expr {
    if (!this.lowerArg) throw new JacobiError("unsupported", `the element-wise view does not expand ${e.fn} (a function of a whole matrix); without --elementwise the derivative has its matrix form`);
    const n = e.arg.shape.rows;
    const [p, q] = [`p${++this.fresh}`, `q${this.fresh}`];
    const dA = this.d(this.lowerArg(e.arg, p, q));
    if (dA === B.ZERO) return B.ZERO;
    const matrix = e.fn === "det" ? B.inv(e.arg) : B.matfnBase(e);
    if (matrix.kind !== "matfn") throw new Error("internal: the inverse of a matrix function's argument");
    const at = (r: Index, c: Index): Expr => B.matfnAt(matrix, r, c);
    const sum = (body: Expr): Expr => B.series(p, n, B.series(q, n, body));
    if (e.fn === "det") return B.mul(e, sum(B.mul(at(q, p), dA)));
    return B.neg(sum(B.mulAll([at(e.at[0]!, p), dA, at(q, e.at[1]!)])));
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
