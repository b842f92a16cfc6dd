/**
 * The body of a kernel function: the outputs allocated or checked, the steps' loops
 * (for a batched kernel: shared steps, loops over the samples and whole-batch products),
 * the scalar outputs and the return statement.
 */
import type { Schedule } from "./batch.js";
import { Nest, type Naming } from "./emit-el.js";
import { StepEmitter, type LoopNames } from "./emit-steps.js";
import type { Buf, El } from "./ir.js";
import type { KernelNaming } from "./kernel-naming.js";
import type { Lowered, LoweredOutput } from "./lowered.js";
import { safeName } from "./names.js";
import { BATCH, template } from "./sizes.js";
import type { KernelSpec } from "./spec.js";

/** How a scalar output is delivered in a batched kernel. */
export type BatchScalar = "summed" | "stacked";

export interface Context {
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

/** Entries of a buffer: rows × cols (times the batch for buffers holding every sample). */
export function lengthCode(b: Buf, naming: Naming, schedule: Schedule | undefined): string {
  const parts = (b.dims ?? [b.rows, b.cols]).filter((s) => s !== 1).map((s) => naming.size(s));
  if (schedule?.full.has(b)) parts.unshift(naming.size(BATCH));
  if (parts.length === 0) return "1";
  return parts.every((p) => /^\d+$/.test(p)) ? `${parts.reduce((a, p) => a * Number(p), 1)}` : parts.join(" * ");
}

/** Allocates the outputs when none are given, else checks their lengths; zeroes sums. */
export function outputSetup(c: Context): string[] {
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
export function returnOf(c: Context): string[] {
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

export function emitPlain(c: Context): string[] {
  const emitter = new StepEmitter(c.naming, c.loops);
  for (const s of c.lowered.steps) emitter.step(s);
  return emitter.lines;
}

/** Shared steps; then loops over the samples and whole-batch products; then per-batch constants. */
export function emitBatched(c: Context, schedule: Schedule): string[] {
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
    // a per-sample input scalar is its sample's entry inside the loop
    const sampleScalars = [...c.lowered.inputScals.values()].filter((s) => c.spec.batch!.names.includes(s.hint));
    for (const s of sampleScalars) {
      const array = naming.scal(s);
      const entry = naming.fresh(`${array}_b`);
      offsetLines.push(`const ${entry} = ${array}[${b}];`);
      naming.scals.set(s, entry);
    }
    for (const s of seg.steps) e.step(s);
    const finals: string[] = [];
    for (const f of seg.scalarOutputs) {
      const v = scalarCode(naming, f.value);
      const home = scalarHomes.get(f.key)!;
      finals.push(...v.pre, home.kind === "summed" ? `${home.code} += ${v.text};` : `${home.code}[${b}] = ${v.text};`);
    }
    naming.offsets = undefined;
    for (const s of sampleScalars) naming.scals.set(s, safeName(s.hint));
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
