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
import type { Dtype } from "./dtype.js";
import type { LoopNames } from "./emit-steps.js";
import type { Buf, Scal } from "./ir.js";
import { emitBatched, emitPlain, lengthCode, outputSetup, returnOf, type BatchScalar, type Context } from "./kernel-body.js";
import { KernelNaming } from "./kernel-naming.js";
import { Lowering } from "./lower.js";
import type { Lowered, LoweredOutput } from "./lowered.js";
import { capitalized, safeName, type NameTable } from "./names.js";
import { BATCH, planSizes, type SizedInput } from "./sizes.js";
import type { KernelSpec } from "./spec.js";
import type { WasmBody, WasmContext } from "./wasm/emit.js";

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

const sizeNamesOf = (rows: Size, cols: Size): string[] => [rows, cols].filter((s): s is string => typeof s === "string");

/** The code of one kernel. `module` is the module's name table (every user name reserved). */
export function emitKernel(spec: KernelSpec, options: EmitOptions, module: NameTable): KernelCode {
  const { lowered, schedule } = lowerKernel(spec, options);
  const fnName = safeName(spec.name);
  const ts = options.typescript;
  const scratch = [...lowered.scratch, ...(schedule?.scratch ?? [])];
  const globals = moduleNames(spec, ts, module, fnName, scratch);
  const arrayType = options.dtype === "f32" ? "Float32Array" : "Float64Array";
  const { ctx, inputs } = localNames(spec, lowered, schedule, module.child(), scratch, arrayType);
  const stepLines = schedule ? emitBatched(ctx, schedule) : emitPlain(ctx);
  const wasm = options.wasm?.({ spec, lowered, schedule, naming: ctx.naming, module, fnName, dtype: options.dtype, typescript: ts, scalarHomes: ctx.scalarHomes });
  const returnLines = returnOf(ctx);
  const { sized, sizes } = sizeInputs(ctx, inputs, scratch);
  const scratchCode = scratchSetup(ctx, scratch, globals.scratchVars, ts);
  const outLines = outputSetup(ctx);
  const sig = signature(ctx, inputs, sized, sizes.given, globals, fnName, ts);
  const doc = kernelDoc(spec, {
    dtype: options.dtype,
    inputs: sized.map((s) => ({ key: s.key, shape: shapeOfInput(spec, s.key), batched: s.rows === BATCH })),
    givenSizes: sizes.given,
    stable: lowered.stableForms,
    outName: ctx.outName,
  });
  const fn = [
    ...doc,
    `${ts ? "export " : ""}function ${fnName}(${sig.params})${ts ? `: ${sig.returnType}` : ""} {`,
    ...(sig.fields.size > 0 ? [`const { ${[...sig.fields.keys()].join(", ")} } = ${sig.inputsParam};`] : []),
    ...sizes.lines,
    ...outLines,
    ...(wasm ? wasm.wrap([...scratchCode.lines, ...stepLines], returnLines) : [...scratchCode.lines, ...stepLines]),
    ...returnLines,
    "}",
    ...(wasm?.after ?? []),
  ];
  return { name: fnName, declarations: [...sig.types, ...scratchCode.declarations, ...(wasm?.declarations ?? [])], fn };
}

/** The kernel's steps, and for a batched kernel how they run over the samples. */
function lowerKernel(spec: KernelSpec, options: EmitOptions): { lowered: Lowered; schedule: Schedule | undefined } {
  const batched = spec.batch !== undefined;
  const lowering = new Lowering(spec.program, { outputsHoldShared: options.dtype === "f64" && !batched, narrowOutputs: options.dtype === "f32" });
  const lowered = lowering.lower(spec.outputs.map((o) => ({ key: o.key, expr: o.expr, index: o.index })));
  const schedule = batched ? scheduleBatch(lowered, spec, lowering.f, options.dtype === "f32") : undefined;
  return { lowered, schedule };
}

/** Module-level names of one kernel: its scratch buffers and (TypeScript) its types. */
interface ModuleNames {
  readonly scratchVars: ReadonlyMap<Buf, string>;
  readonly inputsType: string;
  readonly outputsType: string;
}

function moduleNames(spec: KernelSpec, ts: boolean, module: NameTable, fnName: string, scratch: readonly Buf[]): ModuleNames {
  const typeName = capitalized(fnName);
  const scratchVars = new Map<Buf, string>();
  for (const b of scratch) scratchVars.set(b, module.fresh(`${fnName}_${b.hint}`));
  const inputsType = ts ? module.fresh(`${typeName}Inputs`) : "";
  const outputsType = ts && spec.multi ? module.fresh(`${typeName}Outputs`) : "";
  return { scratchVars, inputsType, outputsType };
}

/** The input buffers and scalars a kernel reads, in declaration order (undeclared scalars after, in order of use). */
interface KernelInputs {
  readonly arrays: readonly Buf[];
  readonly scalars: readonly Scal[];
}

const isBatchedInput = (spec: KernelSpec, key: string): boolean => spec.batch?.names.includes(key) ?? false;

/** The locals of the kernel function: loop indices, inputs, outputs, scratch, and batched scalar outputs' homes. */
function localNames(spec: KernelSpec, lowered: Lowered, schedule: Schedule | undefined, table: NameTable, scratch: readonly Buf[], arrayType: string): { ctx: Context; inputs: KernelInputs } {
  const naming = new KernelNaming(table, new Set(spec.program.defs.keys()));
  const loops: LoopNames = { i: table.fresh("i"), j: table.fresh("j"), p: table.fresh("p") };

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
  return { ctx: { spec, lowered, schedule, naming, loops, arrayType, outName, scalarHomes }, inputs: { arrays, scalars } };
}

/** The inputs whose lengths give the sizes, and the code that reads and checks them. */
function sizeInputs(ctx: Context, inputs: KernelInputs, scratch: readonly Buf[]): { sized: SizedInput[]; sizes: ReturnType<typeof planSizes> } {
  const { spec, lowered, naming } = ctx;
  // sizes: of the inputs, outputs and scratch, and any the steps use
  const sized: SizedInput[] = inputs.arrays.map((b) => ({
    key: safeName(b.key!),
    local: naming.buf(b),
    rows: isBatchedInput(spec, b.key!) ? BATCH : b.rows,
    cols: isBatchedInput(spec, b.key!) ? b.rows : b.cols,
  }));
  for (const s of inputs.scalars) if (isBatchedInput(spec, s.hint)) sized.push({ key: safeName(s.hint), local: naming.scal(s), rows: BATCH, cols: 1 });
  const needed = new Set<string>(naming.usedSizes);
  for (const o of lowered.outputs) for (const s of sizeNamesOf(o.shape.rows, o.shape.cols)) needed.add(s);
  for (const b of [...scratch, ...lowered.outputs.flatMap((o) => (o.buf ? [o.buf] : []))]) for (const s of b.dims ?? [b.rows, b.cols]) if (typeof s === "string") needed.add(s);
  if (spec.batch !== undefined) needed.add(BATCH);
  addSizeInputs(spec, sized, needed);
  const scalars = inputs.scalars.filter((s) => !isBatchedInput(spec, s.hint)).map((s) => naming.scal(s));
  const sizes = planSizes(spec.name, sized, needed, (s) => naming.size(s), scalars);
  return { sized, sizes };
}

/** Module-level scratch buffers (grown on demand) and the lines that take them. */
function scratchSetup(ctx: Context, scratch: readonly Buf[], scratchVars: ReadonlyMap<Buf, string>, ts: boolean): { declarations: string[]; lines: string[] } {
  const { naming, schedule } = ctx;
  const lines: string[] = [];
  const declarations: string[] = [];
  for (const b of scratch) {
    const v = scratchVars.get(b)!;
    const len = lengthCode(b, naming, schedule);
    declarations.push(ts ? `let ${v}: Float64Array = new Float64Array(0);` : `let ${v} = new Float64Array(0);`);
    lines.push(`if (${v}.length < ${len}) ${v} = new Float64Array(${len});`, `const ${naming.buf(b)} = ${v};`);
  }
  return { declarations, lines };
}

/** The function's parameters, the fields of its inputs object, its return type, and (TypeScript) the interfaces. */
interface Signature {
  readonly fields: ReadonlyMap<string, string>;
  readonly inputsParam: string;
  readonly params: string;
  readonly returnType: string;
  readonly types: readonly string[];
}

function signature(ctx: Context, inputs: KernelInputs, sized: readonly SizedInput[], given: readonly string[], globals: ModuleNames, fnName: string, ts: boolean): Signature {
  const { spec, lowered, naming, arrayType, outName, scalarHomes } = ctx;
  const { inputsType, outputsType } = globals;
  const isArrayOutput = (o: LoweredOutput): boolean => o.buf !== undefined || scalarHomes.get(o.key)?.kind === "stacked";
  const fields = new Map<string, string>();
  for (const s of sized) fields.set(s.key, arrayType);
  for (const s of inputs.scalars) if (!isBatchedInput(spec, s.hint)) fields.set(naming.scal(s), "number");
  for (const s of given) fields.set(naming.size(s), "number");
  const inputsParam = fields.size > 0 ? naming.fresh("inputs") : naming.fresh("_inputs");
  const returnType = spec.multi ? outputsType : lowered.outputs.some(isArrayOutput) ? arrayType : "number";
  const params = ts
    ? `${inputsParam}: ${inputsType}${outName ? `, ${outName}?: ${spec.multi ? outputsType : arrayType}` : ""}`
    : `${inputsParam}${outName ? `, ${outName}` : ""}`;
  const types: string[] = [];
  if (ts) {
    types.push(`/** The inputs of {@link ${fnName}}. */`, `export interface ${inputsType} {`, ...[...fields].map(([k, t]) => `${k}: ${t};`), "}");
    if (spec.multi) {
      types.push(`/** The outputs of {@link ${fnName}}. */`, `export interface ${outputsType} {`);
      for (const o of lowered.outputs) types.push(`${safeName(o.key)}: ${isArrayOutput(o) ? arrayType : "number"};`);
      types.push("}");
    }
  }
  return { fields, inputsParam, params, returnType, types };
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
