/**
 * Symbolic benchmarks: the element-wise softmax Jacobian (all n² entries, simplified)
 * next to SymPy's `Matrix.jacobian` in the same run, and the matrix-form derivation
 * (`diag(s) - s*s'`) for a symbolic size and for concrete sizes.
 */
import { execFileSync } from "node:child_process";
import { deriveElementwise } from "../src/calculus/elementwise.js";
import { derive } from "../src/calculus/derive.js";
import { parseProgram } from "../src/parse/parse.js";
import { toText } from "../src/print/text.js";
import { simplifier } from "../src/simplify/simplify.js";
import { measureOnce, type Timing } from "./timing.js";

const softmax = (size: string): string => `x: vector(${size}); s = exp(x)/sum(exp(x))`;

/** All n² entries of the softmax Jacobian, written out and simplified (as SymPy's jacobian: not printed). */
function elementwiseJacobian(n: number): number {
  const program = parseProgram(softmax(`${n}`));
  const m = deriveElementwise(program, program.subject!, { kind: "jacobian", wrt: "x" }, { printed: false });
  const simplify = simplifier({ expected: m.items.length });
  let depth = 0;
  for (const item of m.items) depth += simplify(item).depth;
  return depth;
}

/** Parse to printed result, in matrix form. */
function matrixJacobian(size: string): string {
  const program = parseProgram(softmax(size));
  return toText(derive(program, program.subject!, { kind: "jacobian", wrt: "x" }).matrix!);
}

/** SymPy's softmax.jacobian(x) at size n (optionally simplified), in seconds, or why not. */
function sympySeconds(n: number, simplify: boolean, timeoutS: number): number | string {
  const script = [
    "import sys, time",
    "from sympy import symbols, Matrix, exp, simplify",
    `n = ${n}`,
    "x = Matrix(symbols('x1:%d' % (n + 1)))",
    "t = time.perf_counter()",
    "e = x.applyfunc(exp)",
    "s = e / sum(e)",
    "J = s.jacobian(x)",
    simplify ? "J = J.applyfunc(simplify)" : "",
    "print(time.perf_counter() - t)",
  ].join("\n");
  try {
    return Number(execFileSync("python3", ["-c", script], { timeout: timeoutS * 1000, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch (e) {
    const err = e as { code?: string; signal?: string };
    if (err.signal === "SIGTERM" || err.code === "ETIMEDOUT") return `> ${timeoutS} s (stopped)`;
    return "SymPy not available";
  }
}

/** The message of a limit error the call throws (anything else is rethrown), or undefined when it runs. */
function refusal(call: () => unknown): string | undefined {
  try {
    call();
    return undefined;
  } catch (e) {
    if (e instanceof Error && (e as { kind?: string }).kind === "limit") return e.message;
    throw e;
  }
}

export interface SymbolicResults {
  readonly lines: string[];
  readonly raw: [string, Timing][];
}

export function symbolicBenchmarks(time: (s: number) => string, log: (s: string) => void, quick: boolean): SymbolicResults {
  const raw: [string, Timing][] = [];
  const lines: string[] = [
    "## Element-wise softmax Jacobian: jacobi vs SymPy",
    "",
    "All n² entries of the Jacobian of `exp(x)/sum(exp(x))` for `x: vector(n)`, written out entry by entry (entries x1 … xn), each",
    "simplified — the view SymPy's `softmax.jacobian(x_m)` gives (neither side prints the entries here). SymPy runs in a python3 process in the same run, timed",
    "inside Python (its import not counted): `jacobian` alone, and with `simplify` on every entry, each stopped after a time limit.",
    "",
    "jacobi's first run at each size is shown apart: later runs find many nodes already interned.",
    "",
    "| n | entries | jacobi, first run | jacobi, median | SymPy jacobian | SymPy jacobian + simplify |",
    "|---:|---:|---:|---:|---:|---:|",
  ];
  const sizes = quick ? [3, 10, 30] : [3, 10, 30, 100, 300];
  for (const n of sizes) {
    const t0 = process.hrtime.bigint();
    const refused = refusal(() => elementwiseJacobian(n));
    if (refused !== undefined) {
      // the element-wise view's work limit (its value's entries as one DAG, shared parts once, times the entries
      // differentiated by; the entries are not printed here, so the printed-size estimate does not apply): refused with its message
      log(`element-wise softmax Jacobian n=${n}: refused (${refused})`);
      lines.push(`| ${n} | ${n * n} | refused: ${refused} | — | not run | not run |`);
      continue;
    }
    const first = Number(process.hrtime.bigint() - t0) / 1e9;
    const t = measureOnce(() => elementwiseJacobian(n), n >= 100 ? 3 : 7);
    raw.push([`jacobi element-wise softmax Jacobian n=${n}`, t]);
    const plain = n <= 100 ? sympySeconds(n, false, quick ? 20 : 120) : "not run (about 20 s at n = 100, growing like n³)";
    const simplified = n <= 10 ? sympySeconds(n, true, quick ? 20 : 120) : "not run";
    const show = (v: number | string): string => (typeof v === "number" ? time(v) : v);
    log(`element-wise softmax Jacobian n=${n}: jacobi ${time(t.median)}, SymPy ${show(plain)}, simplified ${show(simplified)}`);
    lines.push(`| ${n} | ${n * n} | ${time(first)} | ${time(t.median)} | ${show(plain)} | ${show(simplified)} |`);
  }
  lines.push(
    "",
    "## Matrix-form derivation: the same time for any size",
    "",
    "`jacobian 'x: vector(SIZE); s = exp(x)/sum(exp(x))' --wrt x`, parse to printed result (`diag(s) - s*s'`), in-process. The",
    "result never depends on the size, and neither does the work: nothing is written out.",
    "",
    "| size | result | time |",
    "|---|---|---:|",
  );
  for (const size of ["n", "3", "1000", "1000000"]) {
    const t = measureOnce(() => matrixJacobian(size), 31);
    raw.push([`jacobi matrix-form softmax Jacobian vector(${size})`, t]);
    log(`matrix-form softmax Jacobian vector(${size}): ${time(t.median)}`);
    lines.push(`| vector(${size}) | \`${matrixJacobian(size)}\` | ${time(t.median)} |`);
  }
  lines.push("");
  return { lines, raw };
}
