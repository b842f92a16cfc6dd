/**
 * det(A), logdet(A) and inv(A) (matrixcalculus.org's names): what they mean (logdet(A)
 * is log(det(A)); the builders' identities), their printing (text that parses back,
 * LaTeX that KaTeX renders: \det, \log\det, X^{-1}, X^{-\top}), derivation steps that
 * name the Cookbook identity, SymPy's derivative of a symbolic 3×3 determinant as an
 * oracle, kernels against the evaluator at random sizes (a product with an inverse is a
 * solve: one factorization, no explicit inverse), a singular matrix in a kernel (NaN
 * entries, det 0, logdet -Infinity), the wasm target (JavaScript loops), and positioned
 * shape errors.
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { compile, evaluate, generate, grad, parse, toLatex, toText } from "../../src/index.js";
import { JacobiError } from "../../src/core/errors.js";
import { cliOut } from "../support/cli.js";
import { rngFrom, uniform } from "../support/random.js";
import { hasSympy, runSympy, SKIP_NOTE } from "../support/sympy.js";

const D = "X: matrix(n,n); A: matrix(n,n); a: vector(n); b: vector(n); M: matrix(m,n); c: scalar; ";
const subject = (text: string) => parse(text).subject!;

function errorOf(text: string): JacobiError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof JacobiError) return e;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

describe("det, logdet, inv: the language", () => {
  it("logdet(A) is log(det(A)); det(A') = det(A), inv(A') = inv(A)', inv(inv(A)) = A, det(inv(A)) = 1/det(A), of a scalar a and 1/a", () => {
    expect(subject(`${D}logdet(X)`)).toBe(subject(`${D}log(det(X))`));
    expect(subject(`${D}det(X')`)).toBe(subject(`${D}det(X)`));
    expect(subject(`${D}inv(X')`)).toBe(subject(`${D}inv(X)'`));
    expect(subject(`${D}inv(inv(X))`)).toBe(subject(`${D}X`));
    expect(subject(`${D}det(inv(X))`)).toBe(subject(`${D}1/det(X)`));
    expect(subject(`${D}det(eye(n)) + sum(inv(eye(n)))`)).toBe(subject(`${D}1 + n`));
    expect(subject(`${D}det(c) + inv(c)`)).toBe(subject(`${D}c + 1/c`));
  });

  it("print by name in text that parses back, and in LaTeX that KaTeX renders", () => {
    const e = subject(`${D}det(A*X) + logdet(X) + a'*inv(X)*b + a'*inv(X)'*b + sum(inv(A + X)*a)`);
    const text = toText(e);
    for (const part of ["det(A*X)", "logdet(X)", "a'*inv(X)*b", "inv(X)'", "inv(A + X)"]) expect(text).toContain(part);
    expect(subject(D + text)).toBe(e);
    const latex = toLatex(e);
    for (const part of ["\\det\\left(A X\\right)", "\\log\\det\\left(X\\right)", "X^{-1}", "X^{-\\top}", "\\left(A + X\\right)^{-1}"]) expect(latex).toContain(part);
    katex.renderToString(latex, { throwOnError: true });
    for (const wrt of ["X", "A", "a"]) katex.renderToString(toLatex(grad(D + text, wrt)), { throwOnError: true });
  });

  it("non-square arguments are positioned shape errors; a wrong arity is an arity error", () => {
    expect(errorOf("M: matrix(m,n)\ndet(M)").format()).toMatch(/^error: 2:5: det takes a square matrix, not matrix\(m,n\)\n  det\(M\)\n {6}\^/);
    expect(errorOf("x: vector(n); inv(x)").format()).toMatch(/^error: 1:19: inv takes a square matrix, not vector\(n\)/);
    expect(errorOf("x: vector(n); logdet(x')").message).toBe("logdet takes a square matrix, not row vector(n)");
    expect(errorOf("X: matrix(n,n); det(X, X)").message).toBe("det takes 1 argument, not 2");
    expect(errorOf("det = 1").message).toMatch(/cannot define 'det': it is a function name/);
  });
});

describe("det, logdet, inv: derivations and an independent oracle", () => {
  it("derivation steps name the identity (text and LaTeX that KaTeX renders)", async () => {
    const text = await cliOut("derive", "X: matrix(n,n); logdet(X)", "--wrt", "X");
    expect(text).toContain("derivative of a determinant [d det(X) = det(X)*tr(inv(X)*dX)]");
    expect(text).toContain("matrix form: ∂f/∂X = inv(X)'");
    const inverse = await cliOut("derive", "X: matrix(n,n); a: vector(n); b: vector(n); a'*inv(X)*b", "--wrt", "X");
    expect(inverse).toContain("derivative of an inverse [d inv(X) = -inv(X)*dX*inv(X)]");
    const latex = await cliOut("derive", "X: matrix(n,n); logdet(X)", "--wrt", "X", "--format", "latex");
    for (const line of latex.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("%"))) katex.renderToString(line.replace(/^\\\[|\\\]$/g, ""), { throwOnError: false });
    expect(latex).toContain("X^{-\\top}");
  });

  it.skipIf(!hasSympy)(`grad of det(X), logdet(X) and a'*inv(X)*b equal SymPy's derivatives of a symbolic 3×3 at a point${SKIP_NOTE}`, () => {
    const rng = rngFrom(3);
    const X = [0, 1, 2].map((i) => [0, 1, 2].map((j) => Math.round(uniform(rng, -3, 3)) + (i === j ? 5 : 0)));
    const a = [1, -2, 3];
    const bv = [2, 0, -1];
    const sym = runSympy<number[][][]>(
      `d = json.load(sys.stdin)
S = sp.Matrix(3, 3, lambda i, j: var("x%d%d" % (i, j)))
a = sp.Matrix(d["a"]); b = sp.Matrix(d["b"])
fs = [S.det(), sp.log(S.det()), (a.T * S.inv() * b)[0]]
pt = {var("x%d%d" % (i, j)): d["X"][i][j] for i in range(3) for j in range(3)}
print(json.dumps([[[float(sp.diff(f, var("x%d%d" % (i, j))).subs(pt)) for j in range(3)] for i in range(3)] for f in fs]))`,
      { X, a, b: bv },
    );
    const P = "X: matrix(n,n); a: vector(n); b: vector(n); ";
    ["det(X)", "logdet(X)", "a'*inv(X)*b"].forEach((f, k) => {
      const g = evaluate(P + f, { X, a, b: bv }, grad(P + f, "X")) as number[][];
      sym[k]!.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(g[i]![j]! - x), `∂${f}/∂X[${i},${j}]`).toBeLessThan(1e-10 * Math.max(1, Math.abs(x)))));
    });
  });
});

describe("det, logdet, inv: kernels", () => {
  const spec = `${D}
kernel values = det(X) + logdet(A*X) + a'*inv(X)*b
kernel inverse = inv(X)
kernel inverseT = inv(X)'
kernel left = a'*inv(X)*inv(A)
kernel solve = inv(A + X)*(a .* b)
kernel gx = grad(a'*inv(X)*b + logdet(X) + c*det(A*X), X)
kernel ga = grad(a'*inv(X)*b, a)
kernel jv = jvp(inv(X), X, A)
kernel vj = vjp(inv(X)*a, X, b)
kernel lg = logdet(X)
`;
  const names = ["values", "inverse", "inverseT", "left", "solve", "gx", "ga", "jv", "vj", "lg"];
  const bodies: Record<string, [string, string | undefined]> = {
    values: ["det(X) + logdet(A*X) + a'*inv(X)*b", undefined],
    inverse: ["inv(X)", undefined],
    inverseT: ["inv(X)'", undefined],
    left: ["a'*inv(X)*inv(A)", undefined],
    solve: ["inv(A + X)*(a .* b)", undefined],
    gx: ["a'*inv(X)*b + logdet(X) + c*det(A*X)", "X"],
    ga: ["a'*inv(X)*b", "a"],
    jv: ["-(inv(X)*A*inv(X))", undefined],
    vj: ["-(inv(X)'*b*a'*inv(X)')", undefined],
    lg: ["logdet(X)", undefined],
  };

  it("compile() agrees with the evaluator at random sizes 1–6 (well-conditioned matrices)", () => {
    for (let trial = 0; trial < 4; trial++) {
      const rng = rngFrom(90 + trial);
      const n = 1 + Math.floor(rng() * 6);
      const m = 2;
      const square = () => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => uniform(rng, -1, 1) + (i === j ? n + 1 : 0)));
      const at = { X: square(), A: square(), a: Array.from({ length: n }, () => uniform(rng, -1, 1)), b: Array.from({ length: n }, () => uniform(rng, -1, 1)), M: Array.from({ length: m }, () => Array.from({ length: n }, () => 0)), c: 0.7 };
      const inputs = Object.fromEntries(Object.entries(at).map(([k, v]) => [k, typeof v === "number" ? v : Float64Array.from((v as number[] | number[][]).flat())]));
      for (const name of names) {
        const [f, wrt] = bodies[name]!;
        const got = compile(spec, { kernel: name })(inputs);
        const want = wrt ? evaluate(D + f, at, grad(D + f, wrt)) : evaluate(D + f, at);
        const gotFlat = typeof got === "number" ? [got] : Array.from(got as Float64Array);
        const wantFlat = typeof want === "number" ? [want] : (want as number[] | number[][]).flat();
        expect(gotFlat.length, `${name} at n=${n}`).toBe(wantFlat.length);
        wantFlat.forEach((w, i) => expect(Math.abs(gotFlat[i]! - w), `${name}[${i}] at n=${n}: ${gotFlat[i]} against ${w}`).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(w))));
      }
    }
  });

  it("f32 kernels are within 2e-6 × (1 + the largest |entry|) of f64 at the same f32-rounded inputs (README, Kernels)", () => {
    const rng = rngFrom(11);
    const n = 5;
    const X = Float32Array.from({ length: n * n }, (_, k) => uniform(rng, -1, 1) + (k % (n + 1) === 0 ? n + 1 : 0));
    const v = () => Float32Array.from({ length: n }, () => uniform(rng, -1, 1));
    const inputs32 = { X, A: X, a: v(), b: v(), M: new Float32Array(2 * n), c: 0.5 };
    const inputs64 = Object.fromEntries(Object.entries(inputs32).map(([k, x]) => [k, typeof x === "number" ? x : Float64Array.from(x)]));
    for (const name of names) {
      const got = compile(spec, { kernel: name, dtype: "f32" })(inputs32);
      const want = compile(spec, { kernel: name })(inputs64);
      const g = typeof got === "number" ? [got] : Array.from(got as Float32Array);
      const w = typeof want === "number" ? [want] : Array.from(want as Float64Array);
      const big = Math.max(...w.map(Math.abs));
      w.forEach((x, i) => expect(Math.abs(g[i]! - x), `${name}[${i}]`).toBeLessThanOrEqual(2e-6 * (1 + big)));
    }
  });

  it("a'*inv(X)*b factors X once and solves once, for b, never for the identity", async () => {
    const code = await generate(`${D}kernel q = a'*inv(X)*b\n`);
    expect(code.match(/const pivot = /g)?.length).toBe(1);
    expect(code.match(/if \(sign === 0\) solve\.fill\(NaN/g)?.length).toBe(1);
    expect(code).not.toMatch(/=== j \? 1 : 0/);
    const both = await generate(`${D}kernel q = det(X) + logdet(X) + a'*inv(X)*b\n`);
    expect(both.match(/const pivot = /g)?.length).toBe(1); // one factorization for det, logdet and the solve
  });

  it("a singular matrix: det 0, logdet -Infinity, every entry of an inverse or solve NaN; a negative det: logdet NaN", () => {
    const singular = { X: Float64Array.of(1, 2, 2, 4), A: Float64Array.of(1, 0, 0, 1), a: Float64Array.of(1, 1), b: Float64Array.of(1, 0), M: new Float64Array(4), c: 1 };
    expect(compile(`${D}kernel k = det(X)`)(singular)).toBe(0);
    expect(compile(`${D}kernel k = logdet(X)`)(singular)).toBe(-Infinity);
    expect(Array.from(compile(`${D}kernel k = inv(X)`)(singular) as Float64Array)).toEqual([NaN, NaN, NaN, NaN]);
    expect(Array.from(compile(`${D}kernel k = inv(X)*a`)(singular) as Float64Array)).toEqual([NaN, NaN]);
    expect(compile(`${D}kernel k = a'*inv(X)*b`)(singular)).toBeNaN();
    expect(compile(`${D}kernel k = logdet(X)`)({ ...singular, X: Float64Array.of(0, 1, 1, 0) })).toBeNaN();
    expect(compile(`${D}kernel k = det(X)`)({ ...singular, X: Float64Array.of(0, 1, 1, 0) })).toBe(-1);
  });

  it("logdet in a kernel is finite where det overflows", () => {
    const X = Float64Array.of(1e200, 0, 0, 0, 1e200, 0, 0, 0, 1e200);
    const inputs = { X, A: X, a: new Float64Array(3), b: new Float64Array(3), M: new Float64Array(6), c: 1 };
    expect(compile(`${D}kernel k = det(X)`)(inputs)).toBe(Infinity);
    expect(compile(`${D}kernel k = logdet(X)`)(inputs) as number).toBeCloseTo(3 * Math.log(1e200), 9);
  });

  it("on the wasm target, LU kernels run their JavaScript loops (the module says so) and agree with the js target", async () => {
    const text = `${D}\nkernel k = grad(logdet(X) + a'*inv(X)*b, X)`;
    expect(await generate(text, { target: "wasm" })).toMatch(/JavaScript loops on the wasm target too \(it does not compute the step lu yet\)/);
    const X = Float64Array.of(4, 1, 0, 1, 5, 2, 0, 2, 6);
    const inputs = { X, A: X, a: Float64Array.of(1, -2, 0.5), b: Float64Array.of(0.3, 1, -1), M: new Float64Array(6), c: 1 };
    const js = Array.from(compile(text)(inputs) as Float64Array);
    const wasm = Array.from((await compile(text, { target: "wasm" }))(inputs) as Float64Array);
    expect(wasm).toEqual(js);
  });
});
