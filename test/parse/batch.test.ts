/**
 * `kernel NAME = batch(KERNEL, x, y)` is a statement of the language: the grammar gives it
 * its own node, the elaborator checks it (positioned errors) and the program carries it,
 * so code generation reads the program, not the syntax tree.
 */
import { describe, expect, it } from "vitest";
import { JacobiError } from "../../src/core/errors.js";
import { parseProgram } from "../../src/parse/parse.js";
import { parseStatements } from "../../src/parse/syntax.js";

/** The error a program gets: kind, LINE:COL and message. */
function errorOf(text: string): { kind: string; at: string; message: string } {
  try {
    parseProgram(text);
  } catch (e) {
    if (!(e instanceof JacobiError)) throw e;
    const p = e.position;
    return { kind: e.kind, at: p ? `${p.line}:${p.col}` : "?", message: e.message };
  }
  throw new Error(`no error for ${text}`);
}

describe("the batch statement", () => {
  it("is its own statement in the syntax tree, and a kernel call in the program", () => {
    const text = "x: vector(n); a: scalar; kernel f = a*x; kernel fb = batch(f, x, a)";
    expect(parseStatements({ text }).map((s) => s.type)).toEqual(["decl", "decl", "kernel", "batch"]);
    const p = parseProgram(text);
    expect(p.kernels.map((k) => [k.name, k.call.op])).toEqual([
      ["f", "expr"],
      ["fb", "batch"],
    ]);
    expect(p.kernels[1]!.call).toEqual({ op: "batch", kernel: "f", names: ["x", "a"] });
    expect(p.kernels[1]!.span).toEqual({ start: text.indexOf("kernel fb"), end: text.length });
  });

  it("may name a kernel of the program defined after it (as before), and keeps the program's order", () => {
    const p = parseProgram("x: vector(n)\nkernel fb = batch(f, x)\nkernel f = exp(x)");
    expect(p.kernels.map((k) => k.name)).toEqual(["fb", "f"]);
  });

  it("is only the whole right-hand side: inside an expression batch is no function", () => {
    expect(errorOf("x: vector(n); kernel f = x; kernel b = batch(f, x) + 1")).toMatchObject({ kind: "name", at: "1:40", message: "unknown function 'batch'" });
  });

  it("gets a positioned error for each misuse", () => {
    const cases: [string, string, string][] = [
      ["x: vector(n); kernel f = x; kernel b = batch(g, x)", "1:46", "batch: no kernel named 'g' (it must be defined before)"],
      ["x: vector(n); kernel f = x; kernel b = batch(3, x)", "1:29", "batch takes a kernel's name first: batch(KERNEL, x, y)"],
      ["x: vector(n); kernel f = x; kernel b = batch(f)", "1:29", "batch needs the names of the inputs given per sample: batch(KERNEL, x, y)"],
      ["x: vector(n); kernel f = x; kernel b = batch(f, 2*x)", "1:49", "batch: the inputs given per sample are names"],
      ["x: vector(n); kernel f = x; kernel b = batch(f, y)", "1:49", "batch: 'y' is not a declared value"],
      ["W: matrix(m, n); kernel f = W; kernel b = batch(f, W)", "1:52", "batch: 'W' is m×n; only vectors and scalars can be batched"],
      ["x: vector(n); kernel f = x; kernel b = batch(f, x, x)", "1:52", "batch: 'x' is named twice"],
      ["x: vector(n); kernel f = x; kernel b = batch(f, x); kernel c = batch(b, x)", "1:70", "batch: 'b' is already batched"],
      ["x: vector(n); kernel f = x; kernel f = batch(f, x)", "1:29", "kernel 'f' is defined twice (first at 1:15)"],
      ["x: vector(n)\nkernel f = x\nkernel f = 2*x", "3:1", "kernel 'f' is defined twice (first at 2:1)"],
    ];
    for (const [text, at, message] of cases) expect(errorOf(text), text).toEqual({ kind: "unsupported", at, message });
  });
});
