/**
 * Index names are fresh with respect to every name of the program: a program with values
 * named a, b, k1 (and i, j) must not print index notation such as b[k1,b]*k1[k1,k2], where
 * an index reads as a value. Checked on the printed text (index forms, derivation pages),
 * and the results are the same as for the program with other names: the matrix forms
 * print the same up to the renaming, and the values (--at) agree with finite differences.
 */
import { describe, expect, it } from "vitest";
import { derive, type DerivativeSpec } from "../../src/calculus/derive.js";
import type { Program } from "../../src/core/program.js";
import { recordDerivation } from "../../src/derive/derivation.js";
import { derivationText } from "../../src/derive/text.js";
import { subjectOf } from "../../src/core/program.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toLatex } from "../../src/print/latex.js";
import { toText } from "../../src/print/text.js";
import { cliOut } from "../support/cli.js";
import { describeFailure, envOf, expectedByFd, judgeValue, resultValue } from "../support/derivatives.js";
import { randomBindings, rngFrom } from "../support/random.js";

/** Every index the printed text writes: x[p,q], delta(p,q), sum_{p=…}. */
function printedIndices(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*\[([^\]]+)\]/g)) for (const i of m[1]!.split(",")) out.add(i.trim());
  for (const m of text.matchAll(/delta\(([^,()]+),([^,()]+)\)/g)) [m[1]!, m[2]!].forEach((i) => out.add(i.trim()));
  for (const m of text.matchAll(/sum_\{([^=}]+)=/g)) out.add(m[1]!.trim());
  return new Set([...out].filter((i) => !/^\d+$/.test(i)));
}

const programNames = (p: Program): Set<string> => new Set([...p.decls.keys(), ...p.defs.keys(), ...p.sizes.keys(), ...p.uses.keys()]);

function expectFresh(text: string, program: Program, what: string): void {
  const names = programNames(program);
  const clashes = [...printedIndices(text)].filter((i) => names.has(i));
  expect(clashes, `${what}: indices that read as the program's names in\n${text}`).toEqual([]);
}

/** The same program with other names: a -> p1, b -> p2, k1 -> p3, i -> p4, j -> p5. */
const RENAMING: [string, string][] = [["a", "pa"], ["b", "pb"], ["k1", "pk"], ["i", "pi_"], ["j", "pj"]];
const rename = (text: string, pairs: readonly [string, string][]): string =>
  pairs.reduce((t, [from, to]) => t.replace(new RegExp(`\\b${from}\\b`, "g"), to), text);
const back = RENAMING.map(([from, to]) => [to, from] as [string, string]);

interface Case {
  readonly program: string;
  readonly spec: DerivativeSpec;
}

const CASES: Case[] = [
  { program: "a: vector(n); b: matrix(n,n); k1: vector(n); sum((b*a) .* k1)", spec: { kind: "grad", wrt: "b" } },
  { program: "a: vector(n); b: matrix(n,n); k1: vector(n); s = exp(b*a)/sum(exp(b*a)); s .* k1", spec: { kind: "jacobian", wrt: "a" } },
  { program: "a: vector(n); b: matrix(n,n); k1: scalar; a'*b*a*k1 + sum(exp(a))", spec: { kind: "hessian", wrt: "a" } },
  { program: "a: vector(n); b: matrix(n,n); k1: matrix(n,n); tanh(b*a) .* a", spec: { kind: "jvp", wrt: "b", tangent: "k1" } },
  { program: "i: vector(n); j: matrix(n,n); k1: vector(n); a: vector(n); tanh(j*i) .* a", spec: { kind: "vjp", wrt: "j", cotangent: "k1" } },
  { program: "a: vector(n); b: scalar; k1: scalar; [a'*a*b, sum(exp(a))*sum(a .* a)*k1]", spec: { kind: "jacobian", wrt: "a" } },
];

const SIZES: ReadonlyMap<string, number> = new Map([["n", 3]]);

describe("index names are fresh with respect to the program's names", () => {
  for (const c of CASES) {
    const label = `${c.spec.kind} of ${c.program} by ${c.spec.wrt}`;
    it(`${label}: index form and derivation page`, () => {
      const program = parseProgram(c.program);
      const r = derive(program, subjectOf(program), c.spec);
      expectFresh(toText(r.index), program, "index form");
      for (const i of r.indices) expect(programNames(program).has(i), `free index ${i}`).toBe(false);
      const page = derivationText(recordDerivation(program, [c.spec], { source: c.program }));
      expectFresh(page, program, "derivation");
    });

    it(`${label}: the same matrix form as with other names, and the values finite differences give`, () => {
      const program = parseProgram(c.program);
      const r = derive(program, subjectOf(program), c.spec);
      const other = parseProgram(rename(c.program, RENAMING));
      const spec = JSON.parse(rename(JSON.stringify(c.spec), RENAMING)) as DerivativeSpec;
      const o = derive(other, subjectOf(other), spec);
      expect(r.matrix === undefined).toBe(o.matrix === undefined);
      if (r.matrix && o.matrix) {
        expect(toText(r.matrix)).toBe(rename(toText(o.matrix), back));
        expect(toLatex(r.matrix)).not.toBe("");
      }
      const rng = rngFrom(11);
      for (let k = 0; k < 3; k++) {
        const bindings = randomBindings(program, SIZES, rng);
        const got = resultValue(r, envOf(program, bindings)).value;
        const expected = expectedByFd(program, c.spec, bindings);
        expect(judgeValue(got, expected, true).kind, describeFailure(label, r, got, expected, bindings)).toBe("ok");
      }
    });
  }

  it("the CLI prints fresh indices for a result without a matrix form, and its values under --at", async () => {
    const program = "a: vector(n); b: scalar; k1: scalar; [a'*a*b, sum(a)*k1]";
    const text = await cliOut("jacobian", program, "--wrt", "a");
    expectFresh(text, parseProgram(program), "jacobi jacobian");
    const at = ["--at", "n=2", "--at", "a=[1,2]", "--at", "b=3", "--at", "k1=5"];
    const values = await cliOut("jacobian", program, "--wrt", "a", ...at);
    // d(a'a b)/da = 2 b a' = [6, 12]; d(sum(a) k1)/da = [5, 5]
    const other = await cliOut("jacobian", "p: vector(n); q: scalar; r: scalar; [p'*p*q, sum(p)*r]", "--wrt", "p", "--at", "n=2", "--at", "p=[1,2]", "--at", "q=3", "--at", "r=5");
    expect(values).toBe(other);
    expect(values.replace(/\s+/g, "")).toContain("6");
  });

  it("keeps i, j, a, b and k1, k2 … when the program does not use them", () => {
    const program = parseProgram("x: vector(n); W: matrix(n,n); sum(exp(W*x))");
    const r = derive(program, subjectOf(program), { kind: "grad", wrt: "W" }, { record: true });
    expect(r.roles).toEqual({ value: [], variable: ["a", "b"], second: [] });
    expect(toText(r.record!.lowered)).toBe("sum_{k2=1..n}(exp(sum_{k1=1..n}(W[k2,k1]*x[k1])))");
  });
});
