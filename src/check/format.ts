/** A check report as text (one block per claim) and as the JSON record of `--format json`. */
import type { CheckReport, ClaimVerdict } from "./judge.js";
import type { Numbers } from "./sample.js";

const num = (x: number): string => String(Number(x.toPrecision(6)));

/** A value as text: `0.5`, `[1, 2]`, `[[1, 2], [3, 4]]` (6 significant digits). */
export function numbersText(v: Numbers): string {
  if (typeof v === "number") return num(v);
  return `[${(v as (number | number[])[]).map((x) => (typeof x === "number" ? num(x) : `[${x.map(num).join(", ")}]`)).join(", ")}]`;
}

export const sizesText = (s: Readonly<Record<string, number>>): string =>
  Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

/** How a claim that holds was found to hold. */
export function holdsText(v: ClaimVerdict): string {
  if (v.how === "symbolic" || !v.sampled) return "holds: proved (the difference simplifies to zero)";
  const rounds = v.sampled.sizes.filter((s) => Object.keys(s).length > 0);
  const where = rounds.length === 0 ? "the sizes are fixed" : `${rounds.length} bindings of the sizes: ${rounds.map(sizesText).join("; ")}`;
  return `holds: not proved, but equal at ${v.sampled.points} random points (${where})`;
}

function wrongLines(v: ClaimVerdict): string[] {
  if (v.uses) return [`wrong: uses ${v.uses.name}, see line ${v.uses.line} (it holds with ${v.uses.name} corrected)`];
  const out: string[] = [];
  if (v.shapes) out.push(`wrong: ${v.shapes.message}`);
  const c = v.counterexample;
  if (c) {
    const sizes = sizesText(c.sizes);
    out.push(`wrong: the sides differ${sizes ? ` (sizes ${sizes})` : ""} at`);
    for (const [name, value] of Object.entries(c.values)) out.push(`    ${name} = ${numbersText(value)}`);
    out.push(`  left side:  ${numbersText(c.lhs)}`, `  right side: ${numbersText(c.rhs)}`);
  }
  if (v.expected) out.push(`  correct: ${v.expected}`);
  return out;
}

/** The report as text: each claim with its line and verdict, then the first wrong claim. */
export function reportText(r: CheckReport): string {
  const lines: string[] = [];
  for (const v of r.claims) {
    lines.push(`line ${v.line}: ${v.text}`);
    for (const l of v.verdict === "holds" ? [holdsText(v)] : wrongLines(v)) lines.push(`  ${l}`);
  }
  const first = r.firstWrong === null ? undefined : r.claims[r.firstWrong]!;
  lines.push(first ? `first wrong claim: line ${first.line}` : r.claims.length === 1 ? "the claim holds" : `all ${r.claims.length} claims hold`);
  return lines.join("\n");
}

/** The JSON record: `{"claims": [{line, text, verdict, how, counterexample, expected, shapes, uses}], "firstWrong"}`. */
export function reportJson(r: CheckReport): string {
  const claims = r.claims.map((v) => ({
    line: v.line,
    text: v.text,
    verdict: v.verdict,
    how: v.how,
    counterexample: v.counterexample,
    expected: v.expected,
    shapes: v.shapes,
    uses: v.uses,
  }));
  return JSON.stringify({ claims, firstWrong: r.firstWrong });
}
