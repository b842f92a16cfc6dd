/**
 * Importing the library loads neither prettier nor katex: no module reachable from
 * src/index.ts by static imports (the ones evaluated when the library is imported)
 * imports them. `generate` loads prettier by a dynamic import when it first formats;
 * katex is used only by the derivation pages of the CLI.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../src/index.js";

const repo = new URL("../../", import.meta.url).pathname;

/** The specifiers a source imports statically (import … from, export … from, bare import; not import(), not type-only). */
function staticImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|[;\s])(import|export)\s+(type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"']+)["']/g)) if (!m[2]) out.push(m[3]!);
  return out;
}

/** The packages loaded when `entry` is imported, each with the first source file that imports it. */
function packagesLoaded(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const todo = [join(repo, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of staticImports(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (!packages.has(name)) packages.set(name, relative(repo, file));
        continue;
      }
      const target = join(dirname(file), spec);
      const ts = target.replace(/\.js$/, ".ts");
      todo.push(existsSync(ts) ? ts : target);
    }
  }
  return packages;
}

describe("lazy loading", () => {
  it("finds static imports only", () => {
    expect(staticImports('import { a } from "x";\nexport * from "./y.js";\nconst z = await import("prettier");\nimport type { T } from "katex";\nimport "./side.js";')).toEqual(["x", "./y.js", "./side.js"]);
  });

  it("sees prettier and katex where they are loaded (the check can fail)", () => {
    expect(packagesLoaded("src/codegen/format.ts").get("prettier")).toBe("src/codegen/format.ts");
    expect(packagesLoaded("src/cli/commands/derive.ts").get("katex")).toBe("src/derive/html.ts");
  });

  it("importing the library (jacobian, compile, …) loads neither prettier nor katex", () => {
    const loaded = packagesLoaded("src/index.ts");
    expect(loaded.has("nearley")).toBe(true);
    expect(loaded.get("prettier")).toBeUndefined();
    expect(loaded.get("katex")).toBeUndefined();
  });

  it("generate still formats with prettier, loaded on first use", async () => {
    const ts = await generate("x: vector(n); kernel twice = 2*x");
    expect(ts).toContain("export function twice(");
    expect(ts).toMatch(/\n {2}const /); // prettier's two-space indentation
  });
});
