/**
 * What lowering needs to know before it emits anything: how many readers each node has
 * (a node read twice and costly to recompute is stored once), which softmax groups exist
 * and what each must provide (the normalized vector, its log-sum-exp), and which
 * nodes are costly. Nodes are seen through definitions and stable-form placeholders.
 */
import { children, type Expr } from "../core/expr.js";
import * as Q from "../core/rational.js";
import type { Buf, Scal } from "./ir.js";
import type { Stabilizer, StableForm, StableKind } from "./stable.js";

/** One softmax over u: what it must provide, and (once emitted) where. */
export interface Group {
  readonly u: Expr;
  needSoftmax: boolean;
  needLse: boolean;
  placeholder: Expr | undefined;
  softmax: Buf | undefined;
  lse: Scal | undefined;
  done: boolean;
}

const isSmallInteger = (e: Expr): boolean => e.kind === "num" && Q.isInteger(e.value) && Math.abs(Number(e.value.num)) <= 3;

export class Analysis {
  readonly uses = new Map<Expr, number>();
  readonly groups = new Map<Expr, Group>();
  readonly usedForms = new Set<StableKind>();
  private readonly costlyMemo = new Map<Expr, boolean>();

  constructor(private readonly stable: Stabilizer) {}

  /** Readers of a node (1 for nodes made during lowering). */
  usesOf(n: Expr): number {
    return this.uses.get(n) ?? 1;
  }

  /** A definition's name stands for its (stabilized) body. */
  node(e: Expr): Expr {
    return this.stable.resolve(e);
  }

  form(n: Expr): StableForm | undefined {
    return this.stable.formOf(n);
  }

  group(u: Expr): Group {
    const key = this.node(u);
    let g = this.groups.get(key);
    if (!g) {
      g = { u: key, needSoftmax: false, needLse: false, placeholder: undefined, softmax: undefined, lse: undefined, done: false };
      this.groups.set(key, g);
    }
    return g;
  }

  /** Children as lowering reads them (a placeholder reads its argument or its group). */
  private viewKids(n: Expr): readonly Expr[] {
    switch (n.kind) {
      case "sym": {
        const form = this.form(n);
        if (!form) return [];
        this.usedForms.add(form.kind);
        if (form.kind === "norm2") return [form.u, form.u]; // read twice: maximum, scaled squares
        if (form.kind === "rowmax" || form.kind === "colmax") return [form.u];
        const g = form.kind === "logsigmoid" ? undefined : this.group(form.u);
        if (form.kind === "softmax") {
          g!.needSoftmax = true;
          g!.placeholder = n;
          return [];
        }
        if (form.kind === "lse") {
          g!.needLse = true;
          return [];
        }
        if (form.kind === "logsoftmax") g!.needLse = true;
        return [form.u];
      }
      default:
        return children(n);
    }
  }

  /** How many readers each node has (its parents, plus one per output it is). */
  count(roots: readonly Expr[]): void {
    const seen = new Set<Expr>();
    const bump = (n: Expr): void => {
      this.uses.set(n, (this.uses.get(n) ?? 0) + 1);
    };
    const visit = (start: Expr): void => {
      const stack = [start];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (seen.has(n)) continue;
        seen.add(n);
        for (const kid of this.viewKids(n)) {
          const c = this.node(kid);
          bump(c);
          stack.push(c);
        }
      }
    };
    for (const r of roots) {
      bump(r);
      visit(r);
    }
    // each softmax group reads its argument once more (its argument may hold more groups)
    const counted = new Set<Group>();
    for (let again = true; again; ) {
      again = false;
      for (const g of [...this.groups.values()]) {
        if (counted.has(g)) continue;
        counted.add(g);
        again = true;
        bump(g.u);
        visit(g.u);
      }
    }
  }

  /** Is recomputing this node in each reader worse than storing it once? */
  costly(n: Expr): boolean {
    const known = this.costlyMemo.get(n);
    if (known !== undefined) return known;
    let out: boolean;
    switch (n.kind) {
      case "call":
      case "matmul":
      case "matrix":
      case "sum":
      case "matfn":
        out = true;
        break;
      case "sym":
        out = this.form(n) !== undefined;
        break;
      case "pow":
        out = !isSmallInteger(n.exponent) || this.costly(this.node(n.base));
        break;
      case "add":
      case "mul":
      case "transpose":
      case "diag":
        out = this.viewKids(n).some((k) => this.costly(this.node(k)));
        break;
      default:
        out = false;
    }
    this.costlyMemo.set(n, out);
    return out;
  }
}
