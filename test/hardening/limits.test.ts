/**
 * The documented limits (src/core/limits.ts, README "Limits") and inputs near and far
 * beyond them, read with -f from files in a temporary directory, each run as a real
 * `jacobi` process (see sandbox.ts): every one is handled, or refused with the limit's
 * own message, and none overflows the stack or hangs. A run killed at its cap did not
 * finish — that is the failure; the measured times are printed at the end (figures for
 * the README's "Reliability" section), not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { looksLikeStackTrace, STACK_OVERFLOW_FALLBACK } from "./harness.js";
import { buildSandbox, inputFile, removeSandbox, runProcess, type ProcessRun, type Sandbox } from "./sandbox.js";

/** A run that has not finished after this long is hung (generous: the slowest handled case takes a few seconds). */
const HANG_CAP_MS = 60_000;

interface LimitCase {
  readonly what: string;
  /** The file passed as $FILE. */
  readonly file: () => string;
  readonly argv: readonly string[];
  readonly exit: 0 | 1;
  /** Exit 1: `LINE:COL` of the error (absent when it has no position) and its message. */
  readonly at?: string;
  readonly message?: string | RegExp;
  /** Exit 0: standard output (its first 20,000 characters) without the final newline. */
  readonly output?: string | RegExp;
}

const join = (n: number, item: (k: number) => string, sep: string): string => Array.from({ length: n }, (_, k) => item(k)).join(sep);
const chain = (n: number, line: (k: number) => string): string => `d1 = x\n${join(n - 1, (k) => line(k + 2), "\n")}\n`;
const TWO_TO_999 = (2n ** 999n).toString();

const CASES: readonly LimitCase[] = [
  // --- input size and tokens
  { what: "a 200,000-term sum of distinct names", file: () => join(200_000, (k) => `x${k}`, " + "), argv: ["simplify", "-f", "$FILE"], exit: 0, output: /^x0 \+ x1 \+ x10 \+ x100 \+ / },
  { what: "a 200,000-term sum of one name, evaluated", file: () => join(200_000, () => "x", "+"), argv: ["eval", "-f", "$FILE", "--at", "x=1"], exit: 0, output: "200000" },
  { what: "a 4,000,001-character program", file: () => `${" ".repeat(4_000_000)}1`, argv: ["eval", "-f", "$FILE"], exit: 1, at: "1:1", message: "input is too large (4000001 characters; the limit is 4000000)" },
  { what: "a 600,001-token program", file: () => join(300_001, () => "x", "+"), argv: ["simplify", "-f", "$FILE"], exit: 1, at: "1:600001", message: "input has too many tokens (the limit is 600000)" },
  { what: "10,000 statements", file: () => `${join(9_999, (k) => `d${k} = ${k}`, "\n")}\nd9998`, argv: ["eval", "-f", "$FILE"], exit: 0, output: "9998" },
  { what: "100,000 statements", file: () => `${join(99_999, (k) => `d${k} = ${k}`, "\n")}\nd99998`, argv: ["eval", "-f", "$FILE"], exit: 0, output: "99998" },
  // --- nesting: brackets, calls, powers, unary signs, transposes
  { what: "100,000 nested parentheses", file: () => `${"(".repeat(100_000)}x${")".repeat(100_000)}`, argv: ["simplify", "-f", "$FILE"], exit: 1, at: "1:201", message: "brackets are nested too deeply (the limit is 200)" },
  { what: "200 nested parentheses (the limit)", file: () => `${"(".repeat(200)}1${")".repeat(200)}`, argv: ["eval", "-f", "$FILE"], exit: 0, output: "1" },
  { what: "201 nested parentheses", file: () => `${"(".repeat(201)}1${")".repeat(201)}`, argv: ["eval", "-f", "$FILE"], exit: 1, at: "1:201", message: "brackets are nested too deeply (the limit is 200)" },
  { what: "100,000 nested function calls", file: () => `${"exp(".repeat(100_000)}x${")".repeat(100_000)}`, argv: ["diff", "-f", "$FILE", "--wrt", "x"], exit: 1, at: "1:804", message: "brackets are nested too deeply (the limit is 200)" },
  { what: "100,000 nested brackets", file: () => `${"[".repeat(100_000)}x${"]".repeat(100_000)}`, argv: ["simplify", "-f", "$FILE"], exit: 1, at: "1:201", message: "brackets are nested too deeply (the limit is 200)" },
  { what: "a power tower of 100,000", file: () => join(100_000, () => "x", "^"), argv: ["diff", "-f", "$FILE", "--wrt", "x"], exit: 1, at: "1:402", message: "too many powers in a row (the limit is 200)" },
  { what: "a parenthesized power tower of 100,000", file: () => `${"x^(".repeat(100_000)}x${")".repeat(100_000)}`, argv: ["simplify", "-f", "$FILE"], exit: 1, at: "1:603", message: "brackets are nested too deeply (the limit is 200)" },
  { what: "100,000 unary minuses", file: () => `${"-".repeat(100_000)}x`, argv: ["simplify", "-f", "$FILE"], exit: 1, at: "1:201", message: "too many unary signs in a row (the limit is 200)" },
  { what: "100,000 transposes", file: () => `x: vector(n)\nx${"'".repeat(100_000)}`, argv: ["simplify", "-f", "$FILE"], exit: 0, output: "x" },
  { what: "200-power chains filling 200,000 tokens", file: () => join(500, () => join(200, () => "x", "^"), "\n"), argv: ["simplify", "-f", "$FILE"], exit: 0, output: /^x\^\(x\^\(x\^/ },
  // (an argument is limited to 128 KB by the operating system)
  { what: "an --at value nested 20,000 deep", file: () => "x: vector(2)\nsum(x)", argv: ["eval", "-f", "$FILE", "--at", `x=${"[".repeat(20_000)}1${"]".repeat(20_000)}`], exit: 1, at: "1:5", message: "nesting deeper than a matrix: a row holds numbers" },
  // --- chains of definitions: exponential as a tree, linear as a DAG
  { what: "a 1,000-level doubling chain, evaluated", file: () => chain(1_000, (k) => `d${k} = d${k - 1} + d${k - 1}`), argv: ["eval", "-f", "$FILE", "--at", "x=1"], exit: 0, output: "5.35754303593134e+300" },
  { what: "a 1,000-level doubling chain, simplified", file: () => chain(1_000, (k) => `d${k} = d${k - 1} + d${k - 1}`), argv: ["simplify", "-f", "$FILE"], exit: 0, output: "2*d999" },
  { what: "a 1,000-level squaring chain, differentiated", file: () => chain(1_000, (k) => `d${k} = d${k - 1} * d${k - 1}`), argv: ["diff", "-f", "$FILE", "--wrt", "x", "--at", "x=1"], exit: 0, output: "5.35754303593134e+300" },
  { what: "a 1,000-level chain of sin, differentiated", file: () => chain(1_000, (k) => `d${k} = sin(d${k - 1})`), argv: ["diff", "-f", "$FILE", "--wrt", "x", "--at", "x=0.1"], exit: 0, output: /^0\.\d+$/ },
  {
    what: "a 1,000-level doubling chain, differentiated (2^999), without a stack overflow",
    file: () => chain(1_000, (k) => `d${k} = d${k - 1} + d${k - 1}`),
    argv: ["diff", "-f", "$FILE", "--wrt", "x"],
    exit: 0,
    output: TWO_TO_999,
  },
  {
    what: "a 1,000-level doubling chain, differentiated element-wise",
    file: () => chain(1_000, (k) => `d${k} = d${k - 1} + d${k - 1}`),
    argv: ["grad", "-f", "$FILE", "--wrt", "x", "--elementwise"],
    exit: 0,
    output: TWO_TO_999,
  },
  {
    what: "a 3,000-level chain of sin, differentiated: refused at the documented nesting of definitions",
    file: () => chain(3_000, (k) => `d${k} = sin(d${k - 1})`),
    argv: ["diff", "-f", "$FILE", "--wrt", "x", "--at", "x=0.1"],
    exit: 1,
    message: "definitions inside definitions nest too deeply (the limit is 1024)",
  },
  // --- long chains of matrix products
  { what: "a 1,000-factor matrix product, simplified", file: () => `A: matrix(n,n)\nx: vector(n)\n${join(1_000, () => "A", "*")}*x`, argv: ["simplify", "-f", "$FILE"], exit: 0, output: /^(A\*){1000}x$/ },
  { what: "a 1,000-factor matrix product, evaluated", file: () => `A: matrix(n,n)\nx: vector(n)\nsum(${join(1_000, () => "A", "*")}*x)`, argv: ["eval", "-f", "$FILE", "--at", "A=[[0.5,0],[0,0.5]]", "--at", "x=[1,1]"], exit: 0, output: /^1\.866527237006\d*e-301$/ },
  { what: "the gradient of a 40-factor matrix product by its matrix", file: () => `A: matrix(n,n)\nx: vector(n)\nsum(${join(40, () => "A", "*")}*x)`, argv: ["grad", "-f", "$FILE", "--wrt", "A"], exit: 0, output: /^ones\(n\)\*x'\*A'/ },
  {
    what: "the gradient of a 320-factor matrix product by its matrix (refused or done, not minutes)",
    file: () => `A: matrix(n,n)\nx: vector(n)\nsum(${join(320, () => "A", "*")}*x)`,
    argv: ["grad", "-f", "$FILE", "--wrt", "A"],
    exit: 1,
    message: "the grad by A takes too much work (over 2000000 expression steps)",
  },
  // --- element-wise expansions and huge sizes
  { what: "the element-wise Jacobian of vector(500) (250,000 entries, the limit)", file: () => "x: vector(500)\nexp(x)", argv: ["jacobian", "-f", "$FILE", "--wrt", "x", "--elementwise"], exit: 0, output: /^\[\[exp\(x1\), 0, 0, / },
  {
    what: "the element-wise Jacobian of vector(501) (251,001 entries) is refused",
    file: () => "x: vector(501)\nexp(x)",
    argv: ["jacobian", "-f", "$FILE", "--wrt", "x", "--elementwise"],
    exit: 1,
    message: "the element-wise jacobian has 251001 entry derivatives (the limit is 250000); use the matrix form",
  },
  {
    what: "the element-wise Jacobian of vector(10000) (10^8 entries) is refused quickly",
    file: () => "x: vector(10000)\nexp(x)",
    argv: ["jacobian", "-f", "$FILE", "--wrt", "x", "--elementwise"],
    exit: 1,
    message: "the element-wise jacobian has 100000000 entry derivatives (the limit is 250000); use the matrix form",
  },
  { what: "the gradient at size 10^9, symbolically", file: () => "x: vector(1000000000)\nsum(exp(x))", argv: ["grad", "-f", "$FILE", "--wrt", "x"], exit: 0, output: "exp(x)" },
  { what: "the gradient at size 10^9, element-wise", file: () => "x: vector(1000000000)\nsum(exp(x))", argv: ["grad", "-f", "$FILE", "--wrt", "x", "--elementwise"], exit: 1, message: "x has too many entries for the element-wise view" },
  { what: "the Jacobian at size 10^9, element-wise", file: () => "x: vector(1000000000)\nexp(x)", argv: ["jacobian", "-f", "$FILE", "--wrt", "x", "--elementwise"], exit: 1, message: "the value has too many entries for the element-wise view" },
  { what: "a constant of 10^7 entries, evaluated", file: () => "sum(exp(ones(10000000)))", argv: ["eval", "-f", "$FILE"], exit: 0, output: /^27182818\.28\d*$/ },
  // --- enormous numbers
  { what: "a 10,000-digit integer", file: () => `${"9".repeat(10_000)} + 1`, argv: ["simplify", "-f", "$FILE"], exit: 0, output: new RegExp(`^10{${10_000}}$`) },
  {
    what: "an exponent of 100,000,000 (1e100000000) is refused quickly",
    file: () => "1e100000000",
    argv: ["simplify", "-f", "$FILE"],
    exit: 1,
    at: "1:1",
    message: "the number 1e100000000 has an exponent beyond ±10000, too large to keep exactly",
  },
  // --- exact arithmetic: bounded sizes and work (issue 16)
  { what: "a harmonic sum of 1,000 fractions, exactly", file: () => join(1_000, (k) => `1/${k + 1}`, " + "), argv: ["simplify", "-f", "$FILE"], exit: 0, output: /^\d+\/\d+$/ },
  {
    what: "a harmonic sum of 10,000 fractions is refused quickly",
    file: () => join(10_000, (k) => `1/${k + 1}`, " + "),
    argv: ["simplify", "-f", "$FILE"],
    exit: 1,
    at: "1:1",
    message: "the program takes too much exact arithmetic (over 2000000 word operations on its numbers)",
  },
  {
    what: "a product of 600 factors 1e10000 is refused quickly",
    file: () => join(600, () => "1e10000", "*"),
    argv: ["simplify", "-f", "$FILE"],
    exit: 1,
    at: "1:1",
    message: "an exact number would have more than 39456 digits (the limit of exact arithmetic)",
  },
  {
    what: "a product of 600 factors 1e10000 in a kernel spec is refused quickly",
    file: () => `x: vector(n)\nkernel k = x*${join(600, () => "1e10000", "*")}`,
    argv: ["gen", "$FILE", "--out", "$FILE.out"],
    exit: 1,
    at: "2:12",
    message: "an exact number would have more than 39456 digits (the limit of exact arithmetic)",
  },
  { what: "a sum of 300 fractions with large denominators", file: () => join(300, (k) => `1/${k + 1}e50`, " + "), argv: ["simplify", "-f", "$FILE"], exit: 0, output: /^\d+\/\d+$/ },
  { what: "(x + 1e10000)^200 differentiated", file: () => "(x + 1e10000)^200", argv: ["diff", "-f", "$FILE", "--wrt", "x"], exit: 0, output: /^200\*\(x \+ 1\d+\)\^199$/ },
  // --- estimated before the work: element-wise views too large to write out (issue 16)
  {
    what: "the element-wise softmax Jacobian at n = 400, as LaTeX, is refused before the work",
    file: () => "x: vector(400)\ns = exp(x)/sum(exp(x))",
    argv: ["jacobian", "-f", "$FILE", "--wrt", "x", "--elementwise", "--format", "latex"],
    exit: 1,
    message: /^the element-wise jacobian would write out about 1\.3e\+8 terms .*; use the matrix form$/,
  },
  {
    what: "the element-wise Hessian of x'*A*x at n = 500 is refused before the work",
    file: () => "x: vector(500)\nA: matrix(500,500)\nx'*A*x",
    argv: ["hessian", "-f", "$FILE", "--wrt", "x", "--elementwise"],
    exit: 1,
    message: /^the element-wise hessian would write out about .* terms .*; use the matrix form$/,
  },
  {
    what: "the element-wise Jacobian of A*A*A*x at n = 100 is refused before the work",
    file: () => "x: vector(100)\nA: matrix(100,100)\nA*A*A*x",
    argv: ["jacobian", "-f", "$FILE", "--wrt", "x", "--elementwise"],
    exit: 1,
    message: /^the element-wise jacobian would write out about 2\.0e\+10 terms \(the value has 100 entries of about 2\.0e\+6 terms each; the limit is 10000000\); use the matrix form$/,
  },
  { what: "the element-wise softmax Jacobian at n = 60 is still written out", file: () => "x: vector(60)\ns = exp(x)/sum(exp(x))", argv: ["jacobian", "-f", "$FILE", "--wrt", "x", "--elementwise"], exit: 0, output: /^\[\[exp\(x1\)\/\(exp\(x1\) \+ exp\(x10\)/ },
  // --- formatting is never what fails (issue 16)
  {
    what: "gen of a 20,000-term kernel (beyond the formatter: left unformatted, not a false 'nested too deeply')",
    file: () => `x: vector(n)\nkernel k = ${join(20_000, (k) => `exp(${k + 1}*x)`, " + ")}`,
    argv: ["gen", "$FILE", "--out", "$FILE.out"],
    exit: 0,
    output: /^wrote .*\.ts$/,
  },
];

/** What is wrong with a finished run, if anything. */
function processProblem(r: ProcessRun): string | undefined {
  if (r.killed) return `did not finish within its cap (${Math.round(r.ms)} ms)`;
  if (![0, 1, 2].includes(r.code!)) return `exit status ${r.code}`;
  if (looksLikeStackTrace(r.stdout.slice(0, 2000) + r.stderr.slice(0, 2000))) return "a stack trace";
  if (r.stderr.includes("internal error")) return "an internal error";
  if (r.stderr.includes(STACK_OVERFLOW_FALLBACK)) return "a stack overflow (runCli's last resort)";
  return undefined;
}

const matches = (text: string, want: string | RegExp): boolean => (typeof want === "string" ? text === want : want.test(text));

const figures: { what: string; chars: number; ms: number; outcome: string }[] = [];
let sandbox: Sandbox;

beforeAll(() => {
  sandbox = buildSandbox();
}, 120_000);

afterAll(() => {
  removeSandbox(sandbox);
  const lines = figures.map((f) => `${String(Math.round(f.ms)).padStart(7)} ms  ${String(f.chars).padStart(9)} chars  ${f.outcome.padEnd(28)}  ${f.what}`);
  console.log(`limits: measured times (one jacobi process each)\n${lines.join("\n")}`);
});

async function check(c: LimitCase, index: number): Promise<void> {
  const text = c.file();
  const path = inputFile(sandbox, `limit-${index}.jacobi`, text);
  const argv = c.argv.map((a) => a.replace("$FILE", path));
  const r = await runProcess(sandbox, argv, HANG_CAP_MS);
  const problem = processProblem(r);
  const firstLine = r.stderr.split("\n")[0] ?? "";
  figures.push({ what: c.what, chars: text.length, ms: r.ms, outcome: problem ?? (r.code === 0 ? "handled" : `refused (exit ${r.code})`) });
  const context = `${c.what}\njacobi ${c.argv.join(" ")}\nexit ${r.code} after ${Math.round(r.ms)} ms\n${firstLine.slice(0, 500)}`;
  expect(problem, context).toBeUndefined();
  expect(r.code, context).toBe(c.exit);
  if (c.exit === 0) {
    if (c.output !== undefined) expect(matches(r.stdout.replace(/\n$/, ""), c.output), `${context}\noutput: ${r.stdout.slice(0, 200)}`).toBe(true);
    return;
  }
  // error: PATH: L:C: message  (or  error: message  without a position)
  const m = /^error: (?:(?:.+?): )?(\d+:\d+): (.*)$/.exec(firstLine) ?? /^error: (?:--at x: )?()(.*)$/.exec(firstLine);
  expect(m, context).not.toBeNull();
  if (c.at !== undefined) expect(m![1], context).toBe(c.at);
  if (c.message !== undefined) expect(matches(m![2]!, c.message), context).toBe(true);
}

describe(`limits: ${CASES.length} inputs at and beyond the documented limits, each a jacobi process`, () => {
  CASES.forEach((c, k) => it(c.what, () => check(c, k), HANG_CAP_MS + 10_000));
});
