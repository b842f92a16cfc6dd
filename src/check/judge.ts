/**
 * `jacobi check`: every claim of a program judged in order.
 *   holds  proved (lhs − rhs simplifies to zero, definitions written out), or else equal
 *          at POINTS random points for each of SIZE_ROUNDS random bindings of the sizes
 *   wrong  a shape that differs (or an ill-shaped side), or a point where they differ:
 *          the counterexample, the correct expression, and — when the claim holds once
 *          the definitions that earlier wrong claims equated are corrected — which one.
 */
import { JacobiError } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import type { Claim, ClaimDerivative, Program } from "../core/program.js";
import { describeShape, type Shape } from "../core/shape.js";
import type { Binding, Bindings } from "../eval/bind.js";
import { parseProgram } from "../parse/parse.js";
import { toText } from "../print/text.js";
import { definitionsUsed, derivativeOf, proves, sidesOf, type Sides } from "./forms.js";
import { compareAt, type Counterexample, type Sampling } from "./sample.js";

export type { Counterexample } from "./sample.js";

/** One claim's verdict (the record `--format json` prints). */
export interface ClaimVerdict {
  readonly line: number;
  readonly text: string;
  readonly verdict: "holds" | "wrong";
  readonly how: "symbolic" | "numeric";
  readonly counterexample: Counterexample | null;
  /** The correct expression (the computed side), in jacobi's text form. */
  readonly expected: string | null;
  /** When the sides differ in shape (or one is ill-shaped): both shapes and what is wrong. */
  readonly shapes: { readonly yours: string | null; readonly expected: string | null; readonly message: string } | null;
  /** A wrong claim that holds once an earlier wrong claim's definition is corrected. */
  readonly uses: { readonly name: string; readonly line: number } | null;
  /** How a numeric verdict was reached: points per binding of the sizes, and those bindings. */
  readonly sampled: Sampling | null;
}

export interface CheckReport {
  readonly claims: readonly ClaimVerdict[];
  /** The index (into `claims`) of the first wrong claim, or null. */
  readonly firstWrong: number | null;
}

export interface CheckOptions {
  /** Values to keep fixed (`--at y=[0,0,1]`); the others are drawn at random. */
  readonly at?: Bindings;
  readonly seed?: number;
}

const NOUN: Readonly<Record<ClaimDerivative["kind"], string>> = { grad: "gradient", jacobian: "Jacobian", hessian: "Hessian", vjp: "VJP", jvp: "JVP", diff: "derivative" };

/** "your grad(L, W1) is matrix(2,3); the gradient is matrix(3,2)". */
function shapeMessage(claim: Claim, yours: Shape | undefined, expected: Shape): string {
  const single = claim.derivatives.length === 1 ? claim.derivatives[0]! : undefined;
  const what = single ? single.name : "claim";
  const noun = single ? NOUN[single.kind] : "computed side";
  return `your ${what} is ${yours ? describeShape(yours) : "ill-shaped"}; the ${noun} is ${describeShape(expected)}`;
}

interface Context {
  readonly program: Program;
  readonly options: CheckOptions;
  /** Definitions that wrong claims equated, with the correct expression and the claim's line. */
  readonly corrections: Map<string, { readonly expr: Expr; readonly line: number }>;
}

const base = (claim: Claim): Pick<ClaimVerdict, "line" | "text"> => ({ line: claim.line, text: claim.text });

/** An ill-shaped side: wrong, with the error and (when the claim has one derivative form) the derivative's shape. */
function illShaped(ctx: Context, claim: Claim, error: JacobiError): ClaimVerdict {
  const only = claim.derivatives.length === 1 ? claim.derivatives[0]! : undefined;
  let expected: Expr | undefined;
  try {
    expected = only ? derivativeOf(ctx.program, only) : undefined;
  } catch (e) {
    if (!(e instanceof JacobiError)) throw e;
  }
  const at = error.position ? `${error.position.line}:${error.position.col}: ` : "";
  const message = `${at}${error.message}${expected ? ` (${shapeMessage(claim, undefined, expected.shape)})` : ""}`;
  const shapes = { yours: null, expected: expected ? describeShape(expected.shape) : null, message };
  return { ...base(claim), verdict: "wrong", how: "symbolic", counterexample: null, expected: expected ? toText(expected) : null, shapes, uses: null, sampled: null };
}

/** A claim's computed sides judged in a program (the given one, or one with corrected definitions). */
function judgeSides(program: Program, ctx: Context, claim: Claim, index: number, s: Sides): ClaimVerdict {
  const [computed, yours] = s.computed === "lhs" ? [s.lhs, s.rhs] : [s.rhs, s.lhs];
  const expected = toText(computed);
  if (computed.shape !== yours.shape) {
    const shapes = { yours: describeShape(yours.shape), expected: describeShape(computed.shape), message: shapeMessage(claim, yours.shape, computed.shape) };
    return { ...base(claim), verdict: "wrong", how: "symbolic", counterexample: null, expected, shapes, uses: null, sampled: null };
  }
  if (proves(program, s.lhs, s.rhs)) return { ...base(claim), verdict: "holds", how: "symbolic", counterexample: null, expected, shapes: null, uses: null, sampled: null };
  const { counterexample, sampling } = compareAt(program, s.lhs, s.rhs, ctx.options.at ?? new Map<string, Binding>(), (ctx.options.seed ?? 1) * 1000 + index);
  const verdict = counterexample ? "wrong" : "holds";
  return { ...base(claim), verdict, how: "numeric", counterexample, expected, shapes: null, uses: null, sampled: sampling };
}

/** The program with the corrected definitions the claim reads (undefined when it reads none). */
function corrected(ctx: Context, claim: Claim, sides: { lhs: Expr; rhs: Expr }): { program: Program; name: string; line: number } | undefined {
  const used = new Set([...definitionsUsed(ctx.program, sides.lhs), ...definitionsUsed(ctx.program, sides.rhs)]);
  for (const d of claim.derivatives) for (const n of definitionsUsed(ctx.program, d.of)) used.add(n);
  const fixes = [...ctx.corrections].filter(([name]) => used.has(name));
  if (fixes.length === 0) return undefined;
  const defs = new Map(ctx.program.defs);
  for (const [name, fix] of fixes) defs.set(name, { ...defs.get(name)!, expr: fix.expr });
  const [name, first] = fixes.sort((a, b) => a[1].line - b[1].line)[0]!;
  return { program: { ...ctx.program, defs }, name, line: first.line };
}

/** A wrong claim equating a definition (`claim grad(L, net1) = g3`): later claims reading it are judged with it corrected too. */
function noteCorrection(ctx: Context, claim: Claim, written: { lhs: Expr; rhs: Expr }, s: Sides): void {
  const [computed, yours] = s.computed === "lhs" ? [s.lhs, s.rhs] : [s.rhs, s.lhs];
  const raw = s.computed === "lhs" ? written.rhs : written.lhs;
  if (raw.kind === "sym" && ctx.program.defs.has(raw.name) && computed.shape === yours.shape) ctx.corrections.set(raw.name, { expr: computed, line: claim.line });
}

function judgeClaim(ctx: Context, claim: Claim, index: number): ClaimVerdict {
  if ("error" in claim.sides) return illShaped(ctx, claim, claim.sides.error);
  const written = claim.sides;
  let s: Sides;
  try {
    s = sidesOf(ctx.program, claim, written);
  } catch (e) {
    // a derivative form that does not apply (grad of a vector, say): an ill-shaped claim
    if (e instanceof JacobiError && e.kind === "shape") return illShaped(ctx, claim, e);
    throw e;
  }
  const v = judgeSides(ctx.program, ctx, claim, index, s);
  if (v.verdict === "holds") return v;
  const fix = corrected(ctx, claim, written);
  if (fix && judgeSides(fix.program, ctx, claim, index, sidesOf(fix.program, claim, written)).verdict === "holds") return { ...v, uses: { name: fix.name, line: fix.line } };
  noteCorrection(ctx, claim, written, s);
  return v;
}

/** Judges every claim of the program, in order. */
export function checkProgram(program: Program, options: CheckOptions = {}): CheckReport {
  const ctx: Context = { program, options, corrections: new Map() };
  const claims = program.claims.map((c, k) => judgeClaim(ctx, c, k));
  const first = claims.findIndex((c) => c.verdict === "wrong");
  return { claims, firstWrong: first < 0 ? null : first };
}

/**
 * The program with more claims after its last line (`--claim 'LHS = RHS'`, each with or
 * without the word `claim`), parsed again with its `--decl` declarations.
 */
export function withClaims(program: Program, claims: readonly string[]): Program {
  if (claims.length === 0) return program;
  const decls = [...new Set([...program.decls.values()].flatMap((d) => (d.source && d.source !== program.source ? [d.source.text] : [])))];
  const lines = claims.map((c) => (/^\s*claim\s/.test(c) ? c.trim() : `claim ${c.trim()}`));
  const text = `${program.source.text.replace(/\s+$/, "")}\n${lines.join("\n")}`;
  return parseProgram(text, program.source.label === undefined ? { decls } : { decls, label: program.source.label });
}
