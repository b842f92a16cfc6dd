/**
 * Where the sweeps serve: gradients and VJPs (reverse mode), JVPs (forward mode). Both ways are tried — the index form
 * (lower, differentiate, contract, recognize, matricize) and the backward sweep — and
 * the smaller matrix form is kept, the index form on a tie (so `diag(s) - s*s'`-style
 * results stay as they were). The sweep alone serves a definition differentiated by
 * (`--wrt net1`), a derivative whose index form has no matrix form, and one whose index
 * form is too much work.
 */
import type { DerivativeResult, DerivativeSpec } from "./result.js";
import { JacobiError } from "../core/errors.js";
import { withWorkBudget, type Expr, type Index } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import type { Program } from "../core/program.js";
import type { Size } from "../core/shape.js";
import { forEachNode, treeSize } from "../core/traverse.js";
import { Lowerer, NoIndexForm } from "../indexform/lower.js";
import { backprop, type Backprop, type Binding } from "../reverse/backprop.js";
import { pushForward } from "../reverse/forward.js";
import { NoReverseRule } from "../reverse/view.js";
import { bindingsUnderAssumptions, resultUnderAssumptions, underAssumptions } from "./assume.js";
import { dimensionIndices, indexNamesFor, presentIndices, withIndexNames } from "./forms.js";

/**
 * The size of an expression as written: its nodes counted as a tree (shared parts each
 * time); Infinity when writing it out would repeat too much.
 */
export function printedLength(e: Expr, maxNodes = 5000): number {
  return treeSize(e, maxNodes);
}

/** The work a sweep may take: it is linear in the program, so an eighth of a derivative's budget. */
const SWEEP_WORK = LIMITS.maxWork / 8;

/**
 * How many matrices a form builds that are not given (n×n intermediates: `eye(n) - …`,
 * `diag(v)`, outer products): a VJP of a vector should build none, and the sweep's forms
 * do not, where the index form's Jacobian-shaped factors do.
 */
export function formedMatrices(e: Expr): number {
  let count = 0;
  forEachNode(e, (x) => {
    const given = x.kind === "sym" || x.kind === "num" || x.kind === "eye" || (x.kind === "transpose" && x.arg.kind === "sym");
    if (!given && x.shape.rows !== 1 && x.shape.cols !== 1) count++;
  });
  return count;
}

/** Is the index form (when it has a matrix form) to be kept over the sweep's? */
const indexServes = (index: Expr, swept: Expr): boolean =>
  formedMatrices(index) <= formedMatrices(swept) && printedLength(index) <= printedLength(swept);

const isReverseKind = (spec: DerivativeSpec): spec is DerivativeSpec & { kind: "grad" | "vjp" } => spec.kind === "grad" || spec.kind === "vjp";

/** The sweep for several specs of one kind (grad or vjp with one cotangent), or undefined without a rule. */
export function sweepFor(program: Program, f: Expr, specs: readonly DerivativeSpec[]): Backprop | undefined {
  const first = specs[0]!;
  const forward = first.kind === "jvp" && specs.length === 1 && first.tangent !== undefined;
  if (!isReverseKind(first) && !forward) return undefined;
  const what = `the ${first.kind} by ${specs.map((s) => s.wrt).join(", ")}`;
  const sweep = (): Backprop =>
    forward
      ? pushForward(program, f, first.wrt, first.tangent!)
      : backprop(program, f, specs.map((s) => s.wrt), { kind: first.kind as "grad" | "vjp", ...(first.cotangent ? { cotangent: first.cotangent } : {}) });
  try {
    return withWorkBudget(SWEEP_WORK, what, sweep);
  } catch (e) {
    // no rule for an operator, or more work than a sweep should take: the index form serves
    if (e instanceof NoReverseRule || (e instanceof JacobiError && e.kind === "limit")) return undefined;
    throw e;
  }
}

/** The index path's result, or undefined when it is too much work (a limit error). */
function indexOrUndefined(viaIndex: () => DerivativeResult): DerivativeResult | undefined {
  try {
    return viaIndex();
  } catch (e) {
    if (e instanceof JacobiError && e.kind === "limit") return undefined;
    if (e instanceof NoIndexForm) return undefined; // max, min: the sweep's form alone

    throw e;
  }
}

/** A result from the sweep alone: its index form is the matrix form lowered (with the program's fresh index names). */
function fromSweep(program: Program, spec: DerivativeSpec, matrix: Expr, bp: Backprop): DerivativeResult {
  const names = indexNamesFor(program);
  // a JVP has the value's indices; a gradient or VJP the variable's
  const [r, c] = spec.kind === "jvp" ? dimensionIndices(matrix.shape, names.row, names.col) : dimensionIndices(matrix.shape, names.wrtRow, names.wrtCol);
  const sizes = new Map<Index, Size>();
  if (r) sizes.set(r, matrix.shape.rows);
  if (c) sizes.set(c, matrix.shape.cols);
  const indices = presentIndices([r, c]);
  let index: Expr | undefined;
  return {
    spec,
    shape: matrix.shape,
    // lowered when asked for (the matrix form is what callers use)
    get index(): Expr {
      return (index ??= withWorkBudget(LIMITS.maxWork, `the ${spec.kind} by ${spec.wrt}`, () => withIndexNames(names, () => new Lowerer(program).lower(matrix, r, c))));
    },
    indices,
    sizes,
    roles: spec.kind === "jvp" ? { value: indices, variable: [], second: [] } : { value: [], variable: indices, second: [] },
    matrix,
    backprop: { named: bp.named.get(spec.wrt)!, where: bp.bindings },
  };
}

/**
 * derive()'s choice for one spec (the hook in src/calculus/derive.ts): the index form,
 * or the sweep's when that is smaller or the index form has none.
 */
export function preferReverse(program: Program, f: Expr, spec: DerivativeSpec, viaIndex: () => DerivativeResult): DerivativeResult {
  if (!isReverseKind(spec) && spec.kind !== "jvp") return viaIndex();
  const isDefinition = program.defs.has(spec.wrt) && !program.decls.has(spec.wrt);
  const bp = sweepFor(program, f, [spec]);
  if (!bp) return viaIndex();
  const matrix = bp.inline.get(spec.wrt)!;
  if (isDefinition) return fromSweep(program, spec, matrix, bp);
  const index = indexOrUndefined(viaIndex);
  if (!index) return fromSweep(program, spec, matrix, bp);
  if (index.matrix && indexServes(index.matrix, matrix)) return index;
  return { ...index, matrix, backprop: { named: bp.named.get(spec.wrt)!, where: bp.bindings } };
}

/** Derivatives by several names, printed together: one form each, and the cotangents they name. */
export interface Joint {
  readonly results: readonly DerivativeResult[];
  /** What to print for each (matrix form, possibly with cotangent names; else the index form). */
  readonly display: readonly Expr[];
  /** The named cotangents the displays use (empty when every display is written out). */
  readonly where: readonly Binding[];
}

/** Results are written out when each is at most this many nodes (about an 80-column line). */
const LINE = 35;

/**
 * grad or vjp by several names with one sweep: when every name's index form has a matrix
 * form and together they are no longer, those (as today); else the sweep's forms, with
 * the shared cotangents named when a written-out result would pass about a line and
 * naming makes the whole shorter.
 */
export function jointDerivatives(program: Program, f: Expr, specs: readonly DerivativeSpec[], each: (spec: DerivativeSpec) => DerivativeResult): Joint {
  const joint = jointForms(program, f, specs, each);
  if (program.assumptions.length === 0) return joint;
  // the program's assumptions used in what is printed (the results are derive()'s, already under them)
  const results = joint.results.map((r) => resultUnderAssumptions(program, r));
  return { results, display: joint.display.map((e) => underAssumptions(program, e)), where: bindingsUnderAssumptions(program, joint.where) };
}

function jointForms(program: Program, f: Expr, specs: readonly DerivativeSpec[], each: (spec: DerivativeSpec) => DerivativeResult): Joint {
  const bp = specs.length > 0 && specs.every((s) => s.kind === specs[0]!.kind && s.cotangent === specs[0]!.cotangent) ? sweepFor(program, f, specs) : undefined;
  if (!bp) {
    const results = specs.map(each);
    return { results, display: results.map((r) => r.matrix ?? r.index), where: [] };
  }
  const inline = specs.map((s) => bp.inline.get(s.wrt)!);
  const inlineLengths = inline.map((e) => printedLength(e));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  // the index forms, until one has no matrix form or the sweep's is smaller (then the sweep serves all)
  const results: DerivativeResult[] = [];
  for (const s of specs) {
    const r = each(s);
    results.push(r);
    if (!r.matrix || r.backprop || !indexServes(r.matrix, inline[results.length - 1]!)) break;
  }
  const indexLengths = results.map((r) => (r.matrix && !r.backprop ? printedLength(r.matrix) : Infinity));
  const indexAll = results.length === specs.length && results.every((r, k) => r.matrix && !r.backprop && formedMatrices(r.matrix) <= formedMatrices(inline[k]!));
  if (indexAll && sum(indexLengths) <= sum(inlineLengths)) return { results, display: results.map((r) => r.matrix!), where: [] };
  const swept = specs.map((s, k) => fromSweep(program, s, inline[k]!, bp));
  const named = specs.map((s) => bp.named.get(s.wrt)!);
  const namedLength = sum(named.map((e) => printedLength(e))) + sum(bp.bindings.map((b) => printedLength(b.expr) + 1));
  const fits = inlineLengths.every((n) => n <= LINE);
  if (bp.bindings.length === 0 || fits || namedLength >= sum(inlineLengths)) return { results: swept, display: inline, where: [] };
  return { results: swept, display: named, where: bp.bindings };
}
