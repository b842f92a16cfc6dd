/**
 * Dense linear algebra for det, logdet, inv and solves: an LU factorization with partial
 * pivoting, P A = L U (Golub & Van Loan, Algorithm 3.4.1), then
 *   det(A)    = sign(P) Π u_ii
 *   logdet(A) = Σ log|u_ii| when det(A) > 0; NaN when det(A) < 0 (the real log of a
 *               negative number); -Infinity when A is singular. det is never formed, so
 *               it cannot overflow or underflow.
 *   inv(A) B  = the solution X of A X = B (forward and back substitution), never an
 *               explicit inverse times B.
 * A singular matrix (a zero pivot) makes det 0 and logdet -Infinity, and a solve or an
 * inverse a value error naming the function.
 */
import { JacobiError } from "../core/errors.js";
import type { Value } from "./value.js";

/** An LU factorization: L (unit lower) and U packed row-major in `lu`, the row order `perm`. */
export interface Lu {
  readonly n: number;
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  /** +1 or -1: the sign of the row permutation. */
  readonly sign: number;
  /** Is a pivot exactly 0? */
  readonly singular: boolean;
}

/** P A = L U with partial pivoting (the largest |entry| of each column as its pivot). */
export function luFactor(a: Value): Lu {
  if (a.rows !== a.cols) throw new JacobiError("shape", `LU needs a square matrix, not ${a.rows}×${a.cols}`);
  const n = a.rows;
  const lu = Float64Array.from(a.data);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]!) > Math.abs(lu[p * n + k]!)) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[p * n + j]] = [lu[p * n + j]!, lu[k * n + j]!];
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
      sign = -sign;
    }
    const pivot = lu[k * n + k]!;
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const l = (lu[i * n + k]! /= pivot);
      if (l !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j]! -= l * lu[k * n + j]!;
    }
  }
  return { n, lu, perm, sign, singular };
}

/** det(A) = sign(P) Π u_ii. */
export function detOf(f: Lu): number {
  let d = f.sign;
  for (let i = 0; i < f.n; i++) d *= f.lu[i * f.n + i]!;
  return d + 0; // a singular matrix's det is 0, not -0
}

/** log(det(A)) from Σ log|u_ii| and the sign: NaN for a negative determinant, -Infinity for a singular A. */
export function logdetOf(f: Lu): number {
  let s = 0;
  let sign = f.sign;
  for (let i = 0; i < f.n; i++) {
    const u = f.lu[i * f.n + i]!;
    if (u < 0) sign = -sign;
    s += Math.log(Math.abs(u));
  }
  return f.singular ? -Infinity : sign < 0 ? NaN : s;
}

/** X = inv(A) B: A X = B by forward and back substitution (B has n rows); `what` names the inverse in the error. */
export function solveLu(f: Lu, b: Value, what: string): Value {
  const n = f.n;
  if (b.rows !== n) throw new JacobiError("shape", `${what}: a solve with ${n}×${n} and ${b.rows}×${b.cols} does not fit`);
  if (f.singular) throw new JacobiError("value", `${what}: the matrix is singular (LU with partial pivoting finds a zero pivot), so it has no inverse`);
  const m = b.cols;
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) x[i * m + j] = b.data[f.perm[i]! * m + j]!;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < i; k++) {
      const l = f.lu[i * n + k]!;
      if (l !== 0) for (let j = 0; j < m; j++) x[i * m + j]! -= l * x[k * m + j]!;
    }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const u = f.lu[i * n + k]!;
      if (u !== 0) for (let j = 0; j < m; j++) x[i * m + j]! -= u * x[k * m + j]!;
    }
    const d = f.lu[i * n + i]!;
    for (let j = 0; j < m; j++) x[i * m + j]! /= d;
  }
  return { rows: n, cols: m, data: x };
}

/** The identity's columns solved for: inv(A) itself, where an explicit inverse is the value asked for. */
export function inverseOf(f: Lu, what: string): Value {
  const eye = new Float64Array(f.n * f.n);
  for (let i = 0; i < f.n; i++) eye[i * f.n + i] = 1;
  return solveLu(f, { rows: f.n, cols: f.n, data: eye }, what);
}
