/**
 * Expressions: names resolved, shapes checked (errors point at the operator and name
 * both shapes), canonical expressions built through the builders.
 */
import * as B from "../core/build.js";
import { isKernelDerivativeKind } from "../core/derivative-kinds.js";
import type { Span } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import { FUNCTION_NAMES, FUNCTION_TABLE, isFnName } from "../core/functions.js";
import { rat } from "../core/rational.js";
import { broadcastShape, describeShape, SCALAR, shape as makeShape, vectorShape, type Shape, type Size } from "../core/shape.js";
import type { AstExpr } from "./ast.js";
import { sizeOf } from "./declarations.js";
import { fail, KNOWN_CALLS, numberAt, where, type Scope } from "./scope.js";

function resolveName(name: string, span: Span, scope: Scope): Expr {
  if (!scope.uses.has(name)) scope.uses.set(name, span);
  const decl = scope.decls.get(name);
  if (decl) return B.sym(name, decl.shape);
  const def = scope.defs.get(name);
  if (def) return B.sym(name, def.expr.shape);
  const pending = scope.pending.get(name);
  if (pending) {
    const self = pending.start <= span.start;
    fail("name", self ? `'${name}' refers to itself in its own definition` : `'${name}' is used before its definition${where(pending, scope.source)}`, span, scope.source);
  }
  if (isFnName(name) || KNOWN_CALLS.has(name)) fail("name", `'${name}' is a function; call it as ${name}(…)`, span, scope.source);
  return B.sym(name);
}

const shapeMismatch = (op: string, a: Shape, b: Shape): string => `'${op}' cannot combine ${describeShape(a)} and ${describeShape(b)}`;

/** `a + b - c …`: the left spine is walked, not recursed, so long sums are fine. */
function elabSum(e: Extract<AstExpr, { type: "binary" }>, scope: Scope): Expr {
  const rights: { op: string; node: AstExpr; opSpan: Span }[] = [];
  let left: AstExpr = e;
  while (left.type === "binary" && (left.op === "+" || left.op === "-")) {
    rights.push({ op: left.op, node: left.right, opSpan: left.opSpan });
    left = left.left;
  }
  rights.reverse();
  const terms = [elab(left, scope)];
  let shape = terms[0]!.shape;
  for (const r of rights) {
    const t = elab(r.node, scope);
    const s = broadcastShape(shape, t.shape);
    if (!s) fail("shape", shapeMismatch(r.op, shape, t.shape), r.opSpan, scope.source);
    shape = s;
    terms.push(r.op === "-" ? B.neg(t) : t);
  }
  return B.addAll(terms);
}

const PRODUCT_OPS = new Set(["*", "/", ".*", "./"]);

/** `a * b ./ c …`, left to right: runs of scaling and elementwise factors become one product. */
function elabProduct(e: Extract<AstExpr, { type: "binary" }>, scope: Scope): Expr {
  const rights: { op: string; node: AstExpr; opSpan: Span }[] = [];
  let left: AstExpr = e;
  while (left.type === "binary" && PRODUCT_OPS.has(left.op)) {
    rights.push({ op: left.op, node: left.right, opSpan: left.opSpan });
    left = left.left;
  }
  rights.reverse();
  let group: Expr[] = [elab(left, scope)];
  let shape = group[0]!.shape;
  for (const r of rights) {
    const f = elab(r.node, scope);
    if (r.op === "*" && shape !== SCALAR && f.shape !== SCALAR) {
      if (shape.cols !== f.shape.rows)
        fail(
          "shape",
          `'*' (matrix product) cannot multiply ${describeShape(shape)} by ${describeShape(f.shape)}: the left has ${shape.cols} columns, the right has ${f.shape.rows} rows`,
          r.opSpan,
          scope.source,
        );
      const product = B.matmul(B.mulAll(group), f);
      group = [product];
      shape = product.shape;
      continue;
    }
    if (r.op === "/" && f.shape !== SCALAR)
      fail("shape", `'/' divides by scalars only; ${describeShape(f.shape)} is not one (use './' to divide elementwise)`, r.opSpan, scope.source);
    const s = broadcastShape(shape, f.shape);
    if (!s) fail("shape", shapeMismatch(r.op, shape, f.shape), r.opSpan, scope.source);
    shape = s;
    group.push(r.op === "/" || r.op === "./" ? B.pow(f, B.MINUS_ONE) : f);
  }
  return B.mulAll(group);
}

function elabPower(e: Extract<AstExpr, { type: "binary" }>, scope: Scope): Expr {
  const base = elab(e.left, scope);
  const exponent = elab(e.right, scope);
  if (e.op === "^" && (base.shape !== SCALAR || exponent.shape !== SCALAR))
    fail("shape", `'^' needs scalars, not ${describeShape(base.shape === SCALAR ? exponent.shape : base.shape)}; use '.^' for elementwise powers`, e.opSpan, scope.source);
  if (!broadcastShape(base.shape, exponent.shape)) fail("shape", shapeMismatch(e.op, base.shape, exponent.shape), e.opSpan, scope.source);
  return B.pow(base, exponent);
}

function elabTranspose(e: Extract<AstExpr, { type: "transpose" }>, scope: Scope): Expr {
  // `x^T` with a value named T in scope is the power x^T.
  if (e.viaT && (scope.decls.has("T") || scope.defs.has("T"))) {
    const t = { start: e.span.end - 1, end: e.span.end };
    return elabPower({ type: "binary", op: "^", left: e.arg, right: { type: "name", name: "T", span: t }, opSpan: t, span: e.span }, scope);
  }
  let flips = 1;
  let arg = e.arg;
  while (arg.type === "transpose" && !(arg.viaT && (scope.decls.has("T") || scope.defs.has("T")))) {
    flips++;
    arg = arg.arg;
  }
  const inner = elab(arg, scope);
  return flips % 2 === 1 ? B.transpose(inner) : inner;
}

function arity(e: Extract<AstExpr, { type: "call" }>, want: number | [number, number], scope: Scope): void {
  const [lo, hi] = typeof want === "number" ? [want, want] : want;
  if (e.args.length < lo || e.args.length > hi) {
    const range = lo === hi ? `${lo}` : `${lo} or ${hi}`;
    fail("arity", `${e.name} takes ${range} argument${hi === 1 ? "" : "s"}, not ${e.args.length}`, e.span, scope.source);
  }
}

function elabCall(e: Extract<AstExpr, { type: "call" }>, scope: Scope): Expr {
  const name = e.name;
  if (isFnName(name)) {
    arity(e, FUNCTION_TABLE[name].arity, scope);
    return B.call(name, elab(e.args[0]!, scope));
  }
  switch (name) {
    case "sqrt":
      arity(e, 1, scope);
      return B.sqrt(elab(e.args[0]!, scope));
    case "sum":
      arity(e, 1, scope);
      return B.sumAll(elab(e.args[0]!, scope));
    case "diag": {
      arity(e, 1, scope);
      const v = elab(e.args[0]!, scope);
      const s = v.shape;
      if (s.rows !== 1 && s.cols !== 1 && s.rows !== s.cols)
        fail("shape", `diag takes a vector or a square matrix, not ${describeShape(s)}`, e.args[0]!.span, scope.source);
      return B.diag(v);
    }
    case "eye":
      arity(e, 1, scope);
      return B.eye(sizeArg(e.args[0]!, scope));
    case "ones":
    case "zeros": {
      arity(e, [1, 2], scope);
      const sizes = e.args.map((a) => sizeArg(a, scope));
      const s = sizes.length === 1 ? vectorShape(sizes[0]!) : makeShape(sizes[0]!, sizes[1]!);
      return B.filled(rat(name === "ones" ? 1 : 0), s);
    }
    default:
      break;
  }
  if (isKernelDerivativeKind(name))
    fail("unsupported", `${name}(…) is a kernel operator: write 'kernel NAME = ${name}(…)', or use the '${name}' command`, e.nameSpan, scope.source);
  if (scope.decls.has(name) || scope.defs.has(name)) fail("name", `'${name}' is not a function`, e.nameSpan, scope.source);
  const hint = suggest(name);
  return fail("name", `unknown function '${name}'${hint ? `; did you mean '${hint}'?` : ""}`, e.nameSpan, scope.source);
}

/** A size argument of eye/ones/zeros: a positive integer or a size name in use. */
function sizeArg(a: AstExpr, scope: Scope): Size {
  if (a.type === "name" && !scope.sizes.has(a.name))
    fail("name", `'${a.name}' is not a size; sizes are named in declarations such as x: vector(${a.name})`, a.span, scope.source);
  return sizeOf(a, scope);
}

function suggest(name: string): string | undefined {
  const all = [...FUNCTION_NAMES, ...KNOWN_CALLS];
  let best: string | undefined;
  let bestD = 3;
  for (const c of all) {
    const d = editDistance(name.toLowerCase(), c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

function elabBrackets(e: Extract<AstExpr, { type: "brackets" }>, scope: Scope): Expr {
  if (e.items.length === 0) fail("shape", "an empty vector has no shape", e.span, scope.source);
  const scalarItems = (items: readonly AstExpr[]): Expr[] =>
    items.map((it) => {
      const x = elab(it, scope);
      if (x.shape !== SCALAR) fail("shape", `entries of a vector or matrix literal must be scalars, not ${describeShape(x.shape)}`, it.span, scope.source);
      return x;
    });
  if (e.items.every((it) => it.type === "brackets")) {
    const rows = e.items as Extract<AstExpr, { type: "brackets" }>[];
    const width = rows[0]!.items.length;
    const items: Expr[] = [];
    rows.forEach((r, k) => {
      if (r.items.length !== width)
        fail("shape", `row ${k + 1} has ${r.items.length} ${r.items.length === 1 ? "entry" : "entries"} but row 1 has ${width}`, r.span, scope.source);
      for (const x of scalarItems(r.items)) items.push(x);
    });
    return B.matrix(rows.length, width, items);
  }
  return B.matrix(e.items.length, 1, scalarItems(e.items));
}

export function elab(e: AstExpr, scope: Scope): Expr {
  switch (e.type) {
    case "number":
      return B.num(numberAt(e.text, e.span, scope));
    case "name":
      return resolveName(e.name, e.span, scope);
    case "unary": {
      const a = elab(e.arg, scope);
      return e.op === "-" ? B.neg(a) : a;
    }
    case "binary":
      if (e.op === "+" || e.op === "-") return elabSum(e, scope);
      if (PRODUCT_OPS.has(e.op)) return elabProduct(e, scope);
      return elabPower(e, scope);
    case "transpose":
      return elabTranspose(e, scope);
    case "call":
      return elabCall(e, scope);
    case "brackets":
      return elabBrackets(e, scope);
  }
}
