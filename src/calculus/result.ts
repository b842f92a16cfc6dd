/** What derive() is asked for and what it returns (a module of its own, so the sweeps' chooser and derive() share it). */
import type { DerivativeKind } from "../core/derivative-kinds.js";
import type { Expr, Index } from "../core/expr.js";
import type { Shape, Size } from "../core/shape.js";
import type { Step } from "../core/trace.js";
import type { Binding } from "../reverse/backprop.js";

export interface DerivativeSpec {
  readonly kind: DerivativeKind;
  /** The name to differentiate by (a declared value or an undeclared scalar). */
  readonly wrt: string;
  /** jvp: the tangent's name (shaped like `wrt`). */
  readonly tangent?: string;
  /** vjp: the cotangent's name (shaped like the value). */
  readonly cotangent?: string;
}

/** Which free index is which: the differentiated value's, the variable's and (Hessian) the second variable's. */
export interface IndexRoles {
  readonly value: readonly Index[];
  readonly variable: readonly Index[];
  readonly second: readonly Index[];
}

/** What derive() did, step by step: the record a derivation page selects from and formats. */
export interface DerivativeRecord {
  /** The value in index form, as differentiated. */
  readonly lowered: Expr;
  /** Every step, in order: the lowering, each differentiation rule, the JVP/VJP product, each rewrite of each rule set. */
  readonly steps: readonly Step[];
  /** vjp: the scalar Σ_i g[i] f[i] whose gradient the VJP is. */
  readonly pairing?: Expr;
}

export interface DerivativeResult {
  readonly spec: DerivativeSpec;
  /**
   * The result's shape; for a result with more than two indices (`dims`), the outer shape
   * (the value's for a Jacobian, the variable's for a Hessian: an array of blocks shaped like the variable).
   */
  readonly shape: Shape;
  /**
   * Present when the result has more than two indices (a Jacobian of a matrix by a matrix,
   * of a vector by a matrix, a Hessian by a matrix): the size of each of `indices`, in
   * order. The layout is row-major and nested, the value's indices first, then the
   * variable's: J[i][j][a][b] = ∂F[i,j]/∂X[a,b] (H[a][b][c][d] = ∂²f/∂X[a,b]∂X[c,d]).
   */
  readonly dims?: readonly Size[];
  /** The index-form result after contraction and recognition, with its free indices. */
  readonly index: Expr;
  readonly indices: readonly Index[];
  /** Sizes of the free indices. */
  readonly sizes: ReadonlyMap<Index, Size>;
  readonly roles: IndexRoles;
  /** The result in matrix notation, or undefined when it has none (see `index`). */
  readonly matrix: Expr | undefined;
  /** With `{ record: true }`: the steps taken. */
  readonly record?: DerivativeRecord;
  /** [reverse] When the backward sweep made `matrix`: the same with its shared cotangents named. */
  readonly backprop?: { readonly named: Expr; readonly where: readonly Binding[] };
}
