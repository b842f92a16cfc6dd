/**
 * Kernels at run time: `compile(text)` returns the function that `jacobi gen` would
 * write to a file, built from the same emitted code (JavaScript, without types). The
 * code handed to `new Function` is jacobi's own output: user text reaches it only as
 * validated names and numbers, and no comments are included.
 */
import { JacobiError } from "../core/errors.js";
import { parseProgram } from "../parse/parse.js";
import type { Dtype } from "./dtype.js";
import { kernelCodes } from "./module.js";
import { safeName } from "./names.js";
import { parseSpec, subjectKernel, type KernelSpec } from "./spec.js";
import type { WasmBody, WasmContext } from "./wasm/emit.js";
import { wasmTarget, type Target } from "./wasm/index.js";

/** A kernel's arrays: Float64Array (f64 kernels) or Float32Array (f32 kernels); matrices row-major. */
export type KernelArray = Float64Array | Float32Array;

/** A kernel's inputs by name: arrays and scalars. */
export type KernelInputs = Readonly<Record<string, KernelArray | number>>;

/** What a kernel returns: an array, a number (a scalar value), or a record of outputs (`grad(L, W, b)`: `{ loss, W, b }`). */
export type KernelOutput = KernelArray | number | { [name: string]: KernelArray | number };

/** A compiled kernel: `(inputs, out?) => out`, writing into `out` when it is given. */
export type KernelFunction<Out extends KernelOutput = KernelOutput> = (inputs: KernelInputs, out?: Out) => Out;

/**
 * A kernel of the wasm target: a {@link KernelFunction}, and `inputs(sizes)`: views of its
 * WebAssembly memory where a call with those sizes reads each input array (plain arrays
 * where WebAssembly SIMD is missing). Fill them in place and pass them: the call skips
 * copying them in. They stay valid until a call with larger sizes grows the memory.
 */
export type WasmKernelFunction<Out extends KernelOutput = KernelOutput> = KernelFunction<Out> & {
  inputs(sizes: Readonly<Record<string, number>>): Record<string, KernelArray>;
};

export interface CompileOptions {
  /** Float64Array (default) or Float32Array inputs and outputs. */
  readonly dtype?: Dtype;
  /** Which kernel of the text (needed when it has several). */
  readonly kernel?: string;
  /** "js" (default), or "wasm": WebAssembly SIMD loops (then `compile` returns a Promise). */
  readonly target?: Target;
}

/** The kernels of a text: its `kernel` statements, or (without any) its value, named `kernel`. */
function specsOf(text: string): KernelSpec[] {
  const file = parseSpec(text);
  if (file.kernels.length > 0) return [...file.kernels];
  return [subjectKernel(parseProgram(text), "kernel")];
}

/** The JavaScript source of the kernels, as a function body returning them by name. */
export function compiledSource(kernels: readonly KernelSpec[], dtype: Dtype, wasm?: (c: WasmContext) => WasmBody): string {
  const codes = kernelCodes(kernels, { dtype, typescript: false, ...(wasm ? { wasm } : {}) });
  const body: string[] = ['"use strict";'];
  for (const c of codes) body.push(...c.declarations, ...c.fn.filter((line) => !isCommentLine(line)));
  body.push(`return { ${codes.map((c) => c.name).join(", ")} };`);
  return body.join("\n");
}

const isCommentLine = (line: string): boolean => line.startsWith("/**") || line.startsWith(" *");

/** Every kernel of the text (or only `options.kernel`), compiled, by name (a null-prototype object). */
export function compileAll(text: string, options: CompileOptions = {}, wasm?: (c: WasmContext) => WasmBody): Record<string, KernelFunction> {
  const all = specsOf(text);
  let kernels = all;
  if (options.kernel !== undefined) {
    // only the kernel asked for is compiled (the wasm target may not take the others)
    kernels = all.filter((k) => k.name === options.kernel);
    if (kernels.length === 0) throw new JacobiError("name", `no kernel named '${options.kernel}'; the kernels are ${all.map((k) => k.name).join(", ")}`);
  }
  const source = compiledSource(kernels, options.dtype ?? "f64", wasm);
  const made = new Function(source)() as Record<string, KernelFunction>;
  const out = Object.create(null) as Record<string, KernelFunction>;
  for (const k of kernels) out[k.name] = made[safeName(k.name)]!;
  return out;
}

/** One kernel of the text, compiled: the only one, or the one named by `options.kernel`. */
export function compile(text: string, options: CompileOptions = {}, wasm?: (c: WasmContext) => WasmBody): KernelFunction {
  const all = compileAll(text, options, wasm);
  const names = Object.keys(all);
  if (names.length !== 1) throw new JacobiError("usage", `the text has ${names.length} kernels (${names.join(", ")}); name one with { kernel }`);
  return all[names[0]!]!;
}

/** `compile` for the wasm target: binaryen is loaded first, so the kernel comes as a Promise. */
export async function compileWasm(text: string, options: CompileOptions = {}): Promise<WasmKernelFunction> {
  return compile(text, options, await wasmTarget()) as WasmKernelFunction;
}
