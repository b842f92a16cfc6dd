/**
 * The element-wise view (SymPy's `Matrix.jacobian`: every entry written out at concrete
 * sizes) against the matrix view and finite differences: for every derivative kind
 * (diff, grad, jacobian, hessian, jvp, vjp) over a set of programs, both views evaluate
 * to the same numbers, and those agree with finite differences (smoothness rule of
 * test/support/fd.ts). SymPy: elementwise.sympy.test.ts; random programs:
 * elementwise.property.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { DerivativeKind, DerivativeSpec } from "../../src/calculus/derive.js";
import { maxRelativeError } from "../../src/check/fd.js";
import { computeDerivative } from "../../src/cli/commands/calculus.js";
import type { Program } from "../../src/core/program.js";
import type { Bindings } from "../../src/eval/evaluate.js";
import { networkProgram } from "../../src/notebook/run.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { envOf, expectedByFd, judgeValue } from "../support/derivatives.js";
import { randomBindings, rngFrom } from "../support/random.js";
import { LAYER, LEAST_SQUARES, LSE, MATRIX_VALUE, PRODUCT, QUADRATIC, SCALED, SOFT_NORM, SOFTMAX } from "./programs.js";

interface Case {
  readonly program: string;
  readonly kind: DerivativeKind;
  readonly wrt: string;
  readonly tangent?: string;
  readonly cotangent?: string;
}

const CASES: readonly Case[] = [
  { program: SOFTMAX, kind: "jacobian", wrt: "x" },
  { program: QUADRATIC, kind: "grad", wrt: "x" },
  { program: QUADRATIC, kind: "hessian", wrt: "x" },
  { program: LSE, kind: "grad", wrt: "x" },
  { program: LSE, kind: "hessian", wrt: "x" },
  { program: LEAST_SQUARES, kind: "grad", wrt: "W" },
  { program: LEAST_SQUARES, kind: "grad", wrt: "x" },
  { program: LEAST_SQUARES, kind: "hessian", wrt: "x" },
  { program: LAYER, kind: "jacobian", wrt: "x" },
  { program: LAYER, kind: "jacobian", wrt: "b" },
  { program: LAYER, kind: "vjp", wrt: "W", cotangent: "g" },
  { program: LAYER, kind: "vjp", wrt: "x", cotangent: "g" },
  { program: LAYER, kind: "jvp", wrt: "W", tangent: "V" },
  { program: LAYER, kind: "jvp", wrt: "x", tangent: "v" },
  { program: SCALED, kind: "diff", wrt: "a" },
  { program: SCALED, kind: "jacobian", wrt: "x" },
  { program: SOFT_NORM, kind: "grad", wrt: "x" },
  { program: SOFT_NORM, kind: "diff", wrt: "c" },
  { program: SOFT_NORM, kind: "hessian", wrt: "x" },
  { program: PRODUCT, kind: "jacobian", wrt: "y" },
  { program: MATRIX_VALUE, kind: "vjp", wrt: "W", cotangent: "G" },
  { program: MATRIX_VALUE, kind: "jvp", wrt: "W", tangent: "T" },
  ...["W1", "b1", "W2", "b2"].map((wrt): Case => ({ program: networkProgram(), kind: "grad", wrt })),
];

const specOf = (c: Case): DerivativeSpec => ({
  kind: c.kind,
  wrt: c.wrt,
  ...(c.tangent ? { tangent: c.tangent } : {}),
  ...(c.cotangent ? { cotangent: c.cotangent } : {}),
});
const nameOf = (c: Case): string =>
  `${c.kind} by ${c.wrt}${c.tangent ? ` along ${c.tangent}` : ""}${c.cotangent ? ` with ${c.cotangent}` : ""} of ${c.program.split(/[;\n]/).pop()!.trim()}`;

function bindingsFor(program: Program, seed: number): Bindings {
  return randomBindings(program, new Map(), rngFrom(seed));
}

describe("element-wise view and matrix view agree, and match finite differences", () => {
  it("covers every derivative kind", () => {
    for (const kind of ["diff", "grad", "jacobian", "hessian", "jvp", "vjp"] as const)
      expect(
        CASES.some((c) => c.kind === kind),
        kind,
      ).toBe(true);
  });

  CASES.forEach((c, k) => {
    it(nameOf(c), () => {
      const program = parseProgram(c.program);
      const spec = specOf(c);
      const elementwise = computeDerivative(program, spec, true);
      const matrix = computeDerivative(program, spec, false);
      for (let trial = 0; trial < 2; trial++) {
        const bindings = bindingsFor(program, 100 * k + trial);
        const env = envOf(program, bindings);
        const a = elementwise.valueAt(env);
        const b = matrix.valueAt(env);
        expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
        expect(maxRelativeError(a.data, b.data), `element-wise ${toText(elementwise.display)}\nmatrix ${toText(matrix.display)}`).toBeLessThan(1e-12);
        const verdict = judgeValue(b, expectedByFd(program, spec, bindings), true);
        expect(verdict.kind, `${toText(matrix.display)}: ${JSON.stringify(verdict)}`).toBe("ok");
      }
    });
  });
});
