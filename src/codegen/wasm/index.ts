/**
 * The wasm target: the kernels' loops as WebAssembly SIMD128 (f64x2 / f32x4), built
 * with binaryen when the kernel is generated, embedded in the generated module, with
 * the JavaScript loops as the fallback where WebAssembly SIMD is missing.
 *   wasmTarget()   the hook for kernel emission (loads binaryen on first use)
 */
import { loadBinaryen } from "./build.js";
import { wasmBody, type WasmBody, type WasmContext } from "./emit.js";

export type Target = "js" | "wasm";

/** The emission hook of the wasm target. */
export async function wasmTarget(): Promise<(c: WasmContext) => WasmBody> {
  const binaryen = await loadBinaryen();
  return (c) => wasmBody(binaryen, c);
}
