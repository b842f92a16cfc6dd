/**
 * Which differentiation steps a derivation shows. The differentiator reports every
 * rule at every node, inner nodes first (post-order); a person needs the steps that
 * teach something. The rules, in the order they apply:
 *
 *   1. "variable": only the first one of each differentiation is shown (∂x[i]/∂x[a] = δ(i,a));
 *      the others say the same thing about another index.
 *   2. "product rule" with exactly one factor that depends on the variable is renamed
 *      "constant factor": d(c u) = c du.
 *   3. "power rule" on a negative power that is a factor of a later "quotient rule" step
 *      is left to that step (the quotient rule shows d(1/v) itself).
 *   4. A step that repeats one already shown, up to the names of its free indices
 *      (other than the variable's), is dropped: ∂exp(x[k1])/∂x[a] after ∂exp(x[i])/∂x[a].
 *   5. A step whose derivative is the one shown just before it (the node passes the
 *      derivative through, as a sum with one dependent term does) is dropped; when the
 *      later step is the last one, the earlier step goes instead.
 *   6. The last step (the whole value differentiated) is always shown.
 *
 * Steps are compared as they are displayed (see `display` in record.ts).
 */
import * as B from "../core/build.js";
import { children, type Expr, type Index } from "../core/expr.js";
import { checkDepth } from "../core/limits.js";
import type { Step as TraceStep } from "../core/trace.js";
import { toText } from "../print/text.js";
import type { Formula } from "./model.js";
import { chainLaw, lawOf } from "./notation.js";

export interface SelectedStep {
  readonly rule: string;
  readonly law: Formula | undefined;
  /** The expression differentiated and its derivative, as displayed. */
  readonly before: Expr;
  readonly after: Expr;
  /** The last step: the whole value differentiated. */
  readonly top: boolean;
}

export interface SelectionContext {
  /** Does an expression depend on the variable? */
  readonly dependsOn: (e: Expr) => boolean;
  /** How an expression is displayed. */
  readonly display: (e: Expr) => Expr;
  /** The variable's indices, which keep their names when steps are compared. */
  readonly variableIndices: ReadonlySet<Index>;
}

/** Free indices of `e` in the order they first occur (depth first). */
function indexOrder(e: Expr, skip: ReadonlySet<Index>): Index[] {
  checkDepth(e.depth);
  const out: Index[] = [];
  const seen = new Set<Expr>();
  const note = (i: Index): void => {
    if (!skip.has(i) && e.indices.includes(i) && !out.includes(i)) out.push(i);
  };
  const visit = (x: Expr): void => {
    if (seen.has(x) || x.indices.length === 0) return;
    seen.add(x);
    if (x.kind === "entry") x.at.forEach(note);
    else if (x.kind === "delta") [x.a, x.b].forEach(note);
    else children(x).forEach(visit);
  };
  visit(e);
  return out;
}

/** A key equal for two steps that differ only in the names of their free indices. */
export function renamingKey(before: Expr, after: Expr, keep: ReadonlySet<Index>): string {
  const order = indexOrder(before, keep);
  let b = before;
  let a = after;
  // Through temporaries, so that renaming i -> p0 cannot meet an index already named p0.
  order.forEach((i, k) => {
    b = B.renameIndex(b, i, `_tmp${k}`);
    a = B.renameIndex(a, i, `_tmp${k}`);
  });
  order.forEach((_, k) => {
    b = B.renameIndex(b, `_tmp${k}`, `_p${k}`);
    a = B.renameIndex(a, `_tmp${k}`, `_p${k}`);
  });
  return `${toText(b)} => ${toText(a)}`;
}

/** Rule 2: the name of a step's rule as shown. */
function shownRule(step: TraceStep, ctx: SelectionContext): string {
  if (step.rule === "product rule" && step.before.kind === "mul" && step.before.factors.filter(ctx.dependsOn).length === 1) return "constant factor";
  return step.rule;
}

function lawFor(step: TraceStep): Formula | undefined {
  if (step.before.kind === "call") return chainLaw(step.before.fn);
  return step.law === undefined ? undefined : lawOf(step.law);
}

/** The negative powers that quotient-rule steps differentiate as denominators (rule 3). */
function quotientDenominators(run: readonly TraceStep[]): Set<Expr> {
  const out = new Set<Expr>();
  for (const s of run)
    if (s.rule === "quotient rule" && s.before.kind === "mul")
      for (const f of s.before.factors) if (f.kind === "pow" && f.exponent.kind === "num" && f.exponent.value.num < 0n) out.add(f);
  return out;
}

/** The steps of one differentiation (post-order, the whole value last) that a derivation shows. */
export function selectDerivativeSteps(run: readonly TraceStep[], ctx: SelectionContext): SelectedStep[] {
  const denominators = quotientDenominators(run);
  const seen = new Set<string>();
  let variableShown = false;
  const kept: SelectedStep[] = [];
  run.forEach((step, k) => {
    const top = k === run.length - 1;
    if (step.kind !== "derivative") return;
    if (!top) {
      if (step.rule === "constant") return;
      // rule 1
      if (step.rule === "variable" && variableShown) return;
      // rule 3
      if (step.rule === "power rule" && denominators.has(step.before)) return;
    }
    if (step.rule === "variable") variableShown = true;
    const before = ctx.display(step.before);
    const after = ctx.display(step.after);
    // rule 4
    const key = renamingKey(before, after, ctx.variableIndices);
    if (!top && seen.has(key)) return;
    seen.add(key);
    const shown: SelectedStep = { rule: shownRule(step, ctx), law: lawFor(step), before, after, top };
    // rule 5 (and 6)
    const previous = kept[kept.length - 1];
    if (previous && previous.after === after) {
      if (!top) return;
      kept.pop();
    }
    kept.push(shown);
  });
  return kept;
}
