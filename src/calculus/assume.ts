/**
 * Results under the program's assumptions (`assume sum(y) = 1`): each assumption's left
 * side replaced by its right side, then the textbook forms again, so that `s*sum(y) - y`
 * is written `s - y`. A result without the left side is returned as it is.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import type { Step } from "../core/trace.js";
import type { Binding } from "../reverse/backprop.js";
import { textbookForms } from "../simplify/collect.js";
import type { DerivativeResult } from "./result.js";

/** A result with the program's assumptions used. */
export function underAssumptions(program: Program, e: Expr): Expr {
  let out = e;
  for (const a of program.assumptions) out = B.substitute(out, a.lhs, a.rhs);
  return out === e ? e : textbookForms(out);
}

/** The assumptions a result was written under, as text (`sum(y) = 1`), for printing with it. */
export const assumptionTexts = (program: Program): string[] => program.assumptions.map((a) => a.text);

/** A derivative's result with the program's assumptions used (its index form is left as derived). */
export function resultUnderAssumptions(program: Program, r: DerivativeResult): DerivativeResult {
  if (program.assumptions.length === 0) return r;
  // the descriptors copied, so that a lazily lowered index form stays lazy
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(r)) as { -readonly [K in keyof DerivativeResult]: DerivativeResult[K] };
  if (r.matrix) out.matrix = underAssumptions(program, r.matrix);
  if (r.record && r.matrix && out.matrix !== r.matrix) {
    // a derivation page shows the step, named by the assumptions
    const [before, after] = [r.matrix, out.matrix!];
    const rule = `assume ${assumptionTexts(program).join(", ")}`;
    const step: Step = { kind: "rewrite", rule, before, after, run: { ruleSet: rule, before, after }, whole: () => ({ before, after }) };
    out.record = { ...r.record, steps: [...r.record.steps, step] };
  }
  if (r.backprop) out.backprop = { named: underAssumptions(program, r.backprop.named), where: bindingsUnderAssumptions(program, r.backprop.where) };
  return out;
}

/** Named cotangents with the program's assumptions used. */
export const bindingsUnderAssumptions = (program: Program, where: readonly Binding[]): Binding[] => where.map((b) => ({ ...b, expr: underAssumptions(program, b.expr) }));
