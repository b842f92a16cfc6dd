/**
 * A derivation as one self-contained HTML page: every formula rendered to HTML on the
 * server by KaTeX (`throwOnError`, so a formula KaTeX cannot typeset is an error here,
 * never a red `katex-error` on the page), KaTeX's CSS inlined with its fonts as `data:`
 * URLs (katex-css.ts). No scripts, no links, no date: it opens offline and is the same
 * bytes for the same derivation. All user text (the program, names, rule names) is
 * escaped.
 */
import katex from "katex";
import { inlinedKatexCss } from "./katex-css.js";
import type { Derivation, Step } from "./model.js";

const HTML_ESCAPES: ReadonlyMap<string, string> = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
  ["'", "&#39;"],
]);

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES.get(c)!);

/** A displayed formula, rendered by KaTeX. */
export const displayMath = (tex: string): string => katex.renderToString(tex, { displayMode: true, throwOnError: true });
/** A formula within a line of text. */
export const inlineMath = (tex: string): string => katex.renderToString(tex, { displayMode: false, throwOnError: true });

const PAGE_CSS = `
body{margin:0;background:#fdfdfc;color:#1d1d1f;font:16px/1.5 Georgia,"Times New Roman",serif}
main{max-width:76rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 1rem}
h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #ddd}
pre{background:#f3f3f1;padding:.6rem .8rem;overflow-x:auto;font-size:.9rem}
.steps{display:grid;grid-template-columns:auto minmax(0,1fr) minmax(10rem,auto);gap:.35rem 1rem;align-items:center}
.steps .katex-display{margin:0;text-align:inherit}
.steps .katex-display>.katex{text-align:inherit}
.lhs{text-align:right}
.rhs{text-align:left;overflow-x:auto;overflow-y:hidden}
.rule{font-size:.85rem;color:#555;font-style:italic}
.rule .law{display:block;font-style:normal;color:#333}
.result{overflow-x:auto;overflow-y:hidden;padding:.4rem;background:#f6f8f2;border-left:3px solid #8a6}
footer{margin-top:2rem;font-size:.8rem;color:#777}
`;

/** One step a row: the left-hand side (left out when it repeats the row above), `= rhs`, the rule. */
function stepsGrid(steps: readonly Step[]): string {
  const rows = steps.map((s, k) => {
    const lhs = k > 0 && steps[k - 1]!.lhs.latex === s.lhs.latex ? "" : displayMath(s.lhs.latex);
    const law = s.law ? `<span class="law">${inlineMath(s.law.latex)}</span>` : "";
    return [
      `<div class="lhs">${lhs}</div>`,
      `<div class="rhs">${displayMath(`{} = ${s.rhs.latex}`)}</div>`,
      `<div class="rule">${escapeHtml(s.rule)}${law}</div>`,
    ].join("");
  });
  return `<div class="steps">\n${rows.join("\n")}\n</div>`;
}

export function derivationPage(d: Derivation): string {
  const body: string[] = [
    `<h1>${escapeHtml(d.title)}</h1>`,
    `<section class="program"><h2>Program</h2><pre><code>${escapeHtml(d.program.replace(/\n+$/, ""))}</code></pre></section>`,
  ];
  if (d.setup.length > 0) body.push(`<section><h2>Definitions</h2>\n${stepsGrid(d.setup)}\n</section>`);
  for (const part of d.parts) {
    const result = `<div class="result">${displayMath(`${part.result.lhs.latex} = ${part.result.rhs.latex}`)}</div>`;
    body.push(`<section><h2>${escapeHtml(part.title)}</h2>\n${stepsGrid(part.steps)}\n<h3>Result</h3>\n${result}\n</section>`);
  }
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(d.title)}</title>`,
    `<style>${inlinedKatexCss()}</style>`,
    `<style>${PAGE_CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...body,
    "<footer>Written by jacobi derive; every step is named by the rule that gives it.</footer>",
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
