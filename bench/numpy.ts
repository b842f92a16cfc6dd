/**
 * numpy (OpenBLAS on one thread, f64 and f32) as a peer: the bench's own inputs are
 * written to a temporary folder, bench/numpy_peer.py computes and times every case in
 * one python3 process, and its outputs come back to be checked against jacobi's.
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed for that process only, so OpenBLAS
 * picks its kernel for this CPU itself; the kernel it picked is reported.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Timing } from "./timing.js";

export interface NumpyCase {
  readonly name: string;
  readonly kind: "softmax" | "softmaxVjp" | "softmaxJacobian" | "outer" | "matTvec" | "matvec" | "network";
  readonly inputs: Readonly<Record<string, Float64Array>>;
  readonly sizes?: Readonly<Record<string, number>>;
}

export interface NumpyRun {
  readonly numpy: string;
  readonly openblas: string;
  /** Keyed `${case}.f64` / `${case}.f32`. */
  readonly timings: Record<string, Timing>;
  /** Each case's outputs, concatenated, as float64. */
  readonly outputs: Record<string, Float64Array>;
}

let unavailable: string | undefined;

/** Runs the cases in numpy, or says why it could not (no python3 or no numpy). */
export function runNumpy(cases: readonly NumpyCase[], root: string): NumpyRun | string {
  if (unavailable !== undefined) return unavailable;
  const dir = mkdtempSync(join(tmpdir(), "jacobi-numpy-"));
  try {
    const spec = cases.map((c) => {
      const files: Record<string, string> = {};
      for (const [key, data] of Object.entries(c.inputs)) {
        writeFileSync(join(dir, `${c.name}-${key}.bin`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        files[key] = `${c.name}-${key}`;
      }
      return { name: c.name, kind: c.kind, ...files, ...c.sizes };
    });
    writeFileSync(join(dir, "cases.json"), JSON.stringify(spec));
    const env: Record<string, string | undefined> = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
    delete env["OPENBLAS_CORETYPE"];
    delete env["OPENBLAS_L2_SIZE"];
    let stdout: string;
    try {
      stdout = execFileSync("python3", [join(root, "bench", "numpy_peer.py"), dir], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 24 });
    } catch (e) {
      const err = e as { code?: string; stderr?: string };
      if (err.code === "ENOENT") return (unavailable = "python3 not found");
      if (/No module named 'numpy'/.test(err.stderr ?? "")) return (unavailable = "numpy not installed");
      return `numpy run failed: ${(err.stderr ?? String(e)).trim().split("\n").pop()}`;
    }
    const parsed = JSON.parse(stdout) as { numpy: string; openblas: string; cases: Record<string, Timing> };
    const outputs: Record<string, Float64Array> = {};
    for (const key of Object.keys(parsed.cases)) {
      const bytes = readFileSync(join(dir, `${key}.out`));
      outputs[key] = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8).slice();
    }
    return { numpy: parsed.numpy, openblas: parsed.openblas, timings: parsed.cases, outputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
