/** The hand-written matrix products of the blocked network step: 2×4 register blocks, as jacobi's kernels use. */

/** C (m×n) = A (m×k) * B' (B: n×k), both row-major: 2×4 register blocks of dot products. */
export function gemmNT(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const a0 = i * k, a1 = a0 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p]!, x1 = A[a1 + p]!;
        const y0 = B[b0 + p]!, y1 = B[b1 + p]!, y2 = B[b2 + p]!, y3 = B[b3 + p]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      const c0 = i * n + j, c1 = c0 + n;
      C[c0] = s00;
      C[c0 + 1] = s01;
      C[c0 + 2] = s02;
      C[c0 + 3] = s03;
      C[c1] = s10;
      C[c1 + 1] = s11;
      C[c1 + 2] = s12;
      C[c1 + 3] = s13;
    }
    for (; i < m; i++) {
      const a0 = i * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p]!;
        s0 += x0 * B[b0 + p]!;
        s1 += x0 * B[b1 + p]!;
        s2 += x0 * B[b2 + p]!;
        s3 += x0 * B[b3 + p]!;
      }
      const c0 = i * n + j;
      C[c0] = s0;
      C[c0 + 1] = s1;
      C[c0 + 2] = s2;
      C[c0 + 3] = s3;
    }
  }
  for (; j < n; j++) {
    const b0 = j * k;
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const a0 = i * k, a1 = a0 + k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const y = B[b0 + p]!;
        s0 += A[a0 + p]! * y;
        s1 += A[a1 + p]! * y;
      }
      C[i * n + j] = s0;
      C[(i + 1) * n + j] = s1;
    }
    for (; i < m; i++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p]! * B[b0 + p]!;
      C[i * n + j] = s;
    }
  }
}

/**
 * C (m×n) += op(A) B with B: k×n row-major and op(A)[i][p] = A[i*rs + p*ps] (rs = k, ps = 1
 * for A m×k; rs = 1, ps = m for A' with A k×m): two rows of C and four k's per pass (2×4).
 */
function gemmAdd(A: Float64Array, rs: number, ps: number, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const c0 = i * n, c1 = c0 + n;
    const a0 = i * rs, a1 = a0 + rs;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const q0 = p * n, q1 = q0 + n, q2 = q1 + n, q3 = q2 + n;
      const x00 = A[a0 + p * ps]!, x01 = A[a0 + (p + 1) * ps]!, x02 = A[a0 + (p + 2) * ps]!, x03 = A[a0 + (p + 3) * ps]!;
      const x10 = A[a1 + p * ps]!, x11 = A[a1 + (p + 1) * ps]!, x12 = A[a1 + (p + 2) * ps]!, x13 = A[a1 + (p + 3) * ps]!;
      for (let j = 0; j < n; j++) {
        const y0 = B[q0 + j]!, y1 = B[q1 + j]!, y2 = B[q2 + j]!, y3 = B[q3 + j]!;
        C[c0 + j]! += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
        C[c1 + j]! += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
      }
    }
    for (; p < k; p++) {
      const q0 = p * n;
      const x0 = A[a0 + p * ps]!, x1 = A[a1 + p * ps]!;
      for (let j = 0; j < n; j++) {
        const y = B[q0 + j]!;
        C[c0 + j]! += x0 * y;
        C[c1 + j]! += x1 * y;
      }
    }
  }
  for (; i < m; i++) {
    const c0 = i * n;
    const a0 = i * rs;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const q0 = p * n, q1 = q0 + n, q2 = q1 + n, q3 = q2 + n;
      const x0 = A[a0 + p * ps]!, x1 = A[a0 + (p + 1) * ps]!, x2 = A[a0 + (p + 2) * ps]!, x3 = A[a0 + (p + 3) * ps]!;
      for (let j = 0; j < n; j++) C[c0 + j]! += x0 * B[q0 + j]! + x1 * B[q1 + j]! + x2 * B[q2 + j]! + x3 * B[q3 + j]!;
    }
    for (; p < k; p++) {
      const q0 = p * n;
      const x0 = A[a0 + p * ps]!;
      for (let j = 0; j < n; j++) C[c0 + j]! += x0 * B[q0 + j]!;
    }
  }
}

/** C (m×n) += A' B with A: k×m and B: k×n row-major. */
export const gemmTNAdd = (A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void => gemmAdd(A, 1, m, B, C, m, n, k);

/** C (m×n) = A (m×k) * B (k×n), row-major. */
export function gemmNN(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  C.fill(0, 0, m * n);
  gemmAdd(A, k, 1, B, C, m, n, k);
}

