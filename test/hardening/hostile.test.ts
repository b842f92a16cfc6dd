/**
 * The hostile-input table (test/support/hostile-inputs.ts) through the `jacobi` command
 * in-process: each case's exit status, error kind (read from the JacobiError the CLI
 * formats), position and message, or its exact output. Every output is also checked
 * for stack traces, internal errors and raw control characters.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { JacobiError } from "../../src/core/errors.js";
import { HOSTILE_CASES, type HostileCase } from "../support/hostile-inputs.js";
import { cliProblem, parseErrorOutput, runJacobi, showRun } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "jacobi-hostile-"));
const formatSpy = vi.spyOn(JacobiError.prototype, "format");
afterAll(() => {
  formatSpy.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

const matches = (text: string, want: string | RegExp): boolean => (typeof want === "string" ? text === want : want.test(text));

async function check(c: HostileCase, index: number): Promise<void> {
  const path = join(dir, `case-${index}.jacobi`);
  if (c.file !== undefined) writeFileSync(path, c.file);
  const argv = c.argv.map((a) => a.replace("$FILE", path));
  formatSpy.mockClear();
  const r = await runJacobi(argv, c.stdin);
  const context = showRun(r);
  expect(cliProblem(r), context).toBeUndefined();
  // eslint-disable-next-line no-control-regex
  expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stdout + r.stderr), `raw control characters in the output\n${context}`).toBe(false);
  expect(r.code, context).toBe(c.exit);
  if (c.exit === 0) {
    if (c.output !== undefined) expect(matches(r.stdout.replace(/\n$/, ""), c.output), `output\n${r.stdout.slice(0, 300)}`).toBe(true);
    return;
  }
  if (c.exit === 2) {
    const m = /^usage error: (.*)\n$/s.exec(r.stderr);
    expect(m, context).not.toBeNull();
    if (c.message !== undefined) expect(matches(m![1]!, c.message), context).toBe(true);
    return;
  }
  const errors = formatSpy.mock.contexts as JacobiError[];
  expect(errors.length, `one JacobiError formatted\n${context}`).toBe(1);
  if (c.kind) expect(errors[0]!.kind, context).toBe(c.kind);
  if (c.at === undefined) {
    // an error without a place: one line
    const m = /^error: (.*)\n$/.exec(r.stderr);
    expect(m, `an error without a position\n${context}`).not.toBeNull();
    if (c.message !== undefined) expect(matches(m![1]!, c.message), context).toBe(true);
    return;
  }
  const shown = parseErrorOutput(r.stderr);
  expect(shown, `a positioned error\n${context}`).toBeDefined();
  const at = typeof c.at === "string" ? c.at.replace("$FILE", path) : c.at;
  const place = `${shown!.label ? `${shown!.label}: ` : ""}${shown!.line}:${shown!.col}`;
  expect(matches(place, at), `the error is at ${place}\n${context}`).toBe(true);
  expect(shown!.caretCol, `the caret stands under the reported column\n${context}`).toBe(shown!.col);
  if (c.message !== undefined) expect(matches(shown!.message, c.message), context).toBe(true);
}

describe(`hostile inputs (${HOSTILE_CASES.length} cases)`, () => {
  it("the table has at least 40 cases, each once", () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(40);
    const keys = HOSTILE_CASES.map((c) => JSON.stringify(c.argv));
    expect(new Set(keys).size).toBe(keys.length);
  });

  HOSTILE_CASES.forEach((c, k) => {
    const name = `${c.what}: ${c.argv.join(" ").slice(0, 80).replace(/[\u0000-\u001f]/g, "?")}`;
    it(name, () => check(c, k));
  });
});
