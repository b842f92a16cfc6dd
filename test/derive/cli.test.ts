import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processIo, type Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";

/** `jacobi ARGS…` in-process, with what it prints captured. */
async function jacobi(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), readFile: processIo.readFile, writeFile: processIo.writeFile };
  const code = await runCli(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const SOFTMAX = "x: vector(n); s = exp(x)/sum(exp(x))";
const noStackTrace = (text: string): boolean => !/^\s+at .+[(:]\d+/m.test(text);

describe("jacobi derive", () => {
  it("prints the steps as lines 'rule: lhs = rhs', ending with the matrix form", async () => {
    const r = await jacobi("derive", SOFTMAX, "--wrt", "x");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    for (const l of lines) expect(l).toMatch(/^[^:]+: .+ = .+$/);
    expect(lines[0]).toBe("definition: s = exp(x)/sum(exp(x))");
    expect(lines[lines.length - 1]).toBe("matrix form: ∂s/∂x = diag(s) - s*s'");
    const rules = lines.map((l) => l.replace(/ \[.*$|:.*$/, ""));
    expect(rules).toEqual(expect.arrayContaining(["lower to index form", "quotient rule", "chain rule", "contract δ", "recognize s"]));
  });

  it("prints the align* bodies with --format latex", async () => {
    const r = await jacobi("derive", SOFTMAX, "--wrt", "x", "--format", "latex");
    expect(r.code).toBe(0);
    expect(r.out.startsWith("\\begin{align*}\n")).toBe(true);
    expect(r.out).toContain("\\frac{\\partial s}{\\partial x} &= \\operatorname{diag}\\left(s\\right) - s s^{\\top} && \\text{matrix form}");
  });

  it("writes --tex and --html files and says where", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-derive-cli-"));
    const tex = join(dir, "out", "softmax.tex");
    const html = join(dir, "out", "softmax.html");
    const r = await jacobi("derive", SOFTMAX, "--wrt", "x", "--tex", tex, "--html", html);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${tex} (LaTeX)\nwrote ${html} (HTML)`);
    expect(readFileSync(tex, "utf8")).toContain("\\begin{align*}");
    expect(readFileSync(html, "utf8")).toContain("<!DOCTYPE html>");
  });

  it("reads -f FILE and derives by several names, one part each", async () => {
    const r = await jacobi("derive", "-f", "examples/network.jacobi", "--wrt", "W2,b2");
    expect(r.code).toBe(0);
    expect(r.out).toContain("# gradient of L by W2");
    expect(r.out).toContain("# gradient of L by b2");
    expect(r.out.split("\n").pop()).toBe("matrix form: ∂L/∂b2 = s*sum(y) - y");
  });

  it("chooses the derivative from the shapes and options", async () => {
    const vjp = await jacobi("derive", "W: matrix(m,n); x: vector(n); g: vector(m); W*x", "--wrt", "W", "--cotangent", "g");
    expect(vjp.out.split("\n").pop()).toBe("matrix form: g'·∂f/∂W = g*x'");
    const jvp = await jacobi("derive", "W: matrix(m,n); x: vector(n); V: matrix(m,n); W*x", "--wrt", "W", "--tangent", "V");
    expect(jvp.out.split("\n").pop()).toBe("matrix form: ∂f/∂W·V = V*x");
    const hessian = await jacobi("derive", "x: vector(n); A: matrix(n,n); x'*A*x", "--wrt", "x", "--kind", "hessian");
    expect(hessian.out.split("\n").pop()).toBe("matrix form: ∂²f/∂x∂x' = A + A'");
    const diff = await jacobi("derive", "W: matrix(2,2); t: scalar; t*W", "--wrt", "t");
    expect(diff.out.split("\n").pop()).toBe("matrix form: ∂f/∂t = W");
  });

  it("declares with --decl and shows the declarations with the program", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-derive-decl-"));
    const html = join(dir, "p.html");
    const r = await jacobi("derive", "sum(x .* x)", "--decl", "x: vector(n)", "--wrt", "x", "--html", html);
    expect(r.code).toBe(0);
    expect(readFileSync(html, "utf8")).toContain("<pre><code>x: vector(n)\nsum(x .* x)</code></pre>");
  });

  it("reports usage errors with status 2", async () => {
    const cases: [string[], RegExp][] = [
      [["derive", SOFTMAX], /derive needs --wrt NAME/],
      [["derive", SOFTMAX, "--wrt", "x,1y"], /'1y' is not a name/],
      [["derive", SOFTMAX, "--wrt", "x", "--format", "json"], /--format must be one of text, latex/],
      [["derive", SOFTMAX, "--wrt", "x", "--kind", "gradient"], /--kind must be one of/],
      [["derive", SOFTMAX, "--wrt", "x", "--kind", "vjp"], /--kind vjp needs --cotangent/],
      [["derive", "W: matrix(m,n); x: vector(n); W*x", "--wrt", "W"], /no Jacobian matrix; give --cotangent NAME \(vjp\) or --tangent NAME \(jvp\)/],
      [["derive", SOFTMAX, "--wrt", "x", "--tangent", "x", "--cotangent", "s"], /not both/],
      [["derive"], /no program given/],
      [["derive", SOFTMAX, "--wrt", "x", "--bogus"], /unknown option --bogus/],
    ];
    for (const [argv, message] of cases) {
      const r = await jacobi(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe("");
    }
  });

  it("reports input errors with status 1 and a position, never a stack trace", async () => {
    const cases: [string[], RegExp][] = [
      [["derive", "x: vector(n); s = exp(x)/", "--wrt", "x"], /^error: /],
      [["derive", SOFTMAX, "--wrt", "y"], /--wrt 'y' does not occur in the program/],
      [["derive", SOFTMAX, "--wrt", "s"], /--wrt 's' is a definition/],
      [["derive", "x: vector(n); y: vector(m); x", "--wrt", "x", "--cotangent", "y"], /the cotangent y is/],
      [["derive", "-f", join(tmpdir(), "jacobi-no-such-file.jacobi"), "--wrt", "x"], /cannot read .*: no such file/],
    ];
    for (const [argv, message] of cases) {
      const r = await jacobi(...argv);
      expect(r.code, argv.join(" ")).toBe(1);
      expect(r.err).toMatch(message);
      expect(noStackTrace(r.err)).toBe(true);
    }
  });

  it("refuses a derivation too long to show, with status 1", async () => {
    const deep = `x: vector(n); W: matrix(n,n); ${"tanh(W*".repeat(40)}x${")".repeat(40)}`;
    const r = await jacobi("derive", deep, "--wrt", "x");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the derivation is too long to show: .* \(the limit is 1000000\)/);
    expect(r.out).toBe("");
  });

  it("reports a file it cannot write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-derive-ro-"));
    const blocker = join(dir, "file");
    writeFileSync(blocker, "");
    const r = await jacobi("derive", SOFTMAX, "--wrt", "x", "--tex", join(blocker, "out.tex"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot write/);
    expect(existsSync(join(blocker, "out.tex"))).toBe(false);
  });

  it("has help and is listed", async () => {
    const help = await jacobi("derive", "--help");
    expect(help.code).toBe(0);
    expect(help.out).toContain("usage: jacobi derive PROGRAM --wrt NAME");
    expect((await jacobi("--help")).out).toMatch(/^\s+derive\s+the derivation step by step/m);
  });
});
