/**
 * The elementwise functions of matrixcalculus.org and mathjs that jacobi lacked, added as
 * rows of the function table (their row checks are in functions.test.ts): relu and its
 * derivative step, cbrt, log10, sec, csc, cot, asinh, acosh, atanh; the aliases arcsin,
 * arccos, arctan; and the two-argument log(u, b) = log(u)/log(b). Here: parse errors,
 * compound derivatives against central differences and SymPy, matrix forms, kernels from
 * compile() and `jacobi gen` against the evaluator, the README's list.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, diff, evaluate, grad, parse, toLatex, toText } from "../../src/index.js";
import { JacobiError } from "../../src/core/errors.js";
import { cli, cliOut, tempFile } from "../support/cli.js";
import { centralPair, judge } from "../support/fd.js";
import { hasSympy, runSympy, SKIP_NOTE } from "../support/sympy.js";

const near = (got: number, want: number, rel = 1e-12): boolean => Math.abs(got - want) <= rel * Math.max(1, Math.abs(want));
const errorOf = (f: () => unknown): JacobiError => {
  try {
    f();
  } catch (e) {
    if (e instanceof JacobiError) return e;
    throw e;
  }
  throw new Error("no error");
};

describe("the added functions: the language", () => {
  it("aliases read as their function and print as its name", () => {
    for (const [alias, fn] of [
      ["arcsin", "asin"],
      ["arccos", "acos"],
      ["arctan", "atan"],
    ]) {
      expect(parse(`x: vector(n); ${alias}(x)`).subject).toBe(parse(`x: vector(n); ${fn}(x)`).subject);
      expect(toText(parse(`${alias}(a)`).subject!)).toBe(`${fn}(a)`);
      expect(() => parse(`${alias} = 1`)).toThrow(`cannot define '${alias}': it is a function name`);
      expect(() => parse(`${alias}: scalar; ${alias}`)).toThrow(`cannot declare '${alias}': it is a function name`);
    }
    expect(() => parse("arcsn(a)")).toThrow(/did you mean 'arcsin'/);
    expect(() => parse("arctan(a, b)")).toThrow(/arctan takes 1 argument, not 2/);
  });

  it("log(u, b) is log(u)/log(b), the base a scalar (a positioned error otherwise)", () => {
    expect(parse("x: vector(n); log(x, 2)").subject).toBe(parse("x: vector(n); log(x)/log(2)").subject);
    expect(toText(parse("log(a, b)").subject!)).toBe("log(a)/log(b)");
    expect(evaluate("log(a, 2)", { a: 1024 })).toBeCloseTo(10, 13);
    expect(evaluate("log10(a)", { a: 1e-3 })).toBe(-3);
    const e = errorOf(() => parse("x: vector(n)\nlog(2, x)"));
    expect(e.format()).toMatch(/^error: 2:8: the base of log\(u, b\) must be a scalar, not vector\(n\)\n  log\(2, x\)\n {9}\^/);
    expect(() => parse("log(a, 2, 3)")).toThrow(/log takes 1 or 2 arguments, not 3/);
    expect(() => parse("log()")).toThrow(/log takes 1 or 2 arguments, not 0/);
  });

  it("exact values where rational: cbrt of cubes, log10 of powers of ten, relu and step", () => {
    expect(toText(parse("cbrt(-8/27) + log10(1000) + log10(0.01) + relu(-3) + relu(5/2) + step(0) + step(1/3)").subject!)).toBe("23/6");
    expect(toText(parse("cbrt(2)").subject!)).toBe("cbrt(2)");
  });

  it("prints LaTeX that KaTeX renders", () => {
    const latex = toLatex(parse("x: vector(n); cbrt(x) + log10(x) + log(x, 2) + relu(x) + asinh(x) + sec(x)").subject!);
    expect(latex).toContain("\\sqrt[3]{x}");
    expect(latex).toContain("\\log_{10}\\left(x\\right)");
    expect(latex).toContain("\\frac{\\log\\left(x\\right)}{\\log\\left(2\\right)}");
    katex.renderToString(latex, { throwOnError: true });
  });

  it("is in the README's list of functions", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const list = /Functions apply elementwise: ([^]*?)\n\n/.exec(readme)![1]!;
    for (const fn of ["relu", "step", "cbrt", "log10", "sec", "csc", "cot", "asinh", "acosh", "atanh", "arcsin", "arccos", "arctan", "log(u, b)"]) expect(list).toContain(fn);
  });
});

describe("the added functions: derivatives", () => {
  it("the laws, as the differentiator writes them", async () => {
    expect(toText(diff("relu(a^2 - 1)", "a"))).toBe("2*a*step(a^2 - 1)");
    expect(toText(diff("cbrt(a)", "a"))).toBe("1/(3*cbrt(a)^2)");
    expect(toText(diff("log(a, 2)", "a"))).toBe("1/(a*log(2))");
    expect(toText(diff("log10(a)", "a"))).toBe("1/(a*log(10))");
    expect(toText(diff("arcsin(a) + arccos(a)", "a"))).toBe("0");
    expect(await cliOut("derive", "relu(a)", "--wrt", "a")).toContain("d/du relu(u) = step(u)");
  });

  const CASES = [
    "relu(x*y - 1)",
    "x*relu(sin(x))",
    "cbrt(x^2 + y)",
    "cbrt(x - 5)*x",
    "log10(x^2 + 1)",
    "log(x^2 + 2, y + 3)",
    "sec(x)*csc(y + x)",
    "cot(x/2 + 1)",
    "asinh(x*y) + acosh(x^2 + 2)",
    "atanh(x/4) - arctan(y*x)",
    "arcsin(x/5) + arccos(x/6)",
  ];
  const POINTS = [
    { x: 0.3, y: 0.6 },
    { x: -1.7, y: 2.2 },
    { x: 2.5, y: -0.9 },
  ];

  it("agree with central differences", () => {
    for (const text of CASES) {
      const d = diff(text, "x");
      for (const p of POINTS) {
        const f = (x: number): number => evaluate(`x: scalar; y: scalar; ${text}`, { ...p, x }) as number;
        const fd = centralPair(f, p.x);
        const v = judge(evaluate("x: scalar; y: scalar; x", p, d) as number, fd.coarse, fd.fine, { magnitude: fd.magnitude });
        expect(v.kind === "ok" || v.kind === "skip", `d/dx ${text} = ${toText(d)} at ${JSON.stringify(p)}: ${JSON.stringify(v)}`).toBe(true);
      }
    }
  });

  it.skipIf(!hasSympy)(`agree with SymPy's derivatives${SKIP_NOTE}`, () => {
    const script = `
data = json.load(sys.stdin)
out = []
for text in data["cases"]:
    d = sp.diff(parse(text), var("x"))
    out.append([num(d, p) for p in data["points"]])
print(json.dumps(out))
`;
    const theirs = runSympy<number[][]>(script, { cases: CASES, points: POINTS });
    CASES.forEach((text, k) => {
      const d = diff(text, "x");
      POINTS.forEach((p, j) => {
        const ours = evaluate("x: scalar; y: scalar; x", p, d) as number;
        expect(near(ours, theirs[k]![j]!, 1e-11), `d/dx ${text} = ${toText(d)} at ${JSON.stringify(p)}: ${ours} against SymPy's ${theirs[k]![j]}`).toBe(true);
      });
    });
  });

  it("in matrix form: a relu layer's gradient is step(W*x)*x'", () => {
    expect(toText(grad("W: matrix(m,n); x: vector(n); sum(relu(W*x))", "W"))).toBe("step(W*x)*x'");
    expect(toText(grad("x: vector(n); sum(cbrt(x))", "x"))).toBe("1 ./ (3*cbrt(x).^2)");
  });
});

describe("the added functions: kernels", () => {
  const SPEC =
    "x: vector(n)\nb: vector(n)\nkernel act = relu(x - b) + cbrt(x) + log10(abs(x) + 1) + log(abs(b) + 2, 3)\n" +
    "kernel trig = sec(x) + csc(x) + cot(x) + asinh(x) + acosh(abs(x) + 1) + atanh(x/4)\n" +
    "kernel g = grad(sum(relu(x - b) + cbrt(x) + sec(x) + atanh(x/4)), x)\n";
  const program = "x: vector(n); b: vector(n); ";
  const x = Float64Array.of(0.5, -2, 3, -0.7, 1.2);
  const b = Float64Array.of(0.25, -3, 4, 0.1, -1);
  const bodies: Record<string, () => string> = {
    act: () => "relu(x - b) + cbrt(x) + log10(abs(x) + 1) + log(abs(b) + 2, 3)",
    trig: () => "sec(x) + csc(x) + cot(x) + asinh(x) + acosh(abs(x) + 1) + atanh(x/4)",
  };

  function againstEvaluator(kernels: Record<string, (inputs: { x: Float64Array; b: Float64Array }) => Float64Array>): void {
    for (const [name, body] of Object.entries(bodies)) {
      const want = evaluate(program + body(), { x, b }) as number[];
      const got = kernels[name]!({ x, b });
      want.forEach((w, k) => expect(near(got[k]!, w), `${name} at ${k}: ${got[k]} against ${w}`).toBe(true));
    }
    const f = "sum(relu(x - b) + cbrt(x) + sec(x) + atanh(x/4))";
    const gradient = evaluate(program + f, { x, b }, grad(program + f, "x")) as number[];
    const got = kernels.g!({ x, b });
    gradient.forEach((w, k) => expect(near(got[k]!, w), `g at ${k}`).toBe(true));
  }

  it("compile(): agrees with the evaluator", () => {
    againstEvaluator(Object.fromEntries(["act", "trig", "g"].map((k) => [k, compile(SPEC, { kernel: k })])) as never);
  });

  it("jacobi gen: the module agrees with the evaluator", async () => {
    const out = mkdtempSync(join(tmpdir(), "jacobi-added-"));
    const r = await cli("gen", tempFile("added.jacobi", SPEC), "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const file = join(out, "added.ts");
    expect(readFileSync(file, "utf8")).toContain("Math.cbrt(");
    againstEvaluator((await import(pathToFileURL(file).href)) as never);
  });
});
