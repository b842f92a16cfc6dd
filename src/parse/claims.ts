/**
 * `claim LHS = RHS` statements: both sides elaborated with the definitions before the
 * claim, the derivative forms in them (`grad(F, X)`, `jacobian`, `hessian`, `vjp(F, X, G)`,
 * `jvp(F, X, T)`, `diff(F, x)`) kept as syms shaped as the derivative is. A shape error in
 * a claim does not stop the program: the claim keeps it and is judged wrong (src/check).
 */
import * as B from "../core/build.js";
import type { DerivativeKind } from "../core/derivative-kinds.js";
import { JacobiError, lineCol } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import type { Claim, ClaimDerivative } from "../core/program.js";
import { describeShape, SCALAR, shape as makeShape, type Shape } from "../core/shape.js";
import type { AstExpr, Statement } from "./ast.js";
import { elab } from "./expressions.js";
import { fail, type Scope } from "./scope.js";

type Call = Extract<AstExpr, { type: "call" }>;

const ARGS: Readonly<Record<DerivativeKind, string>> = {
  grad: "grad(F, X)",
  jacobian: "jacobian(F, X)",
  hessian: "hessian(F, X)",
  vjp: "vjp(F, X, G)",
  jvp: "jvp(F, X, T)",
  diff: "diff(F, x)",
};

/** The derivative's shape, from the shapes of F, X (and the direction); a shape error otherwise. */
function derivativeShape(kind: DerivativeKind, f: Shape, x: Shape, dir: Shape | undefined, e: Call, scope: Scope): Shape {
  const bad = (message: string): never => fail("shape", message, e.span, scope.source);
  switch (kind) {
    case "grad":
      if (f !== SCALAR) bad(`grad needs a scalar value, not ${describeShape(f)}; use jacobian or vjp`);
      return x;
    case "jacobian":
      if (f.cols !== 1 || x.cols !== 1) bad(`jacobian is for vectors and scalars, not ${describeShape(f.cols !== 1 ? f : x)}`);
      return makeShape(f.rows, x.rows);
    case "hessian":
      if (f !== SCALAR || x.cols !== 1) bad(`hessian needs a scalar value and a vector or scalar, not ${describeShape(f)} by ${describeShape(x)}`);
      return makeShape(x.rows, x.rows);
    case "vjp":
      if (dir !== f) bad(`the cotangent is ${describeShape(dir!)} but the value is ${describeShape(f)}`);
      return x;
    case "jvp":
      if (dir !== x) bad(`the tangent is ${describeShape(dir!)} but the value differentiated by is ${describeShape(x)}`);
      return f;
    case "diff":
      if (x !== SCALAR) bad(`diff is by a scalar, not ${describeShape(x)}; use grad, jacobian, jvp or vjp`);
      return f;
  }
}

/** A derivative form met in a claim: recorded in `found`, returned as its sym. */
function derivativeForm(e: Call, scope: Scope, found: ClaimDerivative[]): Expr {
  const kind = e.name as DerivativeKind;
  const want = kind === "vjp" || kind === "jvp" ? 3 : 2;
  if (e.args.length !== want) fail("arity", `${kind} in a claim takes ${want} arguments: ${ARGS[kind]}`, e.span, scope.source);
  const wrtArg = e.args[1]!;
  if (wrtArg.type !== "name") return fail("syntax", `what ${kind} differentiates by must be a name (a declared value or a definition)`, wrtArg.span, scope.source);
  const hook = scope.claimCall;
  scope.claimCall = undefined; // derivative forms do not nest
  try {
    const of = elab(e.args[0]!, scope);
    const x = elab(wrtArg, scope);
    const direction = want === 3 ? elab(e.args[2]!, scope) : undefined;
    const shape = derivativeShape(kind, of.shape, x.shape, direction?.shape, e, scope);
    const name = scope.source.text.slice(e.span.start, e.span.end);
    const prev = found.find((d) => d.name === name);
    if (!prev) found.push({ name, kind, of, wrt: wrtArg.name, ...(direction ? { direction } : {}) });
    return B.sym(name, shape);
  } finally {
    scope.claimCall = hook;
  }
}

/** A `claim` statement, with the definitions elaborated so far in scope. */
export function elabClaim(s: Extract<Statement, { type: "claim" }>, scope: Scope): Claim {
  const found: ClaimDerivative[] = [];
  const text = scope.source.text.slice(s.span.start, s.span.end);
  const line = lineCol(scope.source.text, s.span.start).line;
  scope.claimCall = (e) => derivativeForm(e, scope, found);
  try {
    const lhs = elab(s.lhs, scope);
    const rhs = elab(s.rhs, scope);
    return { text, line, span: s.span, sides: { lhs, rhs }, derivatives: found };
  } catch (e) {
    // an ill-shaped side makes a wrong claim, not a broken program
    if (e instanceof JacobiError && e.kind === "shape") return { text, line, span: s.span, sides: { error: e }, derivatives: found };
    throw e;
  } finally {
    scope.claimCall = undefined;
  }
}
