/**
 * One derivative, step by step, selected and formatted from derive()'s record (the
 * engine's steps, src/core/trace.ts):
 *
 *   differentiation   the steps select.ts keeps, inner nodes first, ending with the whole
 *                     value: ∂s[i]/∂x[a] = …
 *   jvp / vjp         the product with the tangent or cotangent: (g'·∂f/∂W)[a,b] = Σ_i …
 *   contract δ        each identity used (Σ_k1 δ(a,k1) exp(x[k1]) = exp(x[a])), then the
 *                     whole value contracted
 *   recognize s       the whole value with the definition's name in it
 *   distribute…       the whole value
 *   matrix form       ∂s/∂x = diag(s) - s*s'; then each rewrite of the matrix form
 *                     ("factor", simplification rules) with the matrix form after it
 *
 * Each step of a rule set carries the run it belongs to: the whole value before and after
 * the run. A run of a followed rule set (contraction, recognition) is shown as its visible
 * steps and then the whole value after it, named by its rules; distribution and factoring
 * as one step over the whole value. A step that cannot be followed through the whole
 * value is shown on its own; the whole value is shown again where derive() reports it
 * (the matrix form), named by the rules in between. Nothing is computed again here.
 */
import type { DerivativeRecord, DerivativeResult, DerivativeSpec } from "../calculus/derive.js";
import type { Expr, Index } from "../core/expr.js";
import { namesOf } from "../core/names.js";
import type { Run, Step as TraceStep } from "../core/trace.js";
import type { Labels } from "./labels.js";
import { formula, formulaOf, type Claim, type Formula, type Step } from "./model.js";
import { lawOf, named, partialOf } from "./notation.js";
import { renamingKey, selectDerivativeSteps } from "./select.js";

/** Which rule set a rewrite step belongs to: "contract δ", "recognize", … (or the step's own rule). */
export const passOf = (step: TraceStep): string => step.run?.ruleSet ?? step.rule;

/** The rule sets whose runs over the whole value a derivation follows, each shown once per run. */
const FOLLOWED = new Set(["contract δ", "recognize"]);

/** Contraction's rules shown as they apply (the identity it uses); its others show in the whole value only. */
const SHOWN_CONTRACTION_RULE = "contract δ";

/** Rule sets shown as one step over the whole value, each run. */
const WHOLE_RUNS = new Set(["distribute to cancel", "factor"]);

export interface PartContext {
  readonly spec: DerivativeSpec;
  readonly labels: Labels;
  /** How index-form expressions are displayed (definitions other than the value named). */
  readonly display: (e: Expr) => Expr;
  /** The value's indices, the variable's, and (Hessian) the second differentiation's. */
  readonly valueIndices: readonly Index[];
  readonly wrtIndices: readonly Index[];
  readonly secondIndices: readonly Index[];
  readonly result: DerivativeResult;
  /** derive()'s record of the steps it took. */
  readonly record: DerivativeRecord;
  /** The value in index form, as displayed. */
  readonly lowered: Expr;
  /** A definition's index form, as the law of "recognize NAME". */
  readonly definitionLaw: (name: string) => Formula | undefined;
}

export interface RecordedPart {
  readonly steps: readonly Step[];
  readonly result: Step;
}

const withLaw = (law: Formula | undefined): { law?: Formula } => (law ? { law } : {});

/** Several laws as one: `a; b`. */
function joinLaws(laws: readonly Formula[]): Formula | undefined {
  if (laws.length <= 1) return laws[0];
  return formula(laws.map((l) => l.text).join("; "), laws.map((l) => l.latex).join(", \\quad "));
}

/** The steps of one run of a rule set over the whole value, as they arrive. */
interface PassRun {
  readonly pass: string;
  readonly run: Run;
  /** The rules whose rewrites show (a recognition already displayed does not). */
  readonly rules: string[];
  readonly laws: Formula[];
  /** A contraction's rule shown in the whole value only (linearity of Σ), with its law. */
  quiet?: { readonly rule: string; readonly law: string };
}

class PartRecorder {
  readonly steps: Step[] = [];
  /** The last whole-value step, held back so that the next one of the same rule can replace it. */
  private pending: Step | undefined;
  /** The whole value as the passes have it so far (undefined: not known), and as last shown. */
  private whole: Expr | undefined;
  private shownWhole: Expr | undefined;
  private label: Formula;
  private phase = 0;
  private pass: PassRun | undefined;
  /** Rules of rewrites since the whole value was last known (empty: it is known). */
  private stale: string[] = [];
  private readonly shownLocal = new Set<string>();
  /** The result in matrix form so far (after the "matrix form" step). */
  private matrix: Expr | undefined;
  /** What a whole-value step claims, given its right-hand side. */
  private wholeClaim: ((rhs: Expr) => Claim) | undefined;

  constructor(private readonly ctx: PartContext) {
    this.label = ctx.labels.phase(1);
    const { lowered, spec, wrtIndices } = ctx;
    this.wholeClaim = (rhs) => ({ kind: "derivative", of: lowered, wrt: spec.wrt, at: wrtIndices, rhs });
  }

  run(trace: readonly TraceStep[]): RecordedPart {
    let differentiation: TraceStep[] = [];
    let product: TraceStep | undefined;
    for (const step of trace) {
      if (step.kind === "derivative") {
        this.endPass();
        differentiation.push(step);
        continue;
      }
      if (step.rule === this.ctx.labels.product?.rule) {
        product = step;
        continue;
      }
      if (differentiation.length > 0) this.differentiate(differentiation, product);
      differentiation = [];
      // The lowering is shown once for all parts, with the definitions.
      if (step.rule !== "lower to index form") this.rewrite(step);
    }
    if (differentiation.length > 0) this.differentiate(differentiation, product);
    this.endPass();
    return this.finish();
  }

  private differentiate(run: readonly TraceStep[], productStep: TraceStep | undefined): void {
    const { ctx } = this;
    this.flushPending();
    this.phase++;
    const indices = this.phase >= 2 ? ctx.secondIndices : ctx.wrtIndices;
    const target = named(ctx.spec.wrt, indices);
    const selected = selectDerivativeSteps(run, {
      dependsOn: (e) => namesOf(e).has(ctx.spec.wrt),
      display: ctx.display,
      variableIndices: new Set(indices),
    });
    this.label = ctx.labels.phase(this.phase);
    const wrt = ctx.spec.wrt;
    for (const s of selected) {
      const claim: Claim = { kind: "derivative", of: s.before, wrt, at: indices, rhs: s.after };
      this.steps.push({ rule: s.rule, ...withLaw(s.law), lhs: s.top ? this.label : partialOf(s.before, target), rhs: formulaOf(s.after), claim });
    }
    const top = run[run.length - 1]!;
    const differentiated = ctx.display(top.before);
    this.wholeClaim = (rhs) => ({ kind: "derivative", of: differentiated, wrt, at: indices, rhs });
    this.follow(top.after);
    const product = ctx.labels.product;
    if (this.phase === 1 && product && productStep) {
      this.label = product.lhs;
      this.follow(productStep.after);
      const shown = this.shownWhole!;
      // (g'·∂f/∂W)[a,b] = ∂(Σ_i g[i] f[i])/∂W[a,b]. A JVP is a directional derivative, not
      // claimed as such: the steps after it claim to equal it.
      const of = ctx.record.pairing && ctx.display(ctx.record.pairing);
      this.wholeClaim = of ? (rhs) => ({ kind: "derivative", of, wrt, at: indices, rhs }) : undefined;
      this.steps.push({ rule: product.rule, law: product.law, lhs: product.lhs, rhs: formulaOf(shown), ...this.claimFor(shown) });
      if (!of) this.wholeClaim = (rhs) => ({ kind: "equal", lhs: shown, rhs });
    }
  }

  private claimFor(rhs: Expr): { claim?: Claim } {
    return this.wholeClaim ? { claim: this.wholeClaim(rhs) } : {};
  }

  /** The whole value is known exactly. */
  private follow(whole: Expr): void {
    this.whole = whole;
    this.shownWhole = this.ctx.display(whole);
    this.stale = [];
  }

  private rewrite(original: TraceStep): void {
    const { labels } = this.ctx;
    const pass = passOf(original);
    if (this.pass && this.pass.run !== original.run) this.endPass();
    const step = this.asWhole(original);
    if (!step) return;
    if (this.matrix !== undefined) return this.matrixRewrite(step);
    switch (pass) {
      case "matrix form":
        this.resync(step.before);
        this.flushPending();
        this.steps.push({ rule: step.rule, lhs: labels.matrix, rhs: formulaOf(step.after), claim: this.entriesClaim(step.after) });
        this.matrix = step.after;
        return;
      case "distribute to cancel":
        // reported on the whole value
        this.resync(step.before);
        this.whole = step.after;
        this.showWhole(step.rule, undefined);
        return;
      default:
        this.passStep(step, pass);
    }
  }

  /** A run of a rule set shown whole: its first step as the whole value before and after, the others dropped. */
  private lastWholeRun: Run | undefined;
  private asWhole(step: TraceStep): TraceStep | undefined {
    const w = step.run;
    if (!w || !WHOLE_RUNS.has(w.ruleSet)) return step;
    if (w === this.lastWholeRun) return undefined;
    this.lastWholeRun = w;
    return { kind: "rewrite", rule: w.ruleSet, before: w.before, after: w.after, run: w, whole: () => w };
  }

  /**
   * After the matrix form (factor, simplification rules): the rewrite followed through the
   * matrix form, merged with the step before it when it has the same rule; shown on its own
   * when it is not found there.
   */
  private matrixRewrite(step: TraceStep): void {
    // The step's whole value, where it follows from the matrix form so far.
    const whole = step.whole?.();
    const next = whole && whole.before === this.matrix ? whole.after : this.matrix!;
    if (next === this.matrix) {
      this.local(step, undefined);
      return;
    }
    this.matrix = next;
    const shown: Step = { rule: step.rule, lhs: this.ctx.labels.matrix, rhs: formulaOf(next), claim: this.entriesClaim(next) };
    const last = this.steps[this.steps.length - 1];
    if (last && last.rule === step.rule && last.lhs === shown.lhs) this.steps.pop();
    this.steps.push(shown);
  }

  /** A rewrite of a subexpression by a pass over the whole value (contract δ, recognize NAME). */
  private passStep(step: TraceStep, pass: string): void {
    const law = this.lawOf(step);
    const run = step.run;
    if (!run || !FOLLOWED.has(pass) || this.stale.length > 0 || this.whole !== run.before) {
      // Not followed through the whole value: shown on its own.
      if (!this.stale.includes(step.rule)) this.stale.push(step.rule);
      this.local(step, law);
      return;
    }
    this.pass ??= { pass, run, rules: [], laws: [] };
    const contraction = pass === "contract δ";
    if (contraction && step.rule !== SHOWN_CONTRACTION_RULE) {
      if (step.law !== undefined) this.pass.quiet ??= { rule: step.rule, law: step.law };
      return;
    }
    const visible = this.ctx.display(step.before) !== this.ctx.display(step.after);
    if (visible && !this.pass.rules.includes(step.rule)) {
      this.pass.rules.push(step.rule);
      // A contraction's law is on its identity; a recognition's on the whole value.
      if (law && !contraction) this.pass.laws.push(law);
    }
    // The identity a contraction uses is worth seeing; a recognition shows in the whole value.
    if (contraction) this.local(step, law);
  }

  /** After a run's steps: the whole value after the run. */
  private endPass(): void {
    const run = this.pass;
    this.pass = undefined;
    if (!run || this.whole === undefined || this.stale.length > 0) return;
    this.whole = run.run.after;
    // A contraction that only split sums over their terms is shown as that.
    if (run.rules.length === 0 && run.quiet) return this.showWhole(run.quiet.rule, lawOf(run.quiet.law));
    this.showWhole(run.rules.length > 0 ? run.rules.join(", ") : run.pass, joinLaws(run.laws));
  }

  private lawOf(step: TraceStep): Formula | undefined {
    const recognized = /^recognize (.+)$/.exec(step.rule);
    if (recognized) return this.ctx.definitionLaw(recognized[1]!);
    return step.law === undefined ? undefined : lawOf(step.law);
  }

  /** A rewrite shown on the subexpression it changes (once per shape of step). */
  private local(step: TraceStep, law: Formula | undefined): void {
    const before = this.ctx.display(step.before);
    const after = this.ctx.display(step.after);
    if (before === after) return;
    const key = `${step.rule}|${renamingKey(before, after, new Set([...this.ctx.wrtIndices, ...this.ctx.valueIndices]))}`;
    if (this.shownLocal.has(key)) return;
    this.shownLocal.add(key);
    if (this.pending && this.pending.rule !== step.rule) this.flushPending();
    this.steps.push({ rule: step.rule, ...withLaw(law), lhs: formulaOf(before), rhs: formulaOf(after), claim: { kind: "equal", lhs: before, rhs: after } });
  }

  /** The whole value after a step of `rule`, merged with a held-back step of the same rule. */
  private showWhole(rule: string, law: Formula | undefined): void {
    const shown = this.ctx.display(this.whole!);
    if (shown === this.shownWhole) return;
    this.shownWhole = shown;
    const step: Step = { rule, ...withLaw(law), lhs: this.label, rhs: formulaOf(shown), ...this.claimFor(shown) };
    if (this.pending && this.pending.rule !== rule) this.flushPending();
    this.pending = step;
  }

  private flushPending(): void {
    if (this.pending) this.steps.push(this.pending);
    this.pending = undefined;
  }

  /** The matrix form has the entries of the whole value in index form. */
  private entriesClaim(matrix: Expr): Claim {
    return { kind: "entries", of: this.ctx.result.index, indices: this.ctx.result.indices, matrix };
  }

  /** A pass reports the whole value: show it if the steps so far did not arrive at it. */
  private resync(whole: Expr): void {
    if (whole === this.whole) return;
    const { rule, law } = this.unreportedRule();
    this.follow(whole);
    this.shownWhole = undefined;
    this.showWhole(rule, law);
  }

  /** The rule that took the whole value to `whole` without a step (or with steps not followed). */
  private unreportedRule(): { rule: string; law: Formula | undefined } {
    // No differentiation step: nothing in the value depends on the variable.
    if (this.whole === undefined) return { rule: "constant", law: undefined };
    if (this.stale.length > 0) return { rule: this.stale.join(", "), law: undefined };
    return { rule: "simplify", law: undefined };
  }

  private finish(): RecordedPart {
    const { result, labels } = this.ctx;
    if (this.matrix === undefined) this.resync(result.index);
    this.flushPending();
    if (result.matrix && this.matrix !== undefined && this.matrix !== result.matrix)
      this.steps.push({ rule: "simplify", lhs: labels.matrix, rhs: formulaOf(result.matrix), claim: this.entriesClaim(result.matrix) });
    const index = this.ctx.display(result.index);
    const final: Step = result.matrix
      ? { rule: "result", lhs: labels.matrix, rhs: formulaOf(result.matrix), claim: this.entriesClaim(result.matrix) }
      : { rule: "result (no matrix form)", lhs: this.label, rhs: formulaOf(index), ...this.claimFor(index) };
    return { steps: this.steps, result: final };
  }
}

export const recordPart = (ctx: PartContext): RecordedPart => new PartRecorder(ctx).run(ctx.record.steps);
