import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import katex from "katex";
import { describe, expect, it } from "vitest";
import type { DerivativeSpec } from "../../src/calculus/derive.js";
import { processIo } from "../../src/cli/io.js";
import { recordDerivation } from "../../src/derive/derivation.js";
import { derivationPage, escapeHtml } from "../../src/derive/html.js";
import type { Derivation } from "../../src/derive/model.js";
import { notebookDerivations, writeNotebookDerivations } from "../../src/derive/notebook.js";
import { ruleLatex, wordsLatex } from "../../src/derive/notation.js";
import { derivationDocument } from "../../src/derive/tex.js";
import { alignLines, derivationLatex } from "../../src/derive/text.js";
import { parseProgram } from "../../src/parse/parse.js";

/** KaTeX is the oracle: it throws on anything it cannot typeset. */
const render = (tex: string): string => katex.renderToString(tex, { displayMode: true, throwOnError: true });

const record = (program: string, specs: DerivativeSpec[]): Derivation => recordDerivation(parseProgram(program), specs, { source: program });

/** The notebook's derivations and a few more, as the documents are made from them. */
const DERIVATIONS: [string, Derivation][] = [
  ...notebookDerivations().map((d): [string, Derivation] => [d.name, recordDerivation(parseProgram(d.program), d.specs, { source: d.program, title: d.title })]),
  ["hessian", record("x: vector(n); A: matrix(n,n); x'*A*x", [{ kind: "hessian", wrt: "x" }])],
  ["jvp", record("W: matrix(m,n); x: vector(n); V: matrix(m,n); W*x", [{ kind: "jvp", wrt: "W", tangent: "V" }])],
  ["literal", record("alpha: scalar; t: scalar; W_2: matrix(2,2); [[alpha*t, t^2], [sin(t), 1/t]] .* W_2", [{ kind: "diff", wrt: "t" }])],
];

/** The `align*` environments of a LaTeX text and their lines. */
function alignEnvironments(tex: string): string[] {
  return [...tex.matchAll(/\\begin\{align\*\}\n([\s\S]*?)\n\\end\{align\*\}/g)].map((m) => m[1]!);
}

const unescapeHtml = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" })[e]!);

/** The TeX source of every formula KaTeX put on a page (its MathML annotation). */
const pageFormulas = (html: string): string[] => [...html.matchAll(/<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g)].map((m) => unescapeHtml(m[1]!));

describe("the LaTeX document", () => {
  for (const [name, d] of DERIVATIONS) {
    it(`${name}: a standalone article whose every equation KaTeX renders`, () => {
      const doc = derivationDocument(d);
      expect(doc.startsWith("% ")).toBe(true);
      expect(doc).toContain("\\documentclass{article}\n\\usepackage{amsmath}");
      expect(doc.match(/\\begin\{document\}/g)).toHaveLength(1);
      expect(doc.trimEnd().endsWith("\\end{document}")).toBe(true);
      const envs = alignEnvironments(doc);
      expect(envs).toHaveLength(1 + d.parts.length);
      for (const env of envs) {
        render(`\\begin{align*}${env}\\end{align*}`);
        for (const line of env.split(" \\\\\n")) render(`\\begin{aligned}${line}\\end{aligned}`);
      }
      const results = [...doc.matchAll(/\\\[ ([\s\S]*?) \\\]/g)].map((m) => m[1]!);
      expect(results).toHaveLength(d.parts.length);
      for (const r of results) render(r);
    });
  }

  it("tags every line with its rule in \\text{…}", () => {
    const d = DERIVATIONS[0]![1];
    const lines = alignLines(d.parts[0]!.steps);
    expect(lines.every((l) => /&= .* && \\text\{/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("&& \\text{contract }\\delta"))).toBe(true);
    // a line repeating the left-hand side above it starts with &=
    expect(lines.some((l) => l.startsWith(" &= "))).toBe(true);
  });

  it("prints the align* bodies for --format latex", () => {
    const d = DERIVATIONS[0]![1];
    expect(alignEnvironments(derivationLatex(d))).toEqual(alignEnvironments(derivationDocument(d)));
  });

  it("escapes the program's text", () => {
    const program = "x: vector(2) # a comment with \\end{document} $ & % _ ^ ~ { } and ünïcode\n[1, 2]'*x";
    const doc = derivationDocument(record(program, [{ kind: "grad", wrt: "x" }]));
    expect(doc.match(/\\end\{document\}/g)).toHaveLength(1);
    expect(doc).toContain("\\textbackslash{}end\\{document\\} \\$ \\& \\% \\_ \\textasciicircum{} \\textasciitilde{} \\{ \\} and ?n?code");
    expect(doc).toContain("{}[1, 2]'*x");
  });
});

describe("rule names and laws in LaTeX", () => {
  it("set Greek letters as math and escape the rest", () => {
    for (const words of ["contract δ", "linearity of Σ", "a_b %&#{}$^~\\ [x]", "ünïcode", "recognize z1", "recognize my_long_name", "∂²"]) {
      render(ruleLatex(words));
      render(wordsLatex(words));
    }
    expect(ruleLatex("contract δ")).toBe("\\text{contract }\\delta");
    expect(ruleLatex("recognize z1")).toBe("\\text{recognize } z_{1}");
  });
});

describe("the HTML page", () => {
  for (const [name, d] of DERIVATIONS) {
    it(`${name}: every formula rendered by KaTeX, none an error`, () => {
      const html = derivationPage(d);
      expect(html).not.toContain("katex-error");
      const formulas = pageFormulas(html);
      // each step's right-hand side, each left-hand side not repeated from the row above, laws, results
      expect(formulas.length).toBeGreaterThanOrEqual(d.setup.length + d.parts.reduce((n, p) => n + p.steps.length + 1, 0));
      for (const f of formulas) render(f);
      expect(html.match(/class="katex"/g)!.length).toBe(formulas.length);
    });
  }

  it("is self-contained: no scripts, no links, every url(…) a data: URL holding a woff2 font", () => {
    const html = derivationPage(DERIVATIONS[0]![1]);
    expect(html).not.toMatch(/<script|<link|\b(src|href)=/i);
    const urls = [...html.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(20);
    for (const u of urls) {
      expect(u.startsWith("data:font/woff2;base64,")).toBe(true);
      expect(Buffer.from(u.slice("data:font/woff2;base64,".length), "base64").subarray(0, 4).toString("latin1")).toBe("wOF2");
    }
    // every font family KaTeX's own stylesheet declares is there
    const css = readFileSync(createRequire(import.meta.url).resolve("katex/dist/katex.min.css"), "utf8");
    const families = new Set([...css.matchAll(/font-family:(KaTeX_[A-Za-z0-9]+);font-style:(\w+);font-weight:(\w+)/g)].map((m) => m.slice(1).join("|")));
    const inlined = new Set([...html.matchAll(/font-family:(KaTeX_[A-Za-z0-9]+);font-style:(\w+);font-weight:(\w+)/g)].map((m) => m.slice(1).join("|")));
    expect(inlined).toEqual(families);
  });

  it("escapes the program and every name", () => {
    const program = "x: vector(n) # <script>alert('&')</script> \"quoted\"\nsum(exp(x))";
    const html = derivationPage(record(program, [{ kind: "grad", wrt: "x" }]));
    expect(html).not.toContain("<script>");
    expect(html).toContain("# &lt;script&gt;alert(&#39;&amp;&#39;)&lt;/script&gt; &quot;quoted&quot;");
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("shows the program, each rule by name, and the result", () => {
    const html = derivationPage(DERIVATIONS[0]![1]);
    expect(html).toContain("<pre><code>x: vector(n); s = exp(x)/sum(exp(x))</code></pre>");
    for (const rule of ["definition", "lower to index form", "variable", "chain rule", "quotient rule", "contract δ", "recognize s", "matrix form"])
      expect(html).toContain(`<div class="rule">${rule}`);
    expect(pageFormulas(html)).toContain("\\frac{\\partial s}{\\partial x} = \\operatorname{diag}\\left(s\\right) - s s^{\\top}");
  });
});

describe("the notebook's derivations", () => {
  it("are written as .tex and .html, and their paths returned", () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-derive-"));
    const paths = writeNotebookDerivations(join(dir, "generated"), processIo);
    const names = ["softmax-jacobian", "network-gradients", "matvec-vjp"];
    expect(paths).toEqual(names.flatMap((n) => [join(dir, "generated", `${n}.tex`), join(dir, "generated", `${n}.html`)]));
    for (const p of paths) expect(existsSync(p)).toBe(true);
    const softmax = readFileSync(paths[1]!, "utf8");
    expect(softmax).not.toContain("katex-error");
    expect(pageFormulas(softmax).some((f) => f.endsWith("\\operatorname{diag}\\left(s\\right) - s s^{\\top}"))).toBe(true);
    const network = readFileSync(paths[2]!, "utf8");
    for (const w of ["W1", "b1", "W2", "b2"]) expect(network).toContain(`\\subsection*{gradient of L by ${w}}`);
    expect(readFileSync(paths[4]!, "utf8")).toContain("g x^{\\top}");
  });

  it("are the same bytes every time", () => {
    const a = mkdtempSync(join(tmpdir(), "jacobi-derive-a-"));
    const b = mkdtempSync(join(tmpdir(), "jacobi-derive-b-"));
    const pa = writeNotebookDerivations(a, processIo);
    const pb = writeNotebookDerivations(b, processIo);
    pa.forEach((p, k) => expect(readFileSync(p).equals(readFileSync(pb[k]!))).toBe(true));
  });

  it("resolve every url(…) of the pages they write to a data: URL or an existing file", () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-derive-urls-"));
    for (const p of writeNotebookDerivations(dir, processIo).filter((p) => p.endsWith(".html"))) {
      const html = readFileSync(p, "utf8");
      for (const m of html.matchAll(/url\(\s*["']?([^"')]*)["']?\s*\)/g)) {
        const u = m[1]!;
        expect(u.startsWith("data:") || existsSync(resolve(dirname(p), u)), u.slice(0, 60)).toBe(true);
      }
    }
  });
});
