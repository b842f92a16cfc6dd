/**
 * Shared checks of the hardening tests: what an acceptable failure looks like.
 *
 * In-process, jacobi may return or throw a JacobiError; anything else escaping is a
 * bug (`expectJacobi`). A JacobiError from reading a program must carry a position
 * (span and source) that `format()` turns into `error: [LABEL: ]LINE:COL: message`, the
 * line, and a caret (`checkPositioned`, with the line and column recomputed here).
 *
 * Through the CLI (`runCli` with a capturing Io), the exit status is 0, 1 or 2, never
 * 70 (internal error); nothing looks like a stack trace; and the CLI's last-resort
 * message for a caught stack overflow ("nested too deeply to process") never appears,
 * since that means a pass recursed past the stack (`cliProblem`).
 */
import { JacobiError, type ErrorKind } from "../../src/core/errors.js";
import { processIo, type Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { wantsJsonErrors } from "../../src/cli/errors-json.js";

export const ERROR_KINDS: readonly ErrorKind[] = ["syntax", "name", "shape", "arity", "value", "limit", "usage", "unsupported", "io"];

/** A value, the JacobiError thrown instead, or a known bug (see KNOWN_ESCAPES). */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: JacobiError }
  | { readonly ok: "known"; readonly bug: string };

/** Something other than a JacobiError escaped: the test fails with the input and the stack. */
export class EscapedError extends Error {
  constructor(context: string, cause: unknown) {
    const what = cause instanceof Error ? `${cause.name}: ${cause.message}\n${cause.stack ?? ""}` : String(cause);
    super(`${context}\nthrew something other than a JacobiError: ${what}`);
    this.name = "EscapedError";
  }
}

/**
 * Open bugs that let a non-JacobiError escape, each shown by an `it.fails` test in
 * hostile.test.ts. The fuzzers tolerate (and count) them so that they keep looking for
 * other bugs; delete an entry when its bug is fixed.
 */
export const KNOWN_ESCAPES: readonly { readonly id: string; readonly message: RegExp; readonly stack?: RegExp }[] = [];

/** The known bug an escaped exception (or an internal-error message) is, if any. */
export function knownBug(e: unknown): string | undefined {
  const message = e instanceof Error ? e.message : String(e);
  const stack = e instanceof Error ? (e.stack ?? "") : "";
  return KNOWN_ESCAPES.find((k) => k.message.test(message) && (!k.stack || k.stack.test(stack)))?.id;
}

/**
 * fast-check settings of a property: its fixed seed and runs, unless JACOBI_FUZZ_SEED
 * (another seed) or JACOBI_FUZZ_SCALE (a multiple of the runs) ask for a longer hunt:
 *   JACOBI_FUZZ_SEED=123 JACOBI_FUZZ_SCALE=10 npx vitest run test/hardening
 */
export function fuzzSettings(seed: number, numRuns: number): { seed: number; numRuns: number } {
  const env = process.env;
  const scale = Number(env["JACOBI_FUZZ_SCALE"] ?? "1");
  const other = env["JACOBI_FUZZ_SEED"];
  return { seed: other === undefined ? seed : Number(other) + seed, numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) ? scale : 1))) };
}

/** How often each known bug was met in this run (for the report). */
export const knownHits = new Map<string, number>();

/** Runs `f`; its value, or the JacobiError it threw. Any other exception fails the test unless it is a known bug. */
export function expectJacobi<T>(context: string, f: () => T): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof JacobiError) return { ok: false, error: e };
    const known = knownBug(e);
    if (known) {
      knownHits.set(known, (knownHits.get(known) ?? 0) + 1);
      return { ok: "known", bug: known };
    }
    throw new EscapedError(context, e);
  }
}

/** 1-based line and column of an offset, computed independently of src/core/errors.ts. */
export function lineColOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

/** Words that mean a message was built from a missing or wrong value. */
const GARBAGE = /\bundefined\b|\[object |\bNaN\b|\bnull\b/;

/** Where a windowed line ("…" + part + maybe "…") starts in the source line, or -1. */
function windowStart(line: string, shown: string): number {
  // eslint-disable-next-line no-control-regex
  const visible = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?");
  const part = shown.slice(1).replace(/…$/, "");
  return visible.indexOf(part);
}

/**
 * What is wrong with an error that should point into one of `texts` (undefined when
 * nothing): a known kind, a message, a span inside its source, and a format() of
 * three lines — `error: [LABEL: ]L:C: message`, the line, carets under the span.
 */
export function positionProblem(e: JacobiError, texts: readonly string[]): string | undefined {
  if (!ERROR_KINDS.includes(e.kind)) return `unknown kind ${e.kind}`;
  if (e.message.length === 0) return "empty message";
  const garbage = GARBAGE.exec(e.message);
  if (garbage && !texts.some((t) => t.includes(garbage[0].replace("[", "")))) return `message mentions a missing value: ${e.message}`;
  if (!e.span || !e.source) return `no position: ${e.message}`;
  const text = e.source.text;
  if (!texts.includes(text)) return `source is not one of the inputs: ${JSON.stringify(text.slice(0, 80))}`;
  const { start, end } = e.span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) return `bad span ${start}..${end}`;
  // A span may reach one past the end (the end of the input), no further.
  if (start > text.length || end > Math.max(text.length, start + 1)) return `span ${start}..${end} outside a text of ${text.length}`;
  const { line, col } = lineColOf(text, start);
  const formatted = e.format();
  const lines = formatted.split("\n");
  if (lines.length !== 3) return `format() has ${lines.length} lines:\n${formatted}`;
  const label = e.source.label ? `${e.source.label}: ` : "";
  const head = `error: ${label}${line}:${col}: ${e.message}`;
  if (lines[0] !== head) return `format() starts ${JSON.stringify(lines[0])}, expected ${JSON.stringify(head)}`;
  const caret = /^ {2}(\s*)(\^+)$/.exec(lines[2]!);
  if (!caret) return `no caret line: ${JSON.stringify(lines[2])}`;
  // A long line is shown as a window marked with "…": the caret counts from where it starts.
  const shown = lines[1]!.slice(2);
  const from = shown.startsWith("…") ? windowStart(text.split("\n")[line - 1]!.replace(/\r$/, ""), shown) : 0;
  if (from < 0) return `the shown line is not part of the source line: ${JSON.stringify(shown.slice(0, 60))}`;
  const caretCol = caret[1]!.length + 1 + from - (shown.startsWith("…") ? 1 : 0);
  if (caretCol !== col) return `caret at column ${caretCol}, expected ${col}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(formatted)) return "format() sends control characters to the terminal";
  return undefined;
}

/**
 * Open bugs in error positions, each shown by an `it.fails` test in hostile.test.ts;
 * tolerated (and counted) by `checkPositioned`. Delete an entry when its bug is fixed.
 */
export const KNOWN_POSITION_BUGS: readonly { readonly id: string; readonly message: RegExp }[] = [];

/** Fails the test unless `e` is positioned (see `positionProblem`) or a known position bug. */
export function checkPositioned(e: JacobiError, texts: readonly string[], context: string): void {
  const problem = positionProblem(e, texts);
  const known = problem && texts.length > 1 ? KNOWN_POSITION_BUGS.find((k) => k.message.test(e.message)) : undefined;
  if (known) {
    knownHits.set(known.id, (knownHits.get(known.id) ?? 0) + 1);
    return;
  }
  if (problem) throw new Error(`${context}\n${problem}\nerror: ${e.kind}: ${e.message}`);
}

// ---------------------------------------------------------------------------
// The CLI in-process

export interface CliRun {
  readonly argv: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds. */
  readonly ms: number;
}

/** Runs `jacobi ARGV` in-process; files are read from disk (`-f`), `-` reads `stdin` when given. */
export async function runJacobi(argv: readonly string[], stdin?: string): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const line = (t: string): string => (t.endsWith("\n") ? t : `${t}\n`);
  const io: Io = {
    out: (t) => void (stdout += line(t)),
    err: (t) => void (stderr += line(t)),
    readFile: (path) => (path === "-" && stdin !== undefined ? stdin : processIo.readFile(path)),
    // as processIo does for a path it cannot write
    writeFile: (path) => {
      throw new JacobiError("io", `cannot write ${path}: the hardening tests write no files`);
    },
  };
  const t0 = performance.now();
  const code = await runCli(argv, io);
  return { argv, code, stdout, stderr, ms: performance.now() - t0 };
}

/** A JavaScript stack trace, or an exception's name, in printed output. */
export const looksLikeStackTrace = (text: string): boolean =>
  /^\s+at .+[(:]\d+/m.test(text) || /\b(TypeError|ReferenceError|SyntaxError|RangeError|ShapeError|EvalError|URIError)\b/.test(text);

/** runCli's message for a RangeError it caught: a pass overflowed the stack. */
export const STACK_OVERFLOW_FALLBACK = "nested too deeply to process";

/** What is wrong with a CLI run (undefined when it is acceptable, or a known bug: see KNOWN_ESCAPES). */
export function cliProblem(r: CliRun): string | undefined {
  const all = r.stdout + r.stderr;
  if (r.code === 70) {
    const known = knownBug(r.stderr.replace(/^internal error: /, ""));
    if (known) {
      knownHits.set(known, (knownHits.get(known) ?? 0) + 1);
      return undefined;
    }
  }
  if (![0, 1, 2].includes(r.code)) return `exit status ${r.code}`;
  if (looksLikeStackTrace(all)) return "output looks like a stack trace";
  if (/internal error/.test(all)) return "internal error";
  if (r.stderr.includes(STACK_OVERFLOW_FALLBACK)) return "a stack overflow, caught by runCli's last resort";
  if (r.code !== 0 && wantsJsonErrors(r.argv)) return jsonErrorProblem(r);
  if (r.code === 1 && !r.stderr.startsWith("error: ")) return "exit 1 without 'error: ' on stderr";
  if (r.code === 2 && !r.stderr.startsWith("usage error: ") && r.argv.length > 0) return "exit 2 without 'usage error: ' on stderr";
  if (r.code !== 0 && r.stdout !== "") return "output on stdout from a failed run";
  if (r.code === 0 && r.stderr !== "" && !r.stderr.startsWith("note: ")) return "stderr from a successful run";
  return undefined;
}

/** Under --format json a failed run prints one JSON object, `{"error": {kind, line, col, message}}`, and nothing on stdout. */
function jsonErrorProblem(r: CliRun): string | undefined {
  let parsed: { error?: { kind?: unknown; line?: unknown; col?: unknown; message?: unknown } };
  try {
    parsed = JSON.parse(r.stderr) as typeof parsed;
  } catch {
    return `exit ${r.code} under --format json without one JSON object on stderr`;
  }
  const e = parsed.error;
  if (!e || typeof e.kind !== "string" || typeof e.message !== "string" || !("line" in e) || !("col" in e)) return "a JSON error without kind, line, col and message";
  if (r.code === 2 && e.kind !== "usage") return `exit ${r.code} with a JSON error of kind ${e.kind}`;
  if (r.stdout !== "") return "output on stdout from a failed run";
  return undefined;
}

export const showRun = (r: CliRun): string =>
  `jacobi ${r.argv.map((a) => (a.length > 200 ? `${JSON.stringify(a.slice(0, 200))}…(${a.length} chars)` : JSON.stringify(a))).join(" ")}\nexit ${r.code}\n${r.stderr.slice(0, 2000)}`;

/** Fails the test unless the run is acceptable. */
export function checkRun(r: CliRun): void {
  const problem = cliProblem(r);
  if (problem) throw new Error(`${problem}\n${showRun(r)}`);
}

/**
 * A positioned error on stderr: `error: [LABEL: ]L:C: message`, the line, the caret.
 * Undefined when stderr is not one.
 */
export function parseErrorOutput(stderr: string): { label?: string; line: number; col: number; message: string; caretCol: number } | undefined {
  const lines = stderr.replace(/\n$/, "").split("\n");
  if (lines.length !== 3) return undefined;
  const m = /^error: (?:(.+?): )?(\d+):(\d+): (.+)$/.exec(lines[0]!);
  const caret = /^ {2}(\s*)\^+$/.exec(lines[2]!);
  if (!m || !caret) return undefined;
  return { ...(m[1] ? { label: m[1] } : {}), line: Number(m[2]), col: Number(m[3]), message: m[4]!, caretCol: caret[1]!.length + 1 };
}
