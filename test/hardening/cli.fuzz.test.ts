/**
 * Fuzzing the `jacobi` command in-process (`runCli` with a capturing Io): random
 * commands (known and unknown), random programs (grammar-aware with and without
 * mistakes, raw strings, programs that read), random options — good and malformed
 * `--wrt`, `--at`, `--tangent`, `--cotangent`, `--decl`, `--format`, `--precision`,
 * `--elementwise`, unknown flags, `-f` of a missing file, `--` and stray arguments.
 * Every run exits 0, 1 or 2 (never 70), prints no stack trace, never reaches runCli's
 * last resort for a stack overflow, and says `error: ` (exit 1) or `usage error: `
 * (exit 2) first on stderr. Seeded; a failure prints the seed and the shrunk command line.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import type { Program } from "../../src/core/program.js";
import { parseProgram } from "../../src/parse/parse.js";
import { checkRun, fuzzSettings, runJacobi } from "./harness.js";
import { programText, rawText, wellShapedProgram } from "./programs.js";
import { calculusCase, caseArgv } from "./specs.js";

/** `--at NAME=VALUE` for every declared value and undeclared scalar, shaped as declared (sizes must be numbers). */
function atOptions(program: Program, numbers: readonly number[]): string[] {
  let k = 0;
  const next = (): string => String(numbers[k++ % numbers.length]);
  const value = (rows: number, cols: number): string => {
    if (rows === 1 && cols === 1) return next();
    if (cols === 1) return `[${Array.from({ length: rows }, next).join(",")}]`;
    return `[${Array.from({ length: rows }, () => `[${Array.from({ length: cols }, next).join(",")}]`).join(",")}]`;
  };
  const out: string[] = [];
  for (const [name, d] of program.decls) out.push("--at", `${name}=${value(d.shape.rows as number, d.shape.cols as number)}`);
  for (const name of program.uses.keys()) if (!program.decls.has(name) && !program.defs.has(name) && !program.sizes.has(name)) out.push("--at", `${name}=${next()}`);
  return out;
}

/** Runs of each property. */
export const CLI_RUNS = { commands: 2500, reading: 1500, values: 1500 } as const;

const COMMANDS = ["eval", "simplify", "latex", "diff", "grad", "jacobian", "hessian", "jvp", "vjp", "derive"];
const ODD_COMMANDS = ["", "evaluate", "help", "-h", "--help", "--version", "-", "--", "EVAL", "notebook2", "__proto__", "constructor", "grad,jacobian", "eval\n"];

const NAMES = ["x", "y", "a", "W", "A", "s", "n", "zz", "__proto__", "constructor", "toString"];
const WRT_TEXT = [...NAMES, "x,W", "x, a", "x,,a", "", " ", "1x", "x-y", "exp", "x,x", "a,b,c,x,y,A,W", "__proto__,constructor"];
const VALUE_TEXT = [
  "x=[0.1,0.2,0.3]",
  "x=[1,2]",
  "y=[1,-1]",
  "W=[[1,2],[3,4],[5,6]]",
  "A=[[1,0],[0,1]]",
  "a=0.5",
  "b=-2",
  "c=1e-3",
  "n=2",
  "m=3",
  "n=0",
  "n=2.5",
  "n=-1",
  "n=1e10",
  "x=",
  "x=[",
  "x=]",
  "=1",
  "x",
  "x==1",
  "x=[1,2,]",
  "x=[,1]",
  "x=[[1],[2,3]]",
  "x=[[[1]]]",
  "x=[1,[2]]",
  "x=1e999",
  "x=-1e999",
  "x=NaN",
  "x=Infinity",
  "x=0x10",
  "x=1_000",
  "x=[1 2]",
  "x=[]",
  "x=[[]]",
  "x = 1",
  " x=1",
  "1x=2",
  "x.y=1",
  "__proto__=[1,2]",
  "constructor=3",
  "toString=[[1,2],[3,4],[5,6]]",
  "x=\u22121",
  "x=[1,2]\u0000",
  "x=１",
];
const FORMATS = ["text", "json", "latex", "yaml", "", "JSON"];
const PRECISIONS = ["1", "15", "17", "0", "18", "x", "1.5", "-3", "", "1e1"];
const DECL_TEXT = ["W: matrix(3,2)", "x: vector(2)", "x: vector(", "q: scalar", "n: scalar", "x = 1", "W: matrix(n)", "", "exp: scalar", "\u0007"];

const option: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom(...WRT_TEXT).map((w) => ["--wrt", w]),
  fc.constantFrom(...WRT_TEXT).map((w) => [`--wrt=${w}`]),
  fc.constantFrom(...VALUE_TEXT).map((v) => ["--at", v]),
  fc.constantFrom(...NAMES).map((t) => ["--tangent", t]),
  fc.constantFrom(...NAMES).map((t) => ["--cotangent", t]),
  fc.constant<string[]>(["--elementwise"]),
  fc.constant<string[]>(["--elementwise=yes"]),
  fc.constantFrom(...FORMATS).map((f) => ["--format", f]),
  fc.constantFrom(...PRECISIONS).map((p) => ["--precision", p]),
  fc.constantFrom(...DECL_TEXT).map((d) => ["--decl", d]),
  fc.constantFrom<string[]>(["--foo"], ["-z"], ["-"], ["--"], ["--at"], ["--wrt"], ["-f"], ["-f", "/nonexistent/jacobi-hardening.txt"], ["-f", "/"], ["stray"], ["--kind", "grad"], ["--tex", "/dev/null/x"], ["--help=1"]),
);

const program: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: programText(), weight: 2 },
  { arbitrary: programText({ mistakes: true }), weight: 2 },
  { arbitrary: rawText, weight: 1 },
  { arbitrary: wellShapedProgram(2), weight: 3 },
);

describe("the jacobi command never crashes", () => {
  it(`random command lines: any command, any program, any options (${CLI_RUNS.commands} runs, seeded)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ arbitrary: fc.constantFrom(...COMMANDS), weight: 8 }, { arbitrary: fc.constantFrom(...ODD_COMMANDS), weight: 1 }),
        program,
        fc.array(option, { maxLength: 5 }),
        fc.boolean(),
        async (command, text, options, programFirst) => {
          const argv = programFirst ? [command, text, ...options.flat()] : [command, ...options.flat(), text];
          checkRun(await runJacobi(argv));
        },
      ),
      fuzzSettings(9001, CLI_RUNS.commands),
    );
  });

  it(`derivative requests that mostly make sense, in every format, sometimes --elementwise (${CLI_RUNS.reading} runs, seeded)`, async () => {
    await fc.assert(
      fc.asyncProperty(calculusCase(), fc.constantFrom("text", "json", "latex"), fc.boolean(), async (c, format, elementwise) => {
        const argv = [...caseArgv(c), "--format", format];
        if (elementwise) argv.push("--elementwise");
        checkRun(await runJacobi(argv));
      }),
      fuzzSettings(9002, CLI_RUNS.reading),
    );
  });

  it(`the same at concrete sizes with --at values for every name, as JSON (${CLI_RUNS.values} runs, seeded)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        calculusCase({ maxDepth: 2, concrete: true }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 8 }),
        async (c, elementwise, evaluateInstead, numbers) => {
          const argv = evaluateInstead ? ["eval", c.text] : caseArgv(c);
          argv.push("--format", "json", ...atOptions(parseProgram(c.text), numbers));
          if (elementwise && !evaluateInstead) argv.push("--elementwise");
          const r = await runJacobi(argv);
          checkRun(r);
          // JSON output is one JSON value
          if (r.code === 0) JSON.parse(r.stdout);
        },
      ),
      fuzzSettings(9003, CLI_RUNS.values),
    );
  });
});
