/**
 * A derivation as a standalone LaTeX document: article class, amsmath, one `align*`
 * per part (the setup's first), each step tagged with its rule in `\text{…}`, and the
 * result boxed. The equations use only commands KaTeX also accepts (toLatex's, \frac,
 * \partial, \text, \boxed), so the same text renders on the HTML page. No date, so the
 * document is the same bytes for the same derivation.
 */
import type { Derivation, Step } from "./model.js";
import { escapeText } from "./notation.js";
import { alignEnvironment } from "./text.js";

/** Text for LaTeX's text mode: specials escaped, non-ASCII (pdflatex's default fonts lack it) as `?`. */
const textMode = (s: string): string => escapeText(s.replace(/[^\x20-\x7e]/g, "?"));

/** `lhs = rhs` of a result, boxed. */
export const resultLatex = (s: Step): string => `\\boxed{${s.lhs.latex} = ${s.rhs.latex}}`;

/** The program's lines in a typewriter font, each as the user wrote it. */
function programListing(program: string): string {
  const lines = program.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  // `{}` keeps a line that starts with [ or * from reading as an argument of the \\ before it
  const shown = lines.map((l) => (l.trim() === "" ? "~" : /^\s*[[*]/.test(l) ? `{}${textMode(l)}` : textMode(l)));
  return `\\begin{flushleft}\\ttfamily\n${shown.join(" \\\\\n")}\n\\end{flushleft}`;
}

export function derivationDocument(d: Derivation): string {
  const out = [
    `% ${textMode(d.title)}: written by jacobi derive`,
    "\\documentclass{article}",
    "\\usepackage{amsmath}",
    "\\usepackage[margin=2cm]{geometry}",
    "\\allowdisplaybreaks",
    "\\begin{document}",
    "",
    `\\section*{${textMode(d.title)}}`,
    "",
    "\\subsection*{Program}",
    programListing(d.program),
  ];
  if (d.setup.length > 0) out.push("", "\\subsection*{Definitions}", alignEnvironment(d.setup));
  for (const part of d.parts) {
    out.push("", `\\subsection*{${textMode(part.title)}}`);
    if (part.steps.length > 0) out.push(alignEnvironment(part.steps));
    out.push("Result:", `\\[ ${resultLatex(part.result)} \\]`);
  }
  out.push("", "\\end{document}", "");
  return out.join("\n");
}
