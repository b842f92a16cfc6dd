/**
 * det, logdet and inv: the Matrix Cookbook's identities for them (Petersen & Pedersen,
 * 2012, §2.1.2–2.2), each checked twice, as test/calculus/cookbook.test.ts does:
 *   symbolically — the derivative's matrix form is one of the accepted forms, parsed from
 *   text with the same declarations (interned nodes: node identity);
 *   numerically — at random sizes 1–6 (three trials each) the matrix form AND the index
 *   form evaluate to what central finite differences give. Square matrices are drawn
 *   well conditioned (n*I plus entries in [-1, 1]: strictly diagonally dominant, so
 *   invertible with a positive determinant), everything else in [-1, 1].
 * Then compositions (log(det(inv(X))), matrixcalculus.org's example, det(A*X), functions
 * of an inverse) and derivatives by the other names in an argument, the same way.
 */
import { describe, expect, it } from "vitest";
import { derive, type DerivativeSpec } from "../../src/calculus/derive.js";
import { subjectOf, type Program } from "../../src/core/program.js";
import { evaluate } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { describeFailure, envOf, expectedByFd, indexFormValue, judgeValue } from "../support/derivatives.js";
import { randomBindings, randomSizes, rngFrom, uniform, type Rng } from "../support/random.js";

const DECLS = "X: matrix(n,n); A: matrix(n,n); V: matrix(n,n); G: matrix(n,n); W: matrix(m,n); a: vector(n); b: vector(n); c: scalar";
const SQUARE = ["X", "A"];

interface Row {
  readonly law: string;
  readonly body: string;
  readonly spec: DerivativeSpec;
  /** Accepted matrix forms. */
  readonly forms: readonly string[];
}

const grad = (wrt: string): DerivativeSpec => ({ kind: "grad", wrt });

/** The Cookbook's identities (equation numbers of the 2012 edition). */
export const MATRIX_FUNCTION_IDENTITIES: readonly Row[] = [
  { law: "(49) ∂det(X)/∂X = det(X) X⁻ᵀ", body: "det(X)", spec: grad("X"), forms: ["det(X)*inv(X)'"] },
  { law: "(57) ∂log|det(X)|/∂X = X⁻ᵀ (logdet)", body: "logdet(X)", spec: grad("X"), forms: ["inv(X)'"] },
  { law: "(57) ∂log(det(X))/∂X = X⁻ᵀ", body: "log(det(X))", spec: grad("X"), forms: ["inv(X)'"] },
  { law: "(51) ∂det(AXB)/∂X = det(AXB) Aᵀ(AXB)⁻ᵀBᵀ", body: "det(A*X*A)", spec: grad("X"), forms: ["det(A*X*A)*A'*inv(A*X*A)'*A'"] },
  { law: "(53) ∂det(X)^k/∂X = k det(X)^k X⁻ᵀ", body: "det(X)^3", spec: grad("X"), forms: ["3*det(X)^3*inv(X)'"] },
  { law: "(59) d(X⁻¹) = -X⁻¹ dX X⁻¹ (jvp)", body: "inv(X)", spec: { kind: "jvp", wrt: "X", tangent: "V" }, forms: ["-(inv(X)*V*inv(X))"] },
  { law: "(59) X̄ = -X⁻ᵀ Ḡ X⁻ᵀ (vjp)", body: "inv(X)", spec: { kind: "vjp", wrt: "X", cotangent: "G" }, forms: ["-(inv(X)'*G*inv(X)')"] },
  { law: "(46) d det(X) = det(X) tr(X⁻¹ dX) (jvp)", body: "det(X)", spec: { kind: "jvp", wrt: "X", tangent: "V" }, forms: ["det(X)*tr(inv(X)*V)"] },
  { law: "(61) ∂aᵀX⁻¹b/∂X = -X⁻ᵀabᵀX⁻ᵀ", body: "a'*inv(X)*b", spec: grad("X"), forms: ["-(inv(X)'*a)*(inv(X)*b)'"] },
  { law: "(63) ∂tr(AX⁻¹B)/∂X = -X⁻ᵀAᵀBᵀX⁻ᵀ", body: "tr(A*inv(X)*A)", spec: grad("X"), forms: ["-(inv(X)'*A'*A'*inv(X)')"] },
  { law: "∂tr(X⁻¹)/∂X = -X⁻ᵀX⁻ᵀ", body: "tr(inv(X))", spec: grad("X"), forms: ["-(inv(X)'*inv(X)')"] },
  { law: "∂log det(X⁻¹)/∂X = -X⁻ᵀ (matrixcalculus.org)", body: "log(det(inv(X)))", spec: grad("X"), forms: ["-inv(X)'"] },
  { law: "∂aᵀX⁻¹b/∂a = X⁻¹b", body: "a'*inv(X)*b", spec: grad("a"), forms: ["inv(X)*b"] },
  { law: "∂aᵀX⁻¹b/∂b = X⁻ᵀa", body: "a'*inv(X)*b", spec: grad("b"), forms: ["inv(X)'*a"] },
  { law: "∂(X⁻¹a)/∂a = X⁻¹", body: "inv(X)*a", spec: { kind: "jacobian", wrt: "a" }, forms: ["inv(X)"] },
  { law: "∂²aᵀX⁻¹a/∂a² = X⁻¹ + X⁻ᵀ", body: "a'*inv(X)*a", spec: { kind: "hessian", wrt: "a" }, forms: ["inv(X) + inv(X)'"] },
  { law: "∂log det(XᵀX)/∂X = X((XᵀX)⁻¹ + (XᵀX)⁻ᵀ)", body: "logdet(X'*X)", spec: grad("X"), forms: ["X*(inv(X'*X) + inv(X'*X)')"] },
  { law: "∂exp(logdet(X))/∂X = det(X) X⁻ᵀ", body: "exp(logdet(X))", spec: grad("X"), forms: ["det(X)*inv(X)'"] },
];

/** Compositions: checked numerically (matrix and index forms), their forms printed for the reader. */
const COMPOSITIONS: readonly { readonly body: string; readonly spec: DerivativeSpec }[] = [
  { body: "sum(log(inv(X)*a + 3))", spec: grad("X") },
  { body: "c*det(X) + logdet(A*X)", spec: grad("X") },
  { body: "logdet(A*X)", spec: grad("A") },
  { body: "sum(exp(inv(X)*a))", spec: grad("a") },
  { body: "sigmoid(a'*inv(X + A)*b)", spec: grad("X") },
  { body: "tr(inv(X)*A)*det(A)", spec: grad("A") },
  { body: "inv(X)*a", spec: { kind: "jacobian", wrt: "b" } },
  { body: "inv(X)*(a .* b)", spec: { kind: "jacobian", wrt: "a" } },
  { body: "inv(X)*inv(A)", spec: { kind: "vjp", wrt: "A", cotangent: "G" } },
  { body: "det(X)*inv(X)", spec: { kind: "jvp", wrt: "X", tangent: "V" } },
  { body: "q = inv(X)*a; q'*q", spec: grad("X") },
  { body: "d = det(X); log(d^2)", spec: grad("X") },
  { body: "sum(W*inv(X)*a)", spec: grad("W") },
  { body: "c*logdet(c*X)", spec: grad("c") },
];

/** n*I + U(-1, 1): strictly diagonally dominant with a positive diagonal, so det > 0. */
function wellConditioned(rng: Rng, n: number): Value {
  const data = new Float64Array(n * n);
  for (let k = 0; k < data.length; k++) data[k] = uniform(rng, -1, 1);
  for (let i = 0; i < n; i++) data[i * n + i]! += n + 1;
  return { rows: n, cols: n, data };
}

function bindingsFor(program: Program, rng: Rng) {
  const sizes = randomSizes(program, rng);
  const n = sizes.get("n")!;
  const fixed = new Map(SQUARE.map((name) => [name, wellConditioned(rng, n)] as const));
  fixed.set("c", { rows: 1, cols: 1, data: Float64Array.of(uniform(rng, 0.5, 2)) });
  return randomBindings(program, sizes, rng, { fixed });
}

function checkNumerically(program: Program, spec: DerivativeSpec, seed: number, what: string): void {
  const r = derive(program, subjectOf(program), spec);
  for (let trial = 0; trial < 3; trial++) {
    const bindings = bindingsFor(program, rngFrom(seed * 10 + trial));
    const env = envOf(program, bindings);
    const expected = expectedByFd(program, spec, bindings);
    if (r.matrix) {
      const got = evaluate(r.matrix, env);
      expect(judgeValue(got, expected, true).kind, describeFailure(`${what} (matrix form)`, r, got, expected, bindings)).toBe("ok");
    }
    const index = indexFormValue(r.index, r.indices, r.sizes, env, r.shape);
    expect(judgeValue(index, expected, true).kind, describeFailure(`${what} (index form)`, r, index, expected, bindings)).toBe("ok");
  }
}

describe("det, logdet, inv: the Cookbook's identities", () => {
  MATRIX_FUNCTION_IDENTITIES.forEach((row, k) => {
    describe(`${row.law}: ${row.spec.kind} of ${row.body} by ${row.spec.wrt}`, () => {
      const text = `${DECLS}\n${row.body}`;
      const program = parseProgram(text);
      it(`matrix form is ${row.forms.join(" or ")}`, () => {
        const r = derive(program, subjectOf(program), row.spec);
        expect(r.matrix, "no matrix form").toBeDefined();
        const accepted = row.forms.map((form) => parseProgram(`${text}\n${form}`).subject!);
        expect(accepted.includes(r.matrix!), `got ${toText(r.matrix!)}`).toBe(true);
      });
      it("agrees with central differences at random sizes (matrix and index forms)", () => checkNumerically(program, row.spec, 100 + k, row.law));
    });
  });
});

describe("det, logdet, inv: compositions and other variables", () => {
  COMPOSITIONS.forEach((row, k) => {
    it(`${row.spec.kind} of ${row.body} by ${row.spec.wrt} agrees with central differences`, () => {
      const program = parseProgram(`${DECLS}\n${row.body}`);
      expect(derive(program, subjectOf(program), row.spec).matrix, "no matrix form").toBeDefined();
      checkNumerically(program, row.spec, 500 + k, row.body);
    });
  });
});
