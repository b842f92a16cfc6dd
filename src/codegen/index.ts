/**
 * Kernel code generation: the public entry points.
 *   generateModule(text, { dtype, label })  the formatted TypeScript module of a spec
 *   compile(text, { kernel, dtype })          a kernel as a function, at run time
 *   compileAll(text, { dtype })               every kernel of a text, by name
 */
import { JacobiError } from "../core/errors.js";
import type { Dtype } from "./kernel.js";
import { moduleCode } from "./module.js";
import { parseSpec } from "./spec.js";

export { compile, compileAll, compiledSource, type CompileOptions, type KernelFunction } from "./compile.js";
export { parseSpec, type KernelSpec, type SpecFile } from "./spec.js";
export type { Dtype } from "./kernel.js";

export interface GenerateOptions {
  readonly dtype?: Dtype;
  /** The spec's file name (for error positions and the header). */
  readonly label?: string;
}

/** The TypeScript module of a spec's kernels, formatted (same input, same bytes). */
export async function generateModule(text: string, options: GenerateOptions = {}): Promise<string> {
  const spec = parseSpec(text, options.label);
  if (spec.kernels.length === 0) throw new JacobiError("syntax", "the spec has no kernel statements (kernel NAME = …)");
  // the header names the file, not the path it was read by (the same spec, the same bytes)
  const label = options.label?.split(/[\\/]/).pop();
  const code = moduleCode(spec, { dtype: options.dtype ?? "f64", typescript: true, ...(label === undefined ? {} : { label }) });
  // prettier is loaded here, on first use, so importing the library never loads it
  const { formatTypeScript } = await import("./format.js");
  return formatTypeScript(code);
}
