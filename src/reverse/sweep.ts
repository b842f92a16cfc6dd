/**
 * Reverse mode at matrix level over a program's definition DAG (Laue, Mitterreiter &
 * Giesen 2018; what autodiff systems do numerically): every node the value reaches gets
 * a cotangent ḡ of its own shape, the sum of what its users pass back by the rules of
 * rules.ts. Nodes are visited once each, parents before children, so the work is linear
 * in the size of the program. A cotangent that feeds two or more operands is bound to a
 * name (a shared intermediate, computed once by a kernel); one that feeds a single
 * operand is written in place, so that it can cancel there (`s .* (-y ./ s)` is `-y`).
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { SCALAR } from "../core/shape.js";
import { derivativeOf } from "../diff/rules.js";
import { callRule, VJP, type RuleKey } from "./rules.js";
import { operands, viewOf, type View } from "./view.js";

export { NoReverseRule } from "./view.js";

/** A cotangent bound to a name: `d2 = s*sum(y) - y`. */
export interface Binding {
  readonly name: Expr;
  readonly expr: Expr;
  /** The rules (keys of LAWS) whose contributions were summed into it. */
  readonly rules?: readonly RuleKey[];
}

export interface SweepResult {
  /** The cotangent of each requested name (a declared value or a definition), using the bound names. */
  readonly results: ReadonlyMap<string, Expr>;
  /** Bound cotangents, in the order they are computed (each refers only to earlier ones). */
  readonly bindings: readonly Binding[];
}

/** Is this cotangent cheap enough to write wherever it is used? */
const trivial = (e: Expr): boolean =>
  e.kind === "sym" || e.kind === "num" || (e.kind === "transpose" && e.arg.kind === "sym") || (e.kind === "mul" && e.factors.length === 2 && e.factors[0]!.kind === "num" && e.factors[1]!.kind === "sym");

export class Sweep {
  private readonly views = new Map<Expr, View>();
  private readonly reaches = new Map<Expr, boolean>();
  /** The definitions' bodies, to write a value by its definition's name. */
  private readonly names = new Map<Expr, Expr>();
  private readonly targets: ReadonlySet<string>;

  constructor(
    private readonly program: Program,
    wrt: readonly string[],
    /** Makes the name of the k-th bound cotangent. */
    private readonly nameOf: (k: number, shape: Expr["shape"]) => Expr,
    /** Bind every cotangent (a derivation shows each), not only the shared ones. */
    private readonly bindEvery = false,
  ) {
    this.targets = new Set(wrt);
    for (const [name, def] of program.defs) if (!this.names.has(def.expr)) this.names.set(def.expr, B.sym(name, def.expr.shape));
  }

  private view(e: Expr): View {
    let v = this.views.get(e);
    if (!v) {
      v = viewOf(e, this.program);
      this.views.set(e, v);
    }
    return v;
  }

  /** Does the node depend on a name differentiated by? (iterative, any depth) */
  private depends(root: Expr): boolean {
    const stack: Expr[] = [root];
    while (stack.length > 0) {
      const e = stack[stack.length - 1]!;
      if (this.reaches.has(e)) {
        stack.pop();
        continue;
      }
      if (e.kind === "sym" && this.targets.has(e.name)) {
        this.reaches.set(e, true);
        stack.pop();
        continue;
      }
      const kids = operands(this.view(e));
      const pending = kids.filter((k) => !this.reaches.has(k));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      this.reaches.set(e, kids.some((k) => this.reaches.get(k)));
      stack.pop();
    }
    return this.reaches.get(root)!;
  }

  /** The nodes that depend on a target, parents before children. */
  private order(root: Expr): Expr[] {
    const post: Expr[] = [];
    const seen = new Set<Expr>([root]);
    const stack: { e: Expr; next: number }[] = [{ e: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = operands(this.view(top.e));
      if (top.next < kids.length) {
        const k = kids[top.next++]!;
        if (!seen.has(k) && this.depends(k)) {
          seen.add(k);
          stack.push({ e: k, next: 0 });
        }
        continue;
      }
      post.push(top.e);
      stack.pop();
    }
    return post.reverse();
  }

  /** A value written with the program's definition names (tanh(u) is z1 when z1 = tanh(u)). */
  private named(e: Expr): Expr {
    let n = this.namedMemo.get(e);
    if (!n) {
      n = B.mapBottomUp(e, (x) => this.names.get(x) ?? x);
      this.namedMemo.set(e, n);
    }
    return n;
  }
  private readonly namedMemo = new Map<Expr, Expr>();

  /** The cotangents of the targets, for the seed ḡ of the root's value. */
  run(root: Expr, seed: Expr): SweepResult {
    const bindings: Binding[] = [];
    const results = new Map<string, Expr>();
    if (!this.depends(root)) return { results, bindings };
    const parts = new Map<Expr, Expr[]>([[root, [seed]]]);
    const rules = new Map<Expr, Set<RuleKey>>();
    const give = (e: Expr, c: Expr, rule: RuleKey): void => {
      if (!this.depends(e)) return;
      const list = parts.get(e);
      if (list) list.push(c);
      else parts.set(e, [c]);
      const r = rules.get(e);
      if (r) r.add(rule);
      else rules.set(e, new Set([rule]));
    };
    for (const e of this.order(root)) {
      const list = parts.get(e);
      parts.delete(e);
      if (!list) continue;
      let g = B.addAll(list);
      if (g.shape !== e.shape) g = e.shape === SCALAR ? B.sumAll(g) : B.mul(g, B.num(1, e.shape));
      // a definition differentiated by passes its cotangent on to what it is made of
      if (e.kind === "sym" && this.targets.has(e.name)) results.set(e.name, g);
      const v = this.view(e);
      const fanOut = operands(v).filter((k) => this.depends(k)).length;
      if ((fanOut >= 2 || this.bindEvery) && !trivial(g) && !(e.kind === "sym" && this.targets.has(e.name))) {
        const name = this.nameOf(bindings.length + 1, g.shape);
        bindings.push({ name, expr: g, rules: [...(rules.get(e) ?? [])] });
        g = name;
      }
      this.pull(e, v, g, give);
    }
    return { results, bindings };
  }

  /** Passes ḡ of node e back to its operands. */
  private pull(e: Expr, v: View, g: Expr, give: (operand: Expr, c: Expr, rule: RuleKey) => void): void {
    switch (v.op) {
      case "leaf":
        return;
      case "def":
        return give(v.body, g, "def");
      case "add":
        for (const t of v.terms) give(t, VJP.addTerm(g, t), "addTerm");
        return;
      case "mul":
        v.factors.forEach((f, k) => {
          if (this.depends(f)) give(f, VJP.mulFactor(g, [this.named(B.mulAll(v.factors.filter((_, j) => j !== k)))], f), "mulFactor");
        });
        return;
      case "pow":
        if (this.depends(v.base)) give(v.base, VJP.powBase(g, this.named(v.base), this.named(v.exponent)), "powBase");
        if (this.depends(v.exponent)) give(v.exponent, VJP.powExponent(g, this.named(e), this.named(v.base), v.exponent), "powExponent");
        return;
      case "call":
        if (e.kind !== "call") throw new Error("internal: a call's view");
        return give(v.arg, callRule(this.named(derivativeOf(e.fn, v.arg)), g), "call");
      case "matmul":
        v.factors.forEach((f, k) => {
          if (this.depends(f)) give(f, VJP.matmulFactor(g, v.factors.slice(0, k).map((x) => this.named(x)), v.factors.slice(k + 1).map((x) => this.named(x))), "matmulFactor");
        });
        return;
      case "transpose":
        return give(v.arg, VJP.transpose(g), "transpose");
      case "sum":
        return give(v.arg, VJP.sum(g, v.arg), "sum");
      case "diag":
        return give(v.arg, VJP.diag(g), "diag");
      case "det":
      case "inv":
        return give(v.arg, VJP[v.op](g, this.named(e), this.named(v.arg)), v.op);
      case "extremum":
        return give(v.arg, VJP.extremum(g, this.named(v.arg), this.named(e), v.fn), "extremum");
      case "softmax":
      case "rowSoftmax":
      case "colSoftmax":
        return give(v.arg, VJP[v.op](g, this.named(e)), v.op);
    }
  }
}
