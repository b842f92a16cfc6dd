/**
 * Kernel code generation: the public entry points.
 *   generateModule(text, { dtype, label })  the formatted TypeScript module of a spec
 *   compile(text, { kernel, dtype })          a kernel as a function, at run time
 *   compileWasm(text, { kernel, dtype })      the same on the wasm target (a Promise)
 *   compileAll(text, { dtype })               every kernel of a text, by name
 */
import { JacobiError } from "../core/errors.js";
import type { Dtype } from "./dtype.js";
import { moduleCode } from "./module.js";
import { parseSpec } from "./spec.js";
import { wasmTarget, type Target } from "./wasm/index.js";

export { compile, compileAll, compiledSource, compileWasm, type CompileOptions, type KernelArray, type KernelFunction, type KernelInputs, type KernelOutput, type WasmKernelFunction } from "./compile.js";
export type { Target } from "./wasm/index.js";
export { parseSpec, type KernelSpec, type SpecFile } from "./spec.js";
export { genFlags, regenerateCommand } from "./module.js";
export type { Dtype } from "./dtype.js";

export interface GenerateOptions {
  readonly dtype?: Dtype;
  /** The spec's file name (for error positions and the header). */
  readonly label?: string;
  /** The command that writes the module again, named in its header (default `jacobi gen LABEL --out DIR`). */
  readonly command?: string;
  /** "js" (default) or "wasm" (WebAssembly SIMD loops, JavaScript where SIMD is missing). */
  readonly target?: Target;
}

/** The TypeScript module of a spec's kernels, formatted (same input, same bytes). */
export async function generateModule(text: string, options: GenerateOptions = {}): Promise<string> {
  const spec = parseSpec(text, options.label);
  if (spec.kernels.length === 0) throw new JacobiError("syntax", "the spec has no kernel statements (kernel NAME = …)");
  // the header names the file, not the path it was read by (the same spec, the same bytes)
  const label = options.label?.split(/[\\/]/).pop();
  const wasm = options.target === "wasm" ? { wasm: await wasmTarget() } : {};
  const code = moduleCode(spec, { dtype: options.dtype ?? "f64", typescript: true, ...(label === undefined ? {} : { label }), ...(options.command === undefined ? {} : { command: options.command }), ...wasm });
  // prettier is loaded here, on first use, so importing the library never loads it
  const { formatTypeScript } = await import("./format.js");
  return formatTypeScript(code);
}
