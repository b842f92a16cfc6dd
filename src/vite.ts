/**
 * `jacobi/vite`: a Vite plugin that compiles `.jacobi` specs into kernels at build time.
 *
 *   // vite.config.ts
 *   import { defineConfig } from "vite";
 *   import jacobi from "jacobi/vite";
 *   export default defineConfig({ plugins: [jacobi()] });
 *
 *   // app.ts
 *   import { softmaxVjp } from "./softmax.jacobi";
 *   softmaxVjp({ x, g });   // a Float64Array
 *
 * An import of `NAME.jacobi` becomes a JavaScript module with one exported function per
 * `kernel` statement of the spec: the same code as `jacobi gen` and `compile`, with
 * nothing of jacobi left at run time. Types: beside the spec the plugin writes
 * `NAME.jacobi.d.ts` (the kernels' signatures and their input and output interfaces), which
 * TypeScript finds for `./NAME.jacobi` under `"moduleResolution": "bundler"` (Vite's
 * default). An error in a spec is a Vite error with the spec's file, line and column and a
 * caret under the place. Vite watches each spec it compiled: a change regenerates the
 * kernels (and the declarations).
 *
 * This module is for Node (it reads and writes files); the library itself is not.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { isFileLoadingAllowed, type Plugin, type ResolvedConfig } from "vite";
import type { Dtype } from "./codegen/dtype.js";
import { formatTypeScript } from "./codegen/format.js";
import type { KernelCode } from "./codegen/kernel.js";
import { kernelCodes } from "./codegen/module.js";
import { commentText } from "./codegen/names.js";
import { parseSpec } from "./codegen/spec.js";
import { wasmTarget, type Target } from "./codegen/wasm/index.js";
import { JacobiError } from "./core/errors.js";
import { readBounded } from "./files.js";

/** Options of the {@link jacobi} Vite plugin. */
export interface JacobiPluginOptions {
  /** `"f64"` (Float64Array, the default) or `"f32"` (Float32Array) kernels. */
  readonly dtype?: Dtype;
  /** Write `NAME.jacobi.d.ts` beside each spec (default true). */
  readonly declarations?: boolean;
  /** `"js"` (default) or `"wasm"`: WebAssembly SIMD loops, JavaScript where SIMD is missing. */
  readonly target?: Target;
}

/** A spec compiled: the JavaScript module and its TypeScript declarations. */
export interface SpecModule {
  /** An ES module exporting one function per kernel statement. */
  readonly code: string;
  /** The module's declarations (a `.d.ts` text, formatted). */
  readonly declarations: string;
}

const SPEC_FILE = /\.jacobi$/;

/** The kernels' function names (what the module exports). */
const exportList = (codes: readonly KernelCode[]): string => `export { ${codes.map((c) => c.name).join(", ")} };`;

function header(label: string | undefined, dtype: Dtype, what: string): string[] {
  const from = label === undefined ? "a jacobi spec" : commentText(basename(label));
  return [`// ${what} by jacobi/vite from ${from} (${dtype === "f32" ? "Float32Array" : "Float64Array"} kernels). Do not edit.`, ""];
}

/** A kernel's declarations: its types, its documentation, and its signature without a body. */
function declarationLines(c: KernelCode): string[] {
  // module-level scratch and the wasm target's instance (`const NAME_wasm = (() => { … })();`) are not exported
  let inInstance = false;
  const types = c.declarations.filter((line, k, all) => {
    if (line.startsWith("const ") && line.endsWith("= (() => {")) inInstance = true;
    const skip = inInstance || line.startsWith("let ") || line.startsWith("// ") || (all[k + 1]?.startsWith("const ") === true && line.startsWith("/**"));
    if (line === "})();") inInstance = false;
    return !skip;
  });
  const at = c.fn.findIndex((line) => line.startsWith(`export function ${c.name}(`));
  if (at < 0 || !c.fn[at]!.endsWith("{")) throw new Error(`internal: no signature line for kernel ${c.name}`);
  const signature = c.fn[at]!.replace(/^export function /, "export declare function ").replace(/\s*\{$/, ";");
  // the wasm target's `kernel.inputs(sizes)`, declared as a member of the function
  const views = c.fn.findIndex((line) => line.startsWith(`${c.name}.inputs = function (`));
  const member = views < 0 ? [] : [c.fn[views - 1]!, `export declare namespace ${c.name} {`, `${c.fn[views]!.replace(`${c.name}.inputs = function (`, "function inputs(").replace(/\s*\{$/, ";")}`, "}"];
  return [...types, "", ...c.fn.slice(0, at), signature, ...member, ""];
}

/**
 * Compiles a spec's text into a JavaScript module and its declarations.
 * @param options.label the spec's file name, for error positions and the header comment
 * @throws JacobiError with a position for an error in the spec
 */
export async function specModule(text: string, options: { readonly dtype?: Dtype; readonly label?: string; readonly target?: Target } = {}): Promise<SpecModule> {
  const dtype = options.dtype ?? "f64";
  const spec = parseSpec(text, options.label);
  if (spec.kernels.length === 0) throw new JacobiError("syntax", "the spec has no kernel statements (kernel NAME = …)");
  const wasm = options.target === "wasm" ? { wasm: await wasmTarget() } : {};
  const js = kernelCodes(spec.kernels, { dtype, typescript: false, ...wasm });
  const code = [...header(options.label, dtype, "Generated"), ...js.flatMap((c) => [...c.declarations, ...c.fn, ""]), exportList(js), ""].join("\n");
  const ts = kernelCodes(spec.kernels, { dtype, typescript: true, ...wasm });
  const declarations = await formatTypeScript([...header(options.label, dtype, "Declarations generated"), ...ts.flatMap(declarationLines)].join("\n"));
  return { code, declarations };
}

/** Writes a file only when its text changes (so watchers see no change when there is none). */
async function writeIfChanged(path: string, text: string): Promise<void> {
  let old: string | undefined;
  try {
    old = await readFile(path, "utf8");
  } catch {
    old = undefined;
  }
  if (old !== text) await writeFile(path, text);
}

/** Is `file` inside the directory `root` (or the root itself)? */
export function isInside(root: string, file: string): boolean {
  const r = relative(resolve(root), resolve(file));
  return r === "" || (!r.startsWith(`..${sep}`) && r !== ".." && !isAbsolute(r));
}

/**
 * The dev server's refusal of a file outside `server.fs.allow` (or in `server.fs.deny`):
 * the error Vite itself answers with 403 (its code is ERR_DENIED_ID).
 */
function deniedError(id: string): Error {
  return Object.assign(new Error(`Denied ID ${id}`), { code: "ERR_DENIED_ID", id });
}

/**
 * A JacobiError as the error Vite reports: the file, line and column, and the caret lines.
 * The column is counted from 1, as jacobi and editors count it (Vite prints `file:line:column`
 * from `loc` as it is, and opens editors there).
 */
function viteError(e: JacobiError, file: string, label: string): { message: string; id: string; loc?: { file: string; line: number; column: number }; frame?: string } {
  const pos = e.position;
  if (!pos) return { message: `${label}: ${e.message}`, id: file };
  const frame = e.format().split("\n").slice(1).join("\n");
  return { message: `${label}:${pos.line}:${pos.col}: ${e.message}`, id: file, loc: { file, line: pos.line, column: pos.col }, frame };
}

/**
 * The Vite plugin: `import { softmaxVjp } from "./softmax.jacobi"` compiles the spec into
 * kernels at build time (and in `vite dev`), with types.
 * @example
 * // vite.config.ts
 * import jacobi from "jacobi/vite";
 * export default { plugins: [jacobi({ dtype: "f64" })] };
 */
export function jacobi(options: JacobiPluginOptions = {}): Plugin {
  const dtype = options.dtype ?? "f64";
  const writeDeclarations = options.declarations ?? true;
  let root = process.cwd();
  let config: ResolvedConfig | undefined;
  let serving = false;
  const labelOf = (file: string): string => relative(root, file).replace(/\\/g, "/") || basename(file);

  async function compileSpec(file: string): Promise<SpecModule> {
    // only a regular file is read (opening a FIFO would wait for a writer)
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new JacobiError("io", `cannot read ${labelOf(file)}: ${info ? "it is not a regular file" : "no such file"}`);
    // the dev server serves only what server.fs allows (a spec outside is never read, so its errors cannot leak)
    if (serving && config && !isFileLoadingAllowed(config, file.replace(/\\/g, "/"))) throw deniedError(file);
    // read asynchronously and bounded: a FIFO or an endless file neither blocks the server nor fills memory
    const compiled = await specModule(await readBounded(file, labelOf(file)), { dtype, label: labelOf(file), ...(options.target ? { target: options.target } : {}) });
    // declarations are written beside specs inside the project root only
    if (writeDeclarations && isInside(root, file)) await writeIfChanged(`${file}.d.ts`, compiled.declarations);
    return compiled;
  }

  return {
    name: "jacobi",
    enforce: "pre",
    configResolved(resolved) {
      config = resolved;
      root = resolved.root;
      serving = resolved.command === "serve";
    },
    async load(id) {
      if (!SPEC_FILE.test(id)) return null; // `?raw` and other queries are left to Vite
      this.addWatchFile(id);
      try {
        const { code } = await compileSpec(id);
        // JavaScript, whatever the file's extension says (Rollup-based Vite ignores moduleType)
        return { code, map: null, moduleType: "js" };
      } catch (e) {
        if (e instanceof JacobiError) this.error(viteError(e, id, labelOf(id)));
        throw e;
      }
    },
    async handleHotUpdate({ file }) {
      // keep the declarations current even before the browser asks for the module again
      if (!SPEC_FILE.test(file) || !writeDeclarations) return;
      try {
        await compileSpec(file);
      } catch {
        // the error shows when the module loads
      }
    },
  };
}

export default jacobi;
