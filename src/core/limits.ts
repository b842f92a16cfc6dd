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
  /** Definitions inlined into one another (d2 = f(d1); d3 = f(d2); …) when lowering. */
  maxDefinitionNesting: 1_024,
  /** Depth of any expression a pass recurses over (derivatives grow deeper than input). */
  maxExprDepth: 2_000,
  /** Rewrite steps of one simplification before it stops with what it has. */
  maxRewriteSteps: 20_000,
  /** Nodes an expression may grow to in expansion (poly). */
  maxNodes: 2_000_000,
  /** Builder steps one derivative may take (a few seconds of work at most). */
  maxWork: 2_000_000,
  /** Builder steps an element-wise derivative may take per entry of its result, beyond maxWork. */
  workPerEntry: 8,
  /** Entries of one element-wise expansion (`--elementwise`, concrete sizes). */
  maxEntries: 250_000,
  /** Entries of one value computed by the evaluator (160 MB of Float64). */
  maxValueEntries: 20_000_000,
  /** Characters of one printed result (text or LaTeX). */
  maxOutputChars: 20_000_000,
} as const;

/** Throws the limit error when a printed result would be longer than the output limit. */
export function checkOutput(length: number): void {
  if (length > LIMITS.maxOutputChars)
    throw new JacobiError("limit", `the result is too large to print (over ${LIMITS.maxOutputChars} characters); evaluate it at values instead`);
}

/** Throws the limit error when an expression is deeper than passes may recurse. */
export function checkDepth(depth: number, what = "expression"): void {
  if (depth > LIMITS.maxExprDepth)
    throw new JacobiError("limit", `${what} is nested too deeply (depth ${depth}; the limit is ${LIMITS.maxExprDepth})`);
}
