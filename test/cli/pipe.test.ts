/**
 * `jacobi … | head`: when the reader closes the pipe early, the command stops quietly —
 * no stack trace. Runs the built command (npm ci builds dist/).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/jacobi.js", import.meta.url));

it("a closed output pipe ends the command without a stack trace", async () => {
  const child = spawn(process.execPath, [bin, "jacobian", "x: vector(40); s = exp(x)/sum(exp(x))", "--wrt", "x", "--elementwise"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(stderr).not.toMatch(/EPIPE|at .*\(.*:\d+:\d+\)/);
  expect(code).toBe(0);
});
