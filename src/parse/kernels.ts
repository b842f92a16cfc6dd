/** `kernel NAME = …` statements: a value, or a derivative operator applied to one. */
import type { KernelCall, KernelStatement } from "../core/program.js";
import type { AstExpr, Statement } from "./ast.js";
import { elab } from "./expressions.js";
import { DERIVATIVE_OPS, fail, type Scope } from "./scope.js";

function nameArg(a: AstExpr, what: string, scope: Scope): string {
  if (a.type !== "name") return fail("syntax", `${what} must be a declared name`, a.span, scope.source);
  if (!scope.decls.has(a.name)) fail("name", `'${a.name}' is not declared (${what} must be a declared value)`, a.span, scope.source);
  return a.name;
}

export function elabKernel(s: Extract<Statement, { type: "kernel" }>, scope: Scope): KernelStatement {
  const v = s.value;
  let call: KernelCall;
  if (v.type === "call" && (DERIVATIVE_OPS as readonly string[]).includes(v.name)) {
    const op = v.name as (typeof DERIVATIVE_OPS)[number];
    const min = op === "vjp" || op === "jvp" ? 3 : 2;
    if (v.args.length < min) fail("arity", `${op} takes ${min === 3 ? "an expression, the names to differentiate by, and a last name" : "an expression and at least one name"}`, v.span, scope.source);
    const of = elab(v.args[0]!, scope);
    if (op === "vjp" || op === "jvp") {
      const wrt = v.args.slice(1, -1).map((a) => nameArg(a, "what to differentiate by", scope));
      const last = nameArg(v.args[v.args.length - 1]!, op === "vjp" ? "the cotangent" : "the tangent", scope);
      call = op === "vjp" ? { op, of, wrt, cotangent: last } : { op, of, wrt, tangent: last };
    } else call = { op, of, wrt: v.args.slice(1).map((a) => nameArg(a, "what to differentiate by", scope)) };
  } else call = { op: "expr", expr: elab(v, scope) };
  return { name: s.name, call, span: s.span, source: scope.source };
}
