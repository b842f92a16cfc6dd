/**
 * The loop IR that kernels are lowered to, between the matrix-level expressions and the
 * TypeScript text:
 * - buffers (`Buf`: inputs, outputs, scratch; row-major) and scalars (`Scal`: consts);
 * - element expressions (`El`): what one entry of a loop computes, in terms of the
 *   loop's row and column index (`r`, `c`; `z` is the fixed index 0);
 * - steps: one loop nest each (maps, reductions, matrix products, stable softmax).
 * A kernel is a list of steps in dependency order.
 */
import type { FnName } from "../core/expr.js";
import type { Size } from "../core/shape.js";

/** A loop index an element expression refers to: the row loop, the column loop, or 0. */
export type Ix = "r" | "c" | "z";

export type BufRole = "input" | "output" | "scratch";

export interface Buf {
  readonly id: number;
  readonly rows: Size;
  readonly cols: Size;
  readonly role: BufRole;
  /** A readable name for it: the input's or definition's name, or a temporary's. */
  readonly hint: string;
  /** Inputs and outputs: the key in the inputs or outputs object. */
  readonly key: string | undefined;
  /** Batched kernels: one such value per sample (stored B × rows × cols). */
  batched: boolean;
  /** A buffer over index notation's free indices (loop nests): their sizes, row-major in this order (rows × cols entries in all). */
  readonly dims?: readonly Size[];
}

export interface Scal {
  readonly id: number;
  readonly hint: string;
  /** An input scalar (read from the inputs object), else a computed const. */
  readonly input: boolean;
  batched: boolean;
}

/** A buffer read as it is or transposed: element (r, c) of the view is buf[c, r] when `t`. */
export interface BufView {
  readonly buf: Buf;
  readonly t: boolean;
}

/** Elementwise functions of the generated code: the language's, plus stable compound ones. */
export type ElFn = FnName | "logsigmoid";

interface ElBase {
  readonly id: number;
  /** Which loop indices the value depends on: bit 1 the row index, bit 2 the column index. */
  readonly deps: number;
  /** Nodes in the tree (for cost estimates). */
  readonly weight: number;
  /** Does it call a transcendental function or a general power? */
  readonly costly: boolean;
}

export type El =
  | (ElBase & { readonly k: "num"; readonly value: number })
  | (ElBase & { readonly k: "scal"; readonly s: Scal })
  | (ElBase & { readonly k: "size"; readonly size: string })
  | (ElBase & { readonly k: "read"; readonly buf: Buf; readonly row: Ix; readonly col: Ix })
  /** buf[r] over the flat storage (a whole matrix as one run). */
  | (ElBase & { readonly k: "flat"; readonly buf: Buf })
  | (ElBase & { readonly k: "add"; readonly terms: readonly El[] })
  | (ElBase & { readonly k: "mul"; readonly factors: readonly El[] })
  | (ElBase & { readonly k: "pow"; readonly base: El; readonly exponent: El })
  | (ElBase & { readonly k: "fn"; readonly fn: ElFn; readonly arg: El })
  /** 1 on the diagonal (r = c), else 0. */
  | (ElBase & { readonly k: "delta" });

/** An index in a loop nest's element expression: loop number `loop` (0 the outermost), or a fixed 0-based position. */
export type NIx = { readonly loop: number } | { readonly at: number };

/** What one iteration of a loop nest computes (index notation's scalars; `eq` is δ). */
export type NEl =
  | { readonly k: "num"; readonly value: number }
  | { readonly k: "scal"; readonly s: Scal }
  | { readonly k: "size"; readonly size: string }
  /** buf at the indices: one for a vector, row and column for a matrix, every dimension for a `dims` buffer. */
  | { readonly k: "read"; readonly buf: Buf; readonly at: readonly NIx[] }
  | { readonly k: "add"; readonly terms: readonly NEl[] }
  | { readonly k: "mul"; readonly factors: readonly NEl[] }
  | { readonly k: "pow"; readonly base: NEl; readonly exponent: NEl }
  | { readonly k: "fn"; readonly fn: ElFn; readonly arg: NEl }
  /** 1 where the two indices agree, else 0 (a δ that could not become an index equality). */
  | { readonly k: "eq"; readonly a: NIx; readonly b: NIx };

export type Step =
  /**
   * A loop nest over index notation: one loop per size in `loops` (outermost first), then
   * (with `sum`) a reduction loop innermost; target at `out` (one index per dimension of the
   * target, row-major) = (or += with accumulate) body, summed over the reduction loop.
   * A scalar target has no loops.
   */
  | {
      readonly k: "nest";
      readonly target: Buf | Scal;
      readonly loops: readonly Size[];
      readonly out: readonly NIx[];
      readonly sum: Size | undefined;
      readonly body: NEl;
      readonly accumulate: boolean;
    }
  /** const target = value (no loop). */
  | { readonly k: "scalar"; readonly target: Scal; readonly value: El }
  /** target = Σ over rows × cols of body. */
  | { readonly k: "reduce"; readonly target: Scal; readonly rows: Size; readonly cols: Size; readonly body: El }
  /** target = sqrt(Σ u²) over rows × cols, scaled by m = max |u| (m sqrt(Σ (u/m)²)): finite wherever the norm is. */
  | { readonly k: "norm2"; readonly target: Scal; readonly rows: Size; readonly cols: Size; readonly u: El }
  /**
   * target[r] = max (min) of row r of u (byRows), or target[c] of column c, NaN where the line has one;
   * with `shift`, 0 where that is not finite (the shift of a softmax, which then changes nothing). u over r, c.
   */
  | {
      readonly k: "linemax";
      readonly target: Buf;
      readonly rows: Size;
      readonly cols: Size;
      readonly u: El;
      readonly byRows: boolean;
      readonly op: "max" | "min";
      readonly shift: boolean;
    }
  /** target[r, c] = body (+= with accumulate); then target[r, r] += diag on the diagonal. */
  | { readonly k: "map"; readonly target: Buf; readonly body: El; readonly diag: El | undefined; readonly accumulate: boolean }
  /** target's entries one by one (a matrix literal). */
  | { readonly k: "literal"; readonly target: Buf; readonly items: readonly El[] }
  /** target[r] = Σ_p mat[r, p] * vec[p]; vec is an element expression over `r` standing for p. */
  | { readonly k: "gemv"; readonly target: Buf; readonly mat: BufView; readonly vec: El; readonly accumulate: boolean }
  /** target[r, c] = Σ_p a[r, p] * b[p, c]. */
  | { readonly k: "gemm"; readonly target: Buf; readonly a: BufView; readonly b: BufView; readonly accumulate: boolean }
  /**
   * LU with partial pivoting of a square matrix a (P a = L U, packed into `factors`, the row
   * order in `perm`); `sign` is the permutation's sign, 0 when a pivot is 0 (singular).
   */
  | { readonly k: "lu"; readonly a: BufView; readonly factors: Buf; readonly perm: Buf; readonly sign: Scal }
  /** det = sign Π u_ii, or (log) logdet = Σ log|u_ii| (NaN for det < 0, -Infinity for a singular matrix). */
  | { readonly k: "luDet"; readonly target: Scal; readonly factors: Buf; readonly sign: Scal; readonly log: boolean }
  /** target = inv(A)*b from A's LU factors (b the identity when undefined); every entry NaN when A is singular. */
  | { readonly k: "solve"; readonly target: Buf; readonly factors: Buf; readonly perm: Buf; readonly sign: Scal; readonly b: BufView | undefined }
  /**
   * Max-shifted softmax and log-sum-exp of u (all rows × cols entries, flat; u over `r`):
   * out = exp(u - m) / Σ exp(u - m), lse = m + log Σ exp(u - m), m = max u.
   */
  | {
      readonly k: "softmax";
      readonly rows: Size;
      readonly cols: Size;
      readonly u: El;
      readonly out: Buf | undefined;
      readonly lse: Scal | undefined;
    };

/** The rows × cols a view shows. */
export const viewRows = (v: BufView): Size => (v.t ? v.buf.cols : v.buf.rows);
export const viewCols = (v: BufView): Size => (v.t ? v.buf.rows : v.buf.cols);
