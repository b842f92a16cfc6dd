/** What every bench section shares: seeded data, timing that records raw results, agreement checks, numpy. */
import { seeded } from "../src/check/points.js";
import { runNumpy, type NumpyCase, type NumpyRun } from "./numpy.js";
import { time } from "./report.js";
import { measure, measureGroup, type Timing, type TimingOptions } from "./timing.js";

export const QUICK = process.env["JACOBI_BENCH_QUICK"] === "1";
export const ROOT = process.env["JACOBI_ROOT"] ?? process.cwd();
/** JACOBI_BENCH_ONLY=softmax,network runs only those sections (for development; RESULTS.md and the README are left alone). */
export const ONLY = process.env["JACOBI_BENCH_ONLY"]?.split(",").filter((x) => x !== "");
export const wanted = (section: string): boolean => ONLY === undefined || ONLY.includes(section);
const started = Date.now();

/** Seeded, so runs time the same data. */
export const random = seeded(2024);
export const vec = (n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => (2 * random() - 1) * scale);
export const f32 = (a: Float64Array): Float32Array => Float32Array.from(a);

export const opts: TimingOptions = QUICK ? { warmupMs: 30, samples: 5, budgetMs: 300, sampleMs: 3 } : { warmupMs: 200, samples: 15, budgetMs: 4000, sampleMs: 10 };

export const log = (msg: string): void => {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);
};
export const elapsed = (): number => (Date.now() - started) / 1000;

/** Every timing taken, in order, for the raw table. */
export const raw: [string, Timing][] = [];
export const checks: string[] = [];
export const notes: string[] = [];

export function m(label: string, fn: () => unknown, o: TimingOptions = opts): Timing {
  const t = measure(fn, o);
  raw.push([label, t]);
  log(`${label}: ${time(t.median)}`);
  return t;
}

/** Implementations of one row, timed in alternation (sample by sample). */
export function mg(fns: Record<string, () => unknown>, o: TimingOptions = opts): Record<string, Timing> {
  const t = measureGroup(fns, o);
  for (const [label, v] of Object.entries(t)) {
    raw.push([label, v]);
    log(`${label}: ${time(v.median)}`);
  }
  return t;
}

/** Largest |a - b| over the entries (Infinity when the lengths differ). */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k]! - b[k]!));
  return a.length === b.length ? d : Infinity;
}

/** The implementations must agree before they are timed: a disagreement is listed under Checks. */
export function agree(what: string, a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): void {
  const d = maxDiff(a, b);
  if (!(d <= tolerance)) checks.push(`${what}: implementations differ by ${d} (tolerance ${tolerance})`);
}

export let numpyInfo: { numpy: string; openblas: string } | string | undefined;

/** numpy's f64 and f32 timings of the cases (outputs checked against `expected`), or none when numpy is missing. */
export function numpyTimes(cases: readonly NumpyCase[], expected: Readonly<Record<string, ArrayLike<number>>>, scale: Readonly<Record<string, number>> = {}): Record<string, Timing> {
  const run: NumpyRun | string = runNumpy(cases, ROOT);
  if (typeof run === "string") {
    if (run.startsWith("numpy run failed")) checks.push(`${cases.map((c) => c.name).join(", ")}: ${run}`);
    else numpyInfo = run;
    return {};
  }
  numpyInfo = { numpy: run.numpy, openblas: run.openblas };
  const out: Record<string, Timing> = {};
  for (const c of cases) {
    const want = expected[c.name]!;
    const s = scale[c.name] ?? 1;
    for (const tag of ["f64", "f32"] as const) {
      agree(`numpy ${tag} ${c.name}`, run.outputs[`${c.name}.${tag}`]!, want, (tag === "f64" ? 1e-10 : 1e-4) * s);
      const t = run.timings[`${c.name}.${tag}`]!;
      out[`${c.name}.${tag}`] = t;
      raw.push([`numpy ${tag} ${c.name}`, t]);
      log(`numpy ${tag} ${c.name}: ${time(t.median)}`);
    }
  }
  return out;
}
