/**
 * `recordDerivation`: a program's derivatives, step by step. The setup shows each
 * definition and its index form; each part runs `derive` with its record and selects
 * and formats its steps (record.ts).
 *
 * Display: when the value is built from other definitions (z1 and s inside L), index
 * expressions are shown with those definitions found again by name (z1[k], s[k]) —
 * the passes work on the inlined value, but a reader follows the names. The value's
 * own definition is never put back this way, so "recognize s" stays a visible step of
 * the softmax Jacobian.
 */
import * as B from "../core/build.js";
import { derive, type DerivativeSpec } from "../calculus/derive.js";
import { definitionForms, indexNamesFor, namingDisplay, withIndexNames, type IndexNames } from "../calculus/forms.js";
import { JacobiError } from "../core/errors.js";
import { isKnownName, type Program, subjectOf } from "../core/program.js";
import { labelsFor, titleOf } from "./labels.js";
import { formulaOf, type Derivation, type Formula, type Part, type Step } from "./model.js";
import { equation, named } from "./notation.js";
import { recordPart } from "./record.js";
import { sweepPart } from "./sweep.js"; // [reverse]

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

export interface DerivationOptions {
  /** The program as the user wrote it (shown in the documents). */
  readonly source: string;
  readonly title?: string;
}

/** The derivation of each derivative of the program's value. */
export function recordDerivation(program: Program, specs: readonly DerivativeSpec[], options: DerivationOptions): Derivation {
  if (specs.length === 0) throw new JacobiError("usage", "nothing to derive: give at least one --wrt name");
  const names = indexNamesFor(program);
  return withIndexNames(names, () => recordWithin(program, specs, options, names));
}

function recordWithin(program: Program, specs: readonly DerivativeSpec[], options: DerivationOptions, names: IndexNames): Derivation {
  const f = subjectOf(program);
  const valueName = program.subjectName ?? freshName(program);
  // Definitions other than the value are shown by name (see above).
  const display = namingDisplay(program, [...program.defs.keys()].filter((n) => n !== valueName), names);
  const forms = definitionForms(program, names);
  const definitionLaw = (name: string): Formula | undefined => {
    const form = forms.get(name);
    return form ? equation(named(name, form.indices), formulaOf(form.rhs)) : undefined;
  };

  const setup: Step[] = [];
  for (const [name, def] of program.defs) {
    const value = B.sym(name, def.expr.shape);
    setup.push({ rule: "definition", lhs: formulaOf(B.sym(name)), rhs: formulaOf(def.expr), claim: { kind: "equal", lhs: value, rhs: def.expr } });
    if (name !== valueName) {
      const form = forms.get(name)!;
      setup.push({ rule: "lower to index form", lhs: named(name, form.indices), rhs: formulaOf(form.rhs), claim: { kind: "entries", of: form.rhs, indices: form.indices, matrix: value } });
    }
  }
  if (!program.subjectName) setup.push({ rule: "definition", lhs: formulaOf(B.sym(valueName)), rhs: formulaOf(f) });

  // [reverse] where the backward sweep gives the results, the derivation shows the sweep (src/reverse)
  const sweep = sweepPart(program, f, specs, valueName);
  if (sweep) return { title: options.title ?? sweep.title, program: options.source, setup, parts: [sweep] };

  const parts: Part[] = [];
  let size = latexSize(setup);
  specs.forEach((spec, k) => {
    const result = derive(program, f, spec, { record: true });
    const record = result.record!;
    const { value: valueIndices, variable: wrtIndices, second: secondIndices } = result.roles;
    const lowered = display(record.lowered);
    if (k === 0) setup.push({ rule: "lower to index form", lhs: named(valueName, valueIndices), rhs: formulaOf(lowered), claim: { kind: "entries", of: lowered, indices: valueIndices, matrix: f } });
    const vector = spec.kind === "jvp" ? spec.tangent : spec.kind === "vjp" ? spec.cotangent : undefined;
    const labels = labelsFor({ kind: spec.kind, value: valueName, valueIndices, wrt: spec.wrt, wrtIndices, secondIndices, vector, sizes: result.sizes });
    const recorded = recordPart({ spec, labels, display, valueIndices, wrtIndices, secondIndices, result, record, lowered, definitionLaw });
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
