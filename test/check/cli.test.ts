/**
 * `jacobi check` end to end: the notebook's derivation (examples/notebook-claims.jacobi)
 * finds g_3 as the first wrong claim and the W_1, b_1 claims as wrong only through it;
 * --claim, --at, --format json, exit statuses, an ill-shaped claim among good ones.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../../src/api.js";
import { cli } from "../support/cli.js";

const NOTEBOOK = new URL("../../examples/notebook-claims.jacobi", import.meta.url).pathname;
const lineOf = (text: string, needle: string): number => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("jacobi check", () => {
  it("finds the notebook's g_3 as the first wrong claim, and W_1, b_1 wrong only through it", async () => {
    const text = readFileSync(NOTEBOOK, "utf8");
    const r = await cli("check", "-f", NOTEBOOK, "--at", "y=[0,0,1]", "--format", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const g3 = lineOf(text, "claim grad(L, net1) = g3");
    expect(report.claims[report.firstWrong].line).toBe(g3);
    expect(report.claims.map((c: { verdict: string }) => c.verdict)).toEqual(["holds", "holds", "holds", "holds", "holds", "wrong", "wrong", "wrong"]);
    const first = report.claims[report.firstWrong];
    expect(first.expected).toContain("W2'");
    expect(first.counterexample.values.y).toEqual([0, 0, 1]);
    expect(first.counterexample.lhs).not.toEqual(first.counterexample.rhs);
    expect(Object.keys(first).sort()).toEqual(["counterexample", "expected", "how", "line", "shapes", "text", "uses", "verdict"]);
    for (const later of report.claims.slice(report.firstWrong + 1)) expect(later.uses).toEqual({ name: "g3", line: g3 });
  });

  it("prints the verdicts as text, with the first wrong claim", async () => {
    const r = await cli("check", "-f", NOTEBOOK);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/holds: proved/);
    expect(r.stdout).toMatch(/uses g3, see line \d+/);
    expect(r.stdout).toMatch(/first wrong claim: line \d+/);
  });

  it("--claim adds claims; exit 0 when all hold, with how many points and sizes", async () => {
    const r = await cli("check", "x: vector(n); A: matrix(n,n); f = x'*A*x", "--claim", "grad(f, x) = (A + A')*x", "--claim", "hessian(f, x) = A + A'");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all 2 claims hold/);
  });

  it("a numeric holds says how many points and which sizes", async () => {
    const r = await cli("check", "x: vector(n); s = exp(x)/sum(exp(x)); L = log(sum(exp(x)))", "--claim", "grad(L, x) = exp(x - L)");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/equal at 6 random points \(2 bindings of the sizes: n=\d; n=\d\)|proved/);
  });

  it("a gradient with the shape of its transpose: both shapes; the other claims still judged", async () => {
    const program = "x: vector(2); W: matrix(3,2); L = sum(tanh(W*x))";
    const r = await cli("check", program, "--claim", "grad(L, W) = x*(1 - tanh(W*x).^2)'", "--claim", "grad(L, W) = (1 - tanh(W*x).^2)*x'", "--format", "json");
    expect(r.code).toBe(1);
    const [bad, good] = JSON.parse(r.stdout).claims;
    expect(bad.shapes.message).toBe("your grad(L, W) is matrix(2,3); the gradient is matrix(3,2)");
    expect(good.verdict).toBe("holds");
  });

  it("an ill-shaped right side is a wrong claim with the shape message", async () => {
    const r = await cli("check", "x: vector(2); y: vector(3); f = sum(x)*sum(y)", "--claim", "grad(f, x) = x + y", "--claim", "grad(f, x) = sum(y)*ones(2)", "--format", "json");
    expect(r.code).toBe(1);
    const [bad, good] = JSON.parse(r.stdout).claims;
    expect(bad.verdict).toBe("wrong");
    expect(bad.shapes.message).toMatch(/^2:\d+: '\+' cannot combine vector\(2\) and vector\(3\) \(your grad\(f, x\) is ill-shaped; the gradient is vector\(2\)\)$/);
    expect(bad.expected).toBe("ones(2)*sum(y)");
    expect(good.verdict).toBe("holds");
  });

  it("exit 2 for usage: no claims", async () => {
    expect((await cli("check", "x: vector(n); x'*x")).code).toBe(2);
  });

  it("npm run generate (gen examples/*.jacobi) skips the claims file: it has no kernels", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-check-gen-"));
    try {
      const r = await cli("gen", "examples/notebook-claims.jacobi", "examples/softmax.jacobi", "--out", dir);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("skipped examples/notebook-claims.jacobi: it has no kernel statements");
      expect(readdirSync(dir)).toEqual(["softmax.ts"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the library's check returns the same record", () => {
    const r = check("x: vector(n); A: matrix(n,n); f = x'*A*x", ["grad(f, x) = 2*A*x"]);
    expect(r.firstWrong).toBe(0);
    expect(r.claims[0]!.expected).toBe("(A + A')*x");
  });
});
