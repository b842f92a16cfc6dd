/**
 * The Hessian by several vector names: every block, the cross blocks too, labelled by
 * block; each block against finite differences of the gradient (an independent oracle).
 */
import { describe, expect, it } from "vitest";
import { hessianBlocks } from "../../src/api.js";
import { derive } from "../../src/calculus/derive.js";
import { toText } from "../../src/print/text.js";
import { finiteDifferences, maxRelativeError } from "../../src/check/fd.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { subjectOf } from "../../src/core/program.js";
import { hessianBlocks as blocksOf } from "../../src/reverse/blocks.js";
import { cliOut } from "../support/cli.js";
import { envOf } from "../support/derivatives.js";
import { randomBindings, randomSizes, rngFrom } from "../support/random.js";

const QUADRATIC = "x: vector(n); y: vector(m); A: matrix(n,n); B: matrix(n,m); x'*A*x + x'*B*y + sum(exp(y))";
const NETWORK = "x: vector(n); W: matrix(n,n); b: vector(n); t: vector(n); z = tanh(W*x + b); sum((z - t).^2)";

describe("hessian by several vectors", () => {
  it("prints every block, labelled", async () => {
    expect(await cliOut("hessian", QUADRATIC, "--wrt", "x,y")).toBe(["d2f/dxdx = A + A'", "d2f/dxdy = B", "d2f/dydx = B'", "d2f/dydy = diag(exp(y))"].join("\n"));
  });

  it("the library gives the same blocks", () => {
    expect(hessianBlocks(QUADRATIC, ["x", "y"]).map((b) => `${b.row},${b.col}: ${toText(b.block)}`)).toEqual(["x,x: A + A'", "x,y: B", "y,x: B'", "y,y: diag(exp(y))"]);
  });

  for (const text of [QUADRATIC, NETWORK]) {
    it(`each block agrees with finite differences of the gradient: ${text}`, () => {
      const program = parseProgram(text);
      const f = subjectOf(program);
      const names = text === QUADRATIC ? ["x", "y"] : ["x", "b"];
      const blocks = blocksOf(program, f, names, derive);
      expect(blocks.map((b) => `${b.row},${b.col}`)).toEqual(names.flatMap((r) => names.map((c) => `${r},${c}`)));
      for (let trial = 0; trial < 3; trial++) {
        const random = rngFrom(40 + trial);
        const bindings = randomBindings(program, randomSizes(program, random, 1, 4), random);
        for (const b of blocks) {
          const gradient = derive(program, f, { kind: "grad", wrt: b.row }).matrix!;
          const fd = finiteDifferences(program, gradient, b.col, bindings);
          const value = evaluate(b.result.matrix!, envOf(program, bindings));
          expect(maxRelativeError(value.data, fd.data), `${b.row},${b.col}`).toBeLessThan(1e-6);
        }
      }
    });
  }
});
