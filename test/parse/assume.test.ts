/**
 * `assume LHS = RHS` (issue 18): the statement parses and is checked, derivatives are
 * written under it (softmax and cross-entropy's `s*sum(y) - y` is `s - y` when y sums to
 * one), the CLI and the library say which assumptions a result was written under, and
 * evaluation at given values refuses values at which an assumption does not hold.
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, evaluate, generate, gradients, grad, parse, toText } from "../../src/index.js";
import { cli, cliOut } from "../support/cli.js";

const SOFTMAX = "z: vector(n); y: vector(n); assume sum(y) = 1; s = exp(z)/sum(exp(z)); -sum(y .* log(s))";
const NETWORK =
  "x: vector(2); y: vector(3); assume sum(y) = 1; W1: matrix(3,2); b1: vector(3); W2: matrix(3,3); b2: vector(3); z1 = sigmoid(W1*x + b1); s = exp(W2*z1 + b2)/sum(exp(W2*z1 + b2)); -sum(y .* log(s))";

describe("assume", () => {
  it("is a statement of the program: its text and both sides", () => {
    const p = parse(SOFTMAX);
    expect(p.assumptions.map((a) => a.text)).toEqual(["sum(y) = 1"]);
    expect(toText(p.assumptions[0]!.lhs)).toBe("sum(y)");
    expect(toText(p.assumptions[0]!.rhs)).toBe("1");
    expect(parse("z: vector(n); y: vector(n); s = exp(z)/sum(exp(z)); -sum(y .* log(s))").assumptions).toEqual([]);
  });

  it("a name `assume` is still an ordinary name", () => {
    expect(toText(parse("assume = 2; assume*x").subject!)).toBe("assume*x");
  });

  it("softmax and cross-entropy: s - y under it, s*sum(y) - y without it", async () => {
    expect(toText(grad(SOFTMAX, "z"))).toBe("s - y");
    expect(toText(grad(SOFTMAX.replace("assume sum(y) = 1; ", ""), "z"))).toBe("s*sum(y) - y");
    expect(await cliOut("grad", SOFTMAX, "--wrt", "z")).toBe("s - y\nassuming sum(y) = 1");
  });

  it("the network's gradients, their shared cotangent and the library's result say so", async () => {
    const g = gradients(NETWORK, ["W1", "b1", "W2", "b2"]);
    expect(toText(g.results.b2!)).toBe("s - y");
    expect(g.assuming).toEqual(["sum(y) = 1"]);
    expect(gradients(NETWORK.replace("assume sum(y) = 1; ", ""), ["b2"]).assuming).toEqual([]);
    const out = await cliOut("grad", NETWORK, "--wrt", "W1,b1,W2,b2");
    expect(out.split("\n").pop()).toBe("assuming sum(y) = 1");
    expect(out).toContain("df/db2 = s - y");
  });

  it("JSON carries the assumptions; LaTeX prints them on a line KaTeX renders", async () => {
    expect(JSON.parse(await cliOut("grad", SOFTMAX, "--wrt", "z", "--format", "json"))).toEqual({ text: "s - y", latex: "s - y", assuming: ["sum(y) = 1"] });
    const latex = await cliOut("grad", SOFTMAX, "--wrt", "z", "--format", "latex");
    const last = latex.split("\n").pop()!;
    expect(last).toBe("\\text{assuming } \\operatorname{sum}\\left(y\\right) = 1");
    expect(() => katex.renderToString(last, { throwOnError: true })).not.toThrow();
  });

  it("--at values where it holds give the true gradient (finite differences of the loss)", async () => {
    const at = ["--at", "z=[0.3,-1,2]", "--at", "y=[0.2,0.3,0.5]"];
    const got = JSON.parse(await cliOut("grad", SOFTMAX, "--wrt", "z", ...at, "--format", "json")) as number[];
    const loss = (z: number[]): number => {
      const e = z.map(Math.exp);
      const t = e.reduce((a, b) => a + b, 0);
      return -[0.2, 0.3, 0.5].reduce((acc, yk, k) => acc + yk * Math.log(e[k]! / t), 0);
    };
    const z = [0.3, -1, 2];
    z.forEach((_, k) => {
      const h = 1e-6;
      const up = z.map((v, j) => (j === k ? v + h : v));
      const down = z.map((v, j) => (j === k ? v - h : v));
      expect(Math.abs(got[k]! - (loss(up) - loss(down)) / (2 * h))).toBeLessThan(1e-8);
    });
  });

  it("values where it does not hold are an error, in the CLI and the library", async () => {
    const r = await cli("grad", SOFTMAX, "--wrt", "z", "--at", "z=[1,2]", "--at", "y=[0.5,0.6]");
    expect(r.code).toBe(1);
    expect(r.err).toContain("the assumption sum(y) = 1 does not hold at the given values: the left side is 1.1, the right 1");
    expect(() => evaluate("y: vector(n); assume sum(y) = 1; 2*y", { y: [0.5, 0.6] })).toThrow(/does not hold/);
    expect(evaluate("y: vector(n); assume sum(y) = 1; 2*y", { y: [0.25, 0.75] })).toEqual([0.5, 1.5]);
  });

  it("kernels compute the form written under it, and their documentation says so", async () => {
    const spec = "z: vector(n)\ny: vector(n)\nassume sum(y) = 1\ns = exp(z)/sum(exp(z))\nL = -sum(y .* log(s))\nkernel g = grad(L, z)";
    const source = await generate(spec);
    expect(source).toContain("Assuming sum(y) = 1 (the outputs are written under it; the kernel does not check it).");
    const g = compile(spec) as (inputs: Record<string, Float64Array>) => Float64Array;
    const z = Float64Array.of(0.3, -1, 2);
    const y = Float64Array.of(0.2, 0.3, 0.5);
    const want = evaluate("z: vector(n); y: vector(n); s = exp(z)/sum(exp(z)); s*sum(y) - y", { z, y }) as number[];
    Array.from(g({ z, y })).forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-12));
  });

  it("a derivation names the step that uses it", async () => {
    const lines = (await cliOut("derive", SOFTMAX, "--wrt", "z")).split("\n");
    expect(lines.slice(-2)).toEqual(["matrix form: ∂f/∂z = s*sum(y) - y", "assume sum(y) = 1: ∂f/∂z = s - y"]);
  });

  it("rounding in the values given is within the tolerance (1e-9 relative)", () => {
    expect(() => evaluate("y: vector(n); assume sum(y) = 1; y", { y: [0.1, 0.2, 0.7 + 1e-12] })).not.toThrow();
    expect(() => evaluate("y: vector(n); assume sum(y) = 1; y", { y: [0.1, 0.2, 0.7 + 1e-6] })).toThrow(/does not hold/);
  });
});
