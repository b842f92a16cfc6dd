/**
 * `recordDerivation`: a program's derivatives, step by step. The setup shows each
 * definition and its index form; each part runs `derive` with a tracer and records
 * its steps (record.ts).
 *
 * Display: when the value is built from other definitions (z1 and s inside L), index
 * expressions are shown with those definitions found again by name (z1[k], s[k]) —
 * the passes work on the inlined value, but a reader follows the names. The value's
 * own definition is never put back this way, so "recognize s" stays a visible step of
 * the softmax Jacobian.
 */
import * as B from "../core/build.js";
import { derive, shapeOfName, type DerivativeSpec } from "../calculus/derive.js";
import { JacobiError } from "../core/errors.js";
import type { Expr, Index } from "../core/expr.js";
import { isKnownName, type Program } from "../core/program.js";
import type { Shape } from "../core/shape.js";
import type { Step as TraceStep } from "../core/trace.js";
import { contract } from "../indexform/contract.js";
import { Lowerer } from "../indexform/lower.js";
import { patternsOf, recognize, Recognizer } from "../indexform/recognize.js";
import { subjectOf } from "../parse/parse.js";
import { labelsFor, titleOf } from "./labels.js";
import { formula, formulaOf, type Derivation, type Formula, type Part, type Step } from "./model.js";
import { equation, named } from "./notation.js";
import { recordPart, type Pass } from "./record.js";

/** Index names of a value's dimensions, as the lowering names them (rows i, columns j). */
const dimensionIndices = (s: Shape): [Index | null, Index | null] => [s.rows === 1 ? null : "i", s.cols === 1 ? null : "j"];
const present = (xs: readonly (Index | null)[]): Index[] => xs.filter((x): x is Index => x !== null);
const dimensionCount = (s: Shape): number => (s.rows === 1 ? 0 : 1) + (s.cols === 1 ? 0 : 1);

/**
 * Contraction also splits Σ over sums (Σ_k (u + v) = Σ_k u + Σ_k v) without reporting
 * a step; when it changed the value and reported nothing, that is what it did.
 */
const SUM_OVER_TERMS: Formula = formula("Σ_k (u(k) + v(k)) = Σ_k u(k) + Σ_k v(k)", "\\sum_{k} \\left(u_{k} + v_{k}\\right) = \\sum_{k} u_{k} + \\sum_{k} v_{k}");

/**
 * The most LaTeX a derivation's formulas may come to. Each step shows the whole value, so
 * deep compositions make long derivations (a 40-layer tanh network: 2.2 million characters,
 * 180 MB of rendered HTML); the notebook's network takes 21 thousand.
 */
export const MAX_DERIVATION_LATEX = 1_000_000;

const latexSize = (steps: readonly Step[]): number =>
  steps.reduce((n, s) => n + s.lhs.latex.length + s.rhs.latex.length + (s.law?.latex.length ?? 0), 0);

function checkSize(size: number): void {
  if (size > MAX_DERIVATION_LATEX)
    throw new JacobiError(
      "limit",
      `the derivation is too long to show: its formulas come to at least ${size} characters of LaTeX (the limit is ${MAX_DERIVATION_LATEX}); jacobi grad, jacobian, jvp or vjp give the result alone`,
    );
}

/** A name for an unnamed value: f, or f_1, f_2… when the program uses f. */
function freshName(program: Program): string {
  const taken = (n: string): boolean => isKnownName(program, n) || program.uses.has(n);
  if (!taken("f")) return "f";
  for (let k = 1; ; k++) if (!taken(`f_${k}`)) return `f_${k}`;
}

/** Shows index expressions with the program's other definitions named (see above). */
function displayFor(program: Program, valueName: string): (e: Expr) => Expr {
  const names = [...program.defs.keys()].filter((n) => n !== valueName);
  if (names.length === 0) return (e) => e;
  const recognizer = new Recognizer(patternsOf(program, names));
  return (e) => recognizer.run(e);
}

/** Each definition's index form, in terms of the earlier names: s[i] = exp(x[i])/Σ_k exp(x[k]). */
function definitionIndexForms(program: Program): Map<string, { lhs: Formula; rhs: Expr; indices: Index[] }> {
  const lowerer = new Lowerer(program, { inline: false });
  const out = new Map<string, { lhs: Formula; rhs: Expr; indices: Index[] }>();
  for (const [name, def] of program.defs) {
    const [r, c] = dimensionIndices(def.expr.shape);
    const indices = present([r, c]);
    out.set(name, { lhs: named(name, indices), rhs: contract(lowerer.lower(def.expr, r, c)), indices });
  }
  return out;
}

export interface DerivationOptions {
  /** The program as the user wrote it (shown in the documents). */
  readonly source: string;
  readonly title?: string;
}

/** The derivation of each derivative of the program's value. */
export function recordDerivation(program: Program, specs: readonly DerivativeSpec[], options: DerivationOptions): Derivation {
  if (specs.length === 0) throw new JacobiError("usage", "nothing to derive: give at least one --wrt name");
  const f = subjectOf(program);
  const valueName = program.subjectName ?? freshName(program);
  const display = displayFor(program, valueName);
  const forms = definitionIndexForms(program);
  const definitionLaw = (name: string): Formula | undefined => {
    const form = forms.get(name);
    return form ? equation(form.lhs, formulaOf(form.rhs)) : undefined;
  };

  // The passes derive() runs over the whole value after differentiating.
  const passes = new Map<string, Pass>([
    ["contract δ", { apply: (e) => contract(e), unreported: { rule: "linearity of Σ", law: SUM_OVER_TERMS } }],
    ["recognize", { apply: (e) => recognize(e, program) }],
  ]);

  const setup: Step[] = [];
  for (const [name, def] of program.defs) {
    const value = B.sym(name, def.expr.shape);
    setup.push({ rule: "definition", lhs: formulaOf(B.sym(name)), rhs: formulaOf(def.expr), claim: { kind: "equal", lhs: value, rhs: def.expr } });
    if (name !== valueName) {
      const form = forms.get(name)!;
      setup.push({ rule: "lower to index form", lhs: form.lhs, rhs: formulaOf(form.rhs), claim: { kind: "entries", of: form.rhs, indices: form.indices, matrix: value } });
    }
  }
  if (!program.subjectName) setup.push({ rule: "definition", lhs: formulaOf(B.sym(valueName)), rhs: formulaOf(f) });

  const parts: Part[] = [];
  let size = latexSize(setup);
  specs.forEach((spec, k) => {
    const trace: TraceStep[] = [];
    const result = derive(program, f, spec, (s) => trace.push(s));
    // derive() names the value's dimensions first, then the variable's, then (Hessian) the second variable's.
    const indices = [...result.sizes.keys()];
    const nf = dimensionCount(f.shape);
    const nx = dimensionCount(shapeOfName(program, spec.wrt, "--wrt"));
    const valueIndices = indices.slice(0, nf);
    const wrtIndices = indices.slice(nf, nf + nx);
    const secondIndices = indices.slice(nf + nx);
    const lowering = trace.find((s) => s.rule === "lower to index form");
    if (!lowering) throw new Error("internal: derive() reported no lowering to index form");
    const lowered = display(lowering.after);
    if (k === 0) setup.push({ rule: "lower to index form", lhs: named(valueName, valueIndices), rhs: formulaOf(lowered), claim: { kind: "entries", of: lowered, indices: valueIndices, matrix: f } });
    const vector = spec.kind === "jvp" ? spec.tangent : spec.kind === "vjp" ? spec.cotangent : undefined;
    const labels = labelsFor({ kind: spec.kind, value: valueName, valueIndices, wrt: spec.wrt, wrtIndices, secondIndices, vector, sizes: result.sizes });
    const recorded = recordPart({ spec, labels, display, valueIndices, wrtIndices, secondIndices, result, lowered, definitionLaw, passes }, trace);
    size += latexSize(recorded.steps) + latexSize([recorded.result]);
    checkSize(size);
    parts.push({ title: titleOf(spec.kind, valueName, spec.wrt, vector), steps: recorded.steps, result: recorded.result });
  });
  return { title: options.title ?? documentTitle(parts, valueName, specs), program: options.source, setup, parts };
}

function documentTitle(parts: readonly Part[], value: string, specs: readonly DerivativeSpec[]): string {
  if (parts.length === 1) return parts[0]!.title;
  const kinds = new Set(specs.map((s) => s.kind));
  const what = kinds.size === 1 && kinds.has("grad") ? "gradients" : "derivatives";
  return `${what} of ${value} by ${specs.map((s) => s.wrt).join(", ")}`;
}
