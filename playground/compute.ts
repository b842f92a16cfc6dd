/**
 * What the playground shows for a program, computed without the page (so it runs in Node
 * too): the program in LaTeX, the derivative in matrix form, element-wise at concrete
 * sizes, the derivation's steps, and the spec of the kernel to generate. Every input
 * error becomes `error`: `JacobiError.format()`, with line:col and a caret.
 */
import * as B from "../src/core/build.js";
import { JacobiError } from "../src/core/errors.js";
import type { Shape } from "../src/core/shape.js";
import { recordDerivation } from "../src/derive/derivation.js";
import { alignEnvironment } from "../src/derive/text.js";
import { bindWithEvaluator, type Binding } from "../src/eval/bind.js";
import { formatValue, parseBinding } from "../src/eval/value.js";
import { claimsView, type ClaimsView } from "./claims.js";
import { diff, grad, hessian, jacobian, jvp, parse, toLatex, vjp, type Expr, type Program } from "../src/index.js";

export const KINDS = ["jacobian", "grad", "hessian", "diff", "jvp", "vjp"] as const;
export type Kind = (typeof KINDS)[number];
/** What the page does: one of the derivatives, or `check` (every `claim LHS = RHS` judged). */
export const MODES = [...KINDS, "check"] as const;
export type Mode = (typeof MODES)[number];

export interface Request {
  readonly text: string;
  readonly kind: Mode;
  /** The name differentiated by. */
  readonly wrt: string;
  /** The tangent (jvp) or cotangent (vjp); declared with the right shape when the program does not declare it. */
  readonly vector: string;
  /** Sizes for the element-wise view: `n=3, m=2` (size names not given are 3). */
  readonly sizes: string;
  /** Values to see numbers at, as `--at` takes them: `x=[0.2,-0.3]; W=[[1,0],[0,1]]` (empty: none). */
  readonly values?: string;
}

/** A panel's content, or why it has none. */
export type Panel<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export interface Section {
  readonly title: string;
  readonly latex: string;
}

export interface View {
  /** The input's error, formatted: `error: 1:31: message`, the line, a caret. */
  readonly error?: string;
  /** The program: declarations and definitions, one LaTeX line each. */
  readonly program?: readonly string[];
  readonly matrix?: Panel<string>;
  readonly elementwise?: Panel<string>;
  readonly steps?: Panel<readonly Section[]>;
  /** The spec whose kernel the page generates (`generate` is asynchronous). */
  readonly kernelSpec?: Panel<string>;
  /** The value and the derivative at the given values (undefined without values). */
  readonly values?: Panel<string>;
  /** Check mode: every claim's verdict (the values given are held fixed). */
  readonly claims?: ClaimsView;
}

/** Element-wise views whose full Jacobian has more entries than this are not written out. */
export const MAX_ENTRIES = 100;
/** Largest size the element-wise view accepts. */
const MAX_SIZE = 12;
const DEFAULT_SIZE = 3;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const messageOf = (e: unknown): string => (e instanceof JacobiError ? e.format() : `internal error: ${e instanceof Error ? e.message : String(e)}`);

function attempt<T>(f: () => T): Panel<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, message: messageOf(e) };
  }
}

/** A shape as a declaration writes it. */
function declaredShape(s: Shape): string {
  if (s.rows === 1 && s.cols === 1) return "scalar";
  if (s.cols === 1) return `vector(${s.rows})`;
  return `matrix(${s.rows},${s.cols})`;
}

/** A shape as a set: ℝ, ℝⁿ, ℝ^{m×n}. */
function shapeLatex(s: Shape): string {
  const size = (x: number | string): string => toLatex(B.sizeExpr(x));
  if (s.rows === 1 && s.cols === 1) return "\\mathbb{R}";
  if (s.cols === 1) return `\\mathbb{R}^{${size(s.rows)}}`;
  return `\\mathbb{R}^{${size(s.rows)} \\times ${size(s.cols)}}`;
}

/** The declaration of the tangent or cotangent, when the program does not declare it. */
function vectorDecl(program: Program, req: Request): string[] {
  if ((req.kind !== "jvp" && req.kind !== "vjp") || !NAME.test(req.vector)) return [];
  if (program.decls.has(req.vector) || program.defs.has(req.vector)) return [];
  const shape = req.kind === "vjp" ? program.subject?.shape : program.decls.get(req.wrt)?.shape;
  return shape ? [`${req.vector}: ${declaredShape(shape)}`] : [];
}

/** The program and the extra declarations it was parsed with. */
function parseRequest(text: string, req: Request): { program: Program; decls: string[] } {
  const first = parse(text);
  const decls = vectorDecl(first, req);
  return { program: decls.length > 0 ? parse(text, { decls }) : first, decls };
}

type DerivativeRequest = Request & { readonly kind: Kind };

function derivative(program: Program, req: DerivativeRequest, elementwise: boolean): Expr {
  const options = { elementwise };
  switch (req.kind) {
    case "jacobian":
      return jacobian(program, req.wrt, options);
    case "grad":
      return grad(program, req.wrt, options);
    case "hessian":
      return hessian(program, req.wrt, options);
    case "diff":
      return diff(program, req.wrt, options);
    case "jvp":
      return jvp(program, req.wrt, req.vector, options);
    case "vjp":
      return vjp(program, req.wrt, req.vector, options);
  }
}

/** The sizes field: `n=3, m=2`. */
export function parseSizes(field: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const part of field.split(/[,;\s]+/).filter((p) => p !== "")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(\d+)$/.exec(part);
    if (!m) throw new JacobiError("usage", `sizes: '${part}' is not NAME=NUMBER (e.g. n=3)`);
    const n = Number(m[2]);
    if (n < 1 || n > MAX_SIZE) throw new JacobiError("usage", `sizes: ${m[1]} must be between 1 and ${MAX_SIZE} for the element-wise view`);
    sizes.set(m[1]!, n);
  }
  return sizes;
}

/** The text with every size name replaced by a number (a size name is never a value's name). */
function atSizes(text: string, sizes: ReadonlyMap<string, number>): string {
  let out = text;
  for (const [name, n] of sizes) out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, "g"), String(n));
  return out;
}

function elementwiseView(program: Program, req: DerivativeRequest, decls: readonly string[], lhs: string): string {
  const given = parseSizes(req.sizes);
  const sizes = new Map<string, number>();
  for (const name of program.sizes.keys()) sizes.set(name, given.get(name) ?? DEFAULT_SIZE);
  const concrete = parse(atSizes(req.text, sizes), { decls: decls.map((d) => atSizes(d, sizes)) });
  // the work is the Jacobian of every entry of the value by every entry of the variable (twice for a Hessian)
  const entries = (s: Shape | undefined): number => (s && typeof s.rows === "number" && typeof s.cols === "number" ? s.rows * s.cols : Infinity);
  const value = entries(concrete.subject?.shape);
  const variable = entries(concrete.decls.get(req.wrt)?.shape);
  const work = value * variable * (req.kind === "hessian" ? variable : 1);
  if (work > MAX_ENTRIES && Number.isFinite(work))
    throw new JacobiError("limit", `the element-wise view writes out at most ${MAX_ENTRIES} derivatives of entries, and this one has ${work} (give smaller sizes)`);
  const m = derivative(concrete, req, true);
  return `${lhs} = ${toLatex(m)}`;
}

/** The values field: `NAME=VALUE` parts separated by `;` or new lines (brackets may hold commas). */
export function parseValues(field: string): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const part of field.split(/[;\n]/).map((p) => p.trim()).filter((p) => p !== "")) {
    const { name, value } = parseBinding(part);
    if (out.has(name)) throw new JacobiError("value", `values: '${name}' is given twice`);
    out.set(name, { value, source: { label: `values ${name}`, text: part.slice(part.indexOf("=") + 1) } });
  }
  return out;
}

/** The program's value and the derivative at the values (what `--at` prints), as text. */
function valuesAt(program: Program, field: string, derivativeExpr: Expr, lhs: string): string {
  const { evaluator } = bindWithEvaluator(program, parseValues(field), { onUnused: () => {} });
  const show = (e: Expr): string => formatValue(evaluator.value(e, new Map()), "text", 6);
  const name = program.subjectName ?? "value";
  return `${name} = ${show(program.subject!)}\n${lhs} = ${show(derivativeExpr)}`;
}

/** The program in LaTeX: each declaration's set, each definition, and an unnamed value. */
function programLatex(program: Program): string[] {
  const lines: string[] = [];
  const decls = [...program.decls.values()].map((d) => `${toLatex(B.sym(d.name))} \\in ${shapeLatex(d.shape)}`);
  if (decls.length > 0) lines.push(decls.join(", \\quad "));
  for (const [name, def] of program.defs) lines.push(`${toLatex(B.sym(name))} = ${toLatex(def.expr)}`);
  if (program.subject && !program.subjectName) lines.push(toLatex(program.subject));
  return lines;
}

/** A name for the program's value in the kernel spec. */
function valueName(program: Program): string {
  if (program.subjectName) return program.subjectName;
  const taken = (n: string): boolean => program.decls.has(n) || program.defs.has(n) || program.sizes.has(n) || program.uses.has(n);
  if (!taken("f")) return "f";
  for (let k = 1; ; k++) if (!taken(`f_${k}`)) return `f_${k}`;
}

/** The spec of the derivative's kernel: the program (its value named) and one kernel statement. */
function kernelSpec(program: Program, req: DerivativeRequest, decls: readonly string[]): string {
  if (req.kind === "diff") throw new JacobiError("unsupported", "kernels are generated for jacobian, grad, hessian, jvp and vjp");
  const value = valueName(program);
  let text = req.text;
  if (!program.subjectName) {
    const span = program.subjectSpan;
    if (!span) throw new JacobiError("syntax", "the program computes nothing");
    text = `${text.slice(0, span.start)}${value} = ${text.slice(span.start, span.end)}${text.slice(span.end)}`;
  }
  const capitalized = req.kind.charAt(0).toUpperCase() + req.kind.slice(1);
  const vector = req.kind === "jvp" || req.kind === "vjp" ? `, ${req.vector}` : "";
  const name = `${value.replace(/_/g, "")}${capitalized}`;
  return [...decls, text.trimEnd(), `kernel ${name} = ${req.kind}(${value}, ${req.wrt}${vector})`, ""].join("\n");
}

/** Check mode: the program and every claim's verdict; a program without claims is an input error. */
function checkView(req: Request): View {
  let program: Program;
  try {
    program = parse(req.text);
  } catch (e) {
    return { error: messageOf(e) };
  }
  const shown = programLatex(program);
  try {
    return { program: shown, claims: claimsView(req.text, program, parseValues(req.values ?? "")) };
  } catch (e) {
    return { program: shown, error: messageOf(e) };
  }
}

/** Everything the page shows for a request (the kernel itself comes from `generate(view.kernelSpec)`). */
export function view(request: Request): View {
  if (request.kind === "check") return checkView(request);
  const req = request as DerivativeRequest;
  let program: Program;
  let decls: string[];
  try {
    ({ program, decls } = parseRequest(req.text, req));
  } catch (e) {
    return { error: messageOf(e) };
  }
  const shown = programLatex(program);
  if (!NAME.test(req.wrt)) return { program: shown, error: `error: differentiate by what? '${req.wrt}' is not a name` };
  if ((req.kind === "jvp" || req.kind === "vjp") && !NAME.test(req.vector))
    return { program: shown, error: `error: ${req.kind} needs the name of its ${req.kind === "jvp" ? "tangent" : "cotangent"}` };
  let matrix: Expr;
  try {
    matrix = derivative(program, req, false);
  } catch (e) {
    return { program: shown, error: messageOf(e) };
  }
  const spec = { kind: req.kind, wrt: req.wrt, ...(req.kind === "jvp" ? { tangent: req.vector } : {}), ...(req.kind === "vjp" ? { cotangent: req.vector } : {}) };
  const derivation = attempt(() => recordDerivation(program, [spec], { source: req.text }));
  const lhs = derivation.ok ? derivation.value.parts[0]!.result.lhs.latex : `\\operatorname{${req.kind}}`;
  return {
    program: shown,
    matrix: { ok: true, value: `${lhs} = ${toLatex(matrix)}` },
    elementwise: attempt(() => elementwiseView(program, req, decls, lhs)),
    steps: derivation.ok
      ? {
          ok: true,
          value: [
            { title: "Definitions and index form", latex: alignEnvironment(derivation.value.setup) },
            ...derivation.value.parts.map((p) => ({ title: p.title, latex: alignEnvironment(p.steps) })),
          ],
        }
      : derivation,
    kernelSpec: attempt(() => kernelSpec(program, req, decls)),
    ...(req.values?.trim() ? { values: attempt(() => valuesAt(program, req.values!, matrix, derivation.ok ? derivation.value.parts[0]!.result.lhs.text : req.kind)) } : {}),
  };
}
