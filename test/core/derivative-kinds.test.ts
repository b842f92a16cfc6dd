/** The one list of derivative kinds: the CLI, the language and derive() all follow it. */
import { describe, expect, it } from "vitest";
import { calculusCommands } from "../../src/cli/commands/calculus.js";
import { DERIVATIVE_KINDS, isKernelDerivativeKind, KERNEL_DERIVATIVE_KINDS } from "../../src/core/derivative-kinds.js";
import { parseProgram } from "../../src/parse/parse.js";

const PROGRAM = "x: vector(n); v: vector(n); g: scalar; t: scalar";

describe("derivative kinds", () => {
  it("each kind is a command of the CLI, in the list's order", () => {
    expect(calculusCommands.map((c) => c.name)).toEqual([...DERIVATIVE_KINDS]);
  });

  it("each kind but diff is a kernel operator; diff stays an ordinary name", () => {
    expect(KERNEL_DERIVATIVE_KINDS).toEqual(DERIVATIVE_KINDS.filter((k) => k !== "diff"));
    for (const kind of KERNEL_DERIVATIVE_KINDS) {
      const args = kind === "jvp" ? "sum(exp(x)), x, v" : kind === "vjp" ? "sum(exp(x)), x, g" : "sum(exp(x)), x";
      const p = parseProgram(`${PROGRAM}; kernel k = ${kind}(${args})`);
      expect(p.kernels[0]!.call.op).toBe(kind);
      expect(() => parseProgram(`${PROGRAM}; ${kind}: scalar; x`), kind).toThrow(/it is a function name/);
    }
    expect(isKernelDerivativeKind("diff")).toBe(false);
    expect(parseProgram("diff: scalar; diff^2").decls.has("diff")).toBe(true);
  });
});
