/** The library API: the examples in its TSDoc, and values through evaluate. */
import { describe, expect, it } from "vitest";
import { diff, evaluate, grad, hessian, jacobian, jvp, JacobiError, parse, simplify, toLatex, toText, vjp } from "../src/index.js";

describe("library API", () => {
  it("gives the matrix forms of the README", () => {
    expect(toText(jacobian(parse("x: vector(n); s = exp(x)/sum(exp(x))"), "x"))).toBe("diag(s) - s*s'");
    expect(toText(vjp("W: matrix(m,n); x: vector(n); g: vector(m); W*x", "W", "g"))).toBe("g*x'");
    expect(toText(jvp("W: matrix(m,n); x: vector(n); V: matrix(m,n); W*x", "W", "V"))).toBe("V*x");
    expect(toText(grad("x: vector(n); A: matrix(n,n); x'*A*x", "x"))).toBe("(A + A')*x");
    expect(toText(hessian("x: vector(n); A: matrix(n,n); x'*A*x", "x"))).toBe("A + A'");
    expect(toText(diff("x^2*sin(y)", "x"))).toBe("2*x*sin(y)");
    expect(toText(simplify("x*y + y*x"))).toBe("2*x*y");
  });

  it("evaluates programs and derivatives with plain arrays", () => {
    expect(evaluate("x: vector(n); x'*x", { x: [1, 2, 3] })).toBe(14);
    const p = parse("x: vector(n); A: matrix(n,n); x'*A*x");
    // (A + A') x at A = [[1,2],[3,4]], x = [1,2]: [[2,5],[5,8]] * [1,2]
    expect(evaluate(p, { x: [1, 2], A: [[1, 2], [3, 4]] }, grad(p, "x"))).toEqual([12, 21]);
    expect(evaluate("W: matrix(2,2); W'", { W: [Float64Array.of(1, 2), Float64Array.of(3, 4)] })).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it("gives the element-wise view", () => {
    const j = jacobian("x: vector(2); s = exp(x)/sum(exp(x))", "x", { elementwise: true });
    expect(j.shape.rows).toBe(2);
    expect(toText(j)).toContain("exp(x1 + x2)");
    expect(toLatex(j)).toContain("\\begin{bmatrix}");
  });

  it("reports input errors as JacobiError with a position", () => {
    try {
      parse("x: vector(n); x +");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JacobiError);
      expect((e as JacobiError).position).toEqual({ line: 1, col: 17 });
    }
  });
});
