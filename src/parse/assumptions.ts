/**
 * `assume LHS = RHS` statements: both sides elaborated with the definitions before the
 * statement, of one shape, the left side an expression of the program's values (not a
 * number): `assume sum(y) = 1` says that y sums to one.
 */
import type { Assumption } from "../core/program.js";
import { describeShape } from "../core/shape.js";
import { forEachNode } from "../core/traverse.js";
import type { Statement } from "./ast.js";
import { elab } from "./expressions.js";
import { fail, type Scope } from "./scope.js";

/** An `assume` statement, checked. */
export function elabAssumption(s: Extract<Statement, { type: "assume" }>, scope: Scope): Assumption {
  const lhs = elab(s.lhs, scope);
  const rhs = elab(s.rhs, scope);
  let named = false;
  forEachNode(lhs, (x) => !(named ||= x.kind === "sym"));
  if (!named) fail("syntax", "an assumption's left side must be an expression of the program's values, like sum(y)", s.lhs.span, scope.source);
  if (lhs.shape !== rhs.shape) fail("shape", `an assumption's sides must have one shape: the left is ${describeShape(lhs.shape)}, the right ${describeShape(rhs.shape)}`, s.rhs.span, scope.source);
  const text = scope.source.text.slice(s.lhs.span.start, s.span.end);
  return { text, span: s.span, lhs, rhs };
}
