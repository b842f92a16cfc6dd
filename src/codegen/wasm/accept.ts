/**
 * Which kernels the WebAssembly target takes: the loop IR of arithmetic (sums,
 * products, integer and square-root powers, the diagonal δ, exp, log, tanh and sigmoid) in maps,
 * reductions, the stable softmax and log-sum-exp, matrix-vector and matrix-matrix
 * products; scalar outputs, and batches whose scalar outputs are summed. The rest
 * is refused with the kernel statement's position, saying what is missing; such a
 * kernel is generated for the JavaScript target.
 */
import { JacobiError } from "../../core/errors.js";
import type { El, Step } from "../ir.js";
import type { Schedule } from "../batch.js";
import type { Lowered } from "../lowered.js";
import type { KernelSpec } from "../spec.js";

/** Powers the target computes: x^p for these p (negative: 1/x^|p|). */
export const WASM_POWERS: ReadonlySet<number> = new Set([-3, -2, -1, 0.5, 1, 2, 3]);

/** Functions the target computes (vectorized; see exp.ts for the error bound). */
export const WASM_FUNCTIONS: ReadonlySet<string> = new Set(["exp", "log", "sigmoid", "tanh"]);

/** Why the element expression is outside the target, or undefined. */
function elGap(e: El): string | undefined {
  switch (e.k) {
    case "num":
    case "scal":
    case "size":
    case "read":
    case "flat":
    case "delta":
      return undefined;
    case "add":
      return firstGap(e.terms);
    case "mul":
      return firstGap(e.factors);
    case "pow":
      if (e.exponent.k !== "num") return "a power with a computed exponent";
      if (!WASM_POWERS.has(e.exponent.value)) return `the power ^${e.exponent.value}`;
      return elGap(e.base);
    case "fn":
      return WASM_FUNCTIONS.has(e.fn) ? elGap(e.arg) : `the function ${e.fn}`;
  }
}

const firstGap = (es: readonly El[]): string | undefined => {
  for (const e of es) {
    const gap = elGap(e);
    if (gap) return gap;
  }
  return undefined;
};

function stepGap(s: Step): string | undefined {
  switch (s.k) {
    case "scalar":
      return elGap(s.value);
    case "reduce":
      return elGap(s.body);
    case "map":
      return elGap(s.body) ?? (s.diag ? elGap(s.diag) : undefined);
    case "gemv":
      return elGap(s.vec);
    case "gemm":
      return undefined;
    case "literal":
      return "a matrix literal";
    case "norm2":
      return "a norm (the scaled sum of squares of the JS target)";
    case "lu":
    case "luDet":
    case "solve":
      return "det, logdet, inv or a solve (the LU factorization of the JS target)";
    case "linemax":
      return "a row-wise (or column-wise) softmax or log-sum-exp (the maximum of each row of the JS target)";
    case "softmax":
      return elGap(s.u);
    case "nest":
      return "a loop nest over index notation (a derivative without a matrix form)";
  }
}

/** Throws a positioned JacobiError when the kernel is outside the WebAssembly target. */
export function acceptWasm(spec: KernelSpec, lowered: Lowered, schedule: Schedule | undefined): void {
  const refuse = (what: string): never => {
    throw new JacobiError(
      "unsupported",
      `kernel ${spec.name}: the wasm target does not compute ${what} yet; generate this kernel for the js target (the default)`,
      spec.span,
      spec.source,
    );
  };
  if (schedule && (schedule.stackedScalars.size > 0 || schedule.constantScalars.size > 0)) refuse("a batch's per-sample or constant scalar outputs");
  const steps = schedule ? [...schedule.pre, ...schedule.segments.flatMap((g) => (g.k === "whole" ? [g.step] : g.steps)), ...schedule.post] : lowered.steps;
  for (const s of steps) {
    const gap = stepGap(s);
    if (gap) refuse(gap);
  }
  for (const o of lowered.outputs) {
    const gap = o.value ? elGap(o.value) : undefined;
    if (gap) refuse(gap);
  }
  for (const g of schedule?.segments ?? []) for (const o of g.k === "loop" ? g.scalarOutputs : []) {
    const gap = elGap(o.value);
    if (gap) refuse(gap);
  }
}
