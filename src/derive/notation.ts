/**
 * How a derivation writes its left-hand sides and rule names:
 *   ∂x[i]/∂x[a]            \frac{\partial x_{i}}{\partial x_{a}}
 *   ∂(W[i,k1]*x[k1])/∂W[a,b]  \frac{\partial}{\partial W_{a b}} \left(W_{i k_{1}} x_{k_{1}}\right)
 *   ∂²L/∂x[a]∂x[b]         \frac{\partial^{2} L}{\partial x_{a} \partial x_{b}}
 *   ∂s/∂x                  \frac{\partial s}{\partial x}
 * and the laws rules apply (d/du exp(u) = exp(u)). Rule names become `\text{…}` with
 * Greek letters set as math, so the LaTeX is valid for both KaTeX and pdflatex.
 */
import * as B from "../core/build.js";
import type { Expr, FnName } from "../core/expr.js";
import { MATRIX_FUNCTIONS } from "../core/functions.js";
import type { Size } from "../core/shape.js";
import { derivativeOf } from "../diff/rules.js";
import { latexName } from "../print/latex.js";
import { formula, formulaOf, type Formula } from "./model.js";

/** Expressions written after ∂ without parentheses. */
const isAtomic = (e: Expr): boolean => e.kind === "entry" || e.kind === "sym" || e.kind === "call" || e.kind === "delta";

/** ∂e/∂t for an expression e. */
export function partialOf(e: Expr, target: Formula): Formula {
  return partial(formulaOf(e), isAtomic(e), target);
}

/** ∂f/∂t for a formula f (atomic: written without parentheses). */
export function partial(f: Formula, atomic: boolean, target: Formula): Formula {
  if (atomic) return formula(`∂${f.text}/∂${target.text}`, `\\frac{\\partial ${f.latex}}{\\partial ${target.latex}}`);
  return formula(`∂(${f.text})/∂${target.text}`, `\\frac{\\partial}{\\partial ${target.latex}} \\left(${f.latex}\\right)`);
}

/** ∂²f/∂s∂t. */
export function secondPartial(f: Formula, first: Formula, second: Formula): Formula {
  return formula(`∂²${f.text}/∂${first.text}∂${second.text}`, `\\frac{\\partial^{2} ${f.latex}}{\\partial ${first.latex} \\partial ${second.latex}}`);
}

/** A name or an entry: `x`, `x[a]`, `W[a,b]`. */
export const named = (name: string, at: readonly string[]): Formula => formulaOf(at.length === 0 ? B.sym(name) : B.entry(name, at));

/** A size as a formula (`n`, `3`). */
export const sizeOf = (s: Size): Formula => formulaOf(B.sizeExpr(s));

/** Σ over `index` from 1 to `size` of a body formula. */
export function sumOf(index: string, size: Size, body: Formula): Formula {
  const n = sizeOf(size);
  return formula(`sum_{${index}=1..${n.text}}(${body.text})`, `\\sum_{${latexName(index)}=1}^{${n.latex}} ${body.latex}`);
}

/** A product of formulas (text `*`, LaTeX a thin space). */
export const productOf = (...fs: Formula[]): Formula =>
  formula(fs.map((f) => f.text).join("*"), fs.map((f) => f.latex).join(" \\, "));

/** `lhs = rhs` as one formula (for laws). */
export const equation = (lhs: Formula, rhs: Formula): Formula => formula(`${lhs.text} = ${rhs.text}`, `${lhs.latex} = ${rhs.latex}`);

/** The law of the chain rule for f: d/du f(u) = f'(u), from the differentiator's own table. */
export function chainLaw(fn: FnName): Formula {
  const u = B.sym("u");
  const f = formulaOf(B.call(fn, u));
  const df = formulaOf(derivativeOf(fn, u));
  return formula(`d/du ${f.text} = ${df.text}`, `\\frac{d}{du} ${f.latex} = ${df.latex}`);
}

/** Laws the passes name in words, as LaTeX. */
const LAW_LATEX: ReadonlyMap<string, string> = new Map([
  // contract δ: Σ_k δ(k,j) u(k) = u(j)
  ["Σ_k δ(k,j) u(k) = u(j)", "\\sum_{k} \\delta_{k j} \\, u_{k} = u_{j}"],
  // linearity of Σ: Σ_k (u(k) + v(k)) = Σ_k u(k) + Σ_k v(k)
  ["Σ_k (u(k) + v(k)) = Σ_k u(k) + Σ_k v(k)", "\\sum_{k} \\left(u_{k} + v_{k}\\right) = \\sum_{k} u_{k} + \\sum_{k} v_{k}"],
  // the Matrix Cookbook's differentials of det and inv, from their table (core/functions.ts)
  ...Object.values(MATRIX_FUNCTIONS).map((row) => [row.law.text, row.law.latex] as const),
]);

/** A law reported by a pass as text. */
export const lawOf = (text: string): Formula => formula(text, LAW_LATEX.get(text) ?? wordsLatex(text));

/** Symbols that may appear in rule names and laws, set as math. */
const SYMBOL_LATEX: ReadonlyMap<string, string> = new Map([
  ["δ", "\\delta"],
  ["Σ", "\\Sigma"],
  ["∂", "\\partial"],
  ["²", "^{2}"],
]);

/** Characters with a meaning in LaTeX text, escaped. */
export function escapeText(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\textbackslash{}";
      case "^":
        return "\\textasciicircum{}";
      case "~":
        return "\\textasciitilde{}";
      default:
        return `\\${c}`;
    }
  });
}

/** Words as LaTeX: text runs in `\text{…}`, the symbols above as math; other non-ASCII as `?`. */
export function wordsLatex(words: string): string {
  let out = "";
  let run = "";
  const flush = (): void => {
    if (run !== "") out += `\\text{${escapeText(run)}}`;
    run = "";
  };
  for (const ch of words) {
    const sym = SYMBOL_LATEX.get(ch);
    if (sym !== undefined) {
      flush();
      out += `${sym} `;
    } else run += ch.charCodeAt(0) < 128 ? ch : "?";
  }
  flush();
  return out.trimEnd();
}

/** A rule's name as LaTeX: `recognize z1` names the definition as it is printed (z_{1}). */
export function ruleLatex(rule: string): string {
  const m = /^recognize ([A-Za-z_][A-Za-z0-9_]*)$/.exec(rule);
  if (m) return `\\text{recognize } ${latexName(m[1]!)}`;
  return wordsLatex(rule);
}
