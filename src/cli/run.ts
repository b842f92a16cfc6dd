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
import { completionCommand } from "./commands/completion.js";
import { errorJson, wantsJsonErrors } from "./errors-json.js";
import { precisionOf } from "./common.js";
import { processIo, type Io } from "./io.js";
import { version } from "./version.js";

export const COMMANDS: readonly Command[] = [
  notebookCommand,
  evalCommand,
  simplifyCommand,
  latexCommand,
  ...calculusCommands,
  deriveCommand,
  checkCommand,
  genCommand,
  completionCommand(() => COMMANDS),
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "jacobi: symbolic matrix calculus — derivatives, Jacobians, JVPs and VJPs from formula strings",
    "",
    "usage: jacobi COMMAND PROGRAM [options]     (jacobi help COMMAND, or jacobi COMMAND --help)",
    "       jacobi COMMAND [options] -- PROGRAM      ('--' ends the options: a program may start with '-')",
    "       jacobi --version",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "A PROGRAM is statements separated by ';' or newlines:",
    "  x: vector(n); W: matrix(m, n); a: scalar      declarations (undeclared names are scalars)",
    "  s = exp(x)/sum(exp(x))                         definitions",
    "  W*x + b                                        the last statement is the value",
    "  claim grad(L, W) = g*x'                        a step of a hand derivation (jacobi check)",
    "  assume sum(y) = 1                              a fact results may use (printed with them, checked at --at values)",
    "Operators: + - * / ^, elementwise .* ./ .^, transpose ' (or ^T); functions apply elementwise.",
  ].join("\n");
}

/** Runs the CLI with the given arguments; returns the exit status. */
export async function runCli(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.err(mainHelp());
      return 2;
    }
    if (name === "--version" || name === "-V") {
      io.out(`jacobi ${version()}`);
      return 0;
    }
    if (name === "help" && rest.length > 0) {
      io.out(commandHelp(commandNamed(rest[0]!)));
      return 0;
    }
    if (name === "--help" || name === "-h" || name === "help") {
      io.out(mainHelp());
      return 0;
    }
    const command = commandNamed(name);
    const options = rest.indexOf("--") < 0 ? rest : rest.slice(0, rest.indexOf("--"));
    if (options.includes("--help") || options.includes("-h")) {
      io.out(commandHelp(command));
      return 0;
    }
    const parsed = parseArgs(rest, command.options, command.name);
    if (parsed.options.has("precision")) precisionOf(parsed); // a bad --precision is an error before any work
    const status = await command.run(parsed, io);
    return typeof status === "number" ? status : 0;
  } catch (e) {
    return report(e, io, wantsJsonErrors(argv));
  }
}

function commandNamed(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command '${name}'; the commands are ${COMMANDS.map((c) => c.name).join(", ")}`);
  return command;
}

/** Prints an error (as text, or as one JSON object under --format json) and returns the exit status. */
function report(e: unknown, io: Io, json: boolean): number {
  const print = (kind: string, text: string, error: JacobiError): void => io.err(json ? errorJson(kind, error.message, error.position, error.source?.label) : text);
  if (e instanceof UsageError) {
    print("usage", `usage error: ${e.message}`, new JacobiError("usage", e.message));
    return 2;
  }
  if (isJacobiError(e)) {
    print(e.kind, e.format(), e);
    return 1;
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    const deep = new JacobiError("limit", `the input is nested too deeply to process (the documented limits are ${LIMITS.maxNesting} levels of nesting in the text and depth ${LIMITS.maxExprDepth} in expressions)`);
    print(deep.kind, deep.format(), deep);
    return 1;
  }
  const message = `internal error: ${e instanceof Error ? e.message : String(e)} (please report this with the input that caused it)`;
  if (json) {
    io.err(errorJson("internal", message));
    return 70;
  }
  io.err(message);
  if (process.env["JACOBI_DEBUG"] && e instanceof Error) io.err(e.stack ?? "");
  return 70;
}
