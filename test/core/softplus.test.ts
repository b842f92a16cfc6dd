/**
 * softplus(u) = log(1 + e^u), added to the language by its row in the function table and
 * nothing else: it parses, differentiates (against finite differences and SymPy), is
 * evaluated stably (finite and right at u = ±1000), prints as text and LaTeX, compiles to
 * stable kernels, and has the matrix-form derivative sigmoid(x).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, diff, evaluate, grad, hessian, parse, toLatex, toText } from "../../src/index.js";
import { JacobiError } from "../../src/core/errors.js";
import { cli, cliOut, tempFile } from "../support/cli.js";
import { centralPair, judge } from "../support/fd.js";
import { hasSympy, runSympy, SKIP_NOTE } from "../support/sympy.js";

/** log(1 + e^u) by another formula: log1p(e^u), and u + e^-u where e^u would overflow (the next terms are below rounding). */
const reference = (u: number): number => (u > 30 ? u + Math.exp(-u) : Math.log1p(Math.exp(u)));
const EXTREMES = [1000, -1000, 750, -750, 0, 30, -30, 1e-9];
const near = (got: number, want: number, rel = 1e-14): boolean => Math.abs(got - want) <= rel * Math.max(1e-300, Math.abs(want)) || got === want;

describe("softplus: the language", () => {
  it("parses as an elementwise call, with positioned errors for misuse", () => {
    const e = parse("x: vector(n); softplus(x)").subject!;
    expect(e.kind === "call" && e.fn === "softplus" && e.shape.rows === "n").toBe(true);
    expect(() => parse("softplus(a, b)")).toThrow(/softplus takes 1 argument, not 2/);
    expect(() => parse("softplus = 1")).toThrow(/cannot define 'softplus': it is a function name/);
    expect(() => parse("softplsu(a)")).toThrow(/did you mean 'softplus'/);
    let error: unknown;
    try {
      parse("y = 2\nsoftplus(y, 1)");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JacobiError);
    expect((error as JacobiError).format()).toMatch(/^error: 2:1: softplus takes 1 argument, not 2\n  softplus\(y, 1\)\n  \^/);
  });

  it("prints as text that parses back, and as LaTeX that KaTeX renders", () => {
    const p = parse("x: vector(n); softplus(2*x + 1)' * softplus(x)");
    expect(toText(p.subject!)).toBe("softplus(x)'*softplus(2*x + 1)");
    expect(toText(parse("x: vector(n); softplus(x)'").subject!)).toBe("softplus(x)'");
    expect(parse(`x: vector(n); ${toText(p.subject!)}`).subject).toBe(p.subject);
    const latex = toLatex(parse("x: vector(n); softplus(x)").subject!);
    expect(latex).toBe("\\operatorname{softplus}\\left(x\\right)");
    katex.renderToString(latex, { throwOnError: true });
  });

  it("is in the README's list of functions", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toMatch(/Functions apply elementwise: `[^`]*\bsoftplus\b/);
  });
});

describe("softplus: derivatives", () => {
  it("d/du softplus(u) = sigmoid(u), by the chain rule, and the derivation shows the law", async () => {
    expect(toText(diff("softplus(a)", "a"))).toBe("sigmoid(a)");
    expect(toText(diff("softplus(a^2)", "a"))).toBe("2*a*sigmoid(a^2)");
    expect(await cliOut("derive", "softplus(a)", "--wrt", "a")).toContain("chain rule [d/du softplus(u) = sigmoid(u)]");
  });

  it("agrees with central differences, also far out where the textbook formula overflows", () => {
    const f = (a: number): number => evaluate("softplus(a^2/4 - 3*a)", { a }) as number;
    const d = diff("softplus(a^2/4 - 3*a)", "a");
    for (const a of [-40, -3, -0.5, 0, 0.7, 5, 12, 40]) {
      const fd = centralPair(f, a);
      const v = judge(evaluate("a", { a }, d) as number, fd.coarse, fd.fine, { magnitude: fd.magnitude });
      expect(v.kind, `at a = ${a}: ${JSON.stringify(v)}`).toBe("ok");
    }
  });

  const CASES = ["softplus(x)", "softplus(x*y - 2)", "x*softplus(sin(x))", "log(softplus(x))", "softplus(softplus(x) - y)"];
  const POINTS = [
    { x: 0.3, y: 0.6 },
    { x: -1.7, y: 2.2 },
    { x: 4.5, y: -0.9 },
  ];
  it.skipIf(!hasSympy)(`agrees with SymPy's derivative of log(1 + exp(u))${SKIP_NOTE}`, () => {
    const script = `
data = json.load(sys.stdin)
u = sp.Symbol("u")
softplus = sp.Lambda(u, sp.log(1 + sp.exp(u)))
out = []
for text in data["cases"]:
    e = parse_expr(text.replace("^", "**"), local_dict={**LOCALS, "softplus": softplus}, transformations=standard_transformations)
    e = e.subs({s: var(s.name) for s in e.free_symbols})
    d = sp.diff(e, var("x"))
    out.append([num(d, p) for p in data["points"]])
print(json.dumps(out))
`;
    const theirs = runSympy<number[][]>(script, { cases: CASES, points: POINTS });
    CASES.forEach((text, k) => {
      const d = diff(text, "x");
      POINTS.forEach((p, j) => {
        const ours = evaluate(`x: scalar; y: scalar; ${text}`, p, d) as number;
        expect(near(ours, theirs[k]![j]!, 1e-12), `d/dx ${text} = ${toText(d)} at ${JSON.stringify(p)}: ${ours} against SymPy's ${theirs[k]![j]}`).toBe(true);
      });
    });
  });

  it("in matrix form: the gradient of sum(softplus(x)) is sigmoid(x), its Hessian a diagonal", async () => {
    expect(toText(grad("x: vector(n); sum(softplus(x))", "x"))).toBe("sigmoid(x)");
    expect(await cliOut("grad", "x: vector(n); sum(softplus(x))", "--wrt", "x")).toBe("sigmoid(x)");
    expect(toText(hessian("x: vector(n); sum(softplus(x))", "x"))).toBe("diag(sigmoid(x) .* (1 - sigmoid(x)))");
    expect(toText(grad("W: matrix(m,n); x: vector(n); sum(softplus(W*x))", "W"))).toBe("sigmoid(W*x)*x'");
  });
});

describe("softplus: numbers", () => {
  it("evaluates finite and right at ±1000 and everywhere between", async () => {
    const got = evaluate("x: vector(n); softplus(x)", { x: EXTREMES }) as number[];
    got.forEach((v, k) => {
      expect(Number.isFinite(v), `softplus(${EXTREMES[k]}) = ${v}`).toBe(true);
      expect(near(v, reference(EXTREMES[k]!)), `softplus(${EXTREMES[k]}) = ${v}, want ${reference(EXTREMES[k]!)}`).toBe(true);
    });
    expect(await cliOut("eval", "softplus(a)", "--at", "a=-1000", "--format", "json")).toBe("0");
    expect(await cliOut("eval", "softplus(a)", "--at", "a=1000", "--format", "json")).toBe("1000");
    const g = evaluate("x: vector(n); sum(softplus(x))", { x: [1000, -1000] }, grad("x: vector(n); sum(softplus(x))", "x")) as number[];
    expect(g).toEqual([1, 0]);
  });

  const SPEC = "x: vector(n)\nb: vector(n)\nkernel sp = softplus(x + b)\nkernel loss = sum(softplus(x + b))\nkernel g = grad(sum(softplus(x + b)), x)\n";
  const x = Float64Array.of(1000, -1000, 750, -750, 0.5, -2);
  const b = Float64Array.of(0, 0, 0, 0, 0.25, 1);

  function againstEvaluator(kernels: Record<string, (inputs: { x: Float64Array; b: Float64Array }) => Float64Array | number>): void {
    const program = "x: vector(n); b: vector(n); ";
    const values = evaluate(`${program}softplus(x + b)`, { x, b }) as number[];
    const gradient = evaluate(`${program}sum(softplus(x + b))`, { x, b }, grad(`${program}sum(softplus(x + b))`, "x")) as number[];
    const sp = kernels.sp!({ x, b }) as Float64Array;
    values.forEach((v, k) => expect(near(sp[k]!, v) && Number.isFinite(v), `softplus(${x[k]! + b[k]!}): kernel ${sp[k]}, evaluator ${v}`).toBe(true));
    const loss = kernels.loss!({ x, b }) as number;
    expect(near(loss, values.reduce((s, v) => s + v, 0), 1e-13)).toBe(true);
    expect(Array.from(kernels.g!({ x, b }) as Float64Array)).toEqual(gradient);
  }

  it("compile(): stable kernels that agree with the evaluator at ±1000", () => {
    const kernels = Object.fromEntries(["sp", "loss", "g"].map((k) => [k, compile(SPEC, { kernel: k })])) as never;
    againstEvaluator(kernels);
  });

  it("jacobi gen: the module computes the stable form and agrees with the evaluator at ±1000", async () => {
    const out = mkdtempSync(join(tmpdir(), "jacobi-softplus-"));
    const r = await cli("gen", tempFile("softplus.jacobi", SPEC), "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const file = join(out, "softplus.ts");
    const code = readFileSync(file, "utf8");
    // the argument, read twice by the stable form, is computed once
    expect(code).toMatch(/const (t\d*) = b\[i\] \+ x\[i\];\n\s*out\[i\] = Math\.max\(\1, 0\) \+ Math\.log1p\(Math\.exp\(-Math\.abs\(\1\)\)\);/);
    againstEvaluator((await import(pathToFileURL(file).href)) as never);
  });
});
