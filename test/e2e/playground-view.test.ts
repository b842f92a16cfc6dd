/**
 * The playground's view model (playground/compute.ts) without a browser: every panel's
 * content for the derivative kinds, checked against the library (matrix form), KaTeX
 * (every formula typesets), and the kernel generator (the spec it builds compiles and its
 * kernel agrees with `evaluate`). Also: the playground's TypeScript typechecks.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import katex from "katex";
import { describe, expect, it } from "vitest";
import { KINDS, parseSizes, parseValues, view, type Request } from "../../playground/compute.js";
import { compile, evaluate, grad, JacobiError, jacobian, parse, toLatex, vjp } from "../../src/index.js";

const repo = new URL("../../", import.meta.url).pathname;
const SOFTMAX = "x: vector(n)\ns = exp(x)/sum(exp(x))";
const request = (r: Partial<Request>): Request => ({ text: SOFTMAX, kind: "jacobian", wrt: "x", vector: "", sizes: "", ...r });
const typesets = (tex: string): void => void katex.renderToString(tex, { displayMode: true, throwOnError: true });

describe("the playground's view", () => {
  it("shows the softmax program, its Jacobian, the entries at n = 3, the steps and a kernel spec", () => {
    const v = view(request({ sizes: "n=3" }));
    expect(v.error).toBeUndefined();
    expect(v.program).toEqual(["x \\in \\mathbb{R}^{n}", `s = ${toLatex(parse(SOFTMAX).defs.get("s")!.expr)}`]);
    expect(v.matrix).toEqual({ ok: true, value: `\\frac{\\partial s}{\\partial x} = ${toLatex(jacobian(parse(SOFTMAX), "x"))}` });
    expect(v.elementwise?.ok && v.elementwise.value).toContain(toLatex(jacobian("x: vector(3)\ns = exp(x)/sum(exp(x))", "x", { elementwise: true })));
    expect(v.steps?.ok && v.steps.value.map((s) => s.title)).toEqual(["Definitions and index form", "Jacobian of s by x"]);
    expect(v.kernelSpec).toEqual({ ok: true, value: `${SOFTMAX}\nkernel sJacobian = jacobian(s, x)\n` });
  });

  it("gives every kind a typeset result, declaring the cotangent or tangent when the program does not", () => {
    for (const kind of KINDS) {
      const text = kind === "diff" ? "a: scalar\nx: vector(n)\nexp(a*x)" : kind === "grad" || kind === "hessian" ? "x: vector(n)\nlog(sum(exp(x)))" : SOFTMAX;
      const v = view(request({ text, kind, wrt: kind === "diff" ? "a" : "x", vector: kind === "jvp" ? "v" : "g", sizes: "n=2" }));
      expect(v.error, kind).toBeUndefined();
      for (const tex of [...v.program!, v.matrix!.ok ? v.matrix!.value : "", v.elementwise!.ok ? v.elementwise!.value : ""]) typesets(tex);
      expect(v.elementwise!.ok, kind).toBe(true);
      expect(v.steps!.ok, kind).toBe(true);
      if (v.steps!.ok) for (const s of v.steps!.value) typesets(s.latex);
    }
  });

  it("builds a kernel spec whose kernel computes the vjp, naming an unnamed value", () => {
    const text = "x: vector(n)\nexp(x)/sum(exp(x))";
    const v = view(request({ text, kind: "vjp", vector: "g" }));
    expect(v.kernelSpec?.ok).toBe(true);
    const spec = v.kernelSpec!.ok ? v.kernelSpec!.value : "";
    expect(spec).toBe("g: vector(n)\nx: vector(n)\nf = exp(x)/sum(exp(x))\nkernel fVjp = vjp(f, x, g)\n");
    const x = [0.3, -1, 2];
    const g = [1, 2, -0.5];
    const out = compile(spec)({ x: Float64Array.from(x), g: Float64Array.from(g) }) as Float64Array;
    const p = parse(`g: vector(n)\n${text}`);
    const expected = evaluate(p, { x, g }, vjp(p, "x", "g")) as number[];
    expected.forEach((e, k) => expect(out[k]).toBeCloseTo(e, 12));
  });

  it("reports input errors with line:col and a caret, keeping the program when only the derivative fails", () => {
    const broken = view(request({ text: "x: vector(n)\ns = exp(x) +" }));
    let expected: JacobiError | undefined;
    try {
      parse("x: vector(n)\ns = exp(x) +");
    } catch (e) {
      expected = e as JacobiError;
    }
    expect(broken.error).toBe(expected!.format());
    expect(broken.error).toMatch(/^error: 2:\d+: /);
    expect(broken.program).toBeUndefined();
    const noSuchName = view(request({ wrt: "y" }));
    expect(noSuchName.program).toBeDefined();
    expect(noSuchName.error).toMatch(/^error: .*y/);
    expect(view(request({ wrt: "" })).error).toMatch(/not a name/);
  });

  it("checks the sizes field, and writes out only small element-wise views", () => {
    expect(parseSizes(" n=3, m=2 ")).toEqual(new Map([["n", 3], ["m", 2]]));
    expect(() => parseSizes("n=x")).toThrow(/not NAME=NUMBER/);
    expect(() => parseSizes("n=80")).toThrow(/between 1 and/);
    expect(view(request({ sizes: "n=10" })).elementwise?.ok).toBe(true); // 100 entries
    const big = view(request({ sizes: "n=11" }));
    expect(big.elementwise).toMatchObject({ ok: false, message: expect.stringMatching(/at most 100 .* has 121/) });
    expect(big.matrix?.ok).toBe(true);
    const hessian = view(request({ text: "x: vector(n)\nlog(sum(exp(x)))", kind: "hessian", sizes: "n=11" }));
    expect(hessian.elementwise).toMatchObject({ ok: false, message: expect.stringMatching(/has 121/) });
  });
});

describe("the playground's code", () => {
  it("typechecks", () => {
    execFileSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", join(repo, "playground/tsconfig.json")], { stdio: "pipe" });
  });
});

describe("the playground's values", () => {
  it("shows the value and the derivative at the values (as --at does), ignoring values the program does not use", () => {
    const x = [0.2, -1.3, 0.7];
    const v = view(request({ values: "x=[0.2, -1.3, 0.7]; q=2" }));
    expect(v.values?.ok).toBe(true);
    const [value, ...rows] = (v.values!.ok ? v.values!.value : "").split("\n");
    const derivative = rows.join(" "); // a matrix prints one row a line
    const p = parse(SOFTMAX);
    const numbers = (line: string): number[] => [...line.replace(/^[^=]*=/, "").matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)].map((m) => Number(m[0]));
    expect(value).toMatch(/^s = \[/);
    numbers(value!).forEach((e, k) => expect(e).toBeCloseTo((evaluate(p, { x }) as number[])[k]!, 5));
    const j = (evaluate(p, { x }, jacobian(p, "x")) as number[][]).flat();
    expect(numbers(derivative!)).toHaveLength(9);
    numbers(derivative!).forEach((e, k) => expect(e).toBeCloseTo(j[k]!, 5));
    expect(view(request({})).values).toBeUndefined();
  });

  it("reports a bad or missing value with its place", () => {
    expect(() => parseValues("x=[1, 2")).toThrow(JacobiError);
    expect(() => parseValues("x=1; x=2")).toThrow(/given twice/);
    const missing = view(request({ text: "x: vector(n)\na: scalar\ns = a*exp(x)/sum(exp(x))", values: "x=[1, 2]" }));
    expect(missing.values).toMatchObject({ ok: false, message: expect.stringMatching(/no value for 'a'/) });
  });
});

describe("the playground's check mode", () => {
  const NOTEBOOK = readFileSync(join(repo, "examples/notebook-claims.jacobi"), "utf8");
  const numbers = (text: string): number[] => [...text.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)].map((m) => Number(m[0]));

  it("judges the notebook's claims: g3 is the first wrong one, and the claims after it use it", () => {
    const v = view(request({ text: NOTEBOOK, kind: "check" }));
    expect(v.error).toBeUndefined();
    const { cards, firstWrong, summary } = v.claims!;
    expect(cards.map((c) => c.verdict)).toEqual(["holds", "holds", "holds", "holds", "holds", "wrong", "wrong", "wrong"]);
    const g3 = cards[firstWrong!]!;
    expect(g3.text).toBe("claim grad(L, net1) = g3");
    expect(summary).toBe(`first wrong claim: line ${g3.line}`);
    expect(NOTEBOOK.split("\n")[g3.line - 1]).toBe(g3.text);
    for (const c of cards.slice(firstWrong! + 1)) expect(c.summary).toBe(`wrong: uses g3, see line ${g3.line} (it holds with g3 corrected)`);
    for (const c of cards.slice(0, firstWrong!)) expect(c.summary).toMatch(/^holds: (proved|not proved, but equal at \d+ random points)/);
    // the counterexample's numbers, against the library's own gradient and the claimed g3 at its values
    const lines = g3.counterexample!.split("\n");
    const at = Object.fromEntries(lines.filter((l) => /^  \w+ = /.test(l)).map((l) => [l.trim().split(" = ")[0]!, JSON.parse(l.trim().split(" = ")[1]!)]));
    const p = parse(`${NOTEBOOK}\nL`); // the loss as the program's value
    const side = (prefix: string): number[] => numbers(lines.find((l) => l.startsWith(prefix))!.slice(prefix.length));
    side("left side:").forEach((x, k) => expect(x).toBeCloseTo((evaluate(p, at, grad(p, "net1")) as number[])[k]!, 4));
    side("right side:").forEach((x, k) => expect(x).toBeCloseTo((evaluate(p, at, p.defs.get("g3")!.expr) as number[])[k]!, 4));
    // the correct expression: typeset, and the LaTeX of its text form read in the program
    expect(g3.expected!.latex).toBe(`\\text{correct} = ${toLatex(parse(`${NOTEBOOK}\ncorrect = ${g3.expected!.text}`).defs.get("correct")!.expr)}`);
    for (const c of cards) if (c.expected?.latex) typesets(c.expected.latex);
    for (const tex of v.program!) typesets(tex);
  });

  it("says every claim holds when they do, with the shape message when a side has the wrong shape", () => {
    const text = "x: vector(n)\nA: matrix(n,n)\nf = x'*A*x\nclaim grad(f, x) = (A + A')*x\nclaim hessian(f, x) = A + A'";
    const v = view(request({ text, kind: "check" }));
    expect(v.claims!.cards.map((c) => c.verdict)).toEqual(["holds", "holds"]);
    expect(v.claims!.firstWrong).toBeNull();
    expect(v.claims!.summary).toBe("all 2 claims hold");
    const shape = view(request({ text: "x: vector(n)\nW: matrix(m,n)\nclaim grad(sum(W*x), x) = W*x", kind: "check" }));
    expect(shape.claims!.cards[0]!.summary).toBe("wrong: your grad(sum(W*x), x) is vector(m); the gradient is vector(n)");
    expect(shape.claims!.cards[0]!.expected!.latex).toBe(`\\text{correct} = ${toLatex(parse("W: matrix(m,n)\nW'*ones(m)"))}`);
  });

  it("holds the values given fixed, and reports a broken claim, a bad value or no claims as input errors", () => {
    const text = "x: vector(3)\ny: vector(3)\nL = sum(y .* x.^2)\nclaim grad(L, x) = 2*x";
    expect(view(request({ text, kind: "check", values: "y=[1, 1, 1]" })).claims!.cards[0]!.verdict).toBe("holds");
    expect(view(request({ text, kind: "check" })).claims!.cards[0]!.verdict).toBe("wrong");
    const broken = "x: vector(n)\nclaim grad(sum(x), x) = x +";
    let expected: JacobiError | undefined;
    try {
      parse(broken);
    } catch (e) {
      expected = e as JacobiError;
    }
    const v = view(request({ text: broken, kind: "check" }));
    expect(v.error).toBe(expected!.format());
    expect(v.error).toMatch(/^error: 2:\d+: /);
    expect(view(request({ text, kind: "check", values: "y=[1, 1" })).error).toMatch(/^error: /);
    expect(view(request({ kind: "check" })).error).toMatch(/no claims/);
  });
});
