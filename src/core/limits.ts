/**
 * Documented resource limits. Input beyond them is refused with a clear error before
 * any work starts, so no user text can cause a stack overflow or a hang.
 */
import { JacobiError } from "./errors.js";

export const LIMITS = {
  /** Characters of program text. */
  maxInputChars: 4_000_000,
  /** Tokens of program text (a 200,000-term sum has 400,000). */
  maxTokens: 600_000,
  /** Nesting of brackets, function calls, unary signs and `^` chains, counted together. */
  maxNesting: 200,
  /** Depth of any expression a pass recurses over (derivatives grow deeper than input). */
  maxExprDepth: 2_000,
  /** Rewrite steps of one simplification before it stops with what it has. */
  maxRewriteSteps: 20_000,
  /** Nodes an expression may grow to in differentiation or expansion. */
  maxNodes: 2_000_000,
  /** Entries of one element-wise expansion (`--elementwise`, concrete sizes). */
  maxEntries: 1_000_000,
} as const;

/** Throws the limit error when an expression is deeper than passes may recurse. */
export function checkDepth(depth: number, what = "expression"): void {
  if (depth > LIMITS.maxExprDepth)
    throw new JacobiError("limit", `${what} is nested too deeply (depth ${depth}; the limit is ${LIMITS.maxExprDepth})`);
}
