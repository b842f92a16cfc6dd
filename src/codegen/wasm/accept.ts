/**
 * Which kernels the WebAssembly target takes: the loop IR of arithmetic (sums,
 * products, integer and square-root powers, the diagonal δ, exp and sigmoid) in maps,
 * reductions, the stable softmax and log-sum-exp, matrix-vector and matrix-matrix
 * products, with array outputs and no batch. The rest
 * is refused with the kernel statement's position, saying what is missing; such a
 * kernel is generated for the JavaScript target.
 */
import { JacobiError } from "../../core/errors.js";
import type { El, Step } from "../ir.js";
import type { Lowered } from "../lower.js";
import type { KernelSpec } from "../spec.js";

/** Powers the target computes: x^p for these p (negative: 1/x^|p|). */
export const WASM_POWERS: ReadonlySet<number> = new Set([-3, -2, -1, 0.5, 1, 2, 3]);

/** Functions the target computes (vectorized; see exp.ts for the error bound). */
export const WASM_FUNCTIONS: ReadonlySet<string> = new Set(["exp", "sigmoid"]);

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
    case "softmax":
      return elGap(s.u);
  }
}

/** Throws a positioned JacobiError when the kernel is outside the WebAssembly target. */
export function acceptWasm(spec: KernelSpec, lowered: Lowered): void {
  const refuse = (what: string): never => {
    throw new JacobiError(
      "unsupported",
      `kernel ${spec.name}: the wasm target does not compute ${what} yet; generate this kernel for the js target (the default)`,
      spec.span,
      spec.source,
    );
  };
  if (spec.batch) refuse("batched kernels");
  const scalar = lowered.outputs.find((o) => !o.buf);
  if (scalar) refuse(`scalar outputs ('${scalar.key}')`);
  for (const s of lowered.steps) {
    const gap = stepGap(s);
    if (gap) refuse(gap);
  }
}
