/**
 * Memory in a long-running host (the Vite dev server, the playground): 10,000 different
 * derivations of every kind in one process (soak-child.mjs, run as a child with
 * --expose-gc on src/ compiled into a sandbox) leave the heap after a full collection at
 * most twice what it was after 1,000 — the intern table holds its nodes weakly. Before,
 * it kept every node: the heap grew in proportion to the derivations. The run has a cap
 * (a hang detector); its figures are printed for the README.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildSandbox, removeSandbox, type Sandbox } from "./sandbox.js";

const ROUNDS = 10_000;
const CAP_MS = 240_000;
const CHILD = fileURLToPath(new URL("./soak-child.mjs", import.meta.url));

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = buildSandbox();
}, 120_000);
afterAll(() => removeSandbox(sandbox));

function runChild(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--expose-gc", CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), CAP_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

it(`${ROUNDS} different derivations leave a flat heap (at most 2× the heap after 1,000)`, async () => {
  const dist = join(sandbox.root, "dist");
  const r = await runChild([join(dist, "index.js"), join(dist, "core", "expr.js"), String(ROUNDS)]);
  expect(r.code, r.stderr).toBe(0);
  const m = JSON.parse(r.stdout) as { heapAt1000: number; heapAtEnd: number; nodesAt1000: number; nodesAtEnd: number };
  const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
  console.log(`soak: ${ROUNDS} derivations in ${Math.round(r.ms)} ms; heap after GC ${mb(m.heapAt1000)} MB at 1,000, ${mb(m.heapAtEnd)} MB at ${ROUNDS}; interned nodes ${m.nodesAt1000} -> ${m.nodesAtEnd}`);
  expect(m.heapAtEnd).toBeLessThanOrEqual(2 * m.heapAt1000);
}, CAP_MS + 130_000);
