/**
 * The matrix half of issue 18, "textbook forms": each derivative prints the form a
 * textbook writes, that form is no larger than the one printed before (counted as a
 * tree), and it has the old form's value and finite differences' at random points and
 * sizes. The old forms are the ones main printed before these rules (kept here as text).
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { derive, type DerivativeSpec } from "../../src/calculus/derive.js";
import { printedLength } from "../../src/calculus/choose.js";
import { subjectOf } from "../../src/core/program.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toLatex } from "../../src/print/latex.js";
import { toText } from "../../src/print/text.js";
import { envOf, expectedByFd, judgeValue } from "../support/derivatives.js";
import { probability, randomBindings, randomSizes, rngFrom, type ValueRanges } from "../support/random.js";

interface FormCase {
  readonly what: string;
  readonly program: string;
  readonly spec: DerivativeSpec;
  /** What is printed now. */
  readonly form: string;
  /** What was printed before. */
  readonly before: string;
  readonly ranges?: (sizes: ReadonlyMap<string, number>) => ValueRanges;
}

const LOGISTIC = "X: matrix(m,n); w: vector(n); y: vector(m); p = sigmoid(X*w); -sum(y .* log(p) + (1 - y) .* log(1 - p))";

const CASES: readonly FormCase[] = [
  { what: "logistic regression's gradient", program: LOGISTIC, spec: { kind: "grad", wrt: "w" }, form: "X'*(p - y)", before: "X'*(p .* (1 - y) - y .* (1 - p))" },
  {
    what: "logistic regression's Hessian",
    program: LOGISTIC,
    spec: { kind: "hessian", wrt: "w" },
    form: "X'*diag(p .* (1 - p))*X",
    before: "X'*(diag(p .* y .* (1 - p)) + diag(p .* (1 - p) .* (1 - y)))*X",
  },
  {
    what: "the logistic loss with labels ±1",
    program: "X: matrix(m,n); w: vector(n); y: vector(m); sum(log(exp(-y.*(X*w)) + 1))",
    spec: { kind: "grad", wrt: "w" },
    form: "-(X'*(y .* sigmoid(-(X*w) .* y)))",
    before: "-(X'*(y .* exp(-(X*w) .* y) .* sigmoid((X*w) .* y)))",
  },
  { what: "softplus's Jacobian", program: "x: vector(n); log(1 + exp(x))", spec: { kind: "jacobian", wrt: "x" }, form: "diag(sigmoid(x))", before: "diag(exp(x) .* sigmoid(-x))" },
  { what: "the Frobenius norm's gradient", program: "X: matrix(m,n); sqrt(sum(X.^2))", spec: { kind: "grad", wrt: "X" }, form: "X/norm2(X)", before: "X/sqrt(sum(X'.^2*ones(m)))" },
  {
    what: "a Gaussian's log density by its mean (partial factoring, a sign taken out)",
    program: "x: vector(n); mu: vector(n); Pm: matrix(n,n); -(x-mu)'*Pm*(x-mu)/2",
    spec: { kind: "grad", wrt: "mu" },
    form: "((Pm + Pm')*(x - mu))/2",
    before: "(Pm*(x - mu))/2 - (Pm'*(mu - x))/2",
  },
  {
    what: "a quadratic form minus a linear one (partial factoring)",
    program: "x: vector(n); b: vector(n); A: matrix(n,n); 0.5*x'*A*x - b'*x",
    spec: { kind: "grad", wrt: "x" },
    form: "((A + A')*x)/2 - b",
    before: "(A*x)/2 + (A'*x)/2 - b",
  },
  {
    what: "literal vectors (products of unit vectors multiplied out)",
    program: "u = [a, c]; M = [[a, b],[c, a*b]]; u'*M*u",
    spec: { kind: "grad", wrt: "a" },
    form: "3*a^2 + c^2 + b*c + b*c^2",
    before: "([[0, 1]]*[0, 1])*([[1, 0]]*[1, 0])*b*c + ([[0, 1]]*[0, 1])*([[1, 0]]*[1, 0])*c^2 + ([[0, 1]]*[0, 1])^2*b*c^2 + 3*([[1, 0]]*[1, 0])^2*a^2",
  },
  {
    what: "softmax and cross-entropy, assuming sum(y) = 1",
    program: "z: vector(n); y: vector(n); assume sum(y) = 1; s = exp(z)/sum(exp(z)); -sum(y .* log(s))",
    spec: { kind: "grad", wrt: "z" },
    form: "s - y",
    before: "s*sum(y) - y",
    ranges: probability("y", "n"),
  },
];

describe("textbook matrix forms (issue 18)", () => {
  for (const c of CASES) {
    it(`${c.what}: ${c.form}, no larger than ${c.before}`, () => {
      const program = parseProgram(c.program);
      const r = derive(program, subjectOf(program), c.spec);
      expect(toText(r.matrix!)).toBe(c.form);
      const before = parseProgram(`${c.program}\n${c.before}`).subject!;
      expect(printedLength(r.matrix!)).toBeLessThanOrEqual(printedLength(before));
    });

    it(`${c.what}: the new form has the old one's value and finite differences'`, () => {
      const program = parseProgram(c.program);
      const r = derive(program, subjectOf(program), c.spec);
      const before = parseProgram(`${c.program}\n${c.before}`).subject!;
      const rng = rngFrom(18);
      let compared = 0;
      for (let trial = 0; trial < 8; trial++) {
        const sizes = randomSizes(program, rng, 1, 5);
        const bindings = randomBindings(program, sizes, rng, c.ranges?.(sizes) ?? {});
        const env = envOf(program, bindings);
        const now = evaluate(r.matrix!, env);
        const old = evaluate(before, env);
        for (let k = 0; k < now.data.length; k++) expect(Math.abs(now.data[k]! - old.data[k]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(old.data[k]!)));
        const verdict = judgeValue(now, expectedByFd(program, c.spec, bindings));
        expect(verdict.kind, `trial ${trial}`).not.toBe("fail");
        if (verdict.kind === "ok") compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(6);
    });
  }
});

describe("a vector sum's common number is written outside it (the printers)", () => {
  const decls = "W: matrix(m,n); x: vector(n); y: vector(m)";
  it("squared error's cotangent: 2*(W*x - y)*x', the same node as (2*(W*x) - 2*y)*x', and its LaTeX renders", () => {
    const program = parseProgram(`${decls}; sum((W*x - y).^2)`);
    const g = derive(program, subjectOf(program), { kind: "grad", wrt: "W" }).matrix!;
    expect(toText(g)).toBe("2*(W*x - y)*x'");
    expect(parseProgram(`${decls}; (2*(W*x) - 2*y)*x'`).subject).toBe(g);
    expect(parseProgram(`${decls}; ${toText(g)}`).subject).toBe(g);
    expect(toLatex(g)).toBe("2 \\left(W x - y\\right) x^{\\top}");
    expect(() => katex.renderToString(toLatex(g), { throwOnError: true })).not.toThrow();
  });

  it("every term negative: -2*(W*x + y); scalar sums as they are: 2*(x'*x) + 2", () => {
    expect(toText(parseProgram(`${decls}; -2*(W*x) - 2*y`).subject!)).toBe("-2*(W*x + y)");
    expect(toText(parseProgram(`${decls}; 2*x'*x + 2`).subject!)).toBe("2*(x'*x) + 2");
  });
});
