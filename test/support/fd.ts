/**
 * Finite differences as the oracle for derivatives, and the rule that decides where
 * the oracle can be trusted.
 *
 * THE SMOOTHNESS RULE. A derivative value is compared with finite differences only
 * where the function is smooth and well conditioned at the sampled point, decided
 * numerically, entry by entry:
 *   1. every value involved is finite: f at the point and at every step, the two
 *      difference quotients;
 *   2. central differences at two step sizes agree: a coarse step
 *      h₁ = 1e-4·max(1, |x|) and a fine one h₂ = 1e-6·max(1, |x|) (for second
 *      derivatives 2e-3 and 5e-4) must give D₁ and D₂ with |D₁ − D₂| ≤ 1e-5·max(1, |D₂|)
 *      (second derivatives 1e-4). For a smooth function the truncation error falls by
 *      10⁴ from h₁ to h₂ and the rounding error rises by 10², so both stay far below
 *      that bound; a kink (abs, sign), a pole, a branch point (sqrt, log, asin at ±1)
 *      within a step, or rounding noise that swamps the difference (catastrophic
 *      cancellation, huge values) breaks the agreement, and the point is skipped.
 *   3. rounding cannot swamp the fine difference: its rounding error, about
 *      ε·|f|/h₂ (ε = 2⁻⁵², |f| the size of the value differentiated), is below the
 *      agreement bound — when it is not, both differences may round to the same wrong
 *      number (f = exp(28) + b: every step in b is lost, D₁ = D₂ = 0).
 * Where all hold, the symbolic value d must be finite and
 *   |d − D₂| ≤ 2·|D₁ − D₂| + 1e-7·max(1, |D₂|)
 * (|D₁ − D₂| bounds D₂'s own error: it exceeds D₂'s rounding error and 10⁴ times its
 * truncation error). Every property counts what it compared and what it skipped and
 * requires a minimum share compared, so that skipping cannot hide a failure.
 */
import type { Expr } from "../../src/core/expr.js";
import type { Program } from "../../src/core/program.js";
import { finiteDifferences } from "../../src/check/fd.js";
import { bindWithEvaluator } from "../../src/eval/bind.js";
import type { Bindings } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";

export const COARSE_STEP = 1e-4;
export const FINE_STEP = 1e-6;
export const AGREEMENT = 1e-5;
export const SLACK = 1e-7;

export type Verdict =
  | { readonly kind: "ok" }
  | { readonly kind: "skip"; readonly why: "not finite" | "not smooth" | "ill-conditioned" }
  | { readonly kind: "fail"; readonly symbolic: number; readonly fd: number; readonly error: number };

/** Rounding error of a central difference at the fine step of a value of this size (4ε|f|/h). */
export const roundingNoise = (magnitude: number, step = FINE_STEP): number => (4 * Number.EPSILON * magnitude) / step;

export interface JudgeOptions {
  /** The size |f| of the value differentiated (for the rounding rule); 0 to leave the rule out. */
  readonly magnitude: number;
  readonly fineStep?: number;
  readonly agreement?: number;
  readonly slack?: number;
  /** judgeAll: every entry must be compared (a skipped entry makes the whole a skip). */
  readonly requireAll?: boolean;
}

/** One entry: the symbolic value against coarse and fine central differences. */
export function judge(symbolic: number, coarse: number, fine: number, options: JudgeOptions): Verdict {
  const agreement = options.agreement ?? AGREEMENT;
  const slack = options.slack ?? SLACK;
  if (!Number.isFinite(coarse) || !Number.isFinite(fine) || !Number.isFinite(options.magnitude)) return { kind: "skip", why: "not finite" };
  const scale = Math.max(1, Math.abs(fine));
  const spread = Math.abs(coarse - fine);
  if (spread > agreement * scale) return { kind: "skip", why: "not smooth" };
  if (roundingNoise(options.magnitude, options.fineStep ?? FINE_STEP) > agreement * scale) return { kind: "skip", why: "ill-conditioned" };
  const error = Math.abs(symbolic - fine);
  if (!(error <= 2 * spread + slack * scale)) return { kind: "fail", symbolic, fd: fine, error };
  return { kind: "ok" };
}

/** Entry by entry; "ok" when none failed and at least one (with `requireAll`, every one) was compared. */
export function judgeAll(
  symbolic: ArrayLike<number>,
  coarse: ArrayLike<number>,
  fine: ArrayLike<number>,
  options: JudgeOptions,
): Verdict & { readonly index?: number } {
  if (symbolic.length !== fine.length) throw new Error(`length ${symbolic.length} against ${fine.length} finite differences`);
  let compared = 0;
  let skip: (Verdict & { readonly index?: number }) | undefined;
  for (let k = 0; k < fine.length; k++) {
    const v = judge(symbolic[k]!, coarse[k]!, fine[k]!, options);
    if (v.kind === "fail") return { ...v, index: k };
    if (v.kind === "ok") compared++;
    else skip ??= { ...v, index: k };
  }
  if (skip && (options.requireAll || compared === 0)) return skip;
  return { kind: "ok" };
}

/** The central difference of a function of one number, with a step relative to |x|. */
export function central(f: (x: number) => number, x: number, relStep: number): number {
  const h = relStep * Math.max(1, Math.abs(x));
  return (f(x + h) - f(x - h)) / (2 * h);
}

/** Coarse and fine central differences of a function of one number, and |f(x)|. */
export function centralPair(f: (x: number) => number, x: number): { coarse: number; fine: number; magnitude: number } {
  return { coarse: central(f, x, COARSE_STEP), fine: central(f, x, FINE_STEP), magnitude: Math.abs(f(x)) };
}

/** The largest |entry| of a value (the size for the rounding rule). */
export function magnitudeOf(v: { readonly data: ArrayLike<number> }): number {
  let m = 0;
  for (let k = 0; k < v.data.length; k++) m = Math.max(m, Math.abs(v.data[k]!));
  return m;
}

/**
 * d f / d wrt of a program at two step sizes: (value entries) × (wrt entries), row-major,
 * and the size of f's value at the point.
 */
export function programDifferences(
  program: Program,
  f: Expr,
  wrt: string,
  bindings: Bindings,
): { rows: number; cols: number; coarse: Float64Array; fine: Float64Array; magnitude: number } {
  const coarse = finiteDifferences(program, f, wrt, bindings, COARSE_STEP);
  const fine = finiteDifferences(program, f, wrt, bindings, FINE_STEP);
  return { rows: fine.rows, cols: fine.cols, coarse: coarse.data, fine: fine.data, magnitude: magnitudeOf(valueAt(program, f, bindings)) };
}

/** The value of an expression over a program at bindings. */
export function valueAt(program: Program, e: Expr, bindings: Bindings): Value {
  const { evaluator } = bindWithEvaluator(program, bindings);
  return evaluator.value(e, new Map());
}

/**
 * The Hessian of a scalar f by wrt (a vector or scalar), by second central differences
 *   H[k,l] ≈ (f(x+hₖ+hₗ) − f(x+hₖ−hₗ) − f(x−hₖ+hₗ) + f(x−hₖ−hₗ)) / (4 hₖ hₗ)
 * at a coarse and a fine step (judge them with HESSIAN_JUDGE).
 */
export function hessianDifferences(
  program: Program,
  f: Expr,
  wrt: string,
  bindings: Bindings,
): { n: number; coarse: Float64Array; fine: Float64Array; magnitude: number } {
  const base = bindings.get(wrt);
  if (!base) throw new Error(`no value bound for ${wrt}`);
  const x = base.value;
  const n = x.data.length;
  const at = (data: Float64Array): number => {
    const next = new Map(bindings);
    next.set(wrt, { value: { ...x, data } });
    return valueAt(program, f, next).data[0]!;
  };
  const table = (rel: number): Float64Array => {
    const out = new Float64Array(n * n);
    const h = Array.from(x.data, (v) => rel * Math.max(1, Math.abs(v)));
    for (let k = 0; k < n; k++)
      for (let l = 0; l < n; l++) {
        const shifted = (sk: number, sl: number): number => {
          const d = Float64Array.from(x.data);
          d[k]! += sk * h[k]!;
          d[l]! += sl * h[l]!;
          return at(d);
        };
        out[k * n + l] = (shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) / (4 * h[k]! * h[l]!);
      }
    return out;
  };
  return { n, coarse: table(HESSIAN_COARSE_STEP), fine: table(HESSIAN_FINE_STEP), magnitude: magnitudeOf(valueAt(program, f, bindings)) };
}
export const HESSIAN_COARSE_STEP = 2e-3;
export const HESSIAN_FINE_STEP = 5e-4;

/** How second differences are judged: rounding grows as ε|f|/h², so the fine "step" for the noise rule is h². */
export const HESSIAN_JUDGE = { fineStep: HESSIAN_FINE_STEP * HESSIAN_FINE_STEP, agreement: 1e-4, slack: 1e-6 } as const;

/** J·v from a Jacobian table (value entries × wrt entries). */
export function jvpOf(table: ArrayLike<number>, rows: number, cols: number, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += table[r * cols + c]! * v[c]!;
    out[r] = s;
  }
  return out;
}

/** gᵀ·J from a Jacobian table (value entries × wrt entries). */
export function vjpOf(table: ArrayLike<number>, rows: number, cols: number, g: ArrayLike<number>): Float64Array {
  const out = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += g[r]! * table[r * cols + c]!;
    out[c] = s;
  }
  return out;
}

/** Tallies of a property run: how many cases were compared and why others were skipped. */
export class Tally {
  compared = 0;
  readonly skipped = new Map<string, number>();
  skip(why: string): void {
    this.skipped.set(why, (this.skipped.get(why) ?? 0) + 1);
  }
  get total(): number {
    let s = this.compared;
    for (const n of this.skipped.values()) s += n;
    return s;
  }
  toString(): string {
    return `compared ${this.compared} of ${this.total}; skipped ${[...this.skipped].map(([w, n]) => `${n} ${w}`).join(", ") || "none"}`;
  }
}
