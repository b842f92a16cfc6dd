/**
 * The one channel on which passes report what they do, so that a derivation can be
 * shown step by step. The differentiator reports each rule it applies; the rewrite
 * engine (src/simplify/rewrite.ts) reports each rewrite with the run of the rule set
 * that took it.
 */
import type { Expr } from "./expr.js";

/** A run of one rule set over a whole value: its name and the value before and after. */
export interface Run {
  /** The rule set: "contract δ", "recognize", "distribute to cancel", "factor", "simplify". */
  readonly ruleSet: string;
  readonly before: Expr;
  readonly after: Expr;
}

export interface Step {
  /** The rule's name: "chain rule", "contract δ", "recognize s". */
  readonly rule: string;
  /** What the rule says, when there is more to say ("d/du exp(u) = exp(u)"). */
  readonly law?: string;
  /** For differentiation steps, the subterm differentiated; otherwise the subterm before. */
  readonly before: Expr;
  /** The subterm's derivative, or the subterm after. */
  readonly after: Expr;
  readonly kind: "derivative" | "rewrite";
  /** A rewrite's run: the rule set that took the step, and the whole value before and after the run. */
  readonly run?: Run;
  /**
   * The whole value just before and just after this step: the run's value with the
   * steps so far followed through it (computed when asked, so that recording costs
   * nothing until a derivation page reads it).
   */
  readonly whole?: () => WholeValue;
}

export interface WholeValue {
  readonly before: Expr;
  readonly after: Expr;
}

export type Tracer = (step: Step) => void;
