/**
 * The library runs in the browser: no module reachable from src/index.ts imports a Node
 * built-in (`node:fs`, `path`, …). Checked twice: on the source's import graph (naming
 * the file that would break it), and in a real browser bundle of the library made by Vite
 * (which also follows the packages the library uses, with their browser entry points).
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { build, type Plugin } from "vite";
import { describe, expect, it } from "vitest";
import { importGraph, importsOf } from "../support/imports.js";

const repo = new URL("../../", import.meta.url).pathname;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isBuiltin = (spec: string): boolean => spec.startsWith("node:") || BUILTINS.has(spec) || BUILTINS.has(spec.split("/")[0]!);

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
    // binaryen (loaded by compile({ target: "wasm" }) only) imports node:module only where it runs in Node:
    // its loader is an Emscripten build for browsers and Node (test/e2e/wasm-compile-browser.test.ts runs it in Chromium)
    const binaryen = readFileSync(join(repo, "node_modules/binaryen/index.js"), "utf8").slice(0, 2000);
    expect(binaryen).toMatch(/(\w+)=globalThis\.process\?\.versions\?\.node[^;]*;if\(\1\)\{let\{createRequire:\w+\}=await import\("node:module"\)/);
    const guarded = (m: string): boolean => m.includes("binaryen") && m.includes("node:module");
    expect(requested.filter((r) => !guarded(r))).toEqual([]);
    expect(warnings.filter((w) => /externalized for browser compatibility/.test(w) && !guarded(w))).toEqual([]);
  });

  it("the bundle check would catch a Node import (src/vite.ts has them)", async () => {
    const { requested } = await browserBundle(join(repo, "src/vite.ts"));
    expect(requested).toContain("src/vite.ts imports node:fs/promises"); // (its reads are asynchronous)
  });
});
