/**
 * The JavaScript side of a wasm-target kernel. The kernel keeps its JavaScript
 * signature, checks and outputs (src/codegen/kernel.ts writes them); only its loops are
 * replaced:
 *
 *   if (softmax_wasm !== undefined) {      // WebAssembly with SIMD is there
 *     …offsets of the buffers…            // laid out from the sizes, 16-byte aligned
 *     const heap = softmax_wasm.heap(end); // linear memory, grown only when too small
 *     heap.set(x, xAt);                    // inputs in (skipped for a view of the memory at xAt:
 *                                          // softmax.inputs(sizes) gives those views)
 *     softmax_wasm.run(n, xAt * 8, …);     // the module's loops
 *     out.set(softmax_wasm.view(0, outAt, n)); // outputs out (views kept between calls)
 *   } else { …the JavaScript loops… }      // no WebAssembly SIMD: the JS kernel
 *
 * The module's bytes are embedded (base64) and instantiated when the module loads, with
 * its imports (the host's Math functions the module calls); no allocation happens per
 * call once the memory is large enough.
 */
import type { Size } from "../../core/shape.js";
import type { Naming } from "../emit-el.js";
import type { Buf } from "../ir.js";
import type { Schedule } from "../batch.js";
import type { Lowered } from "../lowered.js";
import { BATCH, template } from "../sizes.js";
import type { NameTable } from "../names.js";
import type { KernelSpec } from "../spec.js";
import { wasmGap } from "./accept.js";
import { buildWasm, type WasmKernel } from "./build.js";
import type { Binaryen, Dtype } from "./values.js";

export interface WasmContext {
  readonly spec: KernelSpec;
  readonly lowered: Lowered;
  readonly schedule: Schedule | undefined;
  /** A batch's scalar outputs: the local each is summed in. */
  readonly scalarHomes: ReadonlyMap<string, { readonly kind: string; readonly code: string }>;
  readonly naming: Naming;
  readonly module: NameTable;
  readonly fnName: string;
  readonly dtype: Dtype;
  readonly typescript: boolean;
}

export interface WasmBody {
  readonly declarations: readonly string[];
  /** The kernel's loops: the WebAssembly call and `ret` (the kernel's return), or (without SIMD) the JavaScript loops given. */
  wrap(js: readonly string[], ret: readonly string[]): string[];
  /** Statements after the kernel function (its `inputs` views). */
  readonly after: readonly string[];
}

/** base64 of bytes, in Node and in browsers. */
function base64(bytes: Uint8Array): string {
  let s = "";
  for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(s);
}

/** The module-level instance: `{ run, heap(entries) }`, or undefined where WebAssembly SIMD is missing. */
function instanceDeclaration(name: string, kernel: WasmKernel, dtype: Dtype, ts: boolean): string[] {
  const { bytes } = kernel;
  const array = dtype === "f64" ? "Float64Array" : "Float32Array";
  const width = dtype === "f64" ? 8 : 4;
  const as = (t: string): string => (ts ? ` as ${t}` : "");
  return [
    `/** The WebAssembly (SIMD128) module of {@link ${name.replace(/_wasm\d*$/, "")}}, or undefined where WebAssembly SIMD is missing. */`,
    `const ${name} = (() => {`,
    `const bytes = Uint8Array.from(atob("${base64(bytes)}"), (ch) => ch.charCodeAt(0));`,
    // a module that uses v128 does not validate without SIMD: then the JavaScript loops run
    `if (typeof WebAssembly !== "object" || !WebAssembly.validate(bytes)) return undefined;`,
    // the imports: the host's Math functions, and functions of the table's kernel forms, called lane by lane
    `const math = { ${kernel.imports.map((i) => `${i.name}: ${ts ? i.code.replace(/^\(u\) =>/, "(u: number): number =>") : i.code}`).join(", ")} };`,
    `const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { math }).exports;`,
    `const memory = exports.memory${as("WebAssembly.Memory")};`,
    `let heap = new ${array}(memory.buffer);`,
    `const views${ts ? `: ${array}[]` : ""} = [];`,
    "return {",
    `run: exports.run${as("(...args: number[]) => void")},`,
    `buffer()${ts ? ": ArrayBuffer" : ""} {`,
    "return memory.buffer;",
    "},",
    `heap(entries${ts ? ": number" : ""})${ts ? `: ${array}` : ""} {`,
    `const missing = entries * ${width} - memory.buffer.byteLength;`,
    "if (missing > 0) memory.grow(Math.ceil(missing / 65536));",
    `if (heap.buffer !== memory.buffer) heap = new ${array}(memory.buffer);`,
    "return heap;",
    "},",
    // the view of output k, kept while its place and the memory stay (so a call allocates nothing)
    `view(k${ts ? ": number" : ""}, at${ts ? ": number" : ""}, length${ts ? ": number" : ""})${ts ? `: ${array}` : ""} {`,
    "const v = views[k];",
    `if (v !== undefined && v.buffer === memory.buffer && v.byteOffset === at * ${width} && v.length === length) return v;`,
    `return (views[k] = new ${array}(memory.buffer, at * ${width}, length));`,
    "},",
    "};",
    "})();",
  ];
}

/** A module-level name for the instance that no local of the kernel function has (the kernel's names are taken first). */
function instanceName(c: WasmContext): string {
  const hint = `${c.fnName.replace(/\$/g, "")}_wasm`;
  for (;;) {
    const name = c.module.fresh(hint);
    if (c.naming.fresh(name) === name) return name;
  }
}

/** The kernel's wasm body; a kernel with steps the target does not know runs its JavaScript loops (said in a comment). */
export function wasmBody(binaryen: Binaryen, c: WasmContext): WasmBody {
  const gap = wasmGap(c.lowered, c.schedule);
  if (gap) {
    // inputs(sizes): plain arrays, of the lengths the kernel checks
    const full = (b: Buf): boolean => c.schedule?.full.has(b) ?? false;
    const lengthOf = (b: Buf): string => [...(full(b) ? [BATCH] : []), b.rows, b.cols].filter((s) => s !== 1).map((s) => c.naming.size(s)).join(" * ") || "1";
    const bufs = [...c.lowered.inputBufs.values()];
    const sizes = [...new Set(bufs.flatMap((b) => [...(full(b) ? [BATCH] : []), b.rows, b.cols]).filter((s): s is string => typeof s === "string"))].map((s) => c.naming.size(s));
    const views = bufs.map((b) => ({ key: c.naming.buf(b), at: "0", length: lengthOf(b) }));
    const after = viewsFunction({ c, instance: undefined, sizes, layout: [], views, heap: "", end: "" });
    return { declarations: [`// ${c.fnName}: JavaScript loops on the wasm target too (it does not compute ${gap} yet)`], wrap: (js) => [...js], after };
  }
  const kernel = buildWasm(binaryen, c.spec, c.lowered, c.schedule, c.dtype);
  const { naming } = c;
  const instance = instanceName(c);
  const align = c.dtype === "f64" ? 2 : 4;
  const width = c.dtype === "f64" ? 8 : 4;
  const inputs = new Set(c.lowered.inputBufs.values());
  const outputs = new Set(c.lowered.outputs.flatMap((o) => (o.buf ? [o.buf] : [])));
  const sizeCode = (s: Size): string => naming.size(s);
  const full = (b: Buf): boolean => c.schedule?.full.has(b) ?? false;
  /** The JavaScript array a buffer is copied from (inputs) or into (outputs), if any. */
  const arrayOf = (b: Buf): string | undefined => {
    if (inputs.has(b) || outputs.has(b)) return naming.buf(b);
    const s = kernel.sampleScalars.get(b);
    if (s) return naming.scal(s);
    const key = kernel.stacked.get(b);
    return key === undefined ? undefined : c.scalarHomes.get(key)!.code;
  };
  const copiedIn = (b: Buf): boolean => inputs.has(b) || kernel.sampleScalars.has(b);
  const copiedOut = (b: Buf): boolean => outputs.has(b) || kernel.stacked.has(b);
  // entries of each buffer from the sizes (the inputs' and outputs' lengths are checked to be these before)
  const lengthOf = (b: Buf): string => [...(full(b) ? [BATCH] : []), b.rows, b.cols].filter((s) => s !== 1).map(sizeCode).join(" * ") || "1";
  // the sizes are named now, so that the kernel computes them before the body
  const sizeArgs = kernel.sizes.map(sizeCode);
  const lines: string[] = [];
  const offsets = kernel.bufs.map((b) => naming.fresh(`${arrayOf(b) ?? b.hint}At`));
  const slotsAt = offsets[offsets.length - 1]!;
  const heap = naming.fresh("heap");
  const end = naming.fresh("end");
  // the layout: every buffer 16-byte aligned, one after the other
  const layout = kernel.bufs.map((_, k) => `const ${offsets[k]} = ${k === 0 ? "0" : `${offsets[k - 1]} + ((${lengthOf(kernel.bufs[k - 1]!)} + ${align - 1}) & -${align})`};`);
  const last = kernel.bufs.length - 1;
  layout.push(`const ${end} = ${offsets[last]} + ${lengthOf(kernel.bufs[last]!)};`);
  // an input that is a view of the memory at its place (from kernel.inputs(sizes)) is there already; one elsewhere
  // in the memory (views taken for other sizes) is copied out first, before the layout overwrites it
  const memory = naming.fresh("memory");
  const sources = kernel.bufs.map((b) => (copiedIn(b) ? naming.fresh(arrayOf(b)!) : undefined));
  lines.push(...layout, `const ${memory} = ${instance}.buffer();`);
  kernel.bufs.forEach((b, k) => {
    const a = arrayOf(b);
    if (copiedIn(b)) lines.push(`const ${sources[k]!} = ${a}.buffer === ${memory} && ${a}.byteOffset !== ${offsets[k]} * ${width} ? ${a}.slice() : ${a};`);
  });
  lines.push(`const ${heap} = ${instance}.heap(${end});`);
  kernel.bufs.forEach((_, k) => {
    const a = sources[k];
    if (a !== undefined) lines.push(`if (${a}.buffer !== ${heap}.buffer) ${heap}.set(${a}, ${offsets[k]});`);
  });
  const args = [...sizeArgs, ...offsets.map((o) => `${o} * ${width}`), ...kernel.scalars.map((s) => naming.scal(s))];
  lines.push(`${instance}.run(${args.join(", ")});`);
  let viewIndex = 0;
  kernel.bufs.forEach((b, k) => {
    if (copiedOut(b)) lines.push(`${arrayOf(b)!}.set(${instance}.view(${viewIndex++}, ${offsets[k]}, ${arrayOf(b)!}.length));`);
  });
  // the scalar outputs' values: scalars the return reads, or a batch's sums
  kernel.slots.forEach((slot, k) => {
    const at = `${heap}[${slotsAt} + ${k}]`;
    lines.push("scal" in slot ? `const ${naming.scal(slot.scal)} = ${at};` : `${c.scalarHomes.get(slot.sum)!.code} = ${at};`);
  });
  const inputViews = kernel.bufs.flatMap((b, k) => (copiedIn(b) ? [{ key: arrayOf(b)!, at: offsets[k]!, length: lengthOf(b) }] : []));
  const sizes = [...new Set(kernel.bufs.flatMap((b) => [...(full(b) ? [BATCH] : []), b.rows, b.cols]).filter((s): s is string => typeof s === "string"))].map(sizeCode);
  return {
    declarations: instanceDeclaration(instance, kernel, c.dtype, c.typescript),
    wrap: (js, ret) => [`if (${instance} !== undefined) {`, ...lines, ...ret, "}", ...js],
    after: viewsFunction({ c, instance, sizes, layout, views: inputViews, heap, end }),
  };
}

/**
 * `kernel.inputs(sizes)`: views of the module's memory where a call with these sizes reads
 * its inputs (plain arrays where WebAssembly SIMD is missing). A call given them skips
 * their copy; they stay valid until a call with larger sizes grows the memory.
 */
function viewsFunction(o: { c: WasmContext; instance: string | undefined; sizes: readonly string[]; layout: readonly string[]; views: readonly { key: string; at: string; length: string }[]; heap: string; end: string }): string[] {
  const { c, instance, sizes, views } = o;
  const ts = c.typescript;
  const array = c.dtype === "f64" ? "Float64Array" : "Float32Array";
  const width = c.dtype === "f64" ? 8 : 4;
  // a kernel without sizes takes the argument unread (an underscore: not an unused-parameter error)
  const param = sizes.length > 0 ? c.naming.fresh("sizes") : "_sizes";
  const type = (fields: readonly string[], t: string): string => `{ ${fields.map((f) => `${f}: ${t}`).join("; ")} }`;
  const object = (make: (v: (typeof views)[number]) => string): string => `{ ${views.map((v) => `${v.key}: ${make(v)}`).join(", ")} }`;
  return [
    `/** Views of ${c.fnName}'s WebAssembly memory where a call with these sizes reads its inputs: fill them in place and pass them, and the call skips copying them in. Valid until a call with larger sizes grows the memory (take new views then). */`,
    `${c.fnName}.inputs = function (${param}${ts ? `: ${type(sizes, "number")}` : ""})${ts ? `: ${type(views.map((v) => v.key), array)}` : ""} {`,
    ...(sizes.length > 0 ? [`const { ${sizes.join(", ")} } = ${param};`] : []),
    ...sizes.map((s) => `if (!Number.isInteger(${s}) || ${s} < 1) throw new RangeError(${template([`${c.spec.name}.inputs: the size ${s} must be a positive whole number, not `, { code: s }])});`),
    ...(instance === undefined
      ? [`return ${object((v) => `new ${array}(${v.length})`)};`]
      : [
          ...o.layout,
          `if (${instance} === undefined) return ${object((v) => `new ${array}(${v.length})`)};`,
          `const ${o.heap} = ${instance}.heap(${o.end});`,
          `return ${object((v) => `new ${array}(${o.heap}.buffer, ${v.at} * ${width}, ${v.length})`)};`,
        ]),
    "};",
  ];
}
