/** The library API: the examples in its TSDoc, and values through evaluate. */
import { describe, expect, it } from "vitest";
import { cancel, diff, evaluate, expand, formSize, grad, hessian, jacobian, jvp, JacobiError, parse, simplify, toLatex, toText, vjp } from "../src/index.js";

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

  it("differentiates by a list of scalars taken as one vector (SymPy's jacobian(f, [x, y]))", () => {
    expect(toText(grad("x^2*y", ["x", "y"]))).toBe("[2*x*y, x^2]");
    expect(toText(jacobian("[x*y, x + y^2]", ["x", "y"]))).toBe("[[y, x], [1, 2*y]]");
    expect(toText(hessian("x^2*y", ["x", "y"]))).toBe("[[2*y, 2*x], [2*x, 0]]");
    // the same numbers as the partials one by one
    const p = parse("exp(x*y) + x^3");
    const h = hessian(p, ["x", "y"]);
    const at = { x: 0.3, y: -0.7 };
    const xy = Math.exp(at.x * at.y);
    expect(evaluate(p, at, h)).toEqual([
      [6 * at.x + at.y ** 2 * xy, xy + at.x * at.y * xy],
      [xy + at.x * at.y * xy, at.x ** 2 * xy],
    ].map((row) => row.map((v) => expect.closeTo(v, 12))));
    expect(() => grad("x: vector(2); sum(x) + y", ["x", "y"])).toThrow(JacobiError);
  });

  it("expands and cancels polynomials and rational functions", () => {
    expect(toText(expand("(x + 1)^2"))).toBe("2*x + x^2 + 1");
    expect(toText(cancel("(x^2 - 1)/(x - 1)"))).toBe("x + 1");
  });

  it("measures forms and simplifies to textbook ones", () => {
    expect(formSize("x^2*(y + 2)")).toBe(3);
    expect(formSize(parse("-1/(2*y)").subject!)).toBe(formSize("-1/(2*y)"));
    expect(toText(simplify("(x + y)^2/(-2*x^2*y - 4*x*y^2 - 2*y^3)"))).toBe("-1/(2*y)");
    expect(formSize(simplify("y*x^2 + 2*x^2"))).toBeLessThan(formSize(parse("y*x^2 + 2*x^2").subject!));
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
