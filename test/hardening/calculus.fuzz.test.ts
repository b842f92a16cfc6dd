/**
 * Fuzzing evaluation and the derivative commands in-process: random programs that read
 * (well-shaped expressions over declared names, sometimes through a definition, and the
 * grammar-aware generator's programs that happen to read), evaluated at random values
 * and differentiated by every kind, by random names, with and without the element-wise
 * view, and the results evaluated. Nothing may throw anything but a JacobiError: a
 * refusal is fine, a crash is not. Seeded; a failure prints the seed and the shrunk
 * counterexample.
 */
import fc from "fast-check";
import { afterAll, describe, it } from "vitest";
import type { DerivativeKind, DerivativeSpec } from "../../src/calculus/derive.js";
import { computeDerivative } from "../../src/cli/commands/calculus.js";
import { subjectOf } from "../../src/core/program.js";
import { bindProgram } from "../../src/eval/bind.js";
import { evaluateProgram } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { simplify } from "../../src/simplify/simplify.js";
import { toLatex } from "../../src/print/latex.js";
import { toText } from "../../src/print/text.js";
import { expectJacobi, fuzzSettings } from "./harness.js";
import { programText, wellShapedProgram } from "./programs.js";
import { calculusCase } from "./specs.js";
import { bindingsFor } from "./values.js";

/** Runs of each property. */
export const CALCULUS_RUNS = { evaluate: 2000, evaluateSpoiled: 2000, derive: 2000, elementwise: 1000, grammar: 2000 } as const;

const show = (text: string, extra = ""): string => `program:\n${text}\n${extra}`;

const KINDS: readonly DerivativeKind[] = ["diff", "grad", "jacobian", "hessian", "jvp", "vjp"];
const ANY_NAME = ["a", "x", "W", "s", "n", "zz", "__proto__"];
/** Any derivative request at all, for programs from the grammar-aware generator. */
const anySpec: fc.Arbitrary<DerivativeSpec> = fc
  .tuple(fc.constantFrom(...KINDS), fc.constantFrom(...ANY_NAME), fc.constantFrom(...ANY_NAME))
  .map(([kind, wrt, other]) => (kind === "jvp" ? { kind, wrt, tangent: other } : kind === "vjp" ? { kind, wrt, cotangent: other } : { kind, wrt }));

/** Reads, differentiates, prints and evaluates at random values; only JacobiErrors may escape. */
function deriveAndEvaluate(text: string, spec: DerivativeSpec, elementwise: boolean, bindingsSeed: number): void {
  const read = expectJacobi(show(text), () => parseProgram(text));
  if (read.ok !== true) return;
  const program = read.value;
  const context = show(text, `spec: ${JSON.stringify(spec)}${elementwise ? " --elementwise" : ""}`);
  const result = expectJacobi(context, () => computeDerivative(program, spec, elementwise));
  if (result.ok !== true) return;
  derived.ok++;
  expectJacobi(context, () => toText(result.value.display));
  expectJacobi(context, () => toLatex(result.value.display));
  const [bindings] = fc.sample(bindingsFor(program), { seed: bindingsSeed, numRuns: 1 });
  const env = expectJacobi(context, () => bindProgram(program, bindings!));
  if (env.ok === true && expectJacobi(context, () => result.value.valueAt(env.value)).ok === true) derived.evaluated++;
}

/** How many derivatives were taken and evaluated (printed after the run, for the report). */
const derived = { ok: 0, evaluated: 0 };

describe("evaluation throws nothing but JacobiErrors", () => {
  it(`well-shaped programs at random values, some not finite (${CALCULUS_RUNS.evaluate} runs, seeded)`, () => {
    fc.assert(
      fc.property(
        wellShapedProgram().chain((text) => {
          const program = parseProgram(text);
          return fc.tuple(fc.constant(text), fc.constant(program), bindingsFor(program, { finite: false }));
        }),
        ([text, program, bindings]) => {
          expectJacobi(show(text), () => evaluateProgram(program, bindings));
        },
      ),
      fuzzSettings(8001, CALCULUS_RUNS.evaluate),
    );
  });

  it(`well-shaped programs at damaged bindings: missing, misshapen, unknown, sizes (${CALCULUS_RUNS.evaluateSpoiled} runs, seeded)`, () => {
    fc.assert(
      fc.property(
        wellShapedProgram().chain((text) => {
          const program = parseProgram(text);
          return fc.tuple(fc.constant(text), fc.constant(program), bindingsFor(program, { spoil: true }));
        }),
        ([text, program, bindings]) => {
          expectJacobi(show(text, `bindings: ${[...bindings.keys()].join(", ")}`), () => evaluateProgram(program, bindings));
        },
      ),
      fuzzSettings(8002, CALCULUS_RUNS.evaluateSpoiled),
    );
  });

  it(`grammar-aware programs that read, evaluated and simplified (${CALCULUS_RUNS.grammar} runs, seeded)`, () => {
    fc.assert(
      fc.property(programText({ maxDepth: 3 }), fc.integer(), (text, seed) => {
        const read = expectJacobi(show(text), () => parseProgram(text));
        if (read.ok !== true || !read.value.subject) return;
        const program = read.value;
        expectJacobi(show(text), () => simplify(subjectOf(program)));
        const [bindings] = fc.sample(bindingsFor(program), { seed, numRuns: 1 });
        expectJacobi(show(text), () => evaluateProgram(program, bindings!));
      }),
      fuzzSettings(8003, CALCULUS_RUNS.grammar),
    );
  });
});

describe("derivatives throw nothing but JacobiErrors", () => {
  it(`diff, grad, jacobian, hessian, jvp, vjp of well-shaped programs, evaluated (${CALCULUS_RUNS.derive} runs, seeded)`, () => {
    fc.assert(
      fc.property(calculusCase(), fc.integer(), (c, seed) => deriveAndEvaluate(c.text, c.spec, false, seed)),
      fuzzSettings(8004, CALCULUS_RUNS.derive),
    );
  });

  it(`the same with --elementwise at concrete sizes (${CALCULUS_RUNS.elementwise} runs, seeded)`, () => {
    fc.assert(
      fc.property(calculusCase({ maxDepth: 2, concrete: true }), fc.integer(), (c, seed) => deriveAndEvaluate(c.text, c.spec, true, seed)),
      fuzzSettings(8005, CALCULUS_RUNS.elementwise),
    );
  });

  it(`grammar-aware programs that read, by every kind, with and without --elementwise (${CALCULUS_RUNS.grammar} runs, seeded)`, () => {
    fc.assert(
      fc.property(programText({ maxDepth: 3 }), anySpec, fc.boolean(), fc.integer(), (text, spec, elementwise, seed) => deriveAndEvaluate(text, spec, elementwise, seed)),
      fuzzSettings(8006, CALCULUS_RUNS.grammar),
    );
  });

  afterAll(() => {
    console.log(`calculus fuzz: ${derived.ok} derivatives taken, ${derived.evaluated} evaluated`);
  });
});
