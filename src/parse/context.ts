/**
 * Constants whose size comes from where they are used (matrixcalculus.org's): `vector(c)`
 * (a column of c's), `matrix(c)` (a matrix of c's) and bare `eye`. The elaborator gives
 * each the shape its context asks for:
 *   a term of a sum                the shape of the sum's other terms
 *   after a matrix product A*…     A's columns as rows (vector(c): A.cols×1; eye: square)
 *   before a matrix product …*B    B's rows as columns (matrix(c) between two products)
 *   an elementwise factor          the shape of the other factors
 * and otherwise the shape asked of the whole expression (so `-2*vector(1)` or `pi*eye` in a sum works:
 * signs, elementwise functions and factors that are numbers, pi or e pass the context on).
 * Where nothing gives the size, a positioned error says so.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import { functionNamed } from "../core/functions.js";
import { describeShape, SCALAR, shape as makeShape, type Shape, type Size } from "../core/shape.js";
import type { AstExpr } from "./ast.js";
import { fail, type Scope } from "./scope.js";

/** The spellings of the context-sized constants. */
export const isContextConstant = (e: AstExpr, scope: Scope): boolean =>
  (e.type === "call" && (e.name === "vector" || e.name === "matrix")) || (e.type === "name" && e.name === "eye" && !scope.decls.has("eye") && !scope.defs.has("eye"));

/** Whether an expression's shape is its context's: a context constant, alone or under signs, elementwise functions and number factors. */
export function needsContext(e: AstExpr, scope: Scope): boolean {
  if (isContextConstant(e, scope)) return true;
  switch (e.type) {
    case "unary":
      return needsContext(e.arg, scope);
    case "call":
      return e.args.length === 1 && functionNamed(e.name) !== undefined && needsContext(e.args[0]!, scope);
    case "binary": {
      if (e.op === "+" || e.op === "-") return needsContext(e.left, scope) && needsContext(e.right, scope);
      if (e.op !== "*" && e.op !== ".*" && e.op !== "/" && e.op !== "./") return false;
      // each side is read once (reading it again at every level would take exponential time)
      const left = needsContext(e.left, scope);
      const right = needsContext(e.right, scope);
      return (left || right) && (left || isNumber(e.left, scope)) && (right || isNumber(e.right, scope));
    }
    default:
      return false;
  }
}

/** A number: a literal, the constant pi or e (where the program does not name its own), or a product or negation of numbers. */
function isNumber(e: AstExpr, scope: Scope): boolean {
  if (e.type === "number") return true;
  if (e.type === "name") return (e.name === "pi" || e.name === "e") && !scope.decls.has(e.name) && !scope.defs.has(e.name) && !scope.pending.has(e.name);
  if (e.type === "unary") return isNumber(e.arg, scope);
  return e.type === "binary" && (e.op === "*" || e.op === "/") && isNumber(e.left, scope) && isNumber(e.right, scope);
}

/** Rows and columns a context gives, either possibly unknown. */
export interface Want {
  readonly rows?: Size;
  readonly cols?: Size;
}
export const wantOf = (s: Shape | undefined): Want | undefined => (s === undefined || s === SCALAR ? undefined : { rows: s.rows, cols: s.cols });

/** vector(c), matrix(c) or eye, in the shape its context wants. */
export function contextConstant(e: AstExpr, want: Want | undefined, scope: Scope, scalarArg: (a: AstExpr) => Expr): Expr {
  const name = e.type === "call" ? e.name : "eye";
  const unknown = (): never =>
    fail("shape", `the size of ${name === "eye" ? "eye" : `${name}(…)`} comes from where it is used, and nothing here gives it; write ${SPELLED[name]}`, e.span, scope.source);
  if (name === "eye") {
    const n = want?.rows ?? want?.cols;
    if (n === undefined) return unknown();
    if (want?.rows !== undefined && want.cols !== undefined && want.rows !== want.cols)
      fail("shape", `eye is square, but here it would be ${describeShape(makeShape(want.rows, want.cols))}`, e.span, scope.source);
    return B.eye(n);
  }
  if (e.type !== "call") return unknown();
  if (e.args.length !== 1) fail("arity", `${name}(c) takes 1 argument (the value of every entry), not ${e.args.length}`, e.span, scope.source);
  const value = scalarArg(e.args[0]!);
  if (value.shape !== SCALAR) fail("shape", `the entry value of ${name}(c) must be a scalar, not ${describeShape(value.shape)}`, e.args[0]!.span, scope.source);
  let shape: Shape;
  if (name === "vector") {
    if (want?.cols !== undefined && want.cols !== 1)
      fail("shape", `vector(c) is a column, but here it would have ${want.cols} columns; use matrix(c)`, e.span, scope.source);
    if (want?.rows === undefined) return unknown();
    shape = makeShape(want.rows, 1);
  } else {
    if (want?.rows === undefined || want.cols === undefined) return unknown();
    shape = makeShape(want.rows, want.cols);
  }
  return value.kind === "num" ? B.filled(value.value, shape) : B.mul(value, B.filled(1, shape));
}

const SPELLED: Record<string, string> = { vector: "ones(n)*c", matrix: "ones(m, n)*c", eye: "eye(n)" };
