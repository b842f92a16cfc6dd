/**
 * Which kernels the WebAssembly target builds a module for: every step and element
 * expression of the loop IR that this directory knows (maps, reductions, norms,
 * literals, matrix products, softmax and log-sum-exp; every function of the table, each
 * power). A kernel with a step it does not know — today the LU steps (det, logdet, inv,
 * solves), the row maxima of a row-wise softmax or log-sum-exp, loop nests over index
 * notation, and any step added later — is not refused: it runs its JavaScript loops
 * (the generated code says so), as where WebAssembly SIMD is missing.
 */
import type { El, Step } from "../ir.js";
import type { Schedule } from "../batch.js";
import type { Lowered } from "../lowered.js";

const STEPS: ReadonlySet<string> = new Set(["scalar", "reduce", "norm2", "map", "literal", "gemv", "gemm", "softmax"]);
const ELS: ReadonlySet<string> = new Set(["num", "scal", "size", "read", "flat", "delta", "add", "mul", "pow", "fn"]);

/** The element kind the target does not know, if any. */
function elGap(e: El): string | undefined {
  if (!ELS.has(e.k)) return `the element expression ${e.k}`;
  const parts = e.k === "add" ? e.terms : e.k === "mul" ? e.factors : e.k === "pow" ? [e.base, e.exponent] : e.k === "fn" ? [e.arg] : [];
  for (const p of parts) {
    const gap = elGap(p);
    if (gap) return gap;
  }
  return undefined;
}

/** The element expressions of a step. */
function elsOf(s: Step): readonly El[] {
  switch (s.k) {
    case "scalar":
      return [s.value];
    case "reduce":
      return [s.body];
    case "map":
      return s.diag ? [s.body, s.diag] : [s.body];
    case "gemv":
      return [s.vec];
    case "literal":
      return s.items;
    case "norm2":
    case "softmax":
      return [s.u];
    default:
      return [];
  }
}

/** Why the kernel runs its JavaScript loops on the wasm target (what the target does not know), or undefined. */
export function wasmGap(lowered: Lowered, schedule: Schedule | undefined): string | undefined {
  const steps = schedule ? [...schedule.pre, ...schedule.segments.flatMap((g) => (g.k === "whole" ? [g.step] : g.steps)), ...schedule.post] : lowered.steps;
  const els = [
    ...lowered.outputs.flatMap((o) => (o.value ? [o.value] : [])),
    ...(schedule?.segments ?? []).flatMap((g) => (g.k === "loop" ? g.scalarOutputs.map((o) => o.value) : [])),
  ];
  for (const s of steps) {
    if (!STEPS.has(s.k)) return `the step ${s.k}`;
    els.push(...elsOf(s));
  }
  for (const e of els) {
    const gap = elGap(e);
    if (gap) return gap;
  }
  return undefined;
}
