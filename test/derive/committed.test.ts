/**
 * The notebook's derivations committed in generated/ are current (a fresh run writes the
 * same bytes) and every formula on their pages rendered (no katex-error).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { writeNotebookDerivations } from "../../src/derive/notebook.js";

const fresh = new Map<string, string>();
writeNotebookDerivations("generated", { writeFile: (path, text) => fresh.set(path, text) });

describe("generated/ derivations", () => {
  it("writes six files", () => {
    expect([...fresh.keys()]).toHaveLength(6);
  });
  for (const [path, text] of fresh) {
    it(`${path} is current (run npm run generate if not)`, () => {
      expect(readFileSync(path, "utf8") === text).toBe(true);
    });
    if (path.endsWith(".html"))
      it(`${path} has no KaTeX errors`, () => {
        expect(text).not.toContain("katex-error");
        expect(text).toContain('class="katex"');
      });
  }
});
