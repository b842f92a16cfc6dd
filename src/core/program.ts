/**
 * A program: declarations, definitions in order, and the subject (the last statement).
 * Definitions refer to each other by `sym` nodes with the definition's name.
 */
import type { DerivativeKind, KernelDerivativeKind } from "./derivative-kinds.js";
import { JacobiError, type Source, type Span } from "./errors.js";
import type { Expr } from "./expr.js";
import type { Shape } from "./shape.js";

export interface Declaration {
  readonly name: string;
  readonly shape: Shape;
  readonly span: Span | undefined;
  readonly source: Source | undefined;
}

export interface Definition {
  readonly name: string;
  /** The right-hand side, in terms of declared names and earlier definitions. */
  readonly expr: Expr;
  readonly span: Span | undefined;
  readonly source: Source | undefined;
}

/** A `kernel NAME = …` statement: a value, a derivative, or another kernel over a batch. */
export interface KernelStatement {
  readonly name: string;
  readonly call: KernelCall | BatchCall;
  readonly span: Span;
  readonly source: Source;
}

/**
 * `kernel NAME = batch(KERNEL, x, y)`: the kernel named KERNEL (a value or derivative
 * kernel of the same program) over a batch, each named input (a declared vector or
 * scalar) given one row per sample.
 */
export interface BatchCall {
  readonly op: "batch";
  readonly kernel: string;
  readonly names: readonly string[];
}

/** What a kernel computes: a plain expression, or a derivative of one. */
export type KernelCall =
  | { readonly op: "expr"; readonly expr: Expr }
  | { readonly op: Exclude<KernelDerivativeKind, "vjp" | "jvp">; readonly of: Expr; readonly wrt: readonly string[] }
  | { readonly op: "vjp"; readonly of: Expr; readonly wrt: readonly string[]; readonly cotangent: string }
  | { readonly op: "jvp"; readonly of: Expr; readonly wrt: readonly string[]; readonly tangent: string };

/**
 * A derivative form in a claim (`grad(L, W1)`): it stands in its side as the sym `name`
 * (the form's text), shaped as the derivative is.
 */
export interface ClaimDerivative {
  readonly name: string;
  readonly kind: DerivativeKind;
  readonly of: Expr;
  /** A declared value, a definition, or an undeclared scalar. */
  readonly wrt: string;
  /** vjp: the cotangent; jvp: the tangent (any expression). */
  readonly direction?: Expr;
}

/** `claim LHS = RHS`: a step of a hand derivation, judged by `jacobi check` (src/check). */
export interface Claim {
  readonly text: string;
  readonly line: number;
  readonly span: Span;
  /** Both sides, or the error that makes them ill-shaped (the claim is then wrong). */
  readonly sides: { readonly lhs: Expr; readonly rhs: Expr } | { readonly error: JacobiError };
  readonly derivatives: readonly ClaimDerivative[];
}

/**
 * `assume LHS = RHS`: a fact about the values (`assume sum(y) = 1`, y a probability
 * vector) that derivatives may use: results are written with LHS replaced by RHS, print
 * the assumption with them, and evaluation at given values checks that it holds.
 */
export interface Assumption {
  /** The statement as written, without `assume` (`sum(y) = 1`). */
  readonly text: string;
  /** Where the statement stands in the program text (for errors about it). */
  readonly span: Span;
  /** The left side, replaced in results by the right. */
  readonly lhs: Expr;
  /** The right side, of the left side's shape. */
  readonly rhs: Expr;
}

/**
 * A parsed and checked program: its declarations, definitions in order, kernel
 * statements, and its subject (the value of the last statement).
 */
export interface Program {
  /** The program's text (and its label, such as a file name). */
  readonly source: Source;
  /** Declared values by name (size names are not here). */
  readonly decls: ReadonlyMap<string, Declaration>;
  /** Size names, with the place each was first used. */
  readonly sizes: ReadonlyMap<string, Span | undefined>;
  /** Definitions in program order. */
  readonly defs: ReadonlyMap<string, Definition>;
  /** Where each name is first used in an expression (for "no value for x" errors). */
  readonly uses: ReadonlyMap<string, Span>;
  /** The `kernel NAME = …` statements, in order. */
  readonly kernels: readonly KernelStatement[];
  /** The `claim` statements, in order; each sees the definitions before it. */
  readonly claims: readonly Claim[];
  /** The `assume` statements, in order. */
  readonly assumptions: readonly Assumption[];
  /**
   * The last statement's value; a definition there makes its name the subject.
   * Undefined only for a file of kernel statements.
   */
  readonly subject: Expr | undefined;
  /** The name of the subject when the last statement is a definition (`s` of `s = …`). */
  readonly subjectName: string | undefined;
  /** Where the last statement is in the text. */
  readonly subjectSpan: Span | undefined;
}

/** Is this name a value the program declares or defines (not an undeclared scalar)? */
export const isKnownName = (p: Program, name: string): boolean => p.decls.has(name) || p.defs.has(name) || p.sizes.has(name);

/** The program's subject, or an error saying that it has none. */
export function subjectOf(program: Program): Expr {
  if (!program.subject) throw new JacobiError("syntax", "the program has only kernel statements; there is no expression to compute");
  return program.subject;
}
