/**
 * `jacobi check`: judges the program's claims (`claim LHS = RHS`, and `--claim`) in order
 * and points at the first wrong one. Exit status 0 when all hold, 1 when any is wrong.
 */
import { checkProgram, withClaims } from "../../check/judge.js";
import { reportJson, reportText } from "../../check/format.js";
import { all, choice, single, UsageError, type OptionSpec } from "../args.js";
import type { Command } from "../command.js";
import { loadBindings, loadProgram, PROGRAM_OPTIONS } from "../common.js";

const CLAIM: OptionSpec = { name: "claim", value: "'LHS = RHS'", repeat: true, help: "a claim to judge after the program's own (numbered after its last line)" };
const AT: OptionSpec = { name: "at", value: "NAME=VALUE", repeat: true, help: "fix a value (e.g. a one-hot 'y=[0,0,1]'); the others are drawn at random" };
const SEED: OptionSpec = { name: "seed", value: "N", help: "the seed of the random points (default 1)" };
const FORMAT: OptionSpec = { name: "format", value: "text|json", help: "output format (default text)" };

export const checkCommand: Command = {
  name: "check",
  summary: "judge a hand derivation claim by claim (claim LHS = RHS) and point at the first wrong step",
  usage: "jacobi check PROGRAM [--claim 'LHS = RHS'…] [--at NAME=VALUE…] [--format text|json]",
  options: [...PROGRAM_OPTIONS, CLAIM, AT, SEED, FORMAT],
  examples: ["jacobi check -f examples/notebook-claims.jacobi", "jacobi check \"x: vector(n); A: matrix(n,n); f = x'*A*x\" --claim \"grad(f, x) = 2*A*x\""],
  details:
    "A claim holds when lhs - rhs simplifies to zero, or else when both sides agree at 3 random points for each of 2 random bindings of the symbolic sizes (values from the grid ±0.10 … ±2.00); otherwise it is wrong, with a counterexample and the correct expression. Exit status: 0 all hold, 1 some claim is wrong, 2 usage.",
  run(args, io) {
    const program = withClaims(loadProgram(args, io), all(args, "claim"));
    if (program.claims.length === 0) throw new UsageError("the program has no claims (write 'claim LHS = RHS', or give --claim)");
    const seedText = single(args, "seed");
    const seed = seedText === undefined ? 1 : Number(seedText);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number, not '${seedText}'`);
    const format = choice(args, "format", ["text", "json"] as const, "text");
    const report = checkProgram(program, { at: loadBindings(args), seed });
    io.out(format === "json" ? reportJson(report) : reportText(report));
    return report.firstWrong === null ? 0 : 1;
  },
};


