/**
 * The derivation model: what `jacobi derive` records and every renderer (text, the
 * `align*` body, the LaTeX document, the HTML page) prints. A derivation is a list of
 * equations, each named by the rule that gives it; formulas carry both their text and
 * their LaTeX, so every renderer shows the same steps.
 */
import type { Expr, Index } from "../core/expr.js";
import { toLatex } from "../print/latex.js";
import { toText } from "../print/text.js";

/** A formula in both notations: `toText` (parseable at matrix level) and `toLatex` (KaTeX-valid). */
export interface Formula {
  readonly text: string;
  readonly latex: string;
}

/** One step: `lhs = rhs`, by `rule` (and, when there is more to say, the law it uses). */
export interface Step {
  /** The rule's name: "definition", "lower to index form", "quotient rule", "contract δ", "recognize s"… */
  readonly rule: string;
  /** The law the rule applies (d/du exp(u) = exp(u)), or the identity it uses. */
  readonly law?: Formula;
  readonly lhs: Formula;
  readonly rhs: Formula;
  /** What the equation claims, as expressions, so that a derivation can be checked numerically. */
  readonly claim?: Claim;
}

/**
 * An equation as expressions over the program's names (definitions included):
 *   equal       lhs = rhs, at every value of their free indices;
 *   derivative  ∂of/∂wrt[at] = rhs (index form; `at` are the variable's indices in rhs);
 *   entries     the matrix-level `matrix` has the entries `of` (an index-form expression
 *               whose free `indices` are the rows and the columns).
 */
export type Claim =
  | { readonly kind: "equal"; readonly lhs: Expr; readonly rhs: Expr }
  | { readonly kind: "derivative"; readonly of: Expr; readonly wrt: string; readonly at: readonly Index[]; readonly rhs: Expr }
  | { readonly kind: "entries"; readonly of: Expr; readonly indices: readonly Index[]; readonly matrix: Expr };

/** One derivative of the program's value, step by step. */
export interface Part {
  /** "Jacobian of s by x". */
  readonly title: string;
  readonly steps: readonly Step[];
  /** The last step's equation: the result in matrix form, or in index form when it has none. */
  readonly result: Step;
}

/** A whole derivation document: the program, its definitions, and one part per derivative. */
export interface Derivation {
  readonly title: string;
  /** The program as the user wrote it. */
  readonly program: string;
  /** Definitions and the lowering to index form, shared by every part. */
  readonly setup: readonly Step[];
  readonly parts: readonly Part[];
}

/** An expression in both notations. */
export const formulaOf = (e: Expr): Formula => ({ text: toText(e), latex: toLatex(e) });

/** A formula from its two notations. */
export const formula = (text: string, latex: string): Formula => ({ text, latex });
