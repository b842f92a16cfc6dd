/**
 * The derivative commands: diff, grad, jacobian, hessian, jvp, vjp. Each prints the
 * result in matrix form (or, with --elementwise, as a matrix of entries); with --at it
 * prints the result's value instead.
 */
import type { Expr, Index } from "../../core/expr.js";
import { type Program, subjectOf } from "../../core/program.js";
import type { Shape, Size } from "../../core/shape.js";
import { derive, type DerivativeResult, type DerivativeSpec } from "../../calculus/derive.js";
import type { DerivativeKind } from "../../core/derivative-kinds.js";
import type { Binding } from "../../reverse/backprop.js"; // [reverse]
import { jointDerivatives } from "../../calculus/choose.js"; // [reverse]
import { hessianBlocks } from "../../calculus/hessian-blocks.js"; // [reverse]
import { toText } from "../../print/text.js";
import { deriveElementwise, entriesAsMatrix } from "../../calculus/elementwise.js";
import { assumptionTexts } from "../../calculus/assume.js";
import { allScalars, deriveByScalars, type ListKind } from "../../calculus/scalars.js";
import { bindProgram } from "../../eval/bind.js";
import { evaluate, evaluateAt, type Env } from "../../eval/evaluate.js";
import type { Value } from "../../eval/value.js";
import { simplifier } from "../../simplify/simplify.js";
import { flag, single, UsageError, type OptionSpec, type ParsedArgs } from "../args.js";
import type { Command } from "../command.js";
import { withDirections, cliBinding, FORMAT_OPTION, type Format, formatOf, loadBindings, loadProgram, precisionOf, PROGRAM_OPTIONS, showValue, VALUE_OPTIONS, wrtNames } from "../common.js";
import type { Io } from "../io.js";
import { showExpr } from "../show.js";
import { indexNotation } from "../../calculus/notation.js";
import { formatTensor, tensorDims, tensorValue, type Tensor } from "../../eval/tensor.js";
import { checkOutput } from "../../core/limits.js";

const WRT: OptionSpec = { name: "wrt", value: "NAME[,NAME…]", help: "the values to differentiate by" };
const ELEMENTWISE: OptionSpec = { name: "elementwise", help: "write every entry out (concrete sizes): x1, x2, … and W1_2 for W[1,2]" };
const TANGENT: OptionSpec = { name: "tangent", value: "NAME", help: "the tangent (shaped like the --wrt value)" };
const COTANGENT: OptionSpec = { name: "cotangent", value: "NAME", help: "the cotangent (shaped like the program's value)" };

interface Computed {
  /** What to print symbolically. */
  readonly display: Expr;
  /** Its value at an environment. */
  readonly valueAt: (env: Env) => Value;
  /** A result with more than two indices: printed in index notation (`show`), its value as nested arrays (`valueAt`). */
  readonly tensor?: TensorResult;
}

interface TensorResult {
  readonly show: (format: Format) => string;
  readonly valueAt: (env: Env) => Tensor;
}

/** How a computed result prints: matrix form, or index notation with its indices named. */
const shownOf = (c: Computed, format: Format): string => (c.tensor ? c.tensor.show(format) : showExpr(c.display, format));

/** A computed result's value at an environment, printed. */
function valueText(c: Computed, env: Env, format: Format, precision: number, io: Io): string {
  if (c.tensor) return formatTensor(c.tensor.valueAt(env), format, precision, io.err);
  return showValue(c.valueAt(env), format, precision, io.err);
}

/**
 * A result with more than two indices: `∂f[i,j]/∂X[a,b] = …`, the left side naming the
 * layout values nest in; JSON adds its indices and their sizes.
 */
function tensorResult(program: Program, r: DerivativeResult): Computed {
  const dims = r.dims!;
  const show = (format: Format): string => {
    if (format !== "json") return indexNotation(program, r, format).equation;
    const text = indexNotation(program, r, "text").equation;
    const latex = indexNotation(program, r, "latex").equation;
    return JSON.stringify({ text, latex, indices: r.indices, sizes: dims });
  };
  const valueAt = (env: Env): Tensor => {
    // every entry prints a digit and a separator at least: a value that cannot print is refused before it is computed
    checkOutput(2 * tensorDims(dims, env).reduce((a, b) => a * b, 1), " for its entries");
    return tensorValue(r.index, r.indices, dims, env);
  };
  // as a Value: the entries flattened row-major into one row
  const flat = (env: Env): Value => {
    const t = valueAt(env);
    return { rows: 1, cols: t.data.length, data: t.data };
  };
  return { display: r.index, valueAt: flat, tensor: { show, valueAt } };
}

/** The value of an index-form result, entry by entry. */
function indexValue(e: Expr, shape: Shape, out: readonly Index[], sizes: ReadonlyMap<Index, Size>, env: Env): Value {
  const dim = (i: Index | undefined): number => {
    if (i === undefined) return 1;
    const s = sizes.get(i)!;
    return typeof s === "number" ? s : env.sizes.get(s)!;
  };
  // A 1×n result has only its column index.
  const [r, c] = shape.rows === 1 ? [undefined, out[0]] : out;
  const rows = dim(r);
  const cols = dim(c);
  const data = new Float64Array(rows * cols);
  for (let p = 0; p < rows; p++)
    for (let q = 0; q < cols; q++) {
      const at = new Map<Index, number>();
      if (r) at.set(r, p + 1);
      if (c) at.set(c, q + 1);
      data[p * cols + q] = evaluateAt(e, env, at);
    }
  return { rows, cols, data };
}

/** `printed`: the result will be printed (not only evaluated with --at), so the element-wise view also counts what it writes out. */
function compute(program: Program, spec: DerivativeSpec, elementwise: boolean, io: Io, printed = true): Computed {
  const f = subjectOf(program);
  if (elementwise) {
    const m = deriveElementwise(program, f, spec, { printed });
    const simplify = simplifier({ expected: m.items.length });
    const items = m.items.map(simplify);
    return {
      display: entriesAsMatrix({ ...m, items }, program),
      valueAt: (env) => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(items, (it) => evaluateAt(it, env, new Map())) }),
    };
  }
  const r = derive(program, f, spec);
  if (r.dims) return tensorResult(program, r);
  if (r.matrix) {
    const display = r.matrix;
    return { display, valueAt: (env) => evaluate(display, env) };
  }
  io.err(`note: the ${spec.kind} of this program has no matrix form; it is shown in index notation (free indices ${r.indices.join(", ")})`);
  return { display: r.index, valueAt: (env) => indexValue(r.index, r.shape, r.indices, r.sizes, env) };
}

/** [reverse] A derivative's result as printed (possibly with named cotangents) and its value. */
function computedOf(program: Program, r: DerivativeResult, display: Expr, io: Io): Computed {
  if (r.dims) return tensorResult(program, r);
  if (r.matrix) {
    const m = r.matrix;
    return { display, valueAt: (env) => evaluate(m, env) };
  }
  io.err(`note: the ${r.spec.kind} by ${r.spec.wrt} has no matrix form; it is shown in index notation (free indices ${r.indices.join(", ")})`);
  return { display: r.index, valueAt: (env) => indexValue(r.index, r.shape, r.indices, r.sizes, env) };
}

/** [reverse] The named cotangents under the results: `where d2 = …`, one a line. */
const whereLines = (where: readonly Binding[], format: "text" | "latex" | "json"): string[] =>
  where.map((b, k) => `${k === 0 ? "where " : "      "}${showExpr(b.name, format)} = ${showExpr(b.expr, format)}`);

const whereJson = (where: readonly Binding[]): string =>
  where.length === 0 ? "" : `,"where":{${where.map((b) => `${JSON.stringify(toText(b.name))}:${showExpr(b.expr, "json")}`).join(",")}}`;

/** The specs, and the program with an undeclared tangent or cotangent declared (shaped as it must be). */
function specsOf(kind: DerivativeKind, args: ParsedArgs, program: Program): { specs: DerivativeSpec[]; program: Program } {
  if (!single(args, "wrt")) throw new UsageError(`${kind} needs --wrt NAME`);
  const tangent = single(args, "tangent");
  const cotangent = single(args, "cotangent");
  if (kind === "jvp" && !tangent) throw new UsageError("jvp needs --tangent NAME (a value shaped like the --wrt value)");
  if (kind === "vjp" && !cotangent) throw new UsageError("vjp needs --cotangent NAME (a value shaped like the program's value)");
  const specs: DerivativeSpec[] = wrtNames(args, program, true).map((w) => ({ kind, wrt: w, ...(tangent ? { tangent } : {}), ...(cotangent ? { cotangent } : {}) }));
  return { specs, program: withDirections(args, program, specs) };
}

/** grad, jacobian or hessian by several scalars: one result, the names as one variable vector. */
function byScalars(program: Program, kind: ListKind, names: readonly string[]): Computed {
  const m = deriveByScalars(program, subjectOf(program), kind, names);
  return {
    display: entriesAsMatrix(m, program),
    valueAt: (env) => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.items, (it) => evaluateAt(it, env, new Map())) }),
  };
}

function runDerivative(kind: DerivativeKind, args: ParsedArgs, io: Io): void {
  const asked = specsOf(kind, args, loadProgram(args, io));
  const program = asked.program;
  let specs = asked.specs;
  const format = formatOf(args);
  const names = specs.map((s) => s.wrt);
  const together = (kind === "grad" || kind === "jacobian" || kind === "hessian") && names.length > 1 && allScalars(program, names);
  if (together) specs = [{ kind, wrt: names.join(",") }];
  // [reverse] hessian by several names (not all scalars): the full block matrix, labelled by block
  if (kind === "hessian" && names.length > 1 && !together) {
    const f = subjectOf(program);
    const blocks = hessianBlocks(program, f, names, derive).map((b) => ({ ...b, computed: computedOf(program, b.result, b.result.matrix ?? b.result.index, io) }));
    const blockLabel = (b: { row: string; col: string }): string => `d2${program.subjectName ?? "f"}/d${b.row}d${b.col}`;
    if (args.options.has("at")) {
      const env = bindProgram(program, loadBindings(args), cliBinding(io));
      const values = blocks.map((b) => valueText(b.computed, env, format, precisionOf(args), io));
      if (format === "json") io.out(`{${blocks.map((b, k) => `${JSON.stringify(`${b.row},${b.col}`)}:${values[k]}`).join(",")}}`);
      else io.out(blocks.map((b, k) => `${blockLabel(b)} = ${values[k]}`).join("\n"));
      return;
    }
    const shown = blocks.map((b) => shownOf(b.computed, format));
    if (format === "json") io.out(withAssuming(program, `{${blocks.map((b, k) => `${JSON.stringify(`${b.row},${b.col}`)}:${shown[k]}`).join(",")}}`, format));
    else io.out(withAssuming(program, blocks.map((b, k) => `${blockLabel(b)} = ${shown[k]}`).join("\n"), format));
    return;
  }
  // [reverse] grad and vjp: one backward sweep for every name, shared cotangents named (src/reverse)
  const joint = !together && !flag(args, "elementwise") && (kind === "grad" || kind === "vjp") ? jointDerivatives(program, subjectOf(program), specs, (s) => derive(program, subjectOf(program), s)) : undefined;
  const results = together
    ? [{ spec: specs[0]!, computed: byScalars(program, kind as ListKind, names) }]
    : joint
      ? joint.results.map((r, k) => ({ spec: r.spec, computed: computedOf(program, r, joint.display[k]!, io) }))
      : specs.map((s) => ({ spec: s, computed: compute(program, s, flag(args, "elementwise"), io, !args.options.has("at")) }));
  const label = (s: DerivativeSpec): string => `d${program.subjectName ?? "f"}/d${s.wrt}`;
  if (args.options.has("at")) {
    const env = bindProgram(program, loadBindings(args), cliBinding(io));
    const precision = precisionOf(args);
    const values = results.map((r) => valueText(r.computed, env, format, precision, io));
    if (results.length === 1) io.out(values[0]!);
    else if (format === "json") io.out(`{${results.map((r, k) => `${JSON.stringify(r.spec.wrt)}:${values[k]}`).join(",")}}`);
    else io.out(results.map((r, k) => `${label(r.spec)} = ${values[k]}`).join("\n"));
    return;
  }
  const shown = results.map((r) => shownOf(r.computed, format));
  const where = joint?.where ?? [];
  if (results.length === 1 && where.length === 0) io.out(withAssuming(program, shown[0]!, format));
  else if (format === "json") io.out(withAssuming(program, `{${results.map((r, k) => `${JSON.stringify(r.spec.wrt)}:${shown[k]}`).join(",")}${whereJson(where)}}`, format));
  else io.out(withAssuming(program, [...results.map((r, k) => (results.length === 1 ? shown[k]! : `${label(r.spec)} = ${shown[k]}`)), ...whereLines(where, format)].join("\n"), format));
}

/**
 * A symbolic result with the program's assumptions it was written under: a last line
 * `assuming sum(y) = 1` (LaTeX: `\text{assuming } …`), or in JSON an `"assuming"` list of
 * their texts in the result's object.
 */
function withAssuming(program: Program, out: string, format: "text" | "latex" | "json"): string {
  const as = program.assumptions;
  if (as.length === 0) return out;
  if (format === "json") return `${out.slice(0, -1)},"assuming":${JSON.stringify(assumptionTexts(program))}}`;
  if (format === "latex") return `${out}\n\\text{assuming } ${as.map((a) => `${showExpr(a.lhs, format)} = ${showExpr(a.rhs, format)}`).join(",\\ ")}`;
  return `${out}\nassuming ${as.map((a) => `${toText(a.lhs)} = ${toText(a.rhs)}`).join(", ")}`;
}

const COMMON: readonly OptionSpec[] = [...PROGRAM_OPTIONS, WRT, ELEMENTWISE, ...VALUE_OPTIONS, FORMAT_OPTION];

const derivativeCommand = (kind: DerivativeKind, summary: string, extra: readonly OptionSpec[], examples: string[], details?: string): Command => ({
  name: kind,
  summary,
  usage: `jacobi ${kind} PROGRAM --wrt NAME[,NAME…]${extra.map((o) => ` --${o.name} ${o.value}`).join("")} [--elementwise] [--at …] [--format text|latex|json]`,
  options: [...COMMON, ...extra],
  examples,
  ...(details ? { details } : {}),
  run: (args, io) => runDerivative(kind, args, io),
});

export const calculusCommands: readonly Command[] = [
  derivativeCommand("diff", "derivative by a scalar (shaped like the value)", [], [
    "jacobi diff 'x^2*sin(y)' --wrt x",
    "jacobi diff 'log(1+exp(-x))' --wrt x --at x=0.5 --format json",
  ]),
  derivativeCommand("grad", "gradient of a scalar value (shaped like each --wrt value)", [], [
    "jacobi grad \"x: vector(n); A: matrix(n,n); x'*A*x\" --wrt x",
    "jacobi grad -f examples/network.jacobi --wrt W1,b1,W2,b2",
  ]),
  derivativeCommand("jacobian", "Jacobian of a vector (or scalar) by a vector (or scalar)", [], [
    "jacobi jacobian 'x: vector(n); s = exp(x)/sum(exp(x))' --wrt x",
    "jacobi jacobian 'x: vector(3); s = exp(x)/sum(exp(x))' --wrt x --elementwise",
  ]),
  derivativeCommand("hessian", "Hessian of a scalar value by a vector", [], ["jacobi hessian \"x: vector(n); A: matrix(n,n); x'*A*x\" --wrt x"]),
  derivativeCommand(
    "jvp",
    "Jacobian-vector product: push a tangent forward (J*v)",
    [TANGENT],
    ["jacobi jvp 'W: matrix(m,n); x: vector(n); V: matrix(m,n); W*x' --wrt W --tangent V"],
    "A JVP pushes a tangent of the --wrt value forward to a tangent of the program's value, as in JAX's jvp.",
  ),
  derivativeCommand(
    "vjp",
    "vector-Jacobian product: pull a cotangent back (g'*J)",
    [COTANGENT],
    ["jacobi vjp 'W: matrix(m,n); x: vector(n); g: vector(m); W*x' --wrt W --cotangent g"],
    "A VJP pulls a cotangent of the program's value back to the --wrt value, as in JAX's vjp (and backprop).",
  ),
];

/** An expression's value for tests: the first result of a derivative command's computation. */
export const computeDerivative = (program: Program, spec: DerivativeSpec, elementwise: boolean): Computed =>
  compute(program, spec, elementwise, { out: () => {}, err: () => {}, readFile: () => "", writeFile: () => {} });

