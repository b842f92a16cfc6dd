/**
 * The library API: parse a program, differentiate it, simplify, evaluate, print, and
 * turn it into numeric kernels. Names follow JAX and SymPy: `grad`, `jacobian`, `jvp`,
 * `vjp`, `hessian`, `diff`, `simplify`. Everything here runs in the browser as well as
 * in Node.
 */
import { derive, type DerivativeSpec } from "./calculus/derive.js";
import * as codegen from "./codegen/index.js";
import { deriveElementwise, entriesAsMatrix } from "./calculus/elementwise.js";
import { JacobiError } from "./core/errors.js";
import type { Expr } from "./core/expr.js";
import type { Program } from "./core/program.js";
import { bindWithEvaluator } from "./eval/bind.js";
import type { Binding } from "./eval/evaluate.js";
import type { Value } from "./eval/value.js";
import { parseProgram, subjectOf, type ParseOptions } from "./parse/parse.js";
import { cancel as polyCancel, expand as polyExpand } from "./simplify/poly.js";
import { simplifier } from "./simplify/simplify.js";
import { deriveByScalars, type ListKind } from "./calculus/scalars.js";

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
  const program = programOf(p);
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

/** grad, jacobian or hessian by one name, or by a list of scalar names taken as one vector. */
function byNames(kind: ListKind, p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions): Expr {
  if (typeof wrt === "string") return derivative(p, { kind, wrt }, options);
  const program = programOf(p);
  return entriesAsMatrix(deriveByScalars(program, subjectOf(program), kind, wrt), program);
}

/**
 * The gradient of a scalar value, shaped like `wrt`; by a list of scalars `[x, y]`, the
 * column of partials (SymPy's gradient by a list).
 * @example toText(grad("x: vector(n); A: matrix(n,n); x'*A*x", "x")) === "(A + A')*x"
 * @example toText(grad("x^2*y", ["x", "y"])) === "[2*x*y, x^2]"
 */
export const grad = (p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions = {}): Expr => byNames("grad", p, wrt, options);

/**
 * The Jacobian of a vector (or scalar) value by a vector (or scalar), or by a list of
 * scalars taken as one vector (SymPy's `Matrix.jacobian(f, [x, y])`).
 * @example toText(jacobian(parse("x: vector(n); s = exp(x)/sum(exp(x))"), "x")) === "diag(s) - s*s'"
 * @example toText(jacobian("[x*y, x + y]", ["x", "y"])) === "[[y, x], [1, 1]]"
 */
export const jacobian = (p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions = {}): Expr => byNames("jacobian", p, wrt, options);

/** The Hessian of a scalar value by a vector, or by a list of scalars taken as one vector. */
export const hessian = (p: ProgramLike, wrt: string | readonly string[], options: DerivativeOptions = {}): Expr => byNames("hessian", p, wrt, options);

/**
 * Distributes products and integer powers over sums, everywhere (SymPy's `expand`).
 * @example toText(expand("(x + 1)^2")) === "2*x + x^2 + 1"
 */
export function expand(e: Expr | ProgramLike): Expr {
  return polyExpand(exprOf(e));
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

function toValue(name: string, v: ValueLike): Value {
  if (typeof v === "number") return { rows: 1, cols: 1, data: Float64Array.of(v) };
  const first = (v as ArrayLike<unknown>)[0];
  if (first !== undefined && typeof first === "object") {
    const rows = v as readonly ArrayLike<number>[];
    const cols = rows[0]!.length;
    const data = new Float64Array(rows.length * cols);
    rows.forEach((row, r) => {
      if (row.length !== cols) throw new JacobiError("value", `${name}: row ${r + 1} has ${row.length} entries but row 1 has ${cols}`);
      for (let c = 0; c < cols; c++) data[r * cols + c] = row[c]!;
    });
    return { rows: rows.length, cols, data };
  }
  const xs = v as ArrayLike<number>;
  return { rows: xs.length, cols: 1, data: Float64Array.from(xs) };
}

function fromValue(v: Value): number | number[] | number[][] {
  if (v.rows === 1 && v.cols === 1) return v.data[0]!;
  if (v.cols === 1) return Array.from(v.data);
  const out: number[][] = [];
  for (let r = 0; r < v.rows; r++) out.push(Array.from(v.data.subarray(r * v.cols, (r + 1) * v.cols)));
  return out;
}

/**
 * Evaluates the program's value — or `expr`, e.g. a derivative, which may use the
 * program's definitions — at the given values. Sizes come from the values' lengths.
 * @example evaluate("x: vector(n); x'*x", { x: [1, 2, 3] }) === 14
 */
export function evaluate(p: ProgramLike, values: Readonly<Record<string, ValueLike>>, expr?: Expr): number | number[] | number[][] {
  const program = programOf(p);
  const bindings = new Map<string, Binding>();
  for (const name of Object.keys(values)) bindings.set(name, { value: toValue(name, values[name]!) });
  const { evaluator } = bindWithEvaluator(program, bindings);
  return fromValue(evaluator.value(expr ?? subjectOf(program), new Map()));
}

/** Options of {@link compile}: the element type, and which kernel of a text with several. */
export type CompileOptions = codegen.CompileOptions;

/** Options of {@link generate}: the element type and the spec's file name (for error positions). */
export type GenerateOptions = codegen.GenerateOptions;

/** A compiled kernel: `(inputs, out?) => out` — an array, a number, or an object of outputs. */
export type KernelFunction = codegen.KernelFunction;

/** `"f64"` (Float64Array, the default) or `"f32"` (Float32Array) kernels. */
export type Dtype = codegen.Dtype;

/**
 * Compiles a kernel to a function, at run time (JAX's `jit`, for one spec). The text is a
 * program with `kernel NAME = …` statements (`jacobian(s, x)`, `grad(L, W, b)`,
 * `vjp(s, x, g)`, `jvp(s, x, v)`, `batch(K, x, y)`), or a plain program, whose value
 * becomes the kernel. Inputs are Float64Arrays (matrices row-major) and numbers, by name.
 * @example
 * const softmaxVjp = compile("x: vector(n); g: vector(n); s = exp(x)/sum(exp(x)); kernel softmaxVjp = vjp(s, x, g)");
 * softmaxVjp({ x: Float64Array.of(1, 2, 3), g: Float64Array.of(1, 0, 0) }); // Float64Array(3)
 * With `{ target: "wasm" }` the kernel's loops run as WebAssembly SIMD (the same inputs,
 * outputs and errors; JavaScript where WebAssembly SIMD is missing), and `compile`
 * returns a Promise of the kernel, since it first loads the WebAssembly toolchain.
 * @throws JacobiError with a position for an error in the text; a usage error when the
 *   text has several kernels and `options.kernel` names none of them; for the wasm
 *   target, a positioned error for a kernel it does not compute (see the README).
 */
export function compile(text: string, options: CompileOptions & { readonly target: "wasm" }): Promise<KernelFunction>;
export function compile(text: string, options?: CompileOptions & { readonly target?: "js" }): KernelFunction;
export function compile(text: string, options: CompileOptions = {}): KernelFunction | Promise<KernelFunction> {
  return options.target === "wasm" ? codegen.compileWasm(text, options) : codegen.compile(text, options);
}

/**
 * Generates the TypeScript module of a spec's kernels (what `jacobi gen` writes): one
 * exported function per `kernel` statement, with typed inputs and outputs and
 * documentation, formatted with prettier. The same text gives the same bytes.
 * @example
 * const ts = await generate(specText, { label: "softmax.jacobi" }); // "// Generated by jacobi …"
 * @throws JacobiError with a position for an error in the spec, or when it has no kernel statements.
 */
export function generate(text: string, options: GenerateOptions = {}): Promise<string> {
  return codegen.generateModule(text, options);
}
