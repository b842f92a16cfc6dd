/**
 * Recognizing the numerically stable forms before lowering. Each recognized
 * subexpression is replaced by a placeholder name (`$softmax1`, …: `$` cannot occur in
 * a user's name) whose meaning is kept here:
 *   exp(u) * sum(exp(u))^-1        -> softmax(u)      max-shifted: exp(u - m)/Σ exp(u - m)
 *   log(sum(exp(u)))               -> lse(u)          m + log Σ exp(u - m)
 *   log(softmax(u))                -> logsoftmax(u)   u - lse(u)
 *   log(sigmoid(u))                -> logsigmoid(u)   -(max(-u, 0) + log1p(exp(-|u|)))
 *   log(1 - sigmoid(u))            -> logsigmoid(-u)
 *   log(1 + exp(u))                -> -logsigmoid(-u)  (softplus)
 *   exp(u) * sigmoid(-u)           -> sigmoid(u)       (and exp(u) * (1 + exp(u))^-1)
 * A definition such as `s = exp(x)/sum(exp(x))` is recognized in its body, so `log(s)`
 * is a log-softmax too. One softmax step serves every placeholder over the same u.
 */
import * as B from "../core/build.js";
import { children, type Expr } from "../core/expr.js";
import { checkDepth } from "../core/limits.js";
import type { Program } from "../core/program.js";
import * as Q from "../core/rational.js";

export type StableKind = "softmax" | "logsoftmax" | "lse" | "logsigmoid";

export interface StableForm {
  readonly kind: StableKind;
  /** The argument (softmax over all entries of u). */
  readonly u: Expr;
}

const isMinusOne = (e: Expr): boolean => e.kind === "num" && Q.equals(e.value, Q.MINUS_ONE);

export class Stabilizer {
  /** Placeholder name -> its meaning. */
  readonly forms = new Map<string, StableForm>();
  /** Definitions' bodies, stabilized, by name. */
  readonly defs = new Map<string, Expr>();
  private readonly memo = new Map<Expr, Expr>();
  private readonly placeholders = new Map<string, Expr>();
  private readonly groupOf = new Map<Expr, number>();

  constructor(readonly program: Program) {
    for (const [name, def] of program.defs) this.defs.set(name, this.run(def.expr));
  }

  /** The expression with its stable forms replaced by placeholders. */
  run(e: Expr): Expr {
    checkDepth(e.depth);
    return this.go(e);
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
  formOf(e: Expr): StableForm | undefined {
    return e.kind === "sym" && e.name.startsWith("$") ? this.forms.get(e.name) : undefined;
  }

  private go(e: Expr): Expr {
    const known = this.memo.get(e);
    if (known) return known;
    const kids = children(e);
    const rebuilt = kids.length === 0 ? e : B.rebuild(e, kids.map((c) => this.go(c)));
    const out = this.rule(rebuilt);
    this.memo.set(e, out);
    return out;
  }

  private placeholder(kind: StableKind, u: Expr, shape: Expr["shape"]): Expr {
    let group = this.groupOf.get(u);
    if (group === undefined) {
      group = this.groupOf.size + 1;
      this.groupOf.set(u, group);
    }
    const name = `$${kind}${group}`;
    let p = this.placeholders.get(name);
    if (!p) {
      p = B.sym(name, shape);
      this.placeholders.set(name, p);
      this.forms.set(name, { kind, u });
    }
    return p;
  }

  private rule(e: Expr): Expr {
    if (e.kind === "call" && e.fn === "log") {
      const arg = this.resolve(e.arg);
      // log(sum(exp(u))) = lse(u)
      if (arg.kind === "sum" && arg.arg.kind === "call" && arg.arg.fn === "exp") return this.placeholder("lse", arg.arg.arg, e.shape);
      // log(softmax(u)) = u - lse(u)
      const form = this.formOf(arg);
      if (form?.kind === "softmax") return this.placeholder("logsoftmax", form.u, e.shape);
      // log(sigmoid(u)) = logsigmoid(u)
      if (arg.kind === "call" && arg.fn === "sigmoid") return this.placeholder("logsigmoid", arg.arg, e.shape);
      // log(1 - sigmoid(u)) = log(sigmoid(-u))
      const u = oneMinusSigmoid(arg);
      if (u) return this.placeholder("logsigmoid", B.neg(u), e.shape);
      // log(1 + exp(v)) = softplus(v) = -logsigmoid(-v)
      const v = onePlusExp(arg);
      if (v) return B.neg(this.placeholder("logsigmoid", B.neg(v), e.shape));
      return e;
    }
    if (e.kind === "mul") {
      // exp(u) * sum(exp(u))^-1 * rest = softmax(u) * rest
      for (const f of e.factors) {
        if (f.kind !== "pow" || !isMinusOne(f.exponent) || f.base.kind !== "sum") continue;
        const inner = f.base.arg;
        if (inner.kind !== "call" || inner.fn !== "exp" || !e.factors.includes(inner)) continue;
        const rest = e.factors.filter((g) => g !== f && g !== inner);
        return B.mulAll([this.placeholder("softmax", inner.arg, inner.shape), ...rest]);
      }
      // exp(u) * sigmoid(-u) * rest = sigmoid(u) * rest, and exp(u) * (1 + exp(u))^-1 * rest likewise
      for (const f of e.factors) {
        const u = f.kind === "call" && f.fn === "sigmoid" ? minusOf(f.arg) : f.kind === "pow" && isMinusOne(f.exponent) ? onePlusExp(f.base) : undefined;
        const partner = u && e.factors.find((g) => g.kind === "call" && g.fn === "exp" && g.arg === u);
        if (!u || !partner) continue;
        return B.mulAll([B.call("sigmoid", u), ...e.factors.filter((g) => g !== f && g !== partner)]);
      }
    }
    return e;
  }
}

/** u when e is -u. */
function minusOf(e: Expr): Expr | undefined {
  return e.kind === "mul" && e.factors.length === 2 && isMinusOne(e.factors[0]!) ? e.factors[1] : undefined;
}

/** v when e is 1 + exp(v). */
function onePlusExp(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.terms.length !== 2) return undefined;
  const [a, b] = e.terms as [Expr, Expr];
  const [one, other] = a.kind === "num" ? [a, b] : [b, a];
  return one.kind === "num" && Q.isOne(one.value) && other.kind === "call" && other.fn === "exp" ? other.arg : undefined;
}

/** u when e is 1 - sigmoid(u). */
function oneMinusSigmoid(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.terms.length !== 2) return undefined;
  const [a, b] = e.terms;
  const one = a!.kind === "num" ? a! : b!;
  const other = one === a ? b! : a!;
  if (one.kind !== "num" || !Q.isOne(one.value)) return undefined;
  if (other.kind !== "mul" || other.factors.length !== 2 || !isMinusOne(other.factors[0]!)) return undefined;
  const s = other.factors[1]!;
  return s.kind === "call" && s.fn === "sigmoid" ? s.arg : undefined;
}
