/**
 * Identities of The Matrix Cookbook (Petersen & Pedersen), each checked twice:
 *   symbolically — `derive(...).matrix` is the expected matrix form, parsed from text
 *   with the same declarations (nodes are interned, so this is node identity); where
 *   several forms are equally good, the row lists each accepted form;
 *   numerically — at random sizes (every size name bound to 1–6) and random values (the
 *   arguments of det, logdet and inv drawn well conditioned: n*I plus entries in [-1, 1]),
 *   the matrix form evaluates to what finite differences give (the smoothness rule of
 *   test/support/fd.ts; every point here is smooth, so nothing may be skipped).
 */
import { describe, expect, it } from "vitest";
import { derive } from "../../src/calculus/derive.js";
import { subjectOf } from "../../src/core/program.js";
import { evaluate } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { describeFailure, envOf, expectedByFd, judgeValue } from "../support/derivatives.js";
import { randomBindings, randomSizes, rngFrom } from "../support/random.js";
import { DECLS, IDENTITIES, label, specOf } from "./identities.js";

/** n*I + U(-1, 1): strictly diagonally dominant with a positive diagonal (invertible, det > 0). */
function wellConditioned(rng: () => number, n: number): Value {
  const data = Float64Array.from({ length: n * n }, () => 2 * rng() - 1);
  for (let i = 0; i < n; i++) data[i * n + i]! += n + 1;
  return { rows: n, cols: n, data };
}

describe("The Matrix Cookbook", () => {
  it("has at least 20 identities", () => expect(IDENTITIES.length).toBeGreaterThanOrEqual(20));

  for (const identity of IDENTITIES) {
    describe(`${identity.law}: ${label(identity)}`, () => {
      const text = `${DECLS}\n${identity.body}`;
      const program = parseProgram(text);

      it(`matrix form is ${identity.forms.join(" or ")}`, () => {
        const r = derive(program, subjectOf(program), specOf(identity));
        expect(r.matrix, "no matrix form").toBeDefined();
        const accepted = identity.forms.map((form) => parseProgram(`${text}\n${form}`).subject!);
        expect(accepted.includes(r.matrix!), `got ${toText(r.matrix!)}`).toBe(true);
      });

      it("agrees with finite differences at random sizes 1–6 and random values", () => {
        const r = derive(program, subjectOf(program), specOf(identity));
        for (let trial = 0; trial < 3; trial++) {
          const rng = rngFrom(1000 * IDENTITIES.indexOf(identity) + trial);
          const sizes = randomSizes(program, rng);
          const fixed = new Map((identity.wellConditioned ?? []).map((name) => [name, wellConditioned(rng, sizes.get("n")!)] as const));
          const bindings = randomBindings(program, sizes, rng, { positive: identity.positive ?? [], fixed });
          const got = evaluate(r.matrix!, envOf(program, bindings));
          const expected = expectedByFd(program, specOf(identity), bindings);
          const verdict = judgeValue(got, expected, true);
          expect(verdict.kind, describeFailure(label(identity), r, got, expected, bindings)).toBe("ok");
        }
      });
    });
  }
});
