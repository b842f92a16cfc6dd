/**
 * One kernel as a function:
 *
 *   export function softmaxVjp(inputs: SoftmaxVjpInputs, out?: Float64Array): Float64Array {
 *     const { x, g } = inputs;
 *     const n = x.length;                  // sizes from lengths, every length checked
 *     …                                    // output allocated (or checked), scratch taken
 *     …                                    // the steps' loops
 *     return out;
 *   }
 *
 * Scratch buffers live at module level and grow on demand, so a call with a
 * preallocated output allocates nothing in steady state. A kernel with several outputs
 * takes and returns an object `{ loss, W1, … }` (the same object when one is given).
 */
import { SCALAR, type Shape, type Size } from "../core/shape.js";
import { scheduleBatch, type Schedule } from "./batch.js";
import { kernelDoc } from "./docs.js";
import { Nest, type Naming } from "./emit-el.js";
import { StepEmitter, type LoopNames } from "./emit-steps.js";
import type { Buf, El, Scal } from "./ir.js";
import { Lowering, type Lowered, type LoweredOutput } from "./lower.js";
import { capitalized, safeName, type NameTable } from "./names.js";
import { BATCH, planSizes, template, type SizedInput } from "./sizes.js";
import type { KernelSpec } from "./spec.js";
import type { WasmBody, WasmContext } from "./wasm/emit.js";

export type Dtype = "f64" | "f32";

export interface EmitOptions {
  readonly dtype: Dtype;
  /** TypeScript (types and exports) or plain JavaScript (for `compile`). */
  readonly typescript: boolean;
  /** The wasm target: loops in WebAssembly, the JavaScript loops as the fallback (src/codegen/wasm/). */
  readonly wasm?: (c: WasmContext) => WasmBody;
}

/** A kernel's code: module-level declarations and the function. */
export interface KernelCode {
  readonly name: string;
  readonly declarations: readonly string[];
  readonly fn: readonly string[];
}

/** Every user name a kernel's code may contain (reserved before any internal name). */
export function userNames(spec: KernelSpec): string[] {
  const p = spec.program;
  return [spec.name, ...p.decls.keys(), ...p.sizes.keys(), ...p.defs.keys(), ...p.uses.keys(), ...spec.outputs.map((o) => o.key)].map((n) => safeName(n));
}

class KernelNaming implements Naming {
  readonly bufs = new Map<Buf, string>();
  readonly scals = new Map<Scal, string>();
  private readonly sizes = new Map<string, string>();
  readonly usedSizes = new Set<string>();
  offsets: ReadonlyMap<Buf, string> | undefined;
  private readonly claimed = new Set<string>();

  /** @param own user names a value may be called by when it is that name's value (definitions) */
  constructor(
    private readonly table: NameTable,
    private readonly own: ReadonlySet<string>,
  ) {}

  /** A local for a value: its definition's own name when it has one (once), else a fresh name. */
  claim(hint: string): string {
    if (this.own.has(hint) && !this.claimed.has(hint)) {
      this.claimed.add(hint);
      return safeName(hint);
    }
    return this.table.fresh(hint);
  }

  buf(b: Buf): string {
    const name = this.bufs.get(b);
    if (name === undefined) throw new Error(`internal: buffer ${b.hint} has no name`);
    return name;
  }

  offset(b: Buf): string | undefined {
    return this.offsets?.get(b);
  }

  scal(s: Scal): string {
    let name = this.scals.get(s);
    if (name === undefined) {
      name = this.claim(s.hint);
      this.scals.set(s, name);
    }
    return name;
  }

  size(s: Size): string {
    if (typeof s === "number") return `${s}`;
    this.usedSizes.add(s);
    let name = this.sizes.get(s);
    if (name === undefined) {
      name = s === BATCH ? this.table.fresh("batch") : safeName(s);
      this.sizes.set(s, name);
    }
    return name;
  }

  fresh(hint: string): string {
    return this.table.fresh(hint);
  }
}

const sizeNamesOf = (rows: Size, cols: Size): string[] => [rows, cols].filter((s): s is string => typeof s === "string");

/** How a scalar output is delivered in a batched kernel. */
type BatchScalar = "summed" | "stacked";

interface Context {
  readonly spec: KernelSpec;
  readonly lowered: Lowered;
  readonly schedule: Schedule | undefined;
  readonly naming: KernelNaming;
  readonly loops: LoopNames;
  readonly arrayType: string;
  readonly outName: string | undefined;
  /** Batched kernels: the accumulator or array of each scalar output. */
  readonly scalarHomes: Map<string, { kind: BatchScalar; code: string }>;
}

/** The code of one kernel. `module` is the module's name table (every user name reserved). */
export function emitKernel(spec: KernelSpec, options: EmitOptions, module: NameTable): KernelCode {
  const batched = spec.batch !== undefined;
  const lowering = new Lowering(spec.program, { outputsHoldShared: options.dtype === "f64" && !batched, narrowOutputs: options.dtype === "f32" });
  const lowered = lowering.lower(spec.outputs.map((o) => ({ key: o.key, expr: o.expr })));
  const schedule = batched ? scheduleBatch(lowered, spec, lowering.f, options.dtype === "f32") : undefined;
  const fnName = safeName(spec.name);
  const ts = options.typescript;
  const arrayType = options.dtype === "f32" ? "Float32Array" : "Float64Array";
  const typeName = capitalized(fnName);
  const scratch = [...lowered.scratch, ...(schedule?.scratch ?? [])];

  // module-level names: scratch buffers and types
  const scratchVars = new Map<Buf, string>();
  for (const b of scratch) scratchVars.set(b, module.fresh(`${fnName}_${b.hint}`));
  const inputsType = ts ? module.fresh(`${typeName}Inputs`) : "";
  const outputsType = ts && spec.multi ? module.fresh(`${typeName}Outputs`) : "";

  const table = module.child();
  const naming = new KernelNaming(table, new Set(spec.program.defs.keys()));
  const loops: LoopNames = { i: table.fresh("i"), j: table.fresh("j"), p: table.fresh("p") };
  const isBatched = (key: string): boolean => spec.batch?.names.includes(key) ?? false;

  // inputs
  // in declaration order (undeclared scalars after, in order of use)
  const order = [...spec.program.decls.keys(), ...spec.program.uses.keys()];
  const rank = (name: string): number => order.indexOf(name);
  const arrays = [...lowered.inputBufs.values()].sort((a, b) => rank(a.key!) - rank(b.key!));
  const scalars = [...lowered.inputScals.values()].sort((a, b) => rank(a.hint) - rank(b.hint));
  for (const b of arrays) naming.bufs.set(b, safeName(b.key!));
  for (const s of scalars) naming.scals.set(s, safeName(s.hint));

  // outputs
  const batchScalar = (o: LoweredOutput): BatchScalar | undefined =>
    o.buf ? undefined : schedule?.summedScalars.has(o.key) ? "summed" : schedule?.stackedScalars.has(o.key) ? "stacked" : undefined;
  const arrayOutputs = lowered.outputs.filter((o) => o.buf || batchScalar(o) === "stacked");
  const outName = arrayOutputs.length > 0 || spec.multi ? table.fresh("out") : undefined;
  const single = !spec.multi && arrayOutputs.length === 1;
  for (const o of lowered.outputs) if (o.buf) naming.bufs.set(o.buf, single ? outName! : table.fresh(`${safeName(o.key)}Out`));
  for (const b of scratch) naming.bufs.set(b, naming.claim(b.hint));
  if (schedule) for (const [alias, buf] of schedule.aliases) naming.bufs.set(alias, naming.buf(buf));
  const scalarHomes = new Map<string, { kind: BatchScalar; code: string }>();
  for (const o of lowered.outputs) {
    const kind = batchScalar(o);
    if (kind === "summed") scalarHomes.set(o.key, { kind, code: table.fresh(`${safeName(o.key)}Sum`) });
    else if (kind === "stacked") scalarHomes.set(o.key, { kind, code: single ? outName! : table.fresh(`${safeName(o.key)}Out`) });
  }
  const ctx: Context = { spec, lowered, schedule, naming, loops, arrayType, outName, scalarHomes };

  // the body
  const stepLines = schedule ? emitBatched(ctx, schedule) : emitPlain(ctx);
  const wasm = options.wasm?.({ spec, lowered, schedule, naming, module, fnName, dtype: options.dtype, typescript: ts, scalarHomes });
  const returnLines = returnOf(ctx);

  // sizes: of the inputs, outputs and scratch, and any the steps use
  const sized: SizedInput[] = arrays.map((b) => ({
    key: safeName(b.key!),
    local: naming.buf(b),
    rows: isBatched(b.key!) ? BATCH : b.rows,
    cols: isBatched(b.key!) ? b.rows : b.cols,
  }));
  for (const s of scalars) if (isBatched(s.hint)) sized.push({ key: safeName(s.hint), local: naming.scal(s), rows: BATCH, cols: 1 });
  const needed = new Set<string>(naming.usedSizes);
  for (const o of lowered.outputs) for (const s of sizeNamesOf(o.shape.rows, o.shape.cols)) needed.add(s);
  for (const b of scratch) for (const s of sizeNamesOf(b.rows, b.cols)) needed.add(s);
  if (batched) needed.add(BATCH);
  addSizeInputs(spec, sized, needed);
  const sizes = planSizes(spec.name, sized, needed, (s) => naming.size(s));
  const scratchLines: string[] = [];
  const declarations: string[] = [];
  for (const b of scratch) {
    const v = scratchVars.get(b)!;
    const len = lengthCode(b, naming, schedule);
    declarations.push(ts ? `let ${v}: Float64Array = new Float64Array(0);` : `let ${v} = new Float64Array(0);`);
    scratchLines.push(`if (${v}.length < ${len}) ${v} = new Float64Array(${len});`, `const ${naming.buf(b)} = ${v};`);
  }
  const outLines = outputSetup(ctx);

  // signature and types
  const fields = new Map<string, string>();
  for (const s of sized) fields.set(s.key, arrayType);
  for (const s of scalars) if (!isBatched(s.hint)) fields.set(naming.scal(s), "number");
  for (const s of sizes.given) fields.set(naming.size(s), "number");
  const inputsParam = fields.size > 0 ? table.fresh("inputs") : table.fresh("_inputs");
  const returnType = spec.multi ? outputsType : arrayOutputs.length > 0 ? arrayType : "number";
  const params = ts
    ? `${inputsParam}: ${inputsType}${outName ? `, ${outName}?: ${spec.multi ? outputsType : arrayType}` : ""}`
    : `${inputsParam}${outName ? `, ${outName}` : ""}`;
  const types: string[] = [];
  if (ts) {
    types.push(`/** The inputs of {@link ${fnName}}. */`, `export interface ${inputsType} {`, ...[...fields].map(([k, t]) => `${k}: ${t};`), "}");
    if (spec.multi) {
      types.push(`/** The outputs of {@link ${fnName}}. */`, `export interface ${outputsType} {`);
      for (const o of lowered.outputs) types.push(`${safeName(o.key)}: ${o.buf || batchScalar(o) === "stacked" ? arrayType : "number"};`);
      types.push("}");
    }
  }
  const doc = kernelDoc(spec, {
    dtype: options.dtype,
    inputs: sized.map((s) => ({ key: s.key, shape: shapeOfInput(spec, s.key), batched: s.rows === BATCH })),
    givenSizes: sizes.given,
    stable: lowered.stableForms,
    outName,
  });
  const fn = [
    ...doc,
    `${ts ? "export " : ""}function ${fnName}(${params})${ts ? `: ${returnType}` : ""} {`,
    ...(fields.size > 0 ? [`const { ${[...fields.keys()].join(", ")} } = ${inputsParam};`] : []),
    ...sizes.lines,
    ...outLines,
    ...(wasm ? wasm.wrap([...scratchLines, ...stepLines], returnLines) : [...scratchLines, ...stepLines]),
    ...returnLines,
    "}",
  ];
  return { name: fnName, declarations: [...types, ...declarations, ...(wasm?.declarations ?? [])], fn };
}

/** The declared shape of an input (by its key in code). */
function shapeOfInput(spec: KernelSpec, key: string): Shape {
  for (const [name, d] of spec.program.decls) if (safeName(name) === key) return d.shape;
  return SCALAR;
}

/**
 * Sizes no used input determines: first try the kernel's own names (what it
 * differentiates by, the tangent, the cotangent), which callers have at hand.
 */
function addSizeInputs(spec: KernelSpec, sized: SizedInput[], needed: ReadonlySet<string>): void {
  // a batched kernel takes its per-sample inputs even when its value does not read them: they give B
  for (const name of spec.batch?.names ?? []) {
    const key = safeName(name);
    if (sized.some((s) => s.key === key)) continue;
    const decl = spec.program.decls.get(name)!;
    sized.push({ key, local: key, rows: BATCH, cols: decl.shape.rows });
  }
  const have = new Set(sized.flatMap((s) => sizeNamesOf(s.rows, s.cols)));
  const call = spec.call;
  const candidates = call.op === "expr" ? [] : [...call.wrt, ...(call.op === "vjp" ? [call.cotangent] : []), ...(call.op === "jvp" ? [call.tangent] : [])];
  for (const name of candidates) {
    const decl = spec.program.decls.get(name);
    const key = safeName(name);
    if (!decl || decl.shape === SCALAR || sized.some((s) => s.key === key)) continue;
    const missing = sizeNamesOf(decl.shape.rows, decl.shape.cols).filter((s) => needed.has(s) && !have.has(s));
    if (missing.length === 0) continue;
    const batchedInput = spec.batch?.names.includes(name) ?? false;
    sized.push({ key, local: key, rows: batchedInput ? BATCH : decl.shape.rows, cols: batchedInput ? decl.shape.rows : decl.shape.cols });
    for (const s of sizeNamesOf(decl.shape.rows, decl.shape.cols)) have.add(s);
  }
}

/** Entries of a buffer: rows × cols (times the batch for buffers holding every sample). */
function lengthCode(b: Buf, naming: Naming, schedule: Schedule | undefined): string {
  const parts = [b.rows, b.cols].filter((s) => s !== 1).map((s) => naming.size(s));
  if (schedule?.full.has(b)) parts.unshift(naming.size(BATCH));
  if (parts.length === 0) return "1";
  return parts.every((p) => /^\d+$/.test(p)) ? `${parts.reduce((a, p) => a * Number(p), 1)}` : parts.join(" * ");
}

/** Allocates the outputs when none are given, else checks their lengths; zeroes sums. */
function outputSetup(c: Context): string[] {
  const { spec, lowered, naming, outName, arrayType, schedule, scalarHomes } = c;
  const sums = [...scalarHomes.values()].filter((h) => h.kind === "summed").map((h) => `let ${h.code} = 0;`);
  if (!outName) return sums;
  const lines: string[] = [];
  const check = (what: string, len: string): string =>
    `if (${what}.length !== ${len}) throw new RangeError(${template([`${spec.name}: ${what} has length `, { code: `${what}.length` }, ", but it must have ", { code: len }, " entries"])});`;
  const lengthOf = (o: LoweredOutput): string => (o.buf ? lengthCode(o.buf, naming, schedule) : naming.size(BATCH));
  const isArray = (o: LoweredOutput): boolean => o.buf !== undefined || scalarHomes.get(o.key)?.kind === "stacked";
  if (!spec.multi) {
    const o = lowered.outputs[0]!;
    const len = lengthOf(o);
    lines.push(`if (${outName} === undefined) ${outName} = new ${arrayType}(${len});`, `else ${check(outName, len)}`);
  } else {
    const fields = lowered.outputs.map((o) => `${safeName(o.key)}: ${isArray(o) ? `new ${arrayType}(${lengthOf(o)})` : "0"}`);
    const checks = lowered.outputs.filter(isArray).map((o) => check(`${outName}.${safeName(o.key)}`, lengthOf(o)));
    lines.push(`if (${outName} === undefined) ${outName} = { ${fields.join(", ")} };`);
    if (checks.length > 0) lines.push("else {", ...checks, "}");
    for (const o of lowered.outputs) {
      if (o.buf) lines.push(`const ${naming.buf(o.buf)} = ${outName}.${safeName(o.key)};`);
      const home = scalarHomes.get(o.key);
      if (home?.kind === "stacked") lines.push(`const ${home.code} = ${outName}.${safeName(o.key)};`);
    }
  }
  return [...lines, ...sums];
}

/** The code of a scalar value computed from consts (before the return). */
function scalarCode(naming: Naming, value: El): { pre: string[]; text: string } {
  const nest = new Nest(naming, undefined, undefined, false);
  nest.plan([value]);
  const text = nest.code(value, 0).text;
  return { pre: nest.lines[0]!, text };
}

/** The scalar outputs, then the return statement. */
function returnOf(c: Context): string[] {
  const { spec, lowered, naming, outName, scalarHomes } = c;
  const valueOf = (o: LoweredOutput): { pre: string[]; text: string } | undefined => {
    const home = scalarHomes.get(o.key);
    if (home?.kind === "summed") return { pre: [], text: home.code };
    if (home?.kind === "stacked") return undefined;
    return scalarCode(naming, o.value!);
  };
  if (!spec.multi) {
    const o = lowered.outputs[0]!;
    const v = o.buf ? undefined : valueOf(o);
    return v ? [...v.pre, `return ${v.text};`] : [`return ${outName};`];
  }
  const lines: string[] = [];
  for (const o of lowered.outputs) {
    if (o.buf) continue;
    const v = valueOf(o);
    if (v) lines.push(...v.pre, `${outName}.${safeName(o.key)} = ${v.text};`);
  }
  lines.push(`return ${outName};`);
  return lines;
}

function emitPlain(c: Context): string[] {
  const emitter = new StepEmitter(c.naming, c.loops);
  for (const s of c.lowered.steps) emitter.step(s);
  return emitter.lines;
}

/** Shared steps; then loops over the samples and whole-batch products; then per-batch constants. */
function emitBatched(c: Context, schedule: Schedule): string[] {
  const { naming, loops, scalarHomes } = c;
  const lines: string[] = [];
  for (const b of schedule.summed) lines.push(b.role === "output" ? `${naming.buf(b)}.fill(0);` : `${naming.buf(b)}.fill(0, 0, ${lengthCode(b, naming, schedule)});`);
  const shared = new StepEmitter(naming, loops);
  for (const s of schedule.pre) shared.step(s);
  lines.push(...shared.lines);
  const batch = naming.size(BATCH);
  for (const seg of schedule.segments) {
    const e = new StepEmitter(naming, loops);
    if (seg.k === "whole") {
      e.step(seg.step);
      lines.push(...e.lines);
      continue;
    }
    const b = naming.fresh("b");
    const offsets = new Map<Buf, string>();
    const offsetLines: string[] = [];
    for (const buf of seg.buffers) {
      const o = naming.fresh(`${naming.buf(buf)}At`);
      offsets.set(buf, o);
      const per = [buf.rows, buf.cols].filter((s) => s !== 1).map((s) => naming.size(s));
      offsetLines.push(`const ${o} = ${[b, ...per].join(" * ")};`);
    }
    naming.offsets = offsets;
    for (const s of seg.steps) e.step(s);
    const finals: string[] = [];
    for (const f of seg.scalarOutputs) {
      const v = scalarCode(naming, f.value);
      const home = scalarHomes.get(f.key)!;
      finals.push(...v.pre, home.kind === "summed" ? `${home.code} += ${v.text};` : `${home.code}[${b}] = ${v.text};`);
    }
    naming.offsets = undefined;
    lines.push(`for (let ${b} = 0; ${b} < ${batch}; ${b}++) {`, ...offsetLines, ...e.lines, ...finals, "}");
  }
  const post = new StepEmitter(naming, loops);
  for (const s of schedule.post) post.step(s);
  lines.push(...post.lines);
  // scalar outputs that are the same for every sample
  c.lowered.outputs.forEach((o) => {
    if (!schedule.constantScalars.has(o.key)) return;
    const v = scalarCode(naming, o.value!);
    const home = scalarHomes.get(o.key)!;
    lines.push(...v.pre, home.kind === "summed" ? `${home.code} = ${batch} * ${v.text};` : `${home.code}.fill(${v.text});`);
  });
  return lines;
}
