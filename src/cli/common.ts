/**
 * Pieces every command shares: reading the program (argument or -f FILE), `--decl`,
 * `--at` bindings, output format and precision.
 */
import { declareDirection, shapeOfName, type DerivativeSpec } from "../calculus/derive.js";
import { JacobiError } from "../core/errors.js";
import { subjectOf, type Program } from "../core/program.js";
import type { BindOptions } from "../eval/bind.js";
import type { Bindings, Binding } from "../eval/evaluate.js";
import { formatValue, jsonNullNote, parseBinding, type Value } from "../eval/value.js";
import { parseProgram } from "../parse/parse.js";
import { all, choice, single, UsageError, type OptionSpec, type ParsedArgs } from "./args.js";
import type { Io } from "./io.js";

export type Format = "text" | "latex" | "json";

export const PROGRAM_OPTIONS: readonly OptionSpec[] = [
  { name: "file", short: "f", value: "FILE", help: "read the program from FILE ('-' for standard input)" },
  { name: "decl", value: "DECL", repeat: true, help: "add a declaration, e.g. --decl 'W: matrix(3,2)'" },
];
export const VALUE_OPTIONS: readonly OptionSpec[] = [
  { name: "at", value: "NAME=VALUE", repeat: true, help: "bind a value: x=0.7, 'x=[0.2,-0.3]', 'W=[[1,0.2],[-1,3]]' (rows)" },
  { name: "precision", value: "N", help: "significant digits of printed numbers (default 15)" },
];
export const FORMAT_OPTION: OptionSpec = { name: "format", value: "text|latex|json", help: "output format (default text)" };

/** The program text from the argument or from -f FILE, parsed with the --decl declarations. */
export function loadProgram(args: ParsedArgs, io: Io): Program {
  const file = single(args, "file");
  if (file !== undefined && args.positional.length > 0) throw new UsageError("give the program either as an argument or with -f FILE, not both");
  if (file === undefined && args.positional.length === 0) throw new UsageError("no program given (an argument, or -f FILE)");
  if (args.positional.length > 1) throw new UsageError(`expected one program argument, got ${args.positional.length} (quote the program)`);
  const text = file === undefined ? args.positional[0]! : io.readFile(file);
  const label = file === undefined ? undefined : file === "-" ? "<stdin>" : file;
  return parseProgram(text, label === undefined ? { decls: all(args, "decl") } : { decls: all(args, "decl"), label });
}

/** The CLI's words for giving a value. */
export const bindItWithAt = (name: string): string => `bind it with --at ${name}=…`;

/** How the CLI binds --at values: its words for a missing value, and a note for a value the program does not use. */
export const cliBinding = (io: Io): BindOptions => ({
  howToGive: bindItWithAt,
  onUnused: (name) => io.err(`note: --at ${name}: the program does not use '${name}'`),
});

/**
 * The names of --wrt (split at commas), each a name, given once, and a value of the
 * program (the CLI's words for the errors); `definitions`: a definition may be named too
 * (grad and vjp differentiate by an intermediate value).
 */
export function wrtNames(args: ParsedArgs, program: Program, definitions = false): string[] {
  const names = (single(args, "wrt") ?? "").split(",").map((w) => w.trim());
  for (const n of names) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new UsageError(`--wrt: '${n}' is not a name`);
  const twice = names.find((n, k) => names.indexOf(n) !== k);
  if (twice !== undefined) throw new UsageError(`--wrt names '${twice}' twice`);
  for (const n of names) if (!(definitions && program.defs.has(n))) shapeOfName(program, n, "--wrt");
  return names;
}

/**
 * --tangent and --cotangent, when given, must each be a value of the program or a name it
 * does not mention: that is declared, a tangent shaped like the --wrt value, a cotangent
 * like the program's value (the program returned).
 */
export function withDirections(args: ParsedArgs, program: Program, specs: readonly DerivativeSpec[]): Program {
  let out = program;
  for (const spec of specs) out = declareDirection(out, subjectOf(out), spec);
  for (const option of ["tangent", "cotangent"]) {
    const v = single(args, option);
    if (v !== undefined) shapeOfName(out, v, `--${option}`);
  }
  return out;
}

/** The --at bindings by name. */
export function loadBindings(args: ParsedArgs): Bindings {
  const out = new Map<string, Binding>();
  for (const arg of all(args, "at")) {
    const { name, value } = parseBinding(arg);
    if (out.has(name)) throw new JacobiError("value", `'${name}' is given twice with --at`, { start: 0, end: name.length }, { label: "--at", text: arg });
    out.set(name, { value, source: { label: `--at ${name}`, text: arg.slice(arg.indexOf("=") + 1) } });
  }
  return out;
}

export const formatOf = (args: ParsedArgs): Format => choice(args, "format", ["text", "latex", "json"] as const, "text");

export function precisionOf(args: ParsedArgs): number {
  const p = single(args, "precision");
  if (p === undefined) return 15;
  const n = Number(p);
  if (!/^\d+$/.test(p) || n < 1 || n > 17) throw new UsageError(`--precision must be a whole number from 1 to 17, not '${p}'`);
  return n;
}

/** A numeric value as text, JSON, or a LaTeX matrix. */
export function showValue(v: Value, format: Format, precision: number, note?: (text: string) => void): string {
  if (format === "json") {
    const why = jsonNullNote(v); // JSON has no ±Infinity or NaN: say so (on standard error)
    if (why !== undefined) note?.(why);
  }
  if (format !== "latex") return formatValue(v, format, precision);
  const n = (x: number): string => formatValue({ rows: 1, cols: 1, data: Float64Array.of(x) }, "text", precision).replace("Infinity", "\\infty");
  if (v.rows === 1 && v.cols === 1) return n(v.data[0]!);
  const rows: string[] = [];
  for (let r = 0; r < v.rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < v.cols; c++) cells.push(n(v.data[r * v.cols + c]!));
    rows.push(cells.join(" & "));
  }
  return `\\begin{bmatrix} ${rows.join(" \\\\ ")} \\end{bmatrix}`;
}
