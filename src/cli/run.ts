/**
 * The `jacobi` command: dispatch, help, and the one place errors become messages.
 * Input errors print `error: LINE:COL: message`, the line and a caret, and exit 1;
 * usage errors exit 2; nothing prints a stack trace.
 */
import { isJacobiError, JacobiError } from "../core/errors.js";
import { LIMITS } from "../core/limits.js";
import { parseArgs, UsageError } from "./args.js";
import { commandHelp, type Command } from "./command.js";
import { evalCommand, latexCommand, simplifyCommand } from "./commands/basic.js";
import { calculusCommands } from "./commands/calculus.js";
import { checkCommand } from "./commands/check.js";
import { genCommand } from "./commands/gen.js";
import { deriveCommand } from "./commands/derive.js";
import { notebookCommand } from "./commands/notebook.js";
import { processIo, type Io } from "./io.js";

export const COMMANDS: readonly Command[] = [notebookCommand, evalCommand, simplifyCommand, latexCommand, ...calculusCommands, deriveCommand, checkCommand, genCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "jacobi: symbolic matrix calculus — derivatives, Jacobians, JVPs and VJPs from formula strings",
    "",
    "usage: jacobi COMMAND PROGRAM [options]     (jacobi COMMAND --help for each)",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "A PROGRAM is statements separated by ';' or newlines:",
    "  x: vector(n); W: matrix(m, n); a: scalar      declarations (undeclared names are scalars)",
    "  s = exp(x)/sum(exp(x))                         definitions",
    "  W*x + b                                        the last statement is the value",
    "  claim grad(L, W) = g*x'                        a step of a hand derivation (jacobi check)",
    "Operators: + - * / ^, elementwise .* ./ .^, transpose ' (or ^T); functions apply elementwise.",
  ].join("\n");
}

/** Runs the CLI with the given arguments; returns the exit status. */
export async function runCli(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      io.out(mainHelp());
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command '${name}'; the commands are ${COMMANDS.map((c) => c.name).join(", ")}`);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(commandHelp(command));
      return 0;
    }
    const status = await command.run(parseArgs(rest, command.options, command.name), io);
    return typeof status === "number" ? status : 0;
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: Io): number {
  if (e instanceof UsageError) {
    io.err(`usage error: ${e.message}`);
    return 2;
  }
  if (isJacobiError(e)) {
    io.err(e.format());
    return 1;
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    io.err(new JacobiError("limit", `the input is nested too deeply to process (the documented limits are ${LIMITS.maxNesting} levels of nesting in the text and depth ${LIMITS.maxExprDepth} in expressions)`).format());
    return 1;
  }
  io.err(`internal error: ${e instanceof Error ? e.message : String(e)} (please report this with the input that caused it)`);
  if (process.env["JACOBI_DEBUG"] && e instanceof Error) io.err(e.stack ?? "");
  return 70;
}
