/**
 * Recognizing the numerically stable forms before lowering. Each recognized
 * subexpression is replaced by a placeholder name (`$softmax1`, …: `$` cannot occur in
 * a user's name) whose meaning is kept here:
 *   exp(u) * sum(exp(u))^-1        -> softmax(u)      max-shifted: exp(u - m)/Σ exp(u - m)
 *   exp(U) .* (exp(U)*ones(n,n))^-1 -> the same of U - R, R = rowmax(U) (each row's maximum; by columns likewise)
 *   log(exp(U)*ones(n,k))          -> R + log(exp(U - R)*ones(n,k))   (softmax(X), logsumexp(X) of a matrix)
 *   log(sum(exp(u)))               -> lse(u)          m + log Σ exp(u - m)
 *   log(softmax(u))                -> logsoftmax(u)   u - lse(u)
 *   log(sigmoid(u))                -> logsigmoid(u)   -(max(-u, 0) + log1p(exp(-|u|)))
 *   log(1 - sigmoid(u))            -> logsigmoid(-u)
 *   log(1 + exp(u))                -> softplus(u)      (its kernel form is stable)
 *   exp(u) * sigmoid(-u)           -> sigmoid(u)       (and exp(u) * (1 + exp(u))^-1)
 *   (c sum(u.^2))^p, (c u'*u)^p    -> c^p norm2(u)^(2p) for p not a positive integer (norms and
 *                                                     their derivatives): m sqrt(Σ (u/m)²), m = max |u|
 * A definition such as `s = exp(x)/sum(exp(x))` is recognized in its body, so `log(s)`
 * is a log-softmax too. One softmax step serves every placeholder over the same u.
 * The recognitions are a rule set run by the rewrite driver (simplify/rewrite.ts). They
 * name exp, log and sigmoid because each is a law about those particular functions; a
 * single function's stable form is its kernel form in the function table.
 */
import * as B from "../core/build.js";
import type { Call, Expr, FnName } from "../core/expr.js";
import { FUNCTION_TABLE, isFnName, type KernelForm } from "../core/functions.js";
import type { Program } from "../core/program.js";
import { SCALAR } from "../core/shape.js";
import { sumOfSquares } from "../core/squares.js";
import * as Q from "../core/rational.js";
import { Rewriter, type Rule } from "../simplify/rewrite.js";
import { expTimesOnes } from "../eval/stable-rows.js";
import type { ElFn } from "./ir.js";

export type StableKind = "softmax" | "logsoftmax" | "lse" | "logsigmoid" | "norm2" | "rowmax" | "colmax";

export interface StableForm {
  readonly kind: StableKind;
  /** The argument (softmax over all entries of u). */
  readonly u: Expr;
}

const isMinusOne = (e: Expr): boolean => e.kind === "num" && Q.equals(e.value, Q.MINUS_ONE);

/** How a kernel computes each stable compound that has an elementwise code of its own. */
const STABLE_KERNELS: { readonly [F in Exclude<ElFn, FnName>]: KernelForm } = {
  // log σ(u) = -(max(-u, 0) + log1p(e^-|u|)), finite for every finite u
  logsigmoid: { code: "-(Math.max(-u, 0) + Math.log1p(Math.exp(-Math.abs(u))))", prec: "unary" },
};

/** How a kernel computes an elementwise function: the function table's form, or a stable compound's. */
export const kernelForm = (fn: ElFn): KernelForm => (isFnName(fn) ? FUNCTION_TABLE[fn].kernel : STABLE_KERNELS[fn]);

const isCall = (e: Expr, fn: FnName): e is Call => e.kind === "call" && e.fn === fn;

export class Stabilizer {
  /** Placeholder name -> its meaning. */
  readonly forms = new Map<string, StableForm>();
  /** Definitions' bodies, stabilized, by name. */
  readonly defs = new Map<string, Expr>();
  private readonly placeholders = new Map<string, Expr>();
  private readonly groupOf = new Map<Expr, number>();
  /** The rule set, run bottom-up by the rewrite driver (its memo spans every run). */
  private readonly rewriter = new Rewriter([
    // log(sum(exp(u))) -> lse(u)
    this.rule("lse", (e) => {
      const arg = this.logArg(e);
      return arg?.kind === "sum" && isCall(arg.arg, "exp") ? this.placeholder("lse", arg.arg.arg, e.shape) : undefined;
    }),
    // log(softmax(u)) -> logsoftmax(u) = u - lse(u)
    this.rule("logsoftmax", (e) => {
      const form = this.formOf(this.logArg(e));
      return form?.kind === "softmax" ? this.placeholder("logsoftmax", form.u, e.shape) : undefined;
    }),
    // log(sigmoid(u)) -> logsigmoid(u)
    this.rule("logsigmoid", (e) => {
      const arg = this.logArg(e);
      return arg && isCall(arg, "sigmoid") ? this.placeholder("logsigmoid", arg.arg, e.shape) : undefined;
    }),
    // log(1 - sigmoid(u)) -> logsigmoid(-u)
    this.rule("logsigmoid of 1 - sigmoid", (e) => {
      const u = oneMinusSigmoid(this.logArg(e));
      return u ? this.placeholder("logsigmoid", B.neg(u), e.shape) : undefined;
    }),
    // log(1 + exp(v)) -> softplus(v), whose kernel form is stable
    this.rule("softplus", (e) => {
      const v = onePlusExp(this.logArg(e));
      return v ? B.call("softplus", v) : undefined;
    }),
    // exp(u) * sigmoid(-u) * rest -> sigmoid(u) * rest, and exp(u) * (1 + exp(u))^-1 * rest likewise
    this.rule("sigmoid of exp", (e) => {
      if (e.kind !== "mul") return undefined;
      for (const f of e.factors) {
        const u = isCall(f, "sigmoid") ? minusOf(f.arg) : f.kind === "pow" && isMinusOne(f.exponent) ? onePlusExp(f.base) : undefined;
        const partner = u && e.factors.find((g) => isCall(g, "exp") && g.arg === u);
        if (u && partner) return B.mulAll([B.call("sigmoid", u), ...e.factors.filter((g) => g !== f && g !== partner)]);
      }
      return undefined;
    }),
    // sum(u.^2)^p, sum(u .* u)^p, (u'*u)^p -> norm2(u)^(2p) where p is not a positive integer
    this.rule("norm2", (e) => {
      if (e.kind !== "pow" || e.exponent.kind !== "num" || e.shape !== SCALAR) return undefined;
      const p = e.exponent.value;
      const s = Q.isInteger(p) && !Q.isNegative(p) && !Q.isZero(p) ? undefined : sumOfSquares(this.resolve(e.base));
      if (!s) return undefined;
      // (c Σ u²)^p = c^p norm2(u)^(2p)
      const norm = B.pow(this.placeholder("norm2", s.u, SCALAR), B.num(Q.mul(p, Q.rat(2))));
      return Q.isOne(s.c) ? norm : B.mulAll([B.pow(B.num(s.c), e.exponent), norm]);
    }),
    // exp(U) .* (exp(U)*ones(n,n))^-1 * rest -> exp(U - R) .* (exp(U - R)*ones(n,n))^-1 * rest, R = each row's max (columns likewise)
    this.rule("softmax by rows", (e) => {
      if (e.kind !== "mul") return undefined;
      for (const f of e.factors) {
        const base = f.kind === "pow" && isMinusOne(f.exponent) ? f.base : undefined;
        const line = base && expTimesOnes(base);
        if (!line || base.kind !== "matmul" || !e.factors.includes(line.exp) || this.isShifted(line.u)) continue;
        const s = this.shiftedExp(line.u, line.byRows);
        const [l, r] = base.factors as [Expr, Expr];
        const rest = e.factors.filter((g) => g !== f && g !== line.exp);
        return B.mulAll([s, B.pow(line.byRows ? B.matmul(s, r) : B.matmul(l, s), B.MINUS_ONE), ...rest]);
      }
      return undefined;
    }),
    // log(exp(U)*ones(n,k)) -> R + log(exp(U - R)*ones(n,k)), R = each row's max (columns likewise)
    this.rule("log-sum-exp by rows", (e) => {
      const arg = isCall(e, "log") ? e.arg : undefined;
      const line = arg && expTimesOnes(arg);
      if (!line || arg.kind !== "matmul" || this.isShifted(line.u)) return undefined;
      const s = this.shiftedExp(line.u, line.byRows);
      const [l, r] = arg.factors as [Expr, Expr];
      return B.add(this.lineMax(line.u, line.byRows, e.shape), B.call("log", line.byRows ? B.matmul(s, r) : B.matmul(l, s)));
    }),
    // diag(a ./ (exp(U)*ones(n)))*exp(U) -> the same of U - R (a row-wise log-sum-exp's pullback)
    this.rule("row scaling by rows of exp", (e) => {
      if (e.kind !== "matmul" || e.factors.length !== 2 || e.factors[0]!.kind !== "diag" || e.factors[0]!.arg.kind !== "mul") return undefined;
      const [d, ex] = e.factors as [Extract<Expr, { kind: "diag" }>, Expr];
      const scale = (d.arg as Extract<Expr, { kind: "mul" }>).factors;
      const f = scale.find((g) => g.kind === "pow" && isMinusOne(g.exponent) && expTimesOnes(g.base)?.exp === ex && g.base.kind === "matmul" && expTimesOnes(g.base)!.byRows);
      if (!f || f.kind !== "pow" || f.base.kind !== "matmul" || ex.kind !== "call" || this.isShifted(ex.arg)) return undefined;
      const s = this.shiftedExp(ex.arg, true);
      const rest = scale.filter((g) => g !== f);
      return B.matmul(B.diag(B.mulAll([...rest, B.pow(B.matmul(s, f.base.factors[1]!), B.MINUS_ONE)])), s);
    }),
    // log(exp(V) .* (exp(V)*ones(n,n))^-1) -> V - log(exp(V)*ones(n,n)) once V = U - R is shifted (a row-wise log-softmax)
    this.rule("log-softmax by rows", (e) => {
      const arg = isCall(e, "log") ? e.arg : undefined;
      if (arg?.kind !== "mul" || arg.factors.length !== 2) return undefined;
      const f = arg.factors.find((g) => g.kind === "pow" && isMinusOne(g.exponent));
      const line = f?.kind === "pow" ? expTimesOnes(f.base) : undefined;
      if (!line || !arg.factors.includes(line.exp) || !this.isShifted(line.u) || f?.kind !== "pow") return undefined;
      return B.sub(line.u, B.call("log", f.base));
    }),
    // exp(u) * sum(exp(u))^-1 * rest -> softmax(u) * rest
    this.rule("softmax", (e) => {
      if (e.kind !== "mul") return undefined;
      for (const f of e.factors) {
        if (f.kind !== "pow" || !isMinusOne(f.exponent) || f.base.kind !== "sum") continue;
        const inner = f.base.arg;
        if (!isCall(inner, "exp") || !e.factors.includes(inner)) continue;
        const rest = e.factors.filter((g) => g !== f && g !== inner);
        return B.mulAll([this.placeholder("softmax", inner.arg, inner.shape), ...rest]);
      }
      return undefined;
    }),
  ]);

  constructor(readonly program: Program) {
    for (const [name, def] of program.defs) this.defs.set(name, this.run(def.expr));
  }

  /** The expression with its stable forms replaced by placeholders. */
  run(e: Expr): Expr {
    return this.rewriter.run(e);
  }

  /** Follows definition names to their (stabilized) bodies. */
  resolve(e: Expr): Expr {
    let x = e;
    for (let hops = 0; x.kind === "sym" && this.defs.has(x.name); hops++) {
      if (hops > this.defs.size) throw new Error("internal: definitions refer to each other in a cycle");
      x = this.defs.get(x.name)!;
    }
    return x;
  }

  /** The stable form a (resolved) placeholder stands for. */
  formOf(e: Expr | undefined): StableForm | undefined {
    return e?.kind === "sym" && e.name.startsWith("$") ? this.forms.get(e.name) : undefined;
  }

  private rule(name: string, apply: (e: Expr) => Expr | undefined): Rule {
    return { name, apply };
  }

  /** u, through definitions, when e is log(u). */
  private logArg(e: Expr): Expr | undefined {
    return isCall(e, "log") ? this.resolve(e.arg) : undefined;
  }

  /** The maximum of each row (or column) of U, repeated to the shape asked for. */
  private lineMax(u: Expr, byRows: boolean, shape: Expr["shape"]): Expr {
    return this.placeholder(byRows ? "rowmax" : "colmax", u, shape);
  }

  /** exp(U - R), R = each row's (or column's) maximum. */
  private shiftedExp(u: Expr, byRows: boolean): Expr {
    return B.call("exp", B.sub(u, this.lineMax(u, byRows, u.shape)));
  }

  /** Is U already shifted by a row or column maximum (U = V - R)? */
  private isShifted(u: Expr): boolean {
    if (u.kind !== "add") return false;
    return u.terms.some((t) => t.kind === "mul" && t.factors.length === 2 && isMinusOne(t.factors[0]!) && ["rowmax", "colmax"].includes(this.formOf(t.factors[1])?.kind ?? ""));
  }

  private placeholder(kind: StableKind, u: Expr, shape: Expr["shape"]): Expr {
    let group = this.groupOf.get(u);
    if (group === undefined) {
      group = this.groupOf.size + 1;
      this.groupOf.set(u, group);
    }
    // a line maximum is one buffer, read at any shape it broadcasts to
    const name = kind === "rowmax" || kind === "colmax" ? `$${kind}${group}_${shape.rows}_${shape.cols}` : `$${kind}${group}`;
    let p = this.placeholders.get(name);
    if (!p) {
      p = B.sym(name, shape);
      this.placeholders.set(name, p);
      this.forms.set(name, { kind, u });
    }
    return p;
  }
}

/** u when e is -u. */
function minusOf(e: Expr): Expr | undefined {
  return e.kind === "mul" && e.factors.length === 2 && isMinusOne(e.factors[0]!) ? e.factors[1] : undefined;
}

/** v when e is 1 + exp(v). */
function onePlusExp(e: Expr | undefined): Expr | undefined {
  if (e?.kind !== "add" || e.terms.length !== 2) return undefined;
  const [a, b] = e.terms as [Expr, Expr];
  const [one, other] = a.kind === "num" ? [a, b] : [b, a];
  return one.kind === "num" && Q.isOne(one.value) && other.kind === "call" && other.fn === "exp" ? other.arg : undefined;
}

/** u when e is 1 - sigmoid(u). */
function oneMinusSigmoid(e: Expr | undefined): Expr | undefined {
  if (e?.kind !== "add" || e.terms.length !== 2) return undefined;
  const [a, b] = e.terms;
  const one = a!.kind === "num" ? a! : b!;
  const other = one === a ? b! : a!;
  if (one.kind !== "num" || !Q.isOne(one.value)) return undefined;
  if (other.kind !== "mul" || other.factors.length !== 2 || !isMinusOne(other.factors[0]!)) return undefined;
  const s = other.factors[1]!;
  return isCall(s, "sigmoid") ? s.arg : undefined;
}
