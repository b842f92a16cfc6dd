/**
 * The main job: the backprop notebook reproduced from formula strings, every number
 * recomputed, every derivative confirmed by finite differences, and every number the
 * notebook printed compared with jacobi's.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { derive, type DerivativeSpec } from "../calculus/derive.js";
import { deriveElementwise, entriesAsMatrix, scalarNamer } from "../calculus/elementwise.js";
import { finiteDifferences, maxRelativeError } from "../check/fd.js";
import { checkProgram, type CheckReport } from "../check/judge.js";
import { Differentiator, entryTarget } from "../diff/derivative.js";
import { bindProgram } from "../eval/bind.js";
import { evaluate, evaluateAt, type Bindings } from "../eval/evaluate.js";
import { parseValue, type Value } from "../eval/value.js";
import { Lowerer } from "../indexform/lower.js";
import { parseProgram } from "../parse/parse.js";
import { toText } from "../print/text.js";
import { simplifier } from "../simplify/simplify.js";
import { ALPHA, DEFINITIONS, INPUTS, MATVEC, NEW_OUTPUT_PRINTED, NEW_OUTPUT_REPLAY, QUANTITIES, SOFTMAX } from "./reference.js";

/** Printed float32 numbers agree with float64 ones to this relative tolerance. */
export const AGREEMENT_TOLERANCE = 2e-6;
/** Finite differences confirm a derivative to this relative tolerance. */
export const FD_TOLERANCE = 1e-6;

export interface Comparison {
  readonly label: string;
  /** How jacobi computes it (a formula, or a derivative in matrix form). */
  readonly formula: string;
  readonly value: Value;
  /** The notebook's printed number, if it printed one. */
  readonly printed: Value | undefined;
  /** Relative difference to the printed number. */
  readonly difference: number | undefined;
  /** Relative difference to finite differences (derivatives only). */
  readonly fdError: number | undefined;
  /** The notebook's own code for it. */
  readonly code: string | undefined;
  /** The notebook's code replayed as a jacobi formula over jacobi's values, and its result. */
  readonly replayed?: { readonly formula: string; readonly value: Value; readonly difference: number | undefined };
}

export interface NotebookReport {
  readonly softmax: { readonly program: string; readonly elementwise: Expr; readonly matrix: Expr; readonly difference: number };
  readonly network: { readonly program: string; readonly rows: readonly Comparison[]; readonly newOutput: Comparison };
  readonly matvec: { readonly program: string; readonly vjp: Expr; readonly flattened: Expr; readonly reshaped: Expr; readonly same: boolean };
  /** The notebook's hand derivation as claims (examples/notebook-claims.jacobi), judged by `jacobi check`. */
  readonly claims?: { readonly label: string; readonly program: Program; readonly report: CheckReport };
}

/** The hand derivation's claims judged with the notebook's one-hot y fixed, the other values random. */
function checkClaims(text: string, label: string): NonNullable<NotebookReport["claims"]> {
  const program = parseProgram(text, { label });
  const y = INPUTS.find((i) => i.name === "y")!;
  return { label, program, report: checkProgram(program, { at: new Map([["y", { value: value(y.value, "y") }]]) }) };
}

const value = (text: string, label: string): Value => parseValue(text, { label, text });

/** The network as a program; `cut` turns that definition into an input (to differentiate by it). */
export function networkProgram(cut?: string): string {
  const decls = INPUTS.map((i) => `${i.name}: ${i.type}`);
  const defs = DEFINITIONS.map((d) => (d.name === cut ? `${d.name}: ${d.type}` : `${d.name} = ${d.formula}`));
  return [...decls, ...defs].join("\n");
}

function inputBindings(): Map<string, { value: Value }> {
  return new Map(INPUTS.map((i) => [i.name, { value: value(i.value, `--at ${i.name}`) }]));
}

/** Value of a derivative at the bindings, with its finite-difference check. */
function derivativeRow(program: Program, spec: DerivativeSpec, of: string, bindings: Bindings) {
  const f = B.sym(of, program.defs.get(of)!.expr.shape);
  const r = derive(program, f, spec);
  if (!r.matrix) throw new Error(`internal: no matrix form for d${of}/d${spec.wrt}`);
  const env = bindProgram(program, bindings);
  const v = evaluate(r.matrix, env);
  const fd = finiteDifferences(program, f, spec.wrt, bindings);
  return { formula: toText(r.matrix), value: v, fdError: maxRelativeError(v.data, fd.data) };
}

function compare(label: string, formula: string, v: Value, printed: string | undefined, fdError: number | undefined, code: string | undefined): Comparison {
  const p = printed === undefined ? undefined : value(printed, label);
  const difference = p && p.data.length === v.data.length ? maxRelativeError(v.data, p.data) : p ? Infinity : undefined;
  return { label, formula, value: v, printed: p, difference, fdError, code };
}

/** Evaluates the notebook's own formula over jacobi's values of the rows it names. */
function replay(r: { readonly formula: string; readonly inputs: Readonly<Record<string, string>> }, rows: readonly Comparison[], printed: Value | undefined) {
  const inputs = Object.entries(r.inputs).map(([name, label]) => ({ name, v: rows.find((row) => row.label === label)!.value }));
  const program = parseProgram([...inputs.map((i) => `${i.name}: vector(${i.v.rows})`), r.formula].join("\n"));
  const v = evaluate(program.subject!, bindProgram(program, new Map(inputs.map((i) => [i.name, { value: i.v }]))));
  return { formula: r.formula, value: v, difference: printed ? maxRelativeError(v.data, printed.data) : undefined };
}

/** Cell 33 as written, with the notebook's own printed gradients. */
function replayNewOutput(rows: readonly Comparison[], inputs: Bindings, printed: Value | undefined) {
  const r = NEW_OUTPUT_REPLAY;
  const values = new Map<string, { value: Value }>([["x", inputs.get("x")!]]);
  const decls = ["x: vector(2)"];
  for (const u of r.updates) {
    const base = inputs.get(u.from)!.value;
    const g = rows.find((row) => row.label === u.gradient)!.printed!;
    values.set(u.name, { value: { ...base, data: base.data.map((x, k) => x - ALPHA * g.data[k]!) } });
    decls.push(`${u.name}: ${base.cols === 1 ? `vector(${base.rows})` : `matrix(${base.rows},${base.cols})`}`);
  }
  const program = parseProgram([...decls, r.formula].join("\n"));
  const v = evaluate(program.subject!, bindProgram(program, values));
  return { formula: r.formula, value: v, difference: printed ? maxRelativeError(v.data, printed.data) : undefined };
}

function network(): NotebookReport["network"] {
  const text = networkProgram();
  const program = parseProgram(text);
  const bindings = inputBindings();
  const forward = bindProgram(program, bindings);
  const rows: Comparison[] = [];
  const grads = new Map<string, Value>();
  for (const q of QUANTITIES) {
    if (q.kind === "value") {
      const def = DEFINITIONS.find((d) => d.name === q.name)!;
      rows.push(compare(q.label, def.formula, forward.values.get(q.name)!, q.printed, undefined, undefined));
      continue;
    }
    const isInput = INPUTS.some((i) => i.name === q.wrt);
    const cut = isInput ? program : parseProgram(networkProgram(q.wrt));
    const b = new Map(bindings);
    if (!isInput) b.set(q.wrt, { value: forward.values.get(q.wrt)! });
    const r = derivativeRow(cut, { kind: q.kind, wrt: q.wrt }, q.of, b);
    if (q.kind === "grad") grads.set(q.wrt, r.value);
    const row = compare(q.label, r.formula, r.value, q.printed, r.fdError, q.code);
    rows.push(q.replay ? { ...row, replayed: replay(q.replay, rows, row.printed) } : row);
  }
  // One gradient step with jacobi's gradients, then the new output.
  const updated = new Map(bindings);
  for (const name of ["W1", "b1", "W2", "b2"]) {
    const old = bindings.get(name)!.value;
    const g = grads.get(name)!;
    updated.set(name, { value: { ...old, data: old.data.map((x, k) => x - ALPHA * g.data[k]!) } });
  }
  const after = bindProgram(program, updated).values.get("s")!;
  const row = compare("new output", `s after W -= ${ALPHA}*dL/dW for W1, b1, W2, b2`, after, NEW_OUTPUT_PRINTED, undefined, NEW_OUTPUT_REPLAY.code);
  return { program: text, rows, newOutput: { ...row, replayed: replayNewOutput(rows, bindings, row.printed) } };
}

function softmax(): NotebookReport["softmax"] {
  const program = parseProgram(SOFTMAX.program);
  const f = program.subject!;
  const spec: DerivativeSpec = { kind: "jacobian", wrt: SOFTMAX.wrt };
  const m = deriveElementwise(program, f, spec);
  const simplify = simplifier({ expected: m.items.length });
  const items = m.items.map(simplify);
  const matrix = derive(program, f, spec).matrix!;
  // The two views agree at the notebook's net_2 (where it evaluates this Jacobian).
  const at: Bindings = new Map([["x", { value: value(QUANTITIES.find((q) => q.label === "net_2")!.printed!, "net_2") }]]);
  const env = bindProgram(program, at);
  const fromEntries = items.map((it) => evaluateAt(it, env, new Map()));
  const difference = maxRelativeError(evaluate(matrix, env).data, fromEntries);
  return { program: SOFTMAX.program, elementwise: entriesAsMatrix({ ...m, items }, program), matrix, difference };
}

/** The VJP g*x', and the notebook's view: the Jacobian by W flattened to 9 entries, times g, reshaped. */
function matvec(): NotebookReport["matvec"] {
  const program = parseProgram(MATVEC.program);
  const f = program.subject!;
  const vjp = derive(program, f, { kind: "vjp", wrt: MATVEC.wrt, cotangent: MATVEC.cotangent }).matrix!;
  const lowerer = new Lowerer(program, { unroll: true });
  const [m, n] = [3, 3];
  const outputs = [1, 2, 3].map((i) => lowerer.lower(f, `${i}`, null));
  const g = [1, 2, 3].map((i) => lowerer.lower(B.sym(MATVEC.cotangent, f.shape), `${i}`, null));
  const name = scalarNamer(program);
  const flat: Expr[] = [];
  for (let p = 1; p <= m; p++)
    for (let q = 1; q <= n; q++) {
      const d = new Differentiator(entryTarget(MATVEC.wrt, [`${p}`, `${q}`]));
      // (J' g)[p,q] = Σ_i g_i ∂(W x)_i/∂W_pq
      flat.push(name(B.addAll(outputs.map((o, i) => B.mul(g[i]!, d.of(o))))));
    }
  const elementwise = entriesAsMatrix(deriveElementwise(program, f, { kind: "vjp", wrt: MATVEC.wrt, cotangent: MATVEC.cotangent }), program);
  const reshaped = B.matrix(m, n, flat);
  return { program: MATVEC.program, vjp, flattened: B.matrix(m * n, 1, flat), reshaped, same: reshaped === elementwise };
}

/** The notebook reproduced; with the claims file's text, its hand derivation checked as well. */
export function runNotebook(claims?: { readonly text: string; readonly label: string }): NotebookReport {
  return { softmax: softmax(), network: network(), matvec: matvec(), ...(claims ? { claims: checkClaims(claims.text, claims.label) } : {}) };
}
