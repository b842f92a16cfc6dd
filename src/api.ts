/**
 * The library API: parse a program, differentiate it, simplify, evaluate, print, and
 * turn it into numeric kernels. Names follow JAX and SymPy: `grad`, `jacobian`, `jvp`,
 * `vjp`, `hessian`, `diff`, `simplify`. Everything here runs in the browser as well as
 * in Node.
 */
import { declareDirection, derive, type DerivativeSpec } from "./calculus/derive.js";
import { deriveElementwise, entriesAsMatrix } from "./calculus/elementwise.js";
import { JacobiError } from "./core/errors.js";
import type { Expr } from "./core/expr.js";
import { type Program, subjectOf } from "./core/program.js";
import { bindWithEvaluator } from "./eval/bind.js";
import type { Binding } from "./eval/evaluate.js";
import { valueOfLike } from "./eval/value-like.js";
import type { Value } from "./eval/value.js";
import { nested, tensorValue, type Nested } from "./eval/tensor.js";
import { parseProgram, type ParseOptions } from "./parse/parse.js";
import { cancel as polyCancel, expand as polyExpand } from "./simplify/poly.js";
import { simplifier } from "./simplify/simplify.js";
import { deriveByScalars, type ListKind } from "./calculus/scalars.js";
import * as B from "./core/build.js";
import { toLatex as printLatex } from "./print/latex.js";
import { toText as printText } from "./print/text.js";
import { formSize as exprFormSize, operationCount } from "./print/size.js";
import { jointDerivatives } from "./calculus/choose.js"; // [reverse]
import { hessianBlocks as blocksOf } from "./calculus/hessian-blocks.js"; // [reverse]
import { checkProgram, withClaims, type CheckReport as Report } from "./check/judge.js";

/** A parsed program, or program text to parse. */
export type ProgramLike = Program | string;

/** A value: a number, a vector (array or typed array), or a matrix as rows. */
export type ValueLike = number | ArrayLike<number> | readonly ArrayLike<number>[];

/** Options of the derivative functions (`diff`, `grad`, `jacobian`, `hessian`, `jvp`, `vjp`). */
export interface DerivativeOptions {
  /** Write every entry out at concrete sizes (entries x1, x2, …), SymPy's `Matrix.jacobian` view. */
  readonly elementwise?: boolean;
}

/**
 * Parses and checks a program.
 * @example parse("x: vector(n); s = exp(x)/sum(exp(x))")
 * @throws JacobiError with the position (line, column) of the first error.
 */
export function parse(text: string, options?: ParseOptions): Program {
  return parseProgram(text, options);
}

const programOf = (p: ProgramLike): Program => (typeof p === "string" ? parseProgram(p) : p);

function derivative(p: ProgramLike, spec: DerivativeSpec, options: DerivativeOptions): Expr {
  // an undeclared tangent or cotangent takes the variable's or the value's shape
  const program = declareDirection(programOf(p), subjectOf(programOf(p)), spec);
  const f = subjectOf(program);
  if (options.elementwise) {
    const m = deriveElementwise(program, f, spec);
    const simplify = simplifier({ expected: m.items.length });
    return entriesAsMatrix({ ...m, items: m.items.map(simplify) }, program);
  }
  const r = derive(program, f, spec);
  return r.matrix ?? r.index;
}

/**
 * The derivative of the program's value by a scalar name, shaped like the value.
 * @example toText(diff("x^2*sin(y)", "x")) === "2*x*sin(y)"
 */
export const diff = (p: ProgramLike, wrt: string, options: DerivativeOptions = {}): Expr => derivative(p, { kind: "diff", wrt }, options);

/** Options of `grad`, `jacobian` and `hessian` by a list of names. */
export interface EachOptions extends DerivativeOptions {
  /** One result per name, by name (`{ W1: …, b1: … }`), for names of any shape (the CLI's `--wrt W1,b1`). */
  readonly each: true;
}

/** One derivative per name, by name: what `grad(f, ["W1", "b1"], { each: true })` returns. */
export type Derivatives = Readonly<Record<string, Expr>>;

/** grad, jacobian or hessian by one name, by a list of scalar names taken as one vector, or by each name of a list. */
function byNames(kind: ListKind, p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions & { each?: boolean }): Expr | Derivatives {
  if (typeof wrt === "string") return derivative(p, { kind, wrt }, options);
  const program = programOf(p);
  if (options.each) {
    const twice = wrt.find((n, k) => wrt.indexOf(n) !== k);
    if (twice !== undefined) throw new JacobiError("usage", `the list names '${twice}' twice`);
    const out: Record<string, Expr> = Object.create(null);
    for (const name of wrt) out[name] = derivative(program, { kind, wrt: name }, options);
    return out;
  }
  return entriesAsMatrix(deriveByScalars(program, subjectOf(program), kind, wrt), program);
}

/**
 * The gradient of a scalar value, shaped like `wrt`; by a list of scalars `[x, y]`, the
 * column of partials (SymPy's gradient by a list); with `{ each: true }`, one gradient per
 * name of a list of any shapes (what backprop needs: `["W1", "b1", "W2", "b2"]`).
 * @example toText(grad("x: vector(n); A: matrix(n,n); x'*A*x", "x")) === "(A + A')*x"
 * @example toText(grad("x^2*y", ["x", "y"])) === "[2*x*y, x^2]"
 * @example grad("W: matrix(2,2); x: vector(2); b: vector(2); sum(W*x + b)", ["W", "b"], { each: true }) // { W: ones(2)*x', b: ones(2) }
 */
export function grad(p: ProgramLike, wrt: readonly string[], options: EachOptions): Derivatives;
export function grad(p: ProgramLike, wrt: string | readonly string[], options?: DerivativeOptions): Expr;
export function grad(p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions = {}): Expr | Derivatives {
  return byNames("grad", p, wrt, options);
}

/**
 * The Jacobian by a vector, a scalar, a matrix or a definition, or by a list of scalars
 * taken as one vector (SymPy's `Matrix.jacobian(f, [x, y])`); with `{ each: true }`, one
 * per name. With more than two indices (a matrix by a matrix) it is the index form
 * `A[i,a]*delta(b,j)` = ∂F[i,j]/∂X[a,b]; {@link derivativeValue} gives its values, nested.
 * @example toText(jacobian(parse("x: vector(n); s = exp(x)/sum(exp(x))"), "x")) === "diag(s) - s*s'"
 * @example toText(jacobian("[x*y, x + y]", ["x", "y"])) === "[[y, x], [1, 1]]"
 */
export function jacobian(p: ProgramLike, wrt: readonly string[], options: EachOptions): Derivatives;
export function jacobian(p: ProgramLike, wrt: string | readonly string[], options?: DerivativeOptions): Expr;
export function jacobian(p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions = {}): Expr | Derivatives {
  return byNames("jacobian", p, wrt, options);
}

/**
 * The Hessian of a scalar value by a vector (by a matrix: the index form of
 * ∂²f/∂X[a,b]∂X[c,d]), or by a list of scalars taken as one vector (with `{ each: true }`, one per name).
 */
export function hessian(p: ProgramLike, wrt: readonly string[], options: EachOptions): Derivatives;
export function hessian(p: ProgramLike, wrt: string | readonly string[], options?: DerivativeOptions): Expr;
export function hessian(p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions = {}): Expr | Derivatives {
  return byNames("hessian", p, wrt, options);
}

/** A shared cotangent of {@link gradients}: its name (`d2`) and what it stands for. */
export interface NamedCotangent {
  /** The name the results use (`d1`, `d2`, …). */
  readonly name: string;
  /** Its matrix form, in terms of the program's values and earlier cotangents. */
  readonly expr: Expr;
}

/** [reverse] What {@link gradients} returns: each name's form, and the shared cotangents those use. */
export interface Gradients {
  /** Each name's gradient (or pullback) in matrix form, by name. */
  readonly results: Readonly<Record<string, Expr>>;
  /** The named cotangents the results use, in the order they are computed (empty when written out). */
  readonly where: readonly NamedCotangent[];
  /** The program's assumptions the results were written under, as text (`["sum(y) = 1"]` for `assume sum(y) = 1`). */
  readonly assuming: readonly string[];
}

/**
 * [reverse] Gradients by several names at once from one backward sweep — backprop — with
 * the shared cotangents named as a textbook writes them (`dL/dW1 = d1*x'`, where
 * `d1 = (W2'*d2) .* (1 - z1.^2)`) when the results would not fit a line written out. A
 * name may be a definition (`net1`): the gradient by that intermediate. With
 * `{ cotangent: "g" }`, the VJPs of a non-scalar value instead.
 * @example toText(gradients(net, ["W2", "b2"]).results.b2) === "s*sum(y) - y"
 */
export function gradients(p: ProgramLike, wrt: readonly string[], options: { readonly cotangent?: string } = {}): Gradients {
  const program = programOf(p);
  const f = subjectOf(program);
  const specs: DerivativeSpec[] = wrt.map((w) => (options.cotangent ? { kind: "vjp", wrt: w, cotangent: options.cotangent } : { kind: "grad", wrt: w }));
  const joint = jointDerivatives(program, f, specs, (s) => derive(program, f, s));
  const results: Record<string, Expr> = Object.create(null) as Record<string, Expr>;
  wrt.forEach((w, k) => (results[w] = joint.display[k]!));
  return { results, where: joint.where.map((b) => ({ name: b.name.kind === "sym" ? b.name.name : "", expr: b.expr })), assuming: program.assumptions.map((a) => a.text) };
}

/** One block of {@link hessianBlocks}: ∂²f/∂row∂col. */
export interface HessianBlock {
  /** The name the block's rows run along. */
  readonly row: string;
  /** The name its columns run along. */
  readonly col: string;
  /** The block in matrix form (index form where it has none). */
  readonly block: Expr;
}

/**
 * [reverse] The Hessian by several names (vectors or scalars), block by block: the block
 * of `row` and `col` is ∂²f/∂row∂col (rows along `row`), the cross blocks included.
 * @example hessianBlocks(q, ["x", "y"]).map((b) => toText(b.block)) // ["A + A'", "B", "B'", "diag(exp(y))"]
 */
export function hessianBlocks(p: ProgramLike, wrt: readonly string[]): HessianBlock[] {
  const program = programOf(p);
  return blocksOf(program, subjectOf(program), wrt, derive).map((b) => ({ row: b.row, col: b.col, block: b.result.matrix ?? b.result.index }));
}

/**
 * Distributes products and integer powers over sums, everywhere (SymPy's `expand`).
 * @example toText(expand("(x + 1)^2")) === "2*x + x^2 + 1"
 */
export function expand(e: Expr | ProgramLike): Expr {
  return polyExpand(exprOf(e));
}

/**
 * The size of an expression as printed: its operators and function calls, the measure
 * `simplify` makes results smaller by (a text of the language is measured as written).
 * @example formSize("x^2*(y + 2)") === 3
 */
export function formSize(e: Expr | string): number {
  return typeof e === "string" ? operationCount(e) : exprFormSize(e);
}

/**
 * Writes a rational function in lowest terms (SymPy's `cancel`).
 * @example toText(cancel("(x^2 - 1)/(x - 1)")) === "x + 1"
 */
export function cancel(e: Expr | ProgramLike): Expr {
  return polyCancel(exprOf(e));
}

/**
 * The Jacobian-vector product J·v: pushes the tangent `tangent` (a declared name shaped
 * like `wrt`) forward, as JAX's `jvp`.
 * @example toText(jvp("W: matrix(m,n); x: vector(n); V: matrix(m,n); W*x", "W", "V")) === "V*x"
 */
export const jvp = (p: ProgramLike, wrt: string, tangent: string, options: DerivativeOptions = {}): Expr =>
  derivative(p, { kind: "jvp", wrt, tangent }, options);

/**
 * The vector-Jacobian product gᵀ·J: pulls the cotangent `cotangent` (a declared name
 * shaped like the value) back, as JAX's `vjp` — what backprop computes.
 * @example toText(vjp("W: matrix(m,n); x: vector(n); g: vector(m); W*x", "W", "g")) === "g*x'"
 */
export const vjp = (p: ProgramLike, wrt: string, cotangent: string, options: DerivativeOptions = {}): Expr =>
  derivative(p, { kind: "vjp", wrt, cotangent }, options);

/**
 * Simplifies an expression, or a program's value.
 * @example toText(simplify("x*y + y*x")) === "2*x*y"
 */
export function simplify(e: Expr | ProgramLike): Expr {
  return simplifier()(exprOf(e));
}

/** An expression, or a program's value. */
const exprOf = (e: Expr | ProgramLike): Expr => (typeof e === "string" || "decls" in e ? subjectOf(programOf(e as ProgramLike)) : e);

function fromValue(v: Value): number | number[] | number[][] {
  if (v.rows === 1 && v.cols === 1) return v.data[0]!;
  if (v.cols === 1) return Array.from(v.data);
  const out: number[][] = [];
  for (let r = 0; r < v.rows; r++) out.push(Array.from(v.data.subarray(r * v.cols, (r + 1) * v.cols)));
  return out;
}

/**
 * Evaluates the program's value — or `expr`, e.g. a derivative, which may use the
 * program's definitions — at the given values. Sizes come from the values' lengths; values
 * the program does not use are ignored (one set of values serves several programs).
 * @example evaluate("x: vector(n); x'*x", { x: [1, 2, 3] }) === 14
 */
export function evaluate(p: ProgramLike, values: Readonly<Record<string, ValueLike>>, expr?: Expr): number | number[] | number[][] {
  const program = programOf(p);
  const bindings = new Map<string, Binding>();
  for (const name of Object.keys(values)) bindings.set(name, { value: valueOfLike(name, values[name]) });
  const { evaluator } = bindWithEvaluator(program, bindings, { onUnused: () => {} });
  return fromValue(evaluator.value(expr ?? subjectOf(program), new Map()));
}

/** Nested arrays of numbers, the outermost index first: a derivative's value laid out as `--format json` prints it. */
export type NestedValue = Nested;

/** What {@link derivativeValue} differentiates: the kind, the name, and a jvp's tangent or a vjp's cotangent. */
export interface DerivativeRequest {
  /** Which derivative: the CLI command of the same name. */
  readonly kind: "diff" | "grad" | "jacobian" | "hessian" | "jvp" | "vjp";
  /** The variable (a declared value, or a definition for grad, vjp, jacobian and hessian). */
  readonly wrt: string;
  /** A jvp's tangent: a name among the values (undeclared: the variable's shape). */
  readonly tangent?: string;
  /** A vjp's cotangent: a name among the values (undeclared: the value's shape). */
  readonly cotangent?: string;
}

/**
 * A derivative's value at the given values, as nested arrays in the layout every result
 * of any number of indices has: the value's indices first, then the variable's, row-major —
 * `J[i][j][a][b] = ∂F[i,j]/∂X[a,b]` for a Jacobian of a matrix by a matrix,
 * `H[a][b][c][d] = ∂²f/∂X[a,b]∂X[c,d]` for a Hessian by a matrix (a result with one index
 * is an array, with none a number). An undeclared tangent or cotangent takes its shape.
 * @example derivativeValue("A: matrix(2,2); X: matrix(2,2); A*X", { kind: "jacobian", wrt: "X" }, { A: [[1, 2], [3, 4]], X: [[0, 0], [0, 0]] })[1][0][1][0] === 4
 */
export function derivativeValue(p: ProgramLike, request: DerivativeRequest, values: Readonly<Record<string, ValueLike>>): NestedValue {
  const spec: DerivativeSpec = { kind: request.kind, wrt: request.wrt, ...(request.tangent ? { tangent: request.tangent } : {}), ...(request.cotangent ? { cotangent: request.cotangent } : {}) };
  const program = declareDirection(programOf(p), subjectOf(programOf(p)), spec);
  const r = derive(program, subjectOf(program), spec);
  const bindings = new Map<string, Binding>();
  for (const name of Object.keys(values)) bindings.set(name, { value: valueOfLike(name, values[name]) });
  const { env } = bindWithEvaluator(program, bindings, { onUnused: () => {} });
  return nested(tensorValue(r.index, r.indices, r.dims ?? r.indices.map((i) => r.sizes.get(i)!), env));
}

// kernels: compile and generate, and the types of their options, inputs and outputs
export { compile, generate } from "./api-kernels.js";
export type { CompileOptions, Dtype, GenerateOptions, KernelArray, KernelFunction, KernelInputs, KernelOutput } from "./api-kernels.js";

/** Options of {@link toText} and {@link toLatex}. */
export interface PrintOptions {
  /** For a program whose value is a definition, print it as `s = …` (otherwise its right-hand side). */
  readonly definition?: boolean;
}

/** What to print of an expression or a program, and the name it defines (when asked). */
function printed(e: Expr | ProgramLike, options: PrintOptions): { expr: Expr; name?: string } {
  if (typeof e !== "string" && !("decls" in e)) return { expr: e };
  const program = programOf(e);
  const name = program.subjectName;
  if (name === undefined) return { expr: subjectOf(program) };
  const expr = program.defs.get(name)!.expr;
  return options.definition ? { expr, name } : { expr };
}

/**
 * The canonical text of an expression, or of a program's value (parsing it gives the
 * same expression back).
 * @example toText(grad("x^2", "x")) === "2*x"
 * @example toText("x: vector(n); s = exp(x)/sum(exp(x))", { definition: true }) === "s = exp(x)/sum(exp(x))"
 */
export function toText(e: Expr | ProgramLike, options: PrintOptions = {}): string {
  const { expr, name } = printed(e, options);
  return name === undefined ? printText(expr) : `${name} = ${printText(expr)}`;
}

/**
 * The LaTeX of an expression, or of a program's value (math mode, without delimiters).
 * @example toLatex("x^2") === "x^{2}"
 * @example toLatex("x: vector(n); s = exp(x)/sum(exp(x))", { definition: true }) // "s = \\frac{…}{…}"
 */
export function toLatex(e: Expr | ProgramLike, options: PrintOptions = {}): string {
  const { expr, name } = printed(e, options);
  return name === undefined ? printLatex(expr) : `${printLatex(B.sym(name))} = ${printLatex(expr)}`;
}

/**
 * [check] What {@link check} returns: each claim's verdict in order (`line`, `text`,
 * `verdict`, `how`, `counterexample`, `expected`, `shapes`, `uses`, and how it was
 * sampled), and `firstWrong`, the index of the first wrong claim or null.
 */
export type CheckReport = Report;

/**
 * [check] Judges a hand derivation: the program's `claim LHS = RHS` statements, and
 * `claims` (`"grad(f, x) = 2*A*x"`) after its last line, in order. Each holds (proved,
 * or equal at random points and sizes) or is wrong, with a counterexample, the correct
 * expression, the two shapes when they differ, and the earlier wrong claim it relies on.
 * `at` fixes values (a one-hot `y`); the others are drawn at random.
 * @example check("x: vector(n); A: matrix(n,n); f = x'*A*x", ["grad(f, x) = 2*A*x"]).claims[0].verdict === "wrong"
 */
export function check(p: ProgramLike, claims: readonly string[] = [], options: { readonly at?: Readonly<Record<string, ValueLike>>; readonly seed?: number } = {}): CheckReport {
  const program = withClaims(programOf(p), claims);
  const at = new Map<string, Binding>();
  for (const [name, v] of Object.entries(options.at ?? {})) at.set(name, { value: valueOfLike(name, v) });
  return checkProgram(program, { at, ...(options.seed === undefined ? {} : { seed: options.seed }) });
}
