/**
 * Every `$ jacobi …` example in README.md runs as written and prints what the README
 * shows (stdout, or stderr for an error example).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/run.js";
import { processIo } from "../src/cli/io.js";

interface Example {
  readonly command: string;
  readonly expected: string;
}

/** The `$ jacobi …` lines of ```console blocks, each with the lines up to the next `$`. */
function examples(markdown: string): Example[] {
  const out: Example[] = [];
  const blocks = markdown.split("```console\n").slice(1).map((b) => b.slice(0, b.indexOf("```")));
  for (const block of blocks) {
    const lines = block.replace(/\n$/, "").split("\n");
    for (let k = 0; k < lines.length; k++) {
      if (!lines[k]!.startsWith("$ jacobi ")) continue;
      const command = lines[k]!.slice(2);
      const expected: string[] = [];
      while (k + 1 < lines.length && !lines[k + 1]!.startsWith("$ ")) expected.push(lines[++k]!);
      out.push({ command, expected: expected.join("\n") });
    }
  }
  return out;
}

/** Splits a command line like a POSIX shell does for these examples: quotes, no expansion. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let any = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      any = true;
    } else if (ch === " ") {
      if (cur || any) words.push(cur);
      cur = "";
      any = false;
    } else cur += ch;
  }
  if (cur || any) words.push(cur);
  return words;
}

async function run(command: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(shellWords(command).slice(1), { ...processIo, out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out: out.replace(/\n$/, ""), err: err.replace(/\n$/, "") };
}

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const all = examples(readme);

describe("README examples", () => {
  it("has examples to check", () => {
    expect(all.length).toBeGreaterThan(15);
  });
  for (const ex of all) {
    it(ex.command, async () => {
      const r = await run(ex.command);
      if (ex.expected.startsWith("error:") || ex.expected.startsWith('{"error":')) {
        expect(r.code).toBe(1);
        expect(r.err).toBe(ex.expected);
      } else {
        expect(r.err).toBe("");
        expect(r.code).toBe(0);
        expect(r.out).toBe(ex.expected);
      }
    });
  }
});
