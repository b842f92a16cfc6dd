/**
 * The `jacobi` command run in-process through `runCli(argv, io)` with an Io that
 * captures what it prints. Files are real (tests write temporary files for -f).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processIo, type Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";

export interface CliResult {
  readonly code: number;
  /** Standard output as the process would print it (each write ends in a newline). */
  readonly stdout: string;
  readonly stderr: string;
  /** Standard output without the final newline. */
  readonly out: string;
  /** Standard error without the final newline. */
  readonly err: string;
}

const line = (t: string): string => (t.endsWith("\n") ? t : `${t}\n`);

export async function cli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => void out.push(line(t)),
    err: (t) => void err.push(line(t)),
    readFile: processIo.readFile,
    writeFile: processIo.writeFile,
  };
  const code = await runCli(argv, io);
  const stdout = out.join("");
  const stderr = err.join("");
  return { code, stdout, stderr, out: stdout.replace(/\n$/, ""), err: stderr.replace(/\n$/, "") };
}

/** A successful run's standard output (throws with stderr otherwise). */
export async function cliOut(...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  if (r.code !== 0) throw new Error(`jacobi ${argv.join(" ")} exited ${r.code}:\n${r.stderr}`);
  return r.out;
}

/** A successful run's standard output parsed as JSON. */
export async function cliJson(...argv: string[]): Promise<unknown> {
  return JSON.parse(await cliOut(...argv, "--format", "json"));
}

let dir: string | undefined;
/** Writes a temporary file and returns its path. */
export function tempFile(name: string, text: string): string {
  dir ??= mkdtempSync(join(tmpdir(), "jacobi-test-"));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Output that looks like a JavaScript stack trace (which the CLI must never print). */
export const hasStackTrace = (text: string): boolean => /^\s+at .+[(:]\d+/m.test(text) || /\b(TypeError|ReferenceError|SyntaxError): /.test(text);

/** Splits a command line as a POSIX shell would, for the quoting the help examples use ('…', "…", \). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let k = 0;
  const push = (c: string): void => void (word = (word ?? "") + c);
  while (k < line.length) {
    const c = line[k]!;
    if (c === "'") {
      const end = line.indexOf("'", k + 1);
      if (end < 0) throw new Error(`unclosed ' in ${line}`);
      push(line.slice(k + 1, end));
      k = end + 1;
    } else if (c === '"') {
      k++;
      let text = "";
      while (k < line.length && line[k] !== '"') {
        if (line[k] === "\\" && k + 1 < line.length) k++;
        text += line[k]!;
        k++;
      }
      if (k >= line.length) throw new Error(`unclosed " in ${line}`);
      push(text);
      k++;
    } else if (c === " " || c === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
      k++;
    } else if (c === "\\" && k + 1 < line.length) {
      push(line[k + 1]!);
      k += 2;
    } else {
      push(c);
      k++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The three lines of a positioned error: `error: [LABEL: ]LINE:COL: message`, the source
 * line indented by two spaces, and carets under the place. Undefined when stderr is not one.
 */
export function positionedError(
  stderr: string,
): { label: string | undefined; line: number; col: number; message: string; source: string; caretAt: number; caretWidth: number } | undefined {
  const lines = stderr.replace(/\n$/, "").split("\n");
  if (lines.length !== 3) return undefined;
  const m = /^error: (?:(.+?): )?(\d+):(\d+): (.+)$/.exec(lines[0]!);
  const caret = /^ {2}(\s*)(\^+)$/.exec(lines[2]!);
  if (!m || !caret || !lines[1]!.startsWith("  ")) return undefined;
  return {
    label: m[1],
    line: Number(m[2]),
    col: Number(m[3]),
    message: m[4]!,
    source: lines[1]!.slice(2),
    caretAt: caret[1]!.length + 1,
    caretWidth: caret[2]!.length,
  };
}
