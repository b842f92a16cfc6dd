/**
 * KaTeX's stylesheet for a page that opens offline: katex.min.css from the installed
 * katex package (the same version that renders the formulas), with each font's woff2
 * file inlined as a `data:` URL. Only woff2 is kept (every current browser reads it),
 * which halves the page.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
let cached: string | undefined;

/** The path of katex.min.css in the installed katex package. */
export const katexCssPath = (): string => require.resolve("katex/dist/katex.min.css");

/** KaTeX's CSS with its fonts inlined; every `url(…)` in it is a `data:` URL. */
export function inlinedKatexCss(): string {
  if (cached !== undefined) return cached;
  const path = katexCssPath();
  const dir = dirname(path);
  const css = readFileSync(path, "utf8").replace(/src:([^;}]*)/g, (_whole, list: string) => {
    const woff2 = /url\(\s*["']?([^"')]+\.woff2)["']?\s*\)/.exec(list);
    if (!woff2) throw new Error(`internal: a KaTeX font has no woff2 file: ${list}`);
    const data = readFileSync(join(dir, woff2[1]!)).toString("base64");
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  if (/url\(\s*["']?(?!data:)/.test(css)) throw new Error("internal: KaTeX's CSS refers to a file that was not inlined");
  cached = css;
  return css;
}
