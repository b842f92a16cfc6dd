/**
 * What `import "jacobi"` costs in a fresh Node process (the library as the bench compiled
 * it), next to the same import with prettier's formatter loaded as well, which is what
 * every import paid before prettier was loaded lazily (src/index.ts imported it
 * statically), and the first `generate` call, which now loads it.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { measureOnce, type Timing } from "./timing.js";

const script = (index: string, extra: string): string =>
  [
    "const t0 = performance.now();",
    `const lib = await import(${JSON.stringify(index)});`,
    extra,
    "process.stdout.write(String((performance.now() - t0) / 1000));",
  ].join("\n");

function once(code: string): number {
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" }));
}

/** Median seconds of each way in, over `runs` fresh processes. */
export function importTimes(compiledRoot: string, runs: number): { library: Timing; eager: Timing; firstGenerate: Timing } {
  const index = pathToFileURL(join(compiledRoot, "src", "index.js")).href;
  const format = pathToFileURL(join(compiledRoot, "src", "codegen", "format.js")).href;
  const fresh = (code: string): Timing => {
    const seconds: number[] = [];
    const t = measureOnce(() => seconds.push(once(code)), runs);
    const s = seconds.slice(2).sort((a, b) => a - b);
    const q = (p: number): number => s[Math.round((s.length - 1) * p)]!;
    return { ...t, median: q(0.5), q1: q(0.25), q3: q(0.75), cpu: undefined };
  };
  const library = fresh(script(index, ""));
  const eager = fresh(script(index, `await import(${JSON.stringify(format)});`));
  const firstGenerate = fresh(script(index, 'await lib.generate("x: vector(n); kernel twice = 2*x");'));
  return { library, eager, firstGenerate };
}
