/**
 * Property: on random programs (test/arbitrary.ts, printed and re-parsed at the concrete
 * sizes n = 3, m = 2) and random derivatives, the element-wise view and the matrix view
 * (or its index form) evaluate to the same numbers at random values. Points outside the
 * value's smooth real domain, or where either view is not finite, are skipped; cases are not left out for any known bug.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DerivativeKind, DerivativeSpec } from "../../src/calculus/derive.js";
import { maxRelativeError } from "../../src/check/fd.js";
import { computeDerivative } from "../../src/cli/commands/calculus.js";
import { JacobiError } from "../../src/core/errors.js";
import { namesOf } from "../../src/core/names.js";
import { SCALAR, type Shape } from "../../src/core/shape.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { DECLS as ARBITRARY_DECLS, matrixExpr, NAMES } from "../arbitrary.js";
import { envOf } from "../support/derivatives.js";
import { scanDomain } from "../support/domain.js";
import { Tally } from "../support/fd.js";
import { randomBindings, rngFrom } from "../support/random.js";

describe("element-wise and matrix views agree on random programs", () => {
  const fix = (text: string): string => text.replace(/\bn\b/g, "3").replace(/\bm\b/g, "2");
  const declOf = (rows: unknown, cols: unknown): string => (rows === 1 && cols === 1 ? "scalar" : cols === 1 ? `vector(${rows})` : `matrix(${rows},${cols})`);
  const WRT = new Map([
    ["a", "scalar"],
    ["b", "scalar"],
    ["x", "vector(n)"],
    ["A", "matrix(n,n)"],
    ["W", "matrix(m,n)"],
  ]);
  const KINDS: readonly DerivativeKind[] = ["diff", "grad", "jacobian", "hessian", "jvp", "vjp"];

  /** Kinds that fit a value shape and a variable shape. */
  const kindsFor = (f: Shape, x: Shape): DerivativeKind[] =>
    KINDS.filter(
      (k) =>
        k === "jvp" ||
        k === "vjp" ||
        (k === "grad" ? f === SCALAR : k === "jacobian" ? f.cols === 1 && x.cols === 1 : k === "diff" ? x === SCALAR : f === SCALAR && x.cols === 1),
    );
  const caseArb = matrixExpr({ maxDepth: 3 })
    .chain((f) => {
      const mentioned = [...WRT.keys()].filter((v) => namesOf(f).has(v));
      return fc
        .constantFrom(...(mentioned.length > 0 ? mentioned : [...WRT.keys()]))
        .chain((wrt) =>
          fc
            .tuple(fc.constantFrom(...kindsFor(f.shape, NAMES[wrt as keyof typeof NAMES].shape)), fc.integer({ min: 0, max: 2 ** 31 - 1 }))
            .map(([kind, seed]) => ({ f, wrt, kind, seed })),
        );
    });

  it("every derivative kind (150 cases, seeded)", () => {
    const tally = new Tally();
    fc.assert(
      fc.property(caseArb, ({ f, wrt, kind, seed }) => {
        const text = fix(`${ARBITRARY_DECLS}G: ${declOf(f.shape.rows, f.shape.cols)}\nT: ${WRT.get(wrt)}\n${toText(f)}`);
        const program = parseProgram(text);
        const spec: DerivativeSpec = { kind, wrt, tangent: "T", cotangent: "G" };
        let matrix;
        try {
          matrix = computeDerivative(program, spec, false);
        } catch (e) {
          // A derivative kind that does not fit the shapes is an input error, in both views.
          if (e instanceof JacobiError && e.kind === "shape") {
            expect(() => computeDerivative(program, spec, true)).toThrow(JacobiError);
            return void tally.skip("shapes do not fit");
          }
          throw e;
        }
        const elementwise = computeDerivative(program, spec, true);
        const env = envOf(program, randomBindings(program, new Map(), rngFrom(seed), { lo: -1.5, hi: 1.5 }));
        // Only inside the value's smooth real domain (test/support/domain.ts): elsewhere the
        // views may differ where the value itself is undefined (diag(x) ./ diag(y) is 0/0 off the diagonal).
        if (!scanDomain(program.subject!, env).inside) return void tally.skip("outside the domain");
        const a = elementwise.valueAt(env);
        const b = matrix.valueAt(env);
        if (!a.data.every(Number.isFinite) || !b.data.every(Number.isFinite)) return void tally.skip("not finite");
        tally.compared++;
        expect([b.rows, b.cols], `${kind} of ${toText(f)} by ${wrt}`).toEqual([a.rows, a.cols]);
        const scale = Math.max(1, ...Array.from(a.data, Math.abs));
        expect(
          maxRelativeError(a.data, b.data) / scale,
          `${kind} of ${toText(f)} by ${wrt}: element-wise ${toText(elementwise.display)}\nmatrix ${toText(matrix.display)}`,
        ).toBeLessThan(1e-9);
      }),
      { seed: 8080, numRuns: 150 },
    );
    expect(tally.compared, tally.toString()).toBeGreaterThan(0.3 * tally.total);
  });
});
