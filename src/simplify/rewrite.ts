/**
 * The rewrite engine, separate from its rules. Every pass that rewrites an expression —
 * contraction, recognition, distribution, collection, simplification — is a rule set run
 * by this driver. Rules are named functions that either return a new node or undefined.
 * The driver rebuilds bottom-up (the one walk of src/core/traverse.ts) and applies the
 * rules at each node:
 *   fixpoint   (the default) until nothing changes — detected by node identity, since
 *              nodes are interned — simplifying a rewritten node's new parts afresh;
 *   once       each rule once per node, in order (a sweep, as recognition is);
 * always under a step budget, so no rule set can make it loop forever. Every step is
 * reported on the one step channel (src/core/trace.ts) with the rule's name, the subterm
 * before and after, the whole value before and after the step, and the run it belongs to.
 */
import { type Expr } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import type { Run, Step, WholeValue } from "../core/trace.js";
import * as B from "../core/build.js";
import type { Rebuild } from "../core/traverse.js";

export type { Step } from "../core/trace.js";

export interface Rule {
  /** A short name, shown in derivations: "exp-log", "contract δ". */
  readonly name: string;
  /** The rewritten node, or undefined when the rule does not apply here. `inner` rewrites a new part with the same rules. */
  readonly apply: (e: Expr, inner: (part: Expr) => Expr) => Expr | undefined;
  /** The law the rule applies, when a derivation should name it. */
  readonly law?: string;
}

export interface RewriteOptions {
  readonly budget?: number;
  /** Receives every step taken, in order, each with its whole value and its run (when the run ends). */
  readonly onStep?: (step: Step) => void;
  /** The rule set's name, reported with each step's run (default "rewrite"). */
  readonly name?: string;
  /** "once": each rule once per node, in order, without rewriting its result again. */
  readonly mode?: "fixpoint" | "once";
  /** Nodes no rule can change anything inside (left as they are, unvisited). */
  readonly skip?: (e: Expr) => boolean;
}

export interface RewriteResult {
  readonly expr: Expr;
  readonly steps: number;
  /** True when the budget ran out before a fixpoint. */
  readonly exhausted: boolean;
}

/** A rule from its name and function (and its law, when it has one to show). */
export const rule = (name: string, apply: Rule["apply"], law?: string): Rule => (law === undefined ? { name, apply } : { name, apply, law });

/**
 * A rewriter keeps its memo across calls, so many expressions that share parts (the
 * n² entries of a Jacobian share Σ exp(x)) simplify each shared part once.
 */
export class Rewriter {
  private budget: number;
  private steps = 0;
  private readonly walk: Rebuild;
  /** Steps of the current run, reported when it ends (with the run). */
  private pending: Step[] = [];
  private readonly inner = (part: Expr): Expr => this.walk.walk(part);

  constructor(
    private readonly rules: readonly Rule[],
    private readonly options: RewriteOptions = {},
  ) {
    this.budget = options.budget ?? LIMITS.maxRewriteSteps;
    const skip = options.skip;
    this.walk = B.rebuildWalk({
      ...(skip ? { leaf: (x: Expr) => (skip(x) ? x : undefined) } : {}),
      node: (x, walk) => (options.mode === "once" ? this.sweep(x) : this.fixpoint(x, walk)),
    });
  }

  get stepsTaken(): number {
    return this.steps;
  }

  get exhausted(): boolean {
    return this.budget <= 0;
  }

  run(e: Expr): Expr {
    const out = this.walk.run(e);
    if (this.pending.length > 0) {
      const run: Run = { ruleSet: this.options.name ?? "rewrite", before: e, after: out };
      const steps = this.pending;
      this.pending = [];
      const whole = wholeValues(run, steps);
      steps.forEach((s, k) => this.options.onStep?.({ ...s, run, whole: () => whole(k) }));
    }
    return out;
  }

  /** The first rule that changes `x`, applied (or `x`). */
  private atNode(x: Expr): Expr {
    for (const r of this.rules) {
      if (this.budget <= 0) return x;
      const y = this.applyRule(r, x);
      if (y !== x) return y;
    }
    return x;
  }

  private applyRule(r: Rule, x: Expr): Expr {
    const y = r.apply(x, this.inner);
    if (y === undefined || y === x) return x;
    this.budget--;
    this.steps++;
    if (this.options.onStep) this.pending.push({ kind: "rewrite", rule: r.name, ...(r.law === undefined ? {} : { law: r.law }), before: x, after: y });
    return y;
  }

  private sweep(x: Expr): Expr {
    let cur = x;
    for (const r of this.rules) if (this.budget > 0) cur = this.applyRule(r, cur);
    return cur;
  }

  private fixpoint(x: Expr, walk: Rebuild): Expr {
    let cur = x;
    for (;;) {
      const next = this.atNode(cur);
      if (next === cur) break;
      // A rewritten node may hold new, unsimplified parts: simplify it afresh.
      cur = walk.depth < LIMITS.maxExprDepth ? this.walkChildren(next) : next;
      if (this.budget <= 0) break;
    }
    walk.settle(cur, cur);
    return cur;
  }

  /** `x` over its children rewritten (not `x` itself). */
  private walkChildren(x: Expr): Expr {
    return this.walk.rebuildOver(x);
  }
}

/**
 * The whole value before and after each step of a run, when asked: from the run's value,
 * each step's subterm replaced by its rewrite in turn (memoized, in order).
 */
function wholeValues(run: Run, steps: readonly Step[]): (k: number) => WholeValue {
  const known: WholeValue[] = [];
  return (k) => {
    while (known.length <= k) {
      const before = known.length === 0 ? run.before : known[known.length - 1]!.after;
      const s = steps[known.length]!;
      known.push({ before, after: B.substitute(before, s.before, s.after) });
    }
    return known[k]!;
  };
}

/** Rewrites one expression to a fixpoint of the rules (or until the budget runs out). */
export function rewrite(e: Expr, rules: readonly Rule[], options: RewriteOptions = {}): RewriteResult {
  const r = new Rewriter(rules, options);
  const expr = r.run(e);
  return { expr, steps: r.stepsTaken, exhausted: r.exhausted };
}
