/**
 * Every export of the package's entry points (src/index.ts, src/vite.ts) has TSDoc: a
 * `/** … *\/` comment right before its declaration, wherever it is declared.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const repo = new URL("../../", import.meta.url).pathname;

interface Exported {
  readonly name: string;
  /** The file that declares it. */
  readonly file: string;
}

/** The names a module exports, each with the file that declares it (following `export { … } from`). */
function exportsOf(file: string): Exported[] {
  const source = readFileSync(file, "utf8");
  const out: Exported[] = [];
  for (const m of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+["']([^"']+)["']/g)) {
    const from = join(dirname(file), m[2]!.replace(/\.js$/, ".ts"));
    for (const part of m[1]!.split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()!;
      if (name) out.push({ name, file: from });
    }
  }
  for (const m of source.matchAll(/^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:function|const|let|class|interface|type)\s+([A-Za-z_$][\w$]*)/gm))
    out.push({ name: m[1]!, file });
  return out;
}

/** Is the declaration of `name` in a source preceded by a TSDoc comment? */
function hasTsdoc(name: string, source: string, file = "the source"): boolean {
  const decl = new RegExp(`^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function|const|let|class|interface|type)\\s+${name}\\b`, "m").exec(source);
  if (!decl) throw new Error(`${file} does not declare ${name}`);
  const before = source.slice(0, decl.index).trimEnd();
  return before.endsWith("*/") && before.lastIndexOf("/**") > before.lastIndexOf("*/", before.length - 3);
}

describe("TSDoc", () => {
  for (const entry of ["src/index.ts", "src/vite.ts"]) {
    it(`every export of ${entry} is documented`, () => {
      const exported = exportsOf(join(repo, entry));
      expect(exported.length).toBeGreaterThan(3);
      const missing = exported.filter((e) => !hasTsdoc(e.name, readFileSync(e.file, "utf8"), relative(repo, e.file))).map((e) => e.name);
      expect(missing).toEqual([]);
    });
  }

  it("the check sees a missing comment", () => {
    const source = "/** A. */\nexport const a = 1;\n/* not TSDoc */\nexport function b() {}\n/** C. */\nconst x = 2;\nexport interface C {}\n";
    expect(hasTsdoc("a", source)).toBe(true);
    expect(hasTsdoc("b", source)).toBe(false);
    expect(hasTsdoc("C", source)).toBe(false);
  });
});
