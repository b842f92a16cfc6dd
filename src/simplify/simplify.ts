/**
 * `simplify`: the rule set of rules.ts to a fixpoint. One simplifier may be reused for
 * many expressions that share parts (its memo spans calls).
 */
import type { Expr } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import { Rewriter, type Step } from "./rewrite.js";
import { SIMPLIFY_RULES } from "./rules.js";

export interface SimplifyOptions {
  /** Receives each rewrite step with its rule's name. */
  readonly onStep?: (step: Step) => void;
  /** How many expressions this simplifier will see (scales the step budget). */
  readonly expected?: number;
}

export function simplifier(options: SimplifyOptions = {}): (e: Expr) => Expr {
  const budget = LIMITS.maxRewriteSteps * Math.max(1, options.expected ?? 1);
  const r = new Rewriter(SIMPLIFY_RULES, options.onStep ? { budget, onStep: options.onStep } : { budget });
  return (e) => r.run(e);
}

/** Simplifies one expression. */
export const simplify = (e: Expr, options: SimplifyOptions = {}): Expr => simplifier(options)(e);
