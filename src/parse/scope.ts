/**
 * What the elaborator knows while it reads a program: the names declared, defined and
 * used so far, the calls that are not elementwise functions, and positioned errors.
 */
import { KERNEL_DERIVATIVE_KINDS } from "../core/derivative-kinds.js";
import { JacobiError, type Source, type Span } from "../core/errors.js";
import { functionNamed } from "../core/functions.js";
import type { Expr } from "../core/expr.js";
import type { Declaration, Definition } from "../core/program.js";
import type { AstExpr } from "./ast.js";
import { REDUCTION_NAMES } from "./reductions.js";
import { MAX_DECIMAL_EXPONENT, parseDecimal, type Rational } from "../core/rational.js";

/** Calls that are not elementwise functions. */
export const STRUCTURE_CALLS = ["sqrt", "sum", "diag", "eye", "ones", "zeros", "tr", "norm1", "norm2", "det", "logdet", "inv", ...REDUCTION_NAMES] as const;
/** ...and the derivative operators, allowed as the whole right-hand side of a `kernel` statement (KERNEL_DERIVATIVE_KINDS). */
export const KNOWN_CALLS: ReadonlySet<string> = new Set<string>([...STRUCTURE_CALLS, ...KERNEL_DERIVATIVE_KINDS]);

export interface Scope {
  readonly decls: Map<string, Declaration>;
  readonly sizes: Map<string, Span | undefined>;
  /** The text each size name was first used in (its span points there). */
  readonly sizeSources: Map<string, Source>;
  readonly defs: Map<string, Definition>;
  /** Definitions not yet elaborated, with where they are. */
  readonly pending: Map<string, Span>;
  readonly uses: Map<string, Span>;
  /** The names of the program's kernel statements (not values: using one as a value is an error). */
  readonly kernels: ReadonlySet<string>;
  source: Source;
  /** While a claim is read: its derivative forms (`grad(L, W1)`, claims.ts). */
  claimCall?: ((e: Extract<AstExpr, { type: "call" }>) => Expr) | undefined;
}

export function fail(kind: "name" | "shape" | "arity" | "syntax" | "unsupported", message: string, span: Span, source: Source): never {
  throw new JacobiError(kind, message, span, source);
}

/** A number literal, exactly; a positioned limit error for an absurd exponent. */
export function numberAt(text: string, span: Span, scope: Scope): Rational {
  try {
    return parseDecimal(text);
  } catch {
    throw new JacobiError("limit", `the number ${text.length > 40 ? `${text.slice(0, 40)}…` : text} has an exponent beyond ±${MAX_DECIMAL_EXPONENT}, too large to keep exactly`, span, scope.source);
  }
}

export function checkNameFree(name: string, span: Span, scope: Scope, verb: "declare" | "define"): void {
  if (functionNamed(name) || KNOWN_CALLS.has(name)) fail("name", `cannot ${verb} '${name}': it is a function name`, span, scope.source);
}

export function where(span: Span | undefined, source: Source | undefined): string {
  if (!span || !source) return "";
  const before = source.text.slice(0, span.start).split("\n");
  const label = source.label ? `${source.label} ` : "";
  return ` (first at ${label}${before.length}:${before[before.length - 1]!.length + 1})`;
}
