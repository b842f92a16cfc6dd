/**
 * The library as a user meets it: printers that take what the other functions take
 * (strings, programs, expressions) and print a definition when asked, errors in the
 * library's own words (no CLI options), values it does not need ignored, derivatives by a
 * list of names of any shape, and compile()'s types.
 */
import { readFileSync } from "node:fs";
import katex from "katex";
import { describe, expect, expectTypeOf, it } from "vitest";
import { compile, evaluate, grad, hessian, jacobian, JacobiError, parse, toLatex, toText, vjp, type Derivatives, type Expr, type KernelFunction, type KernelOutput } from "../src/index.js";

const SOFTMAX = "x: vector(n); s = exp(x)/sum(exp(x))";
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(JacobiError);
    return (e as JacobiError).message;
  }
  throw new Error("expected an error");
};

describe("toText and toLatex", () => {
  it("accept program text, a program and an expression alike", () => {
    expect(toText("x^2")).toBe("x^2");
    expect(toText(parse("x*y + 1"))).toBe("x*y + 1");
    expect(toText(grad("x^2", "x"))).toBe("2*x");
    expect(toLatex("x^2")).toBe("x^{2}");
    expect(toLatex(parse("x: vector(n); x'*x"))).toBe(toLatex(parse("x: vector(n); x'*x").subject!));
  });

  it("print a program's definition as s = … when asked, and its right-hand side otherwise", () => {
    expect(toText(SOFTMAX)).toBe("exp(x)/sum(exp(x))");
    expect(toText(SOFTMAX, { definition: true })).toBe("s = exp(x)/sum(exp(x))");
    expect(toText("x + 1", { definition: true })).toBe("x + 1"); // no definition: the value
    const latex = toLatex(SOFTMAX, { definition: true });
    expect(latex).toMatch(/^s = \\frac\{/);
    expect(() => katex.renderToString(latex, { throwOnError: true })).not.toThrow();
    // the text of a definition parses back to the same program value
    expect(toText(`x: vector(n); ${toText(SOFTMAX, { definition: true })}`)).toBe("exp(x)/sum(exp(x))");
  });

  it("report an error in program text as JacobiError with a position, not a bare Error", () => {
    try {
      toText("x +");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JacobiError);
      expect((e as JacobiError).position).toEqual({ line: 1, col: 3 });
    }
  });
});

describe("errors in the library's words", () => {
  it("never mention CLI options", () => {
    const messages = [
      messageOf(() => evaluate("x + y", { x: 1 })),
      messageOf(() => evaluate("x: vector(n); sum(x)", {})),
      messageOf(() => grad("x^2", "y")),
      messageOf(() => vjp("x: vector(n); A: matrix(n,n); A*x", "x", "A")),
      messageOf(() => jacobian("x: vector(n); x", "x", { elementwise: true })),
    ];
    expect(messages.slice(0, 4)).toEqual([
      "no value for 'y'; include y in the values",
      "no value for 'x'; include x in the values",
      "the variable 'y' does not occur in the program",
      "the cotangent A is matrix(n,n) but the value is vector(n)",
    ]);
    for (const m of messages) expect(m).not.toMatch(/--[a-z]/);
  });

  it("ignores values the program does not use (one set of values for several formulas)", () => {
    const values = { x: 2, y: 3, W: [[1]] };
    expect(evaluate("x^2", values)).toBe(4);
    expect(evaluate("x*y", values)).toBe(6);
    expect(messageOf(() => evaluate("s = 1; s", { s: 2 }))).toBe("'s' is defined by the program and cannot be given a value");
  });
});

describe("grad, jacobian and hessian by a list of names of any shape", () => {
  const network = readFileSync(new URL("../examples/network.jacobi", import.meta.url), "utf8");

  it("give one result per name with { each: true }, the same as one name at a time", () => {
    const names = ["W1", "b1", "W2", "b2"];
    const each = grad(network, names, { each: true });
    expectTypeOf(each).toEqualTypeOf<Derivatives>();
    expect(Object.keys(each)).toEqual(names);
    for (const n of names) expect(each[n]).toBe(grad(network, n));
    expect(toText(each["b2"]!)).toBe("s*sum(y) - y");
    const j = jacobian(SOFTMAX, ["x"], { each: true });
    expect(toText(j["x"]!)).toBe("diag(s) - s*s'");
    const h = hessian("x: vector(n); y: vector(n); A: matrix(n,n); x'*A*x + sum(y .* y)", ["x", "y"], { each: true });
    expect([toText(h["x"]!), toText(h["y"]!)]).toEqual(["A + A'", "2*eye(n)"]);
  });

  it("still take a list of scalars as one vector without it, and refuse a repeated name", () => {
    expectTypeOf(grad("x^2*y", ["x", "y"])).toEqualTypeOf<Expr>();
    expect(toText(grad("x^2*y", ["x", "y"]))).toBe("[2*x*y, x^2]");
    expect(Object.keys(grad("x^2*y", ["x", "y"], { each: true }))).toEqual(["x", "y"]);
    expect(messageOf(() => grad("x^2*y", ["x", "x"], { each: true }))).toBe("the list names 'x' twice");
  });
});

describe("compile()'s type", () => {
  it("is a kernel over named typed arrays returning an array, a number or a record", () => {
    const softmax = compile<Float64Array>(SOFTMAX + "; kernel softmax = s");
    expectTypeOf(softmax).toEqualTypeOf<KernelFunction<Float64Array>>();
    expectTypeOf(softmax).parameter(0).toEqualTypeOf<Readonly<Record<string, Float64Array | Float32Array | number>>>();
    const s = softmax({ x: Float64Array.of(0, 0) });
    expect(Array.from(s)).toEqual([0.5, 0.5]);
    expectTypeOf(compile("x: vector(n); sum(x)")).returns.toEqualTypeOf<KernelOutput>();
    const grads = compile<{ loss: number; W: Float64Array; x: Float64Array }>("W: matrix(2,2); x: vector(2); L = sum(W*x); kernel g = grad(L, W, x)");
    const r = grads({ W: Float64Array.of(1, 2, 3, 4), x: Float64Array.of(1, -1) });
    expect(r.loss).toBe(-2);
    expect(Array.from(r.W)).toEqual([1, -1, 1, -1]);
    expect(Array.from(r.x)).toEqual([4, 6]);
  });
});
