/** Formatting of bench/RESULTS.md: times, ratios, and tables of implementations side by side. */
import type { Timing } from "./timing.js";

export function time(s: number): string {
  if (s < 1e-6) return `${(s * 1e9).toFixed(0)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 1e-2 ? 2 : 1)} ms`;
  return `${s.toFixed(2)} s`;
}

export const ratioValue = (a: Timing | undefined, b: Timing | undefined): number | undefined => (a && b ? a.median / b.median : undefined);
export const ratio = (a: Timing | undefined, b: Timing | undefined): string => {
  const r = ratioValue(a, b);
  return r === undefined ? "—" : `${r.toFixed(2)}×`;
};
export const cell = (t: Timing | undefined): string => (t ? time(t.median) : "—");
/** The spread of a timing: (q3 - q1) / median. */
export const spread = (t: Timing): string => `±${((50 * (t.q3 - t.q1)) / t.median).toFixed(0)}%`;

/** One row's timings, by implementation. */
export type Row = Record<string, Timing | undefined>;

/** A table: a first column, the named implementations' times, then ratios `a / b` of two of them. */
export function table(first: string, rows: readonly [string, Row][], impls: readonly string[], ratios: readonly [string, string][]): string[] {
  const shown = impls.filter((i) => rows.some(([, r]) => r[i] !== undefined));
  const pairs = ratios.filter(([a, b]) => rows.some(([, r]) => r[a] !== undefined && r[b] !== undefined));
  const head = [first, ...shown, ...pairs.map(([a, b]) => `${a} / ${b}`)];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, k) => (k === 0 ? "---" : "---:")).join("|")}|`];
  for (const [label, r] of rows) lines.push(`| ${[label, ...shown.map((i) => cell(r[i])), ...pairs.map(([a, b]) => ratio(r[a], r[b]))].join(" | ")} |`);
  return lines;
}
