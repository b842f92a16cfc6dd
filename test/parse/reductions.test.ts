/**
 * The ML reductions (parse/reductions.ts): softmax, logsumexp, logsoftmax, mean, var of a
 * vector's entries and of each row of a matrix, rowsum and colsum. Each is checked against
 * independent oracles: central finite differences at random sizes (VJP, JVP, Jacobian,
 * Hessian), numpy's row-wise values, an independent stable formula at ±1000 shifts,
 * compiled kernels against the evaluator, KaTeX for the LaTeX, and the parser for the text.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, evaluate, grad, jacobian, parse, toLatex, toText, vjp } from "../../src/index.js";
import { derive, type DerivativeSpec } from "../../src/calculus/derive.js";
import { JacobiError } from "../../src/core/errors.js";
import { subjectOf } from "../../src/core/program.js";
import { evaluate as evaluateExpr } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { REDUCTION_NAMES } from "../../src/parse/reductions.js";
import { describeFailure, envOf, expectedByFd, judgeValue } from "../support/derivatives.js";
import { randomBindings, randomSizes, rngFrom } from "../support/random.js";

/** The shape of f(u) for u a vector(n) or a matrix(m,n), as a declaration type. */
function outType(name: string, matrix: boolean): string {
  if (name === "softmax" || name === "logsoftmax") return matrix ? "matrix(m,n)" : "vector(n)";
  if (name === "rowsum") return matrix ? "vector(m)" : "vector(n)";
  if (name === "colsum") return matrix ? "vector(n)" : "scalar";
  return matrix ? "vector(m)" : "scalar";
}

/** The derivative agrees with finite differences at random sizes (2…4) and values. */
function checkFd(text: string, spec: DerivativeSpec, positive: string[] = []): void {
  const program = parseProgram(text);
  const r = derive(program, subjectOf(program), spec);
  expect(r.matrix, `${spec.kind} by ${spec.wrt} of ${text}: no matrix form`).toBeDefined();
  for (let trial = 0; trial < 3; trial++) {
    const random = rngFrom(300 + trial);
    const bindings = randomBindings(program, randomSizes(program, random, 2, 4), random, { positive });
    const value = evaluateExpr(r.matrix!, envOf(program, bindings));
    const expected = expectedByFd(program, spec, bindings);
    expect(judgeValue(value, expected).kind, describeFailure(`${spec.wrt} in ${text}`, r, value, expected, bindings)).toBe("ok");
  }
}

describe("reductions: derivatives against finite differences at random sizes", () => {
  for (const name of REDUCTION_NAMES) {
    for (const matrix of [false, true]) {
      const u = matrix ? "X: matrix(m,n)" : "X: vector(n)";
      const g = outType(name, matrix);
      const cot = g === "scalar" ? "G: scalar" : `G: ${g}`;
      const text = `${u}; T: ${matrix ? "matrix(m,n)" : "vector(n)"}; ${cot}; ${name}(2*X - 1)`;
      it(`${name} of a ${matrix ? "matrix (by rows)" : "vector"}: VJP and JVP${matrix ? "" : ", Jacobian"}`, () => {
        checkFd(text, { kind: "vjp", wrt: "X", cotangent: "G" });
        checkFd(text, { kind: "jvp", wrt: "X", tangent: "T" });
        if (!matrix && name !== "max" && name !== "min") checkFd(text, { kind: "jacobian", wrt: "X" });
      });
    }
  }
  for (const name of ["logsumexp", "mean", "var"])
    it(`the Hessian of ${name}(x)`, () => checkFd(`x: vector(n); ${name}(x)`, { kind: "hessian", wrt: "x" }));
  it("the Hessian of a sum of row-wise logsumexp and var", () => checkFd("x: vector(n); w: vector(n); sum(softmax(x) .* w) + var(x)", { kind: "hessian", wrt: "x" }));

  it("batch cross-entropy -sum(Y .* log(softmax(X*W))) by W, and with logsoftmax", () => {
    checkFd("X: matrix(m,n); W: matrix(n,k); Y: matrix(m,k); -sum(Y .* log(softmax(X*W)))", { kind: "grad", wrt: "W" });
    checkFd("X: matrix(m,n); W: matrix(n,k); Y: matrix(m,k); -sum(Y .* logsoftmax(X*W))", { kind: "grad", wrt: "W" });
  });
  it("layer norm written with mean and var, by x", () => {
    const ln = "x: vector(n); g: vector(n); eps: scalar; xh = (x - mean(x))/sqrt(var(x) + eps); sum(g .* xh)";
    checkFd(ln, { kind: "grad", wrt: "x" }, ["eps"]);
  });
  it("attention softmax(Q*K'/sqrt(d))*V: VJPs by Q, K, V and the JVP by Q", () => {
    const at = "Q: matrix(t,d); K: matrix(t,d); V: matrix(t,d); G: matrix(t,d); softmax(Q*K'/sqrt(d))*V";
    for (const wrt of ["Q", "K", "V"]) checkFd(at, { kind: "vjp", wrt, cotangent: "G" });
    checkFd(at, { kind: "jvp", wrt: "Q", tangent: "G" });
  });
});

describe("reductions: matrix forms", () => {
  it("the textbook gradients: ones/n, 2*(x - mean)/n, softmax for logsumexp, diag(s) - s*s' for softmax", () => {
    expect(toText(grad("x: vector(n); mean(x)", "x"))).toBe("ones(n)/n");
    expect(toText(grad("x: vector(n); var(x)", "x"))).toBe("2*(x - sum(x)/n)/n");
    expect(toText(grad("x: vector(n); logsumexp(x)", "x"))).toBe("exp(x)/sum(exp(x))");
    expect(toText(grad("X: matrix(m,n); sum(rowsum(X))", "X"))).toBe("ones(m,n)");
    expect(toText(grad("x: vector(n); s = softmax(x); y: vector(n); -sum(y .* log(s))", "x"))).toBe("s*sum(y) - y");
  });
  it("softmax(x) is the written-out softmax: the same node, so the same derivatives", () => {
    expect(parse("x: vector(n); softmax(x)").subject).toBe(parse("x: vector(n); exp(x)/sum(exp(x))").subject);
    expect(parse("X: matrix(m,n); softmax(X)").subject).toBe(parse("X: matrix(m,n); exp(X) ./ (exp(X)*ones(n,n))").subject);
    expect(parse("X: matrix(m,n); logsumexp(X)").subject).toBe(parse("X: matrix(m,n); log(exp(X)*ones(n))").subject);
    expect(parse("X: matrix(m,n); rowsum(X) + mean(X)").subject).toBe(parse("X: matrix(m,n); X*ones(n) + X*ones(n)/n").subject);
    expect(parse("X: matrix(m,n); colsum(X)").subject).toBe(parse("X: matrix(m,n); X'*ones(m)").subject);
  });
});

/** Row-wise values by numpy (skipped without numpy). */
const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" }).status === 0;

describe("reductions: values", () => {
  const X = [
    [0.3, -1.2, 2.5, 0.0],
    [1.1, 1.1, -0.4, 3.0],
    [-2.0, 0.5, 0.25, -0.75],
  ];
  it.skipIf(!hasNumpy)(`agree with numpy by rows (last axis)${hasNumpy ? "" : " [SKIPPED: python3 with numpy is not available]"}`, () => {
    const script = `
import json, sys
import numpy as np
X = np.array(json.load(sys.stdin))
m = X.max(axis=-1, keepdims=True)
lse = (m + np.log(np.exp(X - m).sum(axis=-1, keepdims=True)))
print(json.dumps({"softmax": (np.exp(X - lse)).tolist(), "logsumexp": lse[:, 0].tolist(), "logsoftmax": (X - lse).tolist(),
  "mean": X.mean(axis=-1).tolist(), "var": X.var(axis=-1).tolist(), "rowsum": X.sum(axis=1).tolist(), "colsum": X.sum(axis=0).tolist(),
  "max": X.max(axis=-1).tolist(), "min": X.min(axis=-1).tolist()}))`;
    const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(X), encoding: "utf8" });
    const theirs = JSON.parse(run.stdout) as Record<string, number[] | number[][]>;
    for (const name of REDUCTION_NAMES) {
      const ours = evaluate(`X: matrix(m,n); ${name}(X)`, { X }) as number[] | number[][];
      expect(ours.flat().length, name).toBe(theirs[name]!.flat().length);
      ours.flat().forEach((v, k) => expect(Math.abs(v - theirs[name]!.flat()[k]!), `${name} entry ${k}`).toBeLessThan(1e-12));
      // a row vector is a matrix of one row, a column vector a vector: the same numbers
      const row = evaluate(`x: matrix(1,n); ${name}(x)`, { x: [X[0]!] }) as number | number[] | number[][];
      const col = evaluate(`x: vector(n); ${name}(x)`, { x: X[0]! }) as number | number[];
      if (name !== "rowsum" && name !== "colsum") expect([row].flat(2)).toEqual([col].flat());
    }
  });

  it("softmax, logsumexp and logsoftmax stay finite and right at ±1000 shifts, by entries and by rows", () => {
    for (const shift of [1000, -1000]) {
      const shifted = X.map((r) => r.map((v) => v + shift));
      for (const [decl, at, plain] of [
        ["X: matrix(m,n)", shifted, X],
        ["X: vector(n)", shifted[1]!, X[1]!],
      ] as const) {
        const sm = evaluate(`${decl}; softmax(X)`, { X: at }) as number[] | number[][];
        const sm0 = evaluate(`${decl}; softmax(X)`, { X: plain }) as number[] | number[][];
        const lse = evaluate(`${decl}; logsumexp(X)`, { X: at }) as number | number[];
        const lse0 = evaluate(`${decl}; logsumexp(X)`, { X: plain }) as number | number[];
        const ls = evaluate(`${decl}; logsoftmax(X)`, { X: at }) as number[] | number[][];
        const ls0 = evaluate(`${decl}; logsoftmax(X)`, { X: plain }) as number[] | number[][];
        sm.flat().forEach((v, k) => expect(Math.abs(v - sm0.flat()[k]!), `softmax ${decl} ${shift}`).toBeLessThan(1e-12));
        [lse].flat().forEach((v, k) => expect(Math.abs(v - shift - [lse0].flat()[k]!), `logsumexp ${decl} ${shift}`).toBeLessThan(1e-9));
        ls.flat().forEach((v, k) => expect(Math.abs(v - ls0.flat()[k]!), `logsoftmax ${decl} ${shift}`).toBeLessThan(1e-9));
      }
    }
    // an entry 2000 below the others: its softmax underflows to 0 but its logsoftmax is finite
    expect(evaluate("X: matrix(m,n); logsoftmax(X)", { X: [[0, 1000, -1000]] })).toEqual([[-1000, 0, -2000]]);
  });

  it("kernels agree with the evaluator (values and VJPs, by entries and by rows)", () => {
    const random = rngFrom(11);
    for (const name of REDUCTION_NAMES) {
      for (const matrix of [false, true]) {
        const decl = matrix ? "X: matrix(3,4)" : "X: vector(4)";
        const g = outType(name, matrix).replace("(m", "(3").replace("n)", "4)");
        const text = `${decl}; G: ${g}; y = ${name}(X); kernel value = y; kernel pullback = vjp(y, X, G)`;
        const xs = Array.from({ length: matrix ? 12 : 4 }, () => 4 * random() - 2);
        const gs = Array.from({ length: g === "scalar" ? 1 : matrix && !g.startsWith("vector") ? 12 : g === "vector(3)" ? 3 : 4 }, () => random() - 0.5);
        const inputs = { X: Float64Array.from(xs), G: g === "scalar" ? gs[0]! : Float64Array.from(gs) };
        const rows = (v: number[]): number[][] => Array.from({ length: 3 }, (_, r) => v.slice(4 * r, 4 * r + 4));
        const values = { X: matrix ? rows(xs) : xs, G: g === "scalar" ? gs[0]! : g.startsWith("matrix") ? rows(gs) : gs };
        for (const kernel of ["value", "pullback"]) {
          const out = compile(text, { kernel })(inputs) as number | Float64Array;
          const got = typeof out === "number" ? [out] : Array.from(out);
          const program = parse(text);
          const want = [evaluate(program, values, kernel === "value" ? program.subject! : vjp(program, "X", "G"))].flat(2) as number[];
          expect(got.length, `${name} ${kernel}`).toBe(want.length);
          want.forEach((w, k) => expect(Math.abs(got[k]! - w), `${name} ${decl} ${kernel}`).toBeLessThan(1e-12));
        }
      }
    }
  });
});

describe("max and min", () => {
  const at = (text: string, x: number[]): number[] => [evaluate("x: vector(n); x", { x }, grad(`x: vector(n); ${text}`, "x"))].flat() as number[];
  it("the derivative is the indicator of the extreme; ties split it equally (JAX's rule)", () => {
    expect(toText(grad("x: vector(n); max(x)", "x"))).toBe("(1 - step(max(x) - x))/(n - sum(step(max(x) - x)))");
    expect(at("max(x)", [1, 5, 4])).toEqual([0, 1, 0]);
    expect(at("max(x)", [1, 5, 5])).toEqual([0, 0.5, 0.5]);
    expect(at("min(x)", [2, 2, 2, 3])).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
    // by rows: each row's cotangent goes to that row's maxima
    const g = evaluate("X: matrix(2,3); g: vector(2); X", { X: [[1, 7, 7], [0, -1, 3]], g: [2, 10] }, vjp("X: matrix(2,3); g: vector(2); max(X)", "X", "g"));
    expect(g).toEqual([[0, 1, 1], [0, 0, 10]]);
  });
  it("values: finite and right at ±1000 shifts, NaN kept, a row vector is one row", () => {
    expect(evaluate("X: matrix(m,n); max(X)", { X: [[1000, 1003, 999], [-1000, -1002, -999]] })).toEqual([1003, -999]);
    expect(evaluate("X: matrix(m,n); min(X)", { X: [[1000, 1003, 999], [-1000, -1002, -999]] })).toEqual([999, -1002]);
    expect(evaluate("x: vector(n); max(x)", { x: [1, Number.NaN, 3] })).toBeNaN();
    expect(evaluate("x: matrix(1,n); min(x)", { x: [[4, -2, 3]] })).toBe(-2);
    expect(evaluate("a: scalar; max(a)", { a: 2 })).toBe(2);
  });
  it("kernels agree with the evaluator, ties and NaN included", () => {
    const text = "X: matrix(2,3); x: vector(3); g: vector(2); y = max(X); kernel rowMax = y; kernel rowMaxVjp = vjp(y, X, g); kernel lowest = min(x)";
    const X = Float64Array.of(1, 7, 7, 0, -1, 3);
    expect(Array.from(compile(text, { kernel: "rowMax" })({ X }) as Float64Array)).toEqual([7, 3]);
    expect(Array.from(compile(text, { kernel: "rowMaxVjp" })({ X, g: Float64Array.of(2, 10) }) as Float64Array)).toEqual([0, 1, 1, 0, 0, 10]);
    expect(compile(text, { kernel: "lowest" })({ x: Float64Array.of(4, -2, 3) })).toBe(-2);
    expect(compile(text, { kernel: "lowest" })({ x: Float64Array.of(4, Number.NaN, 3) })).toBeNaN();
  });
  it("jacobian and hessian refuse, saying which derivatives serve", () => {
    expect(() => jacobian("x: vector(n); max(x)", "x")).toThrow(/max\(…\) is differentiated by grad, vjp and jvp, not in index form/);
  });
});

describe("reductions: kernels at ±1000 shifts", () => {
  it("row-wise softmax, logsumexp, logsoftmax and their VJPs stay finite and agree with the evaluator", () => {
    const base = [0.3, -1.2, 2.5, 1.1, 1.1, -0.4];
    const G = [0.1, 0.2, -0.3, 0.5, -0.5, 0.2];
    for (const shift of [1000, -1000, 0]) {
      const X = base.map((v, k) => v + (k < 3 ? shift : -shift));
      for (const name of ["softmax", "logsumexp", "logsoftmax"]) {
        const g = name === "logsumexp" ? "vector(2)" : "matrix(2,3)";
        const cot = name === "logsumexp" ? [0.3, -0.7] : G;
        const text = `X: matrix(2,3); G: ${g}; y = ${name}(X); kernel value = y; kernel pullback = vjp(y, X, G)`;
        const program = parse(text);
        const values = { X: [X.slice(0, 3), X.slice(3)], G: name === "logsumexp" ? cot : [cot.slice(0, 3), cot.slice(3)] };
        for (const kernel of ["value", "pullback"]) {
          const got = Array.from(compile(text, { kernel })({ X: Float64Array.from(X), G: Float64Array.from(cot) }) as Float64Array);
          const want = [evaluate(program, values, kernel === "value" ? program.subject! : vjp(program, "X", "G"))].flat(2) as number[];
          want.forEach((w, k) => {
            expect(Number.isFinite(got[k]!), `${name} ${kernel} at ${shift}: entry ${k} = ${got[k]}`).toBe(true);
            expect(Math.abs(got[k]! - w), `${name} ${kernel} at ${shift}: entry ${k}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(w)));
          });
        }
      }
    }
  });
});

describe("reductions: the language", () => {
  it("prints as text that parses back, and as LaTeX that KaTeX renders", () => {
    for (const name of REDUCTION_NAMES) {
      for (const decl of ["X: vector(n)", "X: matrix(m,n)"]) {
        const e = parse(`${decl}; ${name}(X)`).subject!;
        expect(parse(`${decl}; ${toText(e)}`).subject, `${name}: ${toText(e)}`).toBe(e);
        katex.renderToString(toLatex(e), { throwOnError: true });
      }
    }
  });

  it("positioned errors: arity, names, misspellings, shapes", () => {
    const error = (text: string): string => {
      try {
        parse(text);
      } catch (e) {
        if (e instanceof JacobiError) return e.format();
        throw e;
      }
      return "no error";
    };
    expect(error("x: vector(n)\nsoftmax(x, 2)")).toMatch(/^error: 2:1: softmax takes 1 argument, not 2\n {2}softmax\(x, 2\)\n {2}\^/);
    expect(error("mean: scalar")).toMatch(/cannot declare 'mean': it is a function name/);
    expect(error("var = 1")).toMatch(/cannot define 'var': it is a function name/);
    expect(error("x: vector(n); sotfmax(x)")).toMatch(/did you mean 'softmax'/);
    expect(error("x: vector(n); logsumexp")).toMatch(/'logsumexp' is a function; call it as logsumexp/);
    expect(error("X: matrix(m,n); V: matrix(m,n); softmax(X)*V")).toMatch(/^error: 1:43: '\*' \(matrix product\) cannot multiply matrix\(m,n\) by matrix\(m,n\)/);
    expect(error("X: matrix(m,n); x: vector(n); mean(X) + x")).toMatch(/^error: 1:39: '\+' cannot combine vector\(m\) and vector\(n\)/);
  });

  it("every name is in the README's language reference with an example", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const name of REDUCTION_NAMES) expect(readme, name).toMatch(new RegExp("`" + name + "\\("));
  });
});
