/**
 * The library runs in the browser: no module reachable from src/index.ts imports a Node
 * built-in (`node:fs`, `path`, …). Checked twice: on the source's import graph (naming
 * the file that would break it), and in a real browser bundle of the library made by Vite
 * (which also follows the packages the library uses, with their browser entry points).
 */
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { build, type Plugin } from "vite";
import { describe, expect, it } from "vitest";

const repo = new URL("../../", import.meta.url).pathname;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isBuiltin = (spec: string): boolean => spec.startsWith("node:") || BUILTINS.has(spec) || BUILTINS.has(spec.split("/")[0]!);

/** The module specifiers a TypeScript or JavaScript source imports (static, re-exports, dynamic). */
function importsOf(source: string): string[] {
  const out: string[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (const m of code.matchAll(/(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"']+)["']/g)) {
    const isTypeOnly = /^\s*(?:[;\s])?(?:import|export)\s+type\s/.test(m[0]);
    if (!isTypeOnly) out.push(m[1]!);
  }
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Every source file reachable from an entry by relative imports, with the bare specifiers each imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (graph.has(file)) continue;
    const specs = importsOf(readFileSync(file, "utf8"));
    graph.set(file, specs.filter((s) => !s.startsWith(".")));
    for (const s of specs.filter((x) => x.startsWith("."))) {
      const target = join(dirname(file), s);
      // sources import `./x.js` for `./x.ts`; a generated file is `.js` itself
      const ts = target.replace(/\.js$/, ".ts");
      todo.push(existsSync(ts) ? ts : target);
    }
  }
  return graph;
}

/** Bundles an entry for the browser with Vite (nothing written); the Node built-ins it asked for, and Vite's warnings. */
async function browserBundle(entry: string): Promise<{ requested: string[]; warnings: string[] }> {
  const requested: string[] = [];
  const watchBuiltins: Plugin = {
    name: "watch-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      if (isBuiltin(id)) requested.push(`${importer ? relative(repo, importer) : "?"} imports ${id}`);
      return null;
    },
  };
  const warnings: string[] = [];
  const keep = (m: string): void => void warnings.push(m);
  await build({
    configFile: false,
    root: repo,
    logLevel: "silent",
    customLogger: { info: () => {}, warn: keep, warnOnce: keep, error: keep, clearScreen: () => {}, hasErrorLogged: () => false, hasWarned: false },
    plugins: [watchBuiltins],
    build: { write: false, minify: false, lib: { entry, formats: ["es"], fileName: "bundle" } },
  });
  return { requested, warnings };
}

describe("the library is browser-safe", () => {
  it("finds imports the way the check needs (static, re-export, dynamic; not type-only)", () => {
    expect(importsOf('import { a } from "node:fs";\nexport { b } from "./b.js";\nconst c = await import("path");\nimport type { T } from "vite";')).toEqual([
      "node:fs",
      "./b.js",
      "path",
    ]);
  });

  it("no module reachable from src/index.ts imports a Node built-in", () => {
    const graph = importGraph(join(repo, "src/index.ts"));
    expect(graph.size).toBeGreaterThan(40); // the walk reached the library, not just the entry
    const offending = [...graph].flatMap(([file, specs]) => specs.filter(isBuiltin).map((s) => `${relative(repo, file)} imports ${s}`));
    expect(offending).toEqual([]);
  });

  it("the graph check would catch a Node import (src/vite.ts and the CLI have them)", () => {
    const vite = importGraph(join(repo, "src/vite.ts"));
    expect([...vite.values()].flat().some(isBuiltin)).toBe(true);
  });

  it("a browser bundle of the library by Vite resolves no Node built-in, in jacobi or in its packages", async () => {
    const { requested, warnings } = await browserBundle(join(repo, "src/index.ts"));
    expect(requested).toEqual([]);
    expect(warnings.filter((w) => /externalized for browser compatibility/.test(w))).toEqual([]);
  });

  it("the bundle check would catch a Node import (src/vite.ts has them)", async () => {
    const { requested } = await browserBundle(join(repo, "src/vite.ts"));
    expect(requested).toContain("src/vite.ts imports node:fs/promises"); // (its reads are asynchronous)
  });
});
