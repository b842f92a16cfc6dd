/**
 * The rewrite driver, separate from its rules. Rules are named functions that either
 * return a new node or undefined. The driver applies them bottom-up until nothing
 * changes — detected by node identity, since nodes are interned — and under a step
 * budget, so no rule set can make it loop forever. Every step can be recorded with
 * its rule's name (the seed of a step-by-step derivation).
 */
import * as B from "../core/build.js";
import { children, type Expr } from "../core/expr.js";
import { checkDepth, LIMITS } from "../core/limits.js";

export interface Rule {
  /** A short name, shown in derivations: "exp-log", "contract δ". */
  readonly name: string;
  /** The rewritten node, or undefined when the rule does not apply here. */
  readonly apply: (e: Expr) => Expr | undefined;
}

export interface Step {
  readonly rule: string;
  readonly before: Expr;
  readonly after: Expr;
}

export interface RewriteOptions {
  readonly budget?: number;
  /** Receives every step taken, in order. */
  readonly onStep?: (step: Step) => void;
}

export interface RewriteResult {
  readonly expr: Expr;
  readonly steps: number;
  /** True when the budget ran out before a fixpoint. */
  readonly exhausted: boolean;
}

/**
 * A rewriter keeps its memo across calls, so many expressions that share parts (the
 * n² entries of a Jacobian share Σ exp(x)) simplify each shared part once.
 */
export class Rewriter {
  private budget: number;
  private steps = 0;
  private readonly done = new Map<Expr, Expr>();

  constructor(
    private readonly rules: readonly Rule[],
    private readonly options: RewriteOptions = {},
  ) {
    this.budget = options.budget ?? LIMITS.maxRewriteSteps;
  }

  get stepsTaken(): number {
    return this.steps;
  }

  get exhausted(): boolean {
    return this.budget <= 0;
  }

  run(e: Expr): Expr {
    checkDepth(e.depth);
    return this.go(e, 0);
  }

  private atNode(x: Expr): Expr {
    for (const rule of this.rules) {
      if (this.budget <= 0) return x;
      const y = rule.apply(x);
      if (y === undefined || y === x) continue;
      this.budget--;
      this.steps++;
      this.options.onStep?.({ rule: rule.name, before: x, after: y });
      return y;
    }
    return x;
  }

  private go(x: Expr, depth: number): Expr {
    const known = this.done.get(x);
    if (known) return known;
    let cur = B.rebuild(x, children(x).map((c) => this.go(c, depth + 1)));
    for (;;) {
      const next = this.atNode(cur);
      if (next === cur) break;
      // A rewritten node may hold new, unsimplified parts: simplify it afresh.
      cur = depth < LIMITS.maxExprDepth ? B.rebuild(next, children(next).map((c) => this.go(c, depth + 1))) : next;
      if (this.budget <= 0) break;
    }
    this.done.set(x, cur);
    this.done.set(cur, cur);
    return cur;
  }
}

/** Rewrites one expression to a fixpoint of the rules (or until the budget runs out). */
export function rewrite(e: Expr, rules: readonly Rule[], options: RewriteOptions = {}): RewriteResult {
  const r = new Rewriter(rules, options);
  const expr = r.run(e);
  return { expr, steps: r.stepsTaken, exhausted: r.exhausted };
}
