/**
 * A kernel lowered to loop steps (what lower.ts produces, and what the batch scheduler
 * and the emitters read): the steps in dependency order, where each output ends up, the
 * buffers and scalars read from the inputs, and the scratch the steps need.
 */
import type { Expr, Index } from "../core/expr.js";
import type { Shape, Size } from "../core/shape.js";
import type { Buf, El, Scal, Step } from "./ir.js";
import type { StableKind } from "./stable.js";

/** A result in index notation (no matrix form): lowered to loop nests (loops.ts). */
export interface IndexOutput {
  readonly expr: Expr;
  /** The free indices, in the output's row-major order. */
  readonly indices: readonly Index[];
  readonly sizes: ReadonlyMap<Index, Size>;
  /** The result's shape (rows × cols; the product of the indices' sizes in all). */
  readonly shape: Shape;
}

export interface OutputRequest {
  readonly key: string;
  readonly expr: Expr;
  readonly index?: IndexOutput | undefined;
}

export interface LoweredOutput {
  readonly key: string;
  readonly shape: Shape;
  /** The buffer an array output is written to. */
  readonly buf: Buf | undefined;
  /** A scalar output's value. */
  readonly value: El | undefined;
}

export interface Lowered {
  readonly steps: readonly Step[];
  readonly outputs: readonly LoweredOutput[];
  readonly inputBufs: ReadonlyMap<string, Buf>;
  readonly inputScals: ReadonlyMap<string, Scal>;
  readonly scratch: readonly Buf[];
  /** The stable forms the kernel uses (for its documentation). */
  readonly stableForms: ReadonlySet<StableKind>;
}

export interface LowerOptions {
  /**
   * May an output buffer hold a value that other outputs read? Off for f32 outputs,
   * so that shared intermediates stay in f64 scratch.
   */
  readonly outputsHoldShared: boolean;
  /**
   * Outputs are Float32Array: a product that adds into its output (M'*v, A*B) adds
   * into f64 scratch instead, and the output is written once.
   */
  readonly narrowOutputs: boolean;
}
