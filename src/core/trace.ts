/**
 * Derivation steps: passes that transform expressions can report each step they take,
 * named by its rule, so a derivation can be shown step by step.
 */
import type { Expr } from "./expr.js";

export interface TraceStep {
  /** The rule's name: "chain rule", "contract δ", "recognize s". */
  readonly rule: string;
  /** What the rule says, when there is more to say ("d/du exp(u) = exp(u)"). */
  readonly law?: string;
  /** For differentiation steps, the expression differentiated; otherwise the expression before. */
  readonly before: Expr;
  /** The derivative, or the expression after. */
  readonly after: Expr;
  readonly kind: "derivative" | "rewrite";
}

export type Tracer = (step: TraceStep) => void;
