/**
 * Finite differences: the independent numeric check on every derivative. Central
 * differences of the evaluator, entry by entry, with a step scaled to each entry
 * (h = 1e-6·max(1, |x|)); the truncation error is O(h²) and the rounding error
 * O(ε/h), about 1e-10 relative for smooth, well-scaled functions.
 */
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { bindWithEvaluator } from "../eval/bind.js";
import type { Bindings } from "../eval/evaluate.js";
import type { Value } from "../eval/value.js";

/** d f / d wrt numerically, as a (value entries) × (wrt entries) table, row-major per value entry. */
export function finiteDifferences(program: Program, f: Expr, wrt: string, bindings: Bindings, relStep = 1e-6): { rows: number; cols: number; data: Float64Array } {
  const base = bindings.get(wrt);
  if (!base) throw new Error(`no value bound for ${wrt}`);
  const at = (v: Value): Value => {
    const next = new Map(bindings);
    next.set(wrt, { ...base, value: v });
    const { evaluator } = bindWithEvaluator(program, next);
    return evaluator.value(f, new Map());
  };
  const x = base.value;
  const f0 = at(x);
  const out = new Float64Array(f0.data.length * x.data.length);
  for (let k = 0; k < x.data.length; k++) {
    const h = relStep * Math.max(1, Math.abs(x.data[k]!));
    const plus = Float64Array.from(x.data);
    const minus = Float64Array.from(x.data);
    plus[k]! += h;
    minus[k]! -= h;
    const fp = at({ ...x, data: plus });
    const fm = at({ ...x, data: minus });
    for (let e = 0; e < f0.data.length; e++) out[e * x.data.length + k] = (fp.data[e]! - fm.data[e]!) / (2 * h);
  }
  return { rows: f0.data.length, cols: x.data.length, data: out };
}

/** The largest entrywise difference, relative to max(1, |expected|). */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k]!;
    const d = Math.abs(actual[k]! - e) / Math.max(1, Math.abs(e));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
