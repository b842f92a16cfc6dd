/**
 * The kinds of derivative, in one list: derive()'s spec, the CLI (`--kind`, one command
 * each), `kernel NAME = KIND(…)` statements and the derivation pages all read it.
 *   diff      ∂f/∂t by a scalar            grad      ∂L/∂W of a scalar
 *   jacobian  ∂s/∂x (vectors, scalars)     hessian   ∂²L/∂x∂x'
 *   jvp       ∂f/∂W·V (a tangent)          vjp       g'·∂f/∂W (a cotangent)
 */
export const DERIVATIVE_KINDS = ["diff", "grad", "jacobian", "hessian", "jvp", "vjp"] as const;

export type DerivativeKind = (typeof DERIVATIVE_KINDS)[number];

/** The kinds a `kernel` statement computes: all but `diff` (so `diff` stays an ordinary name in programs). */
export type KernelDerivativeKind = Exclude<DerivativeKind, "diff">;

export const KERNEL_DERIVATIVE_KINDS: readonly KernelDerivativeKind[] = DERIVATIVE_KINDS.filter((k): k is KernelDerivativeKind => k !== "diff");

export const isKernelDerivativeKind = (name: string): name is KernelDerivativeKind => (KERNEL_DERIVATIVE_KINDS as readonly string[]).includes(name);
