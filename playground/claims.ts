/**
 * The playground's check mode, computed without the page (so it runs in Node too): every
 * `claim LHS = RHS` of the program judged by jacobi's `check` (src/check), each verdict
 * turned into what its card shows — how a claim holds, or why it is wrong: the earlier
 * wrong claim it uses, the shape message, the counterexample's numbers, and the correct
 * expression in LaTeX.
 */
import { holdsText, numbersText, sizesText } from "../src/check/format.js";
import { checkProgram, type CheckReport, type ClaimVerdict } from "../src/check/judge.js";
import { JacobiError } from "../src/core/errors.js";
import type { Program } from "../src/core/program.js";
import type { Bindings } from "../src/eval/bind.js";
import { parse, toLatex } from "../src/index.js";

/** One claim as its card shows it. */
export interface ClaimCard {
  readonly line: number;
  /** The claim as written: `claim grad(L, s) = g1`. */
  readonly text: string;
  readonly verdict: "holds" | "wrong";
  /** holds: how (`proved …` or `equal at 3 random points …`); wrong: the earlier wrong claim it uses, or the shapes. */
  readonly summary: string;
  /** wrong: the counterexample, as text lines (the sizes, the values, both sides). */
  readonly counterexample?: string;
  /** wrong: the correct expression in LaTeX (`correct = …`), and in jacobi's text form. */
  readonly expected?: { readonly latex: string | undefined; readonly text: string };
}

export interface ClaimsView {
  readonly cards: readonly ClaimCard[];
  /** The index of the first wrong claim, or null when every claim holds. */
  readonly firstWrong: number | null;
  /** `first wrong claim: line 29`, or `all 8 claims hold`. */
  readonly summary: string;
}

function wrongSummary(v: ClaimVerdict): string {
  if (v.uses) return `wrong: uses ${v.uses.name}, see line ${v.uses.line} (it holds with ${v.uses.name} corrected)`;
  if (v.shapes) return `wrong: ${v.shapes.message}`;
  return "wrong: the sides differ";
}

function counterexampleText(v: ClaimVerdict): string | undefined {
  const c = v.counterexample;
  if (!c) return undefined;
  const sizes = sizesText(c.sizes);
  const lines = [`at${sizes ? ` sizes ${sizes} and` : ""}`];
  for (const [name, value] of Object.entries(c.values)) lines.push(`  ${name} = ${numbersText(value)}`);
  lines.push(`left side:  ${numbersText(c.lhs)}`, `right side: ${numbersText(c.rhs)}`);
  return lines.join("\n");
}

/** A name the program does not use. */
function freshName(program: Program, base: string): string {
  const taken = (n: string): boolean => program.decls.has(n) || program.defs.has(n) || program.sizes.has(n) || program.uses.has(n);
  for (let k = 0; ; k++) if (!taken(k === 0 ? base : `${base}_${k}`)) return k === 0 ? base : `${base}_${k}`;
}

/** The correct expression in LaTeX: read as a definition after the program's last line (its names are the program's). */
function expectedLatex(text: string, program: Program, expected: string): string | undefined {
  const name = freshName(program, "correct");
  try {
    const def = parse(`${text}\n${name} = ${expected}`).defs.get(name);
    return def ? `\\text{correct} = ${toLatex(def.expr)}` : undefined;
  } catch {
    return undefined; // the page shows the text form alone
  }
}

function card(text: string, program: Program, v: ClaimVerdict): ClaimCard {
  const base = { line: v.line, text: v.text, verdict: v.verdict };
  if (v.verdict === "holds") return { ...base, summary: holdsText(v) };
  const counterexample = counterexampleText(v);
  return {
    ...base,
    summary: wrongSummary(v),
    ...(counterexample === undefined ? {} : { counterexample }),
    ...(v.expected === null ? {} : { expected: { latex: expectedLatex(text, program, v.expected), text: v.expected } }),
  };
}

/** Every claim of the program judged, with `at` fixed (the others drawn at random). */
export function claimsView(text: string, program: Program, at: Bindings): ClaimsView {
  if (program.claims.length === 0) throw new JacobiError("usage", "check: the program has no claims (write a step as `claim LHS = RHS`, e.g. `claim grad(f, x) = 2*x`)");
  const report: CheckReport = checkProgram(program, { at });
  const first = report.firstWrong === null ? undefined : report.claims[report.firstWrong]!;
  const n = report.claims.length;
  return {
    cards: report.claims.map((v) => card(text, program, v)),
    firstWrong: report.firstWrong,
    summary: first ? `first wrong claim: line ${first.line}` : n === 1 ? "the claim holds" : `all ${n} claims hold`,
  };
}
