// `npm run bench`: compiles bench/*.ts, generated/*.ts and src/ with tsc into
// node_modules/.cache/jacobi-bench (Node 20 does not run TypeScript), then runs the
// bench, which writes bench/RESULTS.md. JACOBI_BENCH_QUICK=1 takes few samples;
// `--compile-only` stops after compiling.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, "node_modules", ".cache", "jacobi-bench");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "package.json"), '{ "type": "module" }\n');
try {
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", join(root, "bench", "tsconfig.json")], { stdio: "inherit" });
} catch {
  // type errors (say, in a file another change is still editing) do not stop the emit
  if (!existsSync(join(outDir, "bench", "main.js"))) throw new Error("bench: tsc produced no output");
  process.stderr.write("bench: tsc reported errors; running the emitted JavaScript anyway\n");
}
// the nearley grammar is plain JavaScript beside its .d.ts: tsc does not emit it
copyFileSync(join(root, "src", "parse", "grammar.generated.js"), join(outDir, "src", "parse", "grammar.generated.js"));
process.env.JACOBI_ROOT = root;
if (process.argv[2] !== "--compile-only") await import(pathToFileURL(join(outDir, "bench", "main.js")).href);
