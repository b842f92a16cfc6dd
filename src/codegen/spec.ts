/**
 * Kernel specs: a program whose `kernel NAME = …` statements say what to generate.
 *   kernel softmax = s                        a value
 *   kernel softmaxJacobian = jacobian(s, x)   a derivative (matrix form from derive())
 *   kernel softmaxVjp = vjp(s, x, g)          vjp(VALUE, NAMES…, COTANGENT)
 *   kernel softmaxJvp = jvp(s, x, v)          jvp(VALUE, NAMES…, TANGENT)
 *   kernel mlpGrads = grad(L, W1, b1)         several names: an object { loss, W1, b1 }
 *   kernel mlpGradsBatch = batch(mlpGrads, x, y)
 * `batch(K, names…)` is the kernel K over a batch: each named input (a vector or a
 * scalar of K) is given as B rows, one per sample (row-major B × n). Gradients and
 * pullbacks (grad, vjp) of values that are not batched are summed over the batch (the
 * gradient of the summed loss), as is a grad kernel's loss; everything else is returned
 * per sample, B rows.
 */
import { derive } from "../calculus/derive.js";
import type { DerivativeKind } from "../core/derivative-kinds.js";
import { JacobiError, type Source, type Span } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import type { KernelCall, KernelStatement, Program } from "../core/program.js";
import { withExactBudget } from "../core/rational.js";
import { SCALAR, type Shape } from "../core/shape.js";
import { parseProgram } from "../parse/parse.js";
import type { IndexOutput } from "./lowered.js";
import { isIdentifier } from "./names.js";
import type { Binding } from "../reverse/backprop.js"; // [reverse]
import { jointDerivatives } from "../calculus/choose.js"; // [reverse]

export interface OutputSpec {
  /** The key in a multi-output result (the loss's key, or the name differentiated by). */
  readonly key: string;
  /** The value, matrix level, written with the program's definitions. */
  readonly expr: Expr;
  readonly shape: Shape;
  /** What it is, for documentation: `value`, `∂L/∂W1`, … */
  readonly title: string;
  /** A gradient or pullback, summed over a batch when its variable is not batched. */
  readonly reverse: boolean;
  /** The name it is differentiated by (derivative outputs). */
  readonly wrt: string | undefined;
  /** A derivative without a matrix form: its index notation (then `expr` is that), lowered to loop nests. */
  readonly index?: IndexOutput;
}

export interface BatchSpec {
  /** The per-sample kernel. */
  readonly of: string;
  /** Inputs given one row per sample. */
  readonly names: readonly string[];
}

export interface KernelSpec {
  readonly name: string;
  readonly call: KernelCall;
  readonly program: Program;
  readonly outputs: readonly OutputSpec[];
  /** Returns an object of outputs (several names were differentiated by). */
  readonly multi: boolean;
  readonly batch: BatchSpec | undefined;
  readonly span: Span | undefined;
  readonly source: Source | undefined;
}

/** A parsed spec file: its program and its kernels. */
export interface SpecFile {
  readonly program: Program;
  readonly kernels: readonly KernelSpec[];
}

const KEYS_FOR_VALUE = ["loss", "value", "f"];

function fail(message: string, span?: Span, source?: Source): never {
  throw new JacobiError("unsupported", message, span, source);
}

/** What a derivative output is: ∂L/∂W1, g'·∂s/∂x, … */
function titleOf(call: Exclude<KernelCall, { op: "expr" }>, of: string, w: string): string {
  switch (call.op) {
    case "grad":
    case "jacobian":
      return `∂${of}/∂${w}`;
    case "hessian":
      return `∂²${of}/∂${w}²`;
    case "vjp":
      return `${call.cotangent}'·∂${of}/∂${w}`;
    case "jvp":
      return `∂${of}/∂${w}·${call.tangent}`;
  }
}

/** The outputs of a derivative kernel: one per name differentiated by (plus the loss for grad). */
function derivativeOutputs(program: Program, stmt: KernelStatement, call: Exclude<KernelCall, { op: "expr" }>): { outputs: OutputSpec[]; program: Program } {
  const kind: DerivativeKind = call.op;
  const outputs: OutputSpec[] = [];
  const multi = call.wrt.length > 1;
  const ofName = call.of.kind === "sym" ? call.of.name : "f";
  if (call.op === "grad" && multi) {
    const key = KEYS_FOR_VALUE.find((k) => !call.wrt.includes(k)) ?? "loss$value";
    outputs.push({ key, expr: call.of, shape: call.of.shape, title: `the value ${ofName}`, reverse: true, wrt: undefined });
  }
  const seen = new Set<string>();
  for (const w of call.wrt) {
    if (seen.has(w)) fail(`kernel ${stmt.name}: '${w}' is named twice`, stmt.span, stmt.source);
    seen.add(w);
  }
  const specs = call.wrt.map((w) => ({
    kind,
    wrt: w,
    ...(call.op === "vjp" ? { cotangent: call.cotangent } : {}),
    ...(call.op === "jvp" ? { tangent: call.tangent } : {}),
  }));
  const located = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof JacobiError) throw e.at(stmt.source, stmt.span);
      throw e;
    }
  };
  // [reverse] grad and vjp: one backward sweep; its shared cotangents become definitions, computed once
  const joint = call.op === "grad" || call.op === "vjp" ? located(() => jointDerivatives(program, call.of, specs, (s) => derive(program, call.of, s))) : undefined;
  const results = joint ? joint.results : specs.map((s) => located(() => derive(program, call.of, s)));
  // one sweep's names serve all outputs (a joint sweep, or a single output's own)
  const where = joint || results.length === 1 ? (results[0]?.backprop?.where ?? []) : [];
  for (const [k, w] of call.wrt.entries()) {
    const result = results[k]!;
    const title = titleOf(call, ofName, w);
    const reverse = call.op === "grad" || call.op === "vjp";
    if (!result.matrix) {
      // no matrix form: the index notation, as the CLI prints it, becomes loop nests
      const index: IndexOutput = { expr: result.index, indices: result.indices, sizes: result.sizes, shape: result.shape };
      outputs.push({ key: w, expr: result.index, shape: result.shape, title, reverse, wrt: w, index });
      continue;
    }
    const expr = where.length > 0 ? (result.backprop?.named ?? result.matrix) : result.matrix;
    outputs.push({ key: w, expr, shape: result.shape, title, reverse: call.op === "grad" || call.op === "vjp", wrt: w });
  }
  return { outputs, program: where.length === 0 ? program : withDefinitions(program, where) };
}

/** [reverse] The program with the named cotangents as definitions after its own. */
function withDefinitions(program: Program, where: readonly Binding[]): Program {
  const defs = new Map(program.defs);
  for (const b of where) if (b.name.kind === "sym") defs.set(b.name.name, { name: b.name.name, expr: b.expr, span: undefined, source: undefined });
  return { ...program, defs };
}

/** The kernel specs of a program's `kernel` statements, in the program's order. */
export function kernelSpecs(program: Program): KernelSpec[] {
  const out: KernelSpec[] = [];
  for (const stmt of program.kernels) {
    const call = stmt.call;
    if (call.op === "batch") continue;
    const { outputs, program: own } =
      call.op === "expr"
        ? { outputs: [{ key: stmt.name, expr: call.expr, shape: call.expr.shape, title: "the value", reverse: false, wrt: undefined }], program }
        : derivativeOutputs(program, stmt, call);
    out.push({ name: stmt.name, call, program: own, outputs, multi: outputs.length > 1, batch: undefined, span: stmt.span, source: stmt.source });
  }
  // a batch is the kernel it names (the elaborator checked that it names one) over a batch
  const byName = new Map(out.map((k) => [k.name, k]));
  for (const stmt of program.kernels) {
    if (stmt.call.op !== "batch") continue;
    const of = byName.get(stmt.call.kernel)!;
    if (of.outputs.some((o) => o.index))
      fail(`kernel ${stmt.name}: ${of.name} is computed in index notation (loop nests), which is not batched yet; call ${of.name} once per sample`, stmt.span, stmt.source);
    out.push({ ...of, name: stmt.name, batch: { of: of.name, names: stmt.call.names }, span: stmt.span, source: stmt.source });
  }
  return out.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
}

/** A kernel over one value: what `compile(text)` makes of a program without kernel statements. */
export function subjectKernel(program: Program, name: string): KernelSpec {
  const e = program.subject;
  if (!e) throw new JacobiError("syntax", "the program computes nothing");
  const call: KernelCall = { op: "expr", expr: e };
  return {
    name,
    call,
    program,
    outputs: [{ key: name, expr: e, shape: e.shape, title: "the value", reverse: false, wrt: undefined }],
    multi: false,
    batch: undefined,
    span: program.subjectSpan,
    source: program.source,
  };
}

/** Parses a spec file: the program and its kernels (`batch` statements included). */
export function parseSpec(text: string, label?: string): SpecFile {
  const program = withExactBudget("the spec", () => parseProgram(text, label === undefined ? {} : { label }));
  const kernels = kernelSpecs(program);
  for (const k of kernels) if (!isIdentifier(k.name)) fail(`'${k.name}' is not a kernel name`, k.span, k.source);
  return { program, kernels };
}

/** Is this value a scalar? */
export const isScalarOutput = (o: OutputSpec): boolean => o.shape === SCALAR;
