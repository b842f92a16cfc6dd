/**
 * The evaluator's det, logdet, inv and solves (LU with partial pivoting, src/eval/linalg.ts)
 * against SymPy's exact determinants and inverses at small concrete sizes, and at the
 * edges: logdet where det overflows or underflows (it never forms det), a negative
 * determinant (logdet is NaN, as the real log of a negative number), a singular matrix
 * (det 0, logdet -Infinity, inv and solves a value error), pivoting (a zero in the corner),
 * and products with an inverse evaluated as solves (the same numbers as the explicit
 * inverse, and no explicit inverse needed: a'*inv(X)*b of a singular X is an error too).
 */
import { describe, expect, it } from "vitest";
import { JacobiError } from "../../src/core/errors.js";
import { evaluate } from "../../src/index.js";
import { detOf, inverseOf, logdetOf, luFactor, solveLu } from "../../src/eval/linalg.js";
import { hasSympy, runSympy, SKIP_NOTE } from "../support/sympy.js";
import { rngFrom, uniform } from "../support/random.js";

const D = "X: matrix(n,n); a: vector(n); b: vector(n); ";
const value = (rows: number[][]) => ({ rows: rows.length, cols: rows[0]!.length, data: Float64Array.from(rows.flat()) });

function randomMatrix(seed: number, n: number): number[][] {
  const rng = rngFrom(seed);
  return Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(uniform(rng, -5, 5))));
}

describe("LU evaluation of det, logdet, inv", () => {
  it.skipIf(!hasSympy)(`det and inv equal SymPy's exact ones at sizes 1–5${SKIP_NOTE}`, () => {
    const cases = [1, 2, 3, 4, 5, 3, 4].map((n, k) => randomMatrix(40 + k, n));
    const exact = runSympy<{ det: number; inv: number[][] | null }[]>(
      `M = json.load(sys.stdin)
out = []
for rows in M:
    m = sp.Matrix(rows)
    d = m.det()
    out.append({"det": float(d), "inv": None if d == 0 else [[float(x) for x in m.inv().row(i)] for i in range(m.rows)]})
print(json.dumps(out))`,
      cases,
    );
    cases.forEach((rows, k) => {
      const n = rows.length;
      const at = { X: rows, a: rows.map(() => 1), b: rows.map(() => 0) };
      const det = evaluate(`${D}det(X) + 0*sum(a + b)`, at) as number;
      expect(Math.abs(det - exact[k]!.det)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(exact[k]!.det)));
      if (exact[k]!.inv === null) return;
      const inv = evaluate(`${D}inv(X) + 0*sum(a + b)`, at);
      const got = n === 1 ? [[inv as number]] : (inv as number[][]);
      exact[k]!.inv!.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(got[i]![j]! - x)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)))));
      const logdet = evaluate(`${D}logdet(X) + 0*sum(a + b)`, at) as number;
      if (exact[k]!.det > 0) expect(logdet).toBeCloseTo(Math.log(exact[k]!.det), 10);
      else expect(logdet).toBeNaN();
    });
  });

  it("logdet never forms det: finite where det overflows (1e200·I) or underflows (1e-200·I)", () => {
    for (const s of [1e200, 1e-200]) {
      const rows = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? s : 0)));
      const at = { X: rows, a: [0, 0, 0], b: [0, 0, 0] };
      expect(evaluate(`${D}det(X) + 0*sum(a + b)`, at)).toBe(s > 1 ? Infinity : 0);
      expect(evaluate(`${D}logdet(X) + 0*sum(a + b)`, at) as number).toBeCloseTo(3 * Math.log(s), 9);
    }
  });

  it("a negative determinant: det < 0, logdet NaN (log of a negative number), and log(abs(det(X))) is the log-magnitude", () => {
    const at = { X: [[0, 1], [1, 0]], a: [0, 0], b: [0, 0] };
    expect(evaluate(`${D}det(X) + 0*sum(a + b)`, at)).toBe(-1);
    expect(evaluate(`${D}logdet(X) + 0*sum(a + b)`, at)).toBeNaN();
    expect(evaluate(`${D}log(abs(det(X))) + 0*sum(a + b)`, at)).toBe(0);
  });

  it("partial pivoting: a zero in the corner is no zero pivot", () => {
    const f = luFactor(value([[0, 2], [3, 4]]));
    expect(f.singular).toBe(false);
    expect(detOf(f)).toBe(-6);
    expect(Array.from(inverseOf(f, "inv(X)").data)).toEqual([-2 / 3, 1 / 3, 1 / 2, 0]);
    expect(Array.from(solveLu(f, value([[2], [7]]), "inv(X)").data)).toEqual([1, 1]);
  });

  it("a singular matrix: det 0, logdet -Infinity; inv and a solve are value errors naming the inverse", () => {
    const at = { X: [[1, 2], [2, 4]], a: [1, 1], b: [1, 0] };
    expect(evaluate(`${D}det(X) + 0*sum(a + b)`, at)).toBe(0);
    expect(evaluate(`${D}logdet(X) + 0*sum(a + b)`, at)).toBe(-Infinity);
    expect(logdetOf(luFactor(value([[0, 0], [0, 0]])))).toBe(-Infinity);
    for (const body of ["inv(X)", "a'*inv(X)*b", "inv(X)*a", "a'*inv(X)"]) {
      let error: unknown;
      try {
        evaluate(`${D}${body} + 0*sum(a + b)`, at);
      } catch (e) {
        error = e;
      }
      expect(error, body).toBeInstanceOf(JacobiError);
      expect((error as JacobiError).kind).toBe("value");
      expect((error as JacobiError).message).toMatch(/^inv\(X\)('?): the matrix is singular \(LU with partial pivoting finds a zero pivot\), so it has no inverse$/);
    }
  });

  it("products with inverses (solves, from the right or the left) equal products with the explicit inverse", () => {
    const rng = rngFrom(7);
    const n = 4;
    const X = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => uniform(rng, -1, 1) + (i === j ? n : 0)));
    const a = Array.from({ length: n }, () => uniform(rng, -1, 1));
    const b = Array.from({ length: n }, () => uniform(rng, -1, 1));
    const Xi = evaluate(`${D}inv(X) + 0*sum(a + b)`, { X, a, b }) as number[][];
    const mv = (M: number[][], v: number[]) => M.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
    const T = (M: number[][]) => M[0]!.map((_, j) => M.map((row) => row[j]!));
    const close = (got: number[], want: number[]) => want.forEach((w, k) => expect(Math.abs(got[k]! - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w))));
    close([evaluate(`${D}a'*inv(X)*b`, { X, a, b }) as number], [a.reduce((s, x, i) => s + x * mv(Xi, b)[i]!, 0)]);
    close(evaluate(`${D}inv(X)*a + 0*sum(b)`, { X, a, b }) as number[], mv(Xi, a));
    close(evaluate(`${D}inv(X)'*a + 0*sum(b)`, { X, a, b }) as number[], mv(T(Xi), a));
    close((evaluate(`${D}a'*inv(X) + 0*sum(b)`, { X, a, b }) as number[][])[0]!, mv(T(Xi), a));
    close((evaluate(`${D}a'*inv(X)' + 0*sum(b)`, { X, a, b }) as number[][])[0]!, mv(Xi, a));
    close((evaluate(`${D}inv(X)*X + 0*sum(a + b)`, { X, a, b }) as number[][]).flat(), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });
});
