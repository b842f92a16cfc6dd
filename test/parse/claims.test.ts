/**
 * `claim LHS = RHS` statements: kept in order with their lines and spans, derivative
 * forms inside (shaped as the derivative), later claims seeing earlier definitions, an
 * ill-shaped claim kept (not fatal), and positioned errors for misuse.
 */
import { describe, expect, it } from "vitest";
import { JacobiError } from "../../src/core/errors.js";
import { describeShape } from "../../src/core/shape.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";

const NET = "x: vector(n); W: matrix(m,n); z = tanh(W*x); L = sum(z)";

const errorOf = (text: string): JacobiError => {
  try {
    parseProgram(text);
  } catch (e) {
    if (e instanceof JacobiError) return e;
    throw e;
  }
  throw new Error("no error");
};

describe("claims", () => {
  it("are kept in order, with their text, line and span; a program of claims needs no value", () => {
    const text = `${NET.replace(/; /g, "\n")}\nclaim grad(L, z) = ones(m)\nd = 1 - z.^2\nclaim grad(L, W) = d*x'`;
    const p = parseProgram(text);
    expect(p.claims.map((c) => [c.line, c.text])).toEqual([
      [5, "claim grad(L, z) = ones(m)"],
      [7, "claim grad(L, W) = d*x'"],
    ]);
    expect(text.slice(p.claims[1]!.span.start, p.claims[1]!.span.end)).toBe("claim grad(L, W) = d*x'");
    expect(parseProgram("x: vector(n)\nclaim sum(x) = x'*ones(n)").claims).toHaveLength(1);
  });

  it("stand for their derivative forms with syms shaped as the derivatives", () => {
    const p = parseProgram(`${NET}; g: vector(m); v: vector(n); claim jacobian(z, x) = diag(1 - z.^2)*W; claim vjp(z, W, g) = g*x'; claim jvp(z, x, v) = z; claim hessian(L, x) = W'*W; claim grad(L, W) = W`);
    const [jac, vjp, jvp, hess, grad] = p.claims;
    const shapeOf = (c: (typeof p.claims)[number]): string => ("lhs" in c.sides ? describeShape(c.sides.lhs.shape) : "error");
    expect([jac, vjp, jvp, hess, grad].map((c) => shapeOf(c!))).toEqual(["matrix(m,n)", "matrix(m,n)", "vector(m)", "matrix(n,n)", "matrix(m,n)"]);
    expect(vjp!.derivatives[0]).toMatchObject({ name: "vjp(z, W, g)", kind: "vjp", wrt: "W" });
    expect(toText(vjp!.derivatives[0]!.direction!)).toBe("g");
  });

  it("an ill-shaped side is kept as the claim's error; the program still parses", () => {
    const p = parseProgram(`${NET}; claim grad(L, x) = x + z; claim grad(L, x) = W'*(1 - z.^2)`);
    expect("error" in p.claims[0]!.sides && p.claims[0]!.sides.error.message).toMatch(/'\+' cannot combine vector\(n\) and vector\(m\)/);
    expect("lhs" in p.claims[1]!.sides).toBe(true);
  });

  it("derivative forms are only for claims (and kernels); misuse is a positioned error", () => {
    expect(errorOf(`${NET}; y = grad(L, x)`).message).toMatch(/kernel operator/);
    expect(errorOf(`${NET}; claim grad(grad(L, x), x) = x`).message).toMatch(/kernel operator/);
    const notName = errorOf(`${NET}; claim grad(L, 2*x) = x`);
    expect(notName.message).toMatch(/must be a name/);
    expect(notName.position).toMatchObject({ line: 1 });
    expect(errorOf(`${NET}; claim grad(L) = x`).message).toMatch(/grad in a claim takes 2 arguments/);
    expect(errorOf(`${NET}; claim grad(L, x) = q(x)`).message).toMatch(/unknown function 'q'/);
  });

  it("a later claim sees definitions made after an earlier one; a definition used before it is an error", () => {
    expect(errorOf(`${NET}; claim grad(L, z) = g; g = ones(m)`).message).toMatch(/'g' is used before its definition/);
  });

  it("'claim' is still an ordinary name elsewhere", () => {
    expect(toText(parseProgram("claim = 3; claim*2").subject!)).toBe("2*claim");
  });
});
