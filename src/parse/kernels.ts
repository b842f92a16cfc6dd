/**
 * `kernel NAME = …` statements: a value, a derivative operator applied to one, or
 * `batch(KERNEL, x, y)`, another kernel of the program over a batch.
 */
import { isKernelDerivativeKind } from "../core/derivative-kinds.js";
import type { KernelCall, KernelStatement } from "../core/program.js";
import type { AstExpr, Statement } from "./ast.js";
import { elab } from "./expressions.js";
import { fail, where, type Scope } from "./scope.js";

/**
 * A name a kernel operator takes. What to differentiate by (`wrt`) may also be an undeclared
 * scalar the value uses (`grad(x^3*y, x)`) and, for grad and vjp, a definition (the
 * derivative by that intermediate value), as on the command line.
 */
function nameArg(a: AstExpr, what: string, scope: Scope, wrt?: { definitions: boolean }): string {
  if (a.type !== "name") return fail("syntax", `${what} must be a declared name`, a.span, scope.source);
  if (wrt && scope.defs.has(a.name) && wrt.definitions) return a.name;
  if (wrt && scope.uses.has(a.name) && !scope.defs.has(a.name) && !scope.sizes.has(a.name)) return a.name;
  if (!scope.decls.has(a.name)) fail("name", `'${a.name}' is not declared (${what} must be a declared value)`, a.span, scope.source);
  return a.name;
}

function elabKernel(s: Extract<Statement, { type: "kernel" }>, scope: Scope): KernelStatement {
  const v = s.value;
  let call: KernelCall;
  if (v.type === "call" && isKernelDerivativeKind(v.name)) {
    const op = v.name;
    const min = op === "vjp" || op === "jvp" ? 3 : 2;
    if (v.args.length < min) fail("arity", `${op} takes ${min === 3 ? "an expression, the names to differentiate by, and a last name" : "an expression and at least one name"}`, v.span, scope.source);
    const of = elab(v.args[0]!, scope);
    if (op === "vjp" || op === "jvp") {
      const wrt = v.args.slice(1, -1).map((a) => nameArg(a, "what to differentiate by", scope, { definitions: op === "vjp" }));
      const last = nameArg(v.args[v.args.length - 1]!, op === "vjp" ? "the cotangent" : "the tangent", scope);
      call = op === "vjp" ? { op, of, wrt, cotangent: last } : { op, of, wrt, tangent: last };
    } else call = { op, of, wrt: v.args.slice(1).map((a) => nameArg(a, "what to differentiate by", scope, { definitions: op === "grad" })) };
  } else call = { op: "expr", expr: elab(v, scope) };
  return { name: s.name, call, span: s.span, source: scope.source };
}

/**
 * `batch(KERNEL, x, y)`: KERNEL is a value or derivative kernel of the program (any of
 * `kernels`, the names of its non-batch kernel statements), the rest are declared
 * vectors or scalars, each named once.
 */
function elabBatch(s: Extract<Statement, { type: "batch" }>, scope: Scope, earlier: readonly KernelStatement[], kernels: ReadonlySet<string>): KernelStatement {
  const [first, ...args] = s.value.args;
  if (!first || first.type !== "name") return fail("unsupported", "batch takes a kernel's name first: batch(KERNEL, x, y)", s.span, scope.source);
  if (earlier.some((k) => k.name === first.name && k.call.op === "batch")) fail("unsupported", `batch: '${first.name}' is already batched`, first.span, scope.source);
  if (!kernels.has(first.name)) fail("unsupported", `batch: no kernel named '${first.name}' (it must be defined before)`, first.span, scope.source);
  if (args.length === 0) fail("unsupported", "batch needs the names of the inputs given per sample: batch(KERNEL, x, y)", s.span, scope.source);
  const names: string[] = [];
  for (const a of args) {
    if (a.type !== "name") return fail("unsupported", "batch: the inputs given per sample are names", a.span, scope.source);
    const decl = scope.decls.get(a.name);
    if (!decl) fail("unsupported", `batch: '${a.name}' is not a declared value`, a.span, scope.source);
    if (decl.shape.cols !== 1) fail("unsupported", `batch: '${a.name}' is ${decl.shape.rows}×${decl.shape.cols}; only vectors and scalars can be batched`, a.span, scope.source);
    if (names.includes(a.name)) fail("unsupported", `batch: '${a.name}' is named twice`, a.span, scope.source);
    names.push(a.name);
  }
  return { name: s.name, call: { op: "batch", kernel: first.name, names }, span: s.span, source: scope.source };
}

/** A kernel statement, after those before it (`earlier`); each kernel name is given once. */
export function elabKernelStatement(s: Extract<Statement, { type: "kernel" | "batch" }>, scope: Scope, earlier: readonly KernelStatement[], kernels: ReadonlySet<string>): KernelStatement {
  const prev = earlier.find((k) => k.name === s.name);
  if (prev) fail("unsupported", `kernel '${s.name}' is defined twice${where(prev.span, prev.source)}`, s.span, scope.source);
  return s.type === "batch" ? elabBatch(s, scope, earlier, kernels) : elabKernel(s, scope);
}
