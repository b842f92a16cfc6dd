/** Declarations: `x: vector(n)`, `W: matrix(m, n)`, `a: scalar`, and the sizes they name. */
import { SCALAR, shape as makeShape, vectorShape, type Shape, type Size } from "../core/shape.js";
import type { AstExpr, Statement } from "./ast.js";
import { checkNameFree, fail, numberAt, where, type Scope } from "./scope.js";

const TYPE_WORDS = "scalar, vector(n) or matrix(m, n)";

export function sizeOf(arg: AstExpr, scope: Scope): Size {
  if (arg.type === "number") {
    const v = numberAt(arg.text, arg.span, scope);
    if (v.den !== 1n || v.num < 1n) fail("shape", `a size must be a positive integer, not ${arg.text}`, arg.span, scope.source);
    if (v.num > 1_000_000_000n) fail("shape", `size ${arg.text} is too large (the limit is 1000000000)`, arg.span, scope.source);
    return Number(v.num);
  }
  if (arg.type === "name") {
    if (scope.decls.has(arg.name)) fail("name", `'${arg.name}' is a declared value and cannot be a size`, arg.span, scope.source);
    if (!scope.sizes.has(arg.name)) {
      scope.sizes.set(arg.name, arg.span);
      scope.sizeSources.set(arg.name, scope.source);
    }
    return arg.name;
  }
  if (arg.type === "unary" && arg.op === "-") fail("shape", "a size must be a positive integer", arg.span, scope.source);
  return fail("shape", "a size is a positive integer or a size name", arg.span, scope.source);
}

function shapeOf(t: AstExpr, scope: Scope): Shape {
  if (t.type === "name" && t.name === "scalar") return SCALAR;
  if (t.type === "call" && (t.name === "vector" || t.name === "matrix")) {
    const want = t.name === "vector" ? 1 : 2;
    if (t.args.length !== want)
      fail("arity", `${t.name} takes ${want === 1 ? "one size" : "two sizes (rows, columns)"}, not ${t.args.length}`, t.span, scope.source);
    const sizes = t.args.map((a) => sizeOf(a, scope));
    return want === 1 ? vectorShape(sizes[0]!) : makeShape(sizes[0]!, sizes[1]!);
  }
  const what = t.type === "name" || t.type === "call" ? `'${t.name}'` : "this";
  return fail("syntax", `unknown type ${what}; a declaration's type is ${TYPE_WORDS}`, t.span, scope.source);
}

export function declare(s: Extract<Statement, { type: "decl" }>, scope: Scope): void {
  const prev = scope.decls.get(s.name);
  if (prev) fail("name", `'${s.name}' is declared twice${where(prev.span, prev.source)}`, s.nameSpan, scope.source);
  checkNameFree(s.name, s.nameSpan, scope, "declare");
  scope.decls.set(s.name, { name: s.name, shape: shapeOf(s.typeExpr, scope), span: s.nameSpan, source: scope.source });
}
