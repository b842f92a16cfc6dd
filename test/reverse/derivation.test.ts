/**
 * `jacobi derive` where the backward sweep gives the results: one step per cotangent,
 * each named by the VJP rules it sums, then each result; the steps evaluate to the
 * gradients, and every formula renders with KaTeX.
 */
import katex from "katex";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { derive } from "../../src/calculus/derive.js";
import { recordDerivation } from "../../src/derive/derivation.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { subjectOf } from "../../src/core/program.js";
import { cliOut } from "../support/cli.js";
import { envOf, randomCase, relativeError, rng } from "../codegen/support.js";

const DEEP = readFileSync("examples/deep.jacobi", "utf8");

describe("derive shows the backward sweep", () => {
  it("one step per cotangent, with its rule, then the gradients", async () => {
    const lines = (await cliOut("derive", "-f", "examples/deep.jacobi", "--wrt", "W1,b1")).split("\n");
    expect(lines).toContain("cotangent [W*x → ḡ*x', W'*ḡ]: d2 = W2'*d3");
    expect(lines).toContain("cotangent [f(u) → f'(u) .* ḡ]: d1 = d2 .* (1 - z1.^2)");
    expect(lines).toContain("cotangent [s = softmax(u) → s .* ḡ - s*(s'*ḡ)]: d7 = s .* (d8 - d8'*s)");
    expect(lines.slice(-2)).toEqual(["gradient: ∂L/∂W1 = d1*x'", "gradient: ∂L/∂b1 = d1"]);
  });

  it("the steps, read as definitions, give the gradients; every formula renders", () => {
    const program = parseProgram(DEEP);
    const d = recordDerivation(program, [{ kind: "grad", wrt: "W1" }], { source: DEEP });
    const part = d.parts[0]!;
    const defs = part.steps.filter((s) => s.rule === "cotangent").map((s) => `${s.lhs.text} = ${s.rhs.text}`);
    const result = part.steps[part.steps.length - 1]!.rhs.text;
    // the cotangents' shapes come from the text: declare them by parsing the whole chain
    const chain = parseProgram(`${DEEP}\n${defs.join("\n")}\n${result}`);
    const c = randomCase(program, rng(9));
    const want = evaluate(derive(program, subjectOf(program), { kind: "grad", wrt: "W1" }, { record: true }).matrix ?? derive(program, subjectOf(program), { kind: "grad", wrt: "W1" }).matrix!, envOf(program, c));
    expect(relativeError(evaluate(subjectOf(chain), envOf(chain, c)).data, want.data)).toBeLessThan(1e-10);
    for (const s of part.steps) for (const f of [s.lhs, s.rhs, ...(s.law ? [s.law] : [])]) expect(() => katex.renderToString(f.latex, { throwOnError: true })).not.toThrow();
  });

  it("the notebook's network keeps its index-form derivation", async () => {
    expect(await cliOut("derive", "-f", "examples/network.jacobi", "--wrt", "b2")).not.toContain("cotangent");
  });
});
