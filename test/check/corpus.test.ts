/**
 * A corpus of hand derivations, right and wrong: each wrong one has its slip at a known
 * step (a sign slip, a missing transpose, a missing chain factor, the product in the wrong
 * order, a missing sum, a Hessian that drops a term, a gradient with the shape of its
 * transpose), and `check` must name exactly that step as the first wrong claim; each
 * right one must hold throughout.
 */
import { describe, expect, it } from "vitest";
import { check } from "../../src/api.js";

interface Case {
  readonly name: string;
  readonly program: string;
  /** The steps, in order (definitions and claims). */
  readonly steps: readonly string[];
  /** The index among the claims of the first wrong one (null: all hold). */
  readonly firstWrong: number | null;
  readonly at?: Readonly<Record<string, number[]>>;
}

const LSQ = "W: matrix(m,n); x: vector(n); t: vector(m); r = W*x - t; L = sum(r.^2)";
const TANH = "W: matrix(m,n); x: vector(n); z = tanh(W*x); L = sum(z)";
const CE = "z: vector(n); y: vector(n); s = exp(z)/sum(exp(z)); L = -sum(y .* log(s))";

const CASES: readonly Case[] = [
  { name: "least squares, right", program: LSQ, steps: ["claim grad(L, r) = 2*r", "g = 2*r", "claim grad(L, W) = g*x'", "claim grad(L, x) = W'*g"], firstWrong: null },
  { name: "a sign slip", program: LSQ, steps: ["claim grad(L, r) = 2*r", "g = 2*r", "claim grad(L, x) = W'*g", "claim grad(L, W) = -g*x'"], firstWrong: 2 },
  { name: "a missing transpose", program: "A: matrix(n,n); x: vector(n); y: vector(n); L = y'*A*x", steps: ["claim grad(L, y) = A*x", "claim grad(L, x) = A*y"], firstWrong: 1 },
  { name: "a missing chain factor", program: TANH, steps: ["claim grad(L, z) = ones(m)", "claim grad(L, x) = W'*ones(m)"], firstWrong: 1 },
  { name: "the chain factor, right", program: TANH, steps: ["claim grad(L, z) = ones(m)", "d = 1 - z.^2", "claim grad(L, x) = W'*d", "claim grad(L, W) = d*x'"], firstWrong: null },
  { name: "the product in the wrong order", program: "A: matrix(n,n); B: matrix(n,n); x: vector(n); u: vector(n); L = u'*A*B*x", steps: ["claim grad(L, u) = A*B*x", "claim grad(L, x) = A'*B'*u"], firstWrong: 1 },
  { name: "a missing sum", program: CE, steps: ["claim jacobian(s, z) = diag(s) - s*s'", "claim grad(L, z) = s - y"], firstWrong: 1 },
  { name: "the sum, right", program: CE, steps: ["claim jacobian(s, z) = diag(s) - s*s'", "claim grad(L, z) = s*sum(y) - y"], firstWrong: null },
  { name: "a one-hot y makes s - y right", program: CE, steps: ["claim grad(L, z) = s - y"], firstWrong: null, at: { y: [0, 1, 0] } },
  { name: "a Hessian that drops a term", program: "A: matrix(n,n); x: vector(n); f = sum(exp(x)) + x'*A*x", steps: ["claim grad(f, x) = exp(x) + (A + A')*x", "claim hessian(f, x) = A + A'"], firstWrong: 1 },
  { name: "the Hessian, right", program: "A: matrix(n,n); x: vector(n); f = sum(exp(x)) + x'*A*x", steps: ["claim hessian(f, x) = diag(exp(x)) + A + A'"], firstWrong: null },
  { name: "a gradient with the shape of its transpose", program: LSQ, steps: ["claim grad(L, x) = 2*W'*r", "claim grad(L, W) = 2*x*r'"], firstWrong: 1 },
  { name: "vjp and jvp, right", program: "W: matrix(m,n); x: vector(n); g: vector(m); v: vector(n); f = sigmoid(W*x)", steps: ["claim vjp(f, x, g) = W'*(g .* f .* (1 - f))", "claim jvp(f, x, v) = f .* (1 - f) .* (W*v)"], firstWrong: null },
  { name: "diff, with a slip", program: "t: scalar; x: vector(n); f = exp(t*x)", steps: ["claim diff(f, t) = x .* f", "claim diff(f, t) = t*f"], firstWrong: 1 },
];

describe("check on a corpus of hand derivations", () => {
  for (const c of CASES)
    it(`${c.name}: ${c.firstWrong === null ? "every claim holds" : `claim ${c.firstWrong + 1} is the first wrong one`}`, () => {
      const report = check([c.program, ...c.steps].join("\n"), [], c.at ? { at: c.at } : {});
      expect(report.firstWrong).toBe(c.firstWrong);
      if (c.firstWrong === null) return;
      const wrong = report.claims[c.firstWrong]!;
      expect(wrong.expected).not.toBeNull();
      expect(wrong.counterexample !== null || wrong.shapes !== null).toBe(true);
    });

  it("the transposed gradient names both shapes (in the program's sizes)", () => {
    const r = check([LSQ, "claim grad(L, W) = 2*x*r'"].join("\n"));
    expect(r.claims[0]!.shapes).toMatchObject({ yours: "matrix(n,m)", expected: "matrix(m,n)", message: "your grad(L, W) is matrix(n,m); the gradient is matrix(m,n)" });
  });

  it("a counterexample gives both sides' numbers, and the sizes it was found at", () => {
    const r = check("A: matrix(n,n); x: vector(n); y: vector(n); L = y'*A*x\nclaim grad(L, x) = A*y");
    const c = r.claims[0]!.counterexample!;
    expect(Object.keys(c.sizes)).toEqual(["n"]);
    expect(c.lhs).not.toEqual(c.rhs);
    expect(r.claims[0]!.expected).toBe("A'*y");
  });
});
