/**
 * The `jacobi` command in-process (runCli with a capturing Io): the issues' examples of
 * eval, simplify, latex and diff, positioned errors (exit 1), usage errors (exit 2),
 * help for every command, programs from files, and never a stack trace.
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/run.js";
import { cli, cliOut, hasStackTrace, positionedError, shellWords, tempFile } from "../support/cli.js";

const WX_B = [
  "eval",
  "W*x + b",
  "--decl",
  "W: matrix(3,2)",
  "--decl",
  "x: vector(2)",
  "--decl",
  "b: vector(3)",
  "--at",
  "W=[[1,0.2],[-1,3],[0.5,0.5]]",
  "--at",
  "x=[0.2,-0.3]",
  "--at",
  "b=[0.1,0.2,0]",
];

describe("the issues' examples", () => {
  it("eval 'W*x + b' --decl … --format json prints [0.24,-0.9,-0.05]", async () => {
    const r = await cli(...WX_B, "--format", "json");
    expect(r).toMatchObject({ code: 0, stdout: "[0.24,-0.9,-0.05]\n", stderr: "" });
  });

  it("eval 'W*x + b' prints text by default", async () => {
    expect(await cliOut(...WX_B)).toBe("[0.24, -0.9, -0.05]");
  });

  it(`eval "x: vector(n); x'*x" --at 'x=[1,2,3]' --format json prints 14`, async () => {
    expect(await cli("eval", "x: vector(n); x'*x", "--at", "x=[1,2,3]", "--format", "json")).toMatchObject({ code: 0, stdout: "14\n", stderr: "" });
  });

  it("eval prints a matrix as nested rows (row-major) in JSON", async () => {
    const out = await cliOut("eval", "W: matrix(2,3); 2*W", "--at", "W=[[1,2,3],[4,5,6]]", "--format", "json");
    expect(JSON.parse(out)).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
  });

  it("simplify 'x*y + y*x' prints 2*x*y", async () => {
    expect(await cli("simplify", "x*y + y*x")).toMatchObject({ code: 0, stdout: "2*x*y\n", stderr: "" });
  });

  it("latex 'x: vector(n); s = exp(x)/sum(exp(x))' prints LaTeX that KaTeX renders", async () => {
    const out = await cliOut("latex", "x: vector(n); s = exp(x)/sum(exp(x))");
    expect(out).toMatch(/^s = \\frac\{/);
    expect(out).toContain("\\exp");
    expect(() => katex.renderToString(out, { throwOnError: true })).not.toThrow();
  });

  it("diff 'x^2*sin(y)' --wrt x prints 2*x*sin(y)", async () => {
    expect(await cli("diff", "x^2*sin(y)", "--wrt", "x")).toMatchObject({ code: 0, stdout: "2*x*sin(y)\n", stderr: "" });
  });

  it("diff 'log(1+exp(-x))' --wrt x --at x=0.5 --format json prints the number", async () => {
    const out = await cliOut("diff", "log(1+exp(-x))", "--wrt", "x", "--at", "x=0.5", "--format", "json");
    // d/dx log(1 + e^-x) = -1/(1 + e^x)
    expect(Math.abs(JSON.parse(out) - -1 / (1 + Math.exp(0.5)))).toBeLessThan(1e-14);
    expect(out).toMatch(/^-0\.37754066879\d*$/);
  });

  it("--precision rounds printed numbers", async () => {
    expect(await cliOut("diff", "log(1+exp(-x))", "--wrt", "x", "--at", "x=0.5", "--precision", "4")).toBe("-0.3775");
  });
});

describe("input errors: error: LINE:COL: message, the line and a caret, exit 1", () => {
  /** `source` is the line the error shows (from the program, the --at value or the --decl). */
  const cases: { name: string; argv: string[]; line: number; col: number; source: string; label?: string; message: RegExp }[] = [
    { name: "a syntax error", argv: ["eval", "x +* 2"], line: 1, col: 4, source: "x +* 2", message: /unexpected '\*'/ },
    { name: "a syntax error on line 3", argv: ["eval", "x: vector(n)\ny = 2*x\ny +"], line: 3, col: 3, source: "y +", message: /unexpected end of input/ },
    {
      name: "a shape error names both shapes",
      argv: ["grad", "x: vector(n); W: matrix(m,k); W*x", "--wrt", "x"],
      line: 1,
      col: 32,
      source: "x: vector(n); W: matrix(m,k); W*x",
      message: /matrix\(m,k\).*vector\(n\)/,
    },
    {
      name: "a missing value points at its use",
      argv: ["eval", "x: vector(n)\nW: matrix(m,n)\nW*x*2 + y"],
      line: 3,
      col: 3,
      source: "W*x*2 + y",
      message: /no value for 'x'/,
    },
    {
      name: "a value of the wrong size",
      argv: ["eval", "x: vector(n); A: matrix(m,n); A*x", "--at", "x=[1,2]", "--at", "A=[[1,2,3]]"],
      line: 1,
      col: 1,
      source: "[[1,2,3]]",
      label: "--at A",
      message: /3 columns but n is 2/,
    },
    {
      name: "a malformed --at value",
      argv: ["eval", "x: vector(n); x", "--at", "x=[1,2"],
      line: 1,
      col: 3,
      source: "x=[1,2",
      label: "--at",
      message: /never closed/,
    },
    {
      name: "an error in a --decl",
      argv: ["eval", "x", "--decl", "x: vector(", "--at", "x=1"],
      line: 1,
      col: 10,
      source: "x: vector(",
      label: "--decl 1",
      message: /./,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await cli(...c.argv);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe("");
      const e = positionedError(r.stderr);
      expect(e, r.stderr).toBeDefined();
      expect(e!.label).toBe(c.label);
      expect([e!.line, e!.col]).toEqual([c.line, c.col]);
      expect(e!.message).toMatch(c.message);
      // The caret sits under the column it names, on the line it names.
      expect(e!.caretAt).toBe(c.col);
      expect(e!.source).toBe(c.source);
      expect(hasStackTrace(r.stderr)).toBe(false);
    });
  }

  it("errors without a position print error: message and exit 1", async () => {
    const r = await cli("grad", "x: vector(n); sum(x)", "--wrt", "y");
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: --wrt 'y' does not occur in the program");
  });

  it("a file that does not exist", async () => {
    const r = await cli("grad", "-f", "/nonexistent/jacobi/program.jacobi", "--wrt", "x");
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: cannot read /nonexistent/jacobi/program.jacobi: no such file");
  });
});

describe("usage errors exit 2", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown command", ["frob"], /unknown command 'frob'/],
    ["an unknown option", ["eval", "x", "--bogus"], /unknown option --bogus/],
    ["a missing --wrt", ["grad", "x^2"], /grad needs --wrt/],
    ["no program", ["eval"], /no program given/],
    ["a program and -f", ["eval", "x", "-f", "somefile"], /not both/],
    ["two programs", ["eval", "x", "y"], /one program argument/],
    ["a bad --format", ["diff", "x", "--wrt", "x", "--format", "yaml"], /--format must be one of text, latex, json/],
    ["a bad --precision", ["eval", "x", "--precision", "99", "--at", "x=1"], /--precision/],
    ["jvp without --tangent", ["jvp", "x: vector(n); sum(x)", "--wrt", "x"], /--tangent/],
    ["vjp without --cotangent", ["vjp", "x: vector(n); x", "--wrt", "x"], /--cotangent/],
    ["an option without its value", ["grad", "x^2", "--wrt"], /--wrt needs a value/],
    ["a flag given a value", ["jacobian", "x", "--wrt", "x", "--elementwise=yes"], /takes no value/],
    ["an option given twice", ["grad", "x^2", "--wrt", "x", "--wrt", "x"], /given twice/],
    ["a bad --wrt name", ["grad", "x^2", "--wrt", "x,1y"], /not a name/],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const r = await cli(...argv);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.err).toMatch(/^usage error: /);
      expect(r.err).toMatch(message);
    });
  }

  it("no command at all prints the help on stderr (usage) and exits 2", async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.err).toMatch(/^jacobi: /);
  });
});

describe("--help", () => {
  it("jacobi --help lists every command", async () => {
    for (const flag of ["--help", "-h", "help"]) {
      const r = await cli(flag);
      expect(r.code).toBe(0);
      for (const c of COMMANDS) expect(r.out).toMatch(new RegExp(`^  ${c.name}\\s+${c.summary.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    }
  });

  for (const c of COMMANDS) {
    it(`jacobi ${c.name} --help shows usage, every option and examples`, async () => {
      for (const flag of ["--help", "-h"]) {
        const r = await cli(c.name, flag);
        expect(r.code).toBe(0);
        expect(r.stderr).toBe("");
        expect(r.out).toMatch(new RegExp(`^jacobi ${c.name}: `));
        expect(r.out).toContain(`usage: jacobi ${c.name}`);
        for (const o of c.options) expect(r.out).toContain(`--${o.name}`);
        expect(r.out).toContain("-h, --help");
        if (c.examples.length > 0) expect(r.out).toContain("examples:");
      }
    });

    // Only commands that print (a test must not write into the tree), and no example that
    // writes files (--tex, --html, --out) or needs the shell to expand a glob.
    // (notebook writes generated/: its own test runs it with --out into a temporary folder)
    const printing = ["eval", "simplify", "latex", "diff", "grad", "jacobian", "hessian", "jvp", "vjp", "derive"];
    const runnable = printing.includes(c.name) ? c.examples.filter((e) => !/--(tex|html|out)\b|[*?]\.|\*\//.test(e)) : [];
    for (const example of runnable) {
      it(`the help example runs: ${example}`, async () => {
        const words = shellWords(example);
        expect(words[0]).toBe("jacobi");
        const r = await cli(...words.slice(1));
        expect(r.code, r.stderr).toBe(0);
        expect(r.out.length).toBeGreaterThan(0);
      });
    }
  }
});

describe("programs from files (-f)", () => {
  it("reads the program from a file, with errors labelled by the file name", async () => {
    const path = tempFile("quadratic.jacobi", "# a quadratic form\nx: vector(n)\nA: matrix(n,n)\nx'*A*x\n");
    expect(await cliOut("grad", "-f", path, "--wrt", "x")).toMatch(/^\(A \+ A'\)\*x$|^A\*x \+ A'\*x$/);
    const bad = tempFile("bad.jacobi", "x: vector(n)\n\nx'*\n");
    const r = await cli("eval", "-f", bad, "--at", "x=[1]");
    expect(r.code).toBe(1);
    const e = positionedError(r.stderr);
    expect(e?.label).toBe(bad);
    expect(e?.line).toBe(3);
  });

  it("--file= works like -f", async () => {
    const path = tempFile("sum.jacobi", "x: vector(n)\nsum(exp(x))\n");
    expect(await cliOut("grad", `--file=${path}`, "--wrt", "x")).toBe("exp(x)");
  });
});
