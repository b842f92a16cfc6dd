/**
 * Syntax tree to program: resolves names, checks shapes (errors point at the operator
 * and name both shapes), and builds canonical expressions through the builders.
 */
import * as B from "../core/build.js";
import { JacobiError, type Source, type Span } from "../core/errors.js";
import { isFnName, type Expr } from "../core/expr.js";
import type { Declaration, Definition, KernelCall, KernelStatement, Program } from "../core/program.js";
import { MAX_DECIMAL_EXPONENT, parseDecimal, rat, type Rational } from "../core/rational.js";
import { broadcastShape, describeShape, SCALAR, shape as makeShape, vectorShape, type Shape, type Size } from "../core/shape.js";
import type { AstExpr, Statement } from "./ast.js";

/** Calls that are not elementwise functions. */
const STRUCTURE_CALLS = ["sqrt", "sum", "diag", "eye", "ones", "zeros"] as const;
/** Derivative operators, allowed as the whole right-hand side of a `kernel` statement. */
export const DERIVATIVE_OPS = ["jacobian", "grad", "hessian", "vjp", "jvp"] as const;
const KNOWN_CALLS: ReadonlySet<string> = new Set<string>([...STRUCTURE_CALLS, ...DERIVATIVE_OPS]);
const TYPE_WORDS = "scalar, vector(n) or matrix(m, n)";

/** A group of statements and the text their spans point into. */
export interface StatementGroup {
  readonly statements: readonly Statement[];
  readonly source: Source;
}

interface Scope {
  readonly decls: Map<string, Declaration>;
  readonly sizes: Map<string, Span | undefined>;
  /** The text each size name was first used in (its span points there). */
  readonly sizeSources: Map<string, Source>;
  readonly defs: Map<string, Definition>;
  /** Definitions not yet elaborated, with where they are. */
  readonly pending: Map<string, Span>;
  readonly uses: Map<string, Span>;
  source: Source;
}

function fail(kind: "name" | "shape" | "arity" | "syntax" | "unsupported", message: string, span: Span, source: Source): never {
  throw new JacobiError(kind, message, span, source);
}

// ---------------------------------------------------------------------------
// Declarations

/** A number literal, exactly; a positioned limit error for an absurd exponent. */
function numberAt(text: string, span: Span, scope: Scope): Rational {
  try {
    return parseDecimal(text);
  } catch {
    throw new JacobiError("limit", `the number ${text.length > 40 ? `${text.slice(0, 40)}…` : text} has an exponent beyond ±${MAX_DECIMAL_EXPONENT}, too large to keep exactly`, span, scope.source);
  }
}

function sizeOf(arg: AstExpr, scope: Scope): Size {
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

function declare(s: Extract<Statement, { type: "decl" }>, scope: Scope): void {
  const prev = scope.decls.get(s.name);
  if (prev) fail("name", `'${s.name}' is declared twice${where(prev.span, prev.source)}`, s.nameSpan, scope.source);
  checkNameFree(s.name, s.nameSpan, scope, "declare");
  scope.decls.set(s.name, { name: s.name, shape: shapeOf(s.typeExpr, scope), span: s.nameSpan, source: scope.source });
}

function checkNameFree(name: string, span: Span, scope: Scope, verb: "declare" | "define"): void {
  if (isFnName(name) || KNOWN_CALLS.has(name)) fail("name", `cannot ${verb} '${name}': it is a function name`, span, scope.source);
}

function where(span: Span | undefined, source: Source | undefined): string {
  if (!span || !source) return "";
  const before = source.text.slice(0, span.start).split("\n");
  const label = source.label ? `${source.label} ` : "";
  return ` (first at ${label}${before.length}:${before[before.length - 1]!.length + 1})`;
}

// ---------------------------------------------------------------------------
// Expressions

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
    arity(e, 1, scope);
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
  if ((DERIVATIVE_OPS as readonly string[]).includes(name))
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
  const all = [...(["exp", "log", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "abs", "sign"] as const), ...KNOWN_CALLS];
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

/** An expression node; an error without a place from the builders (exact arithmetic too large) gets this node's. */
function elab(e: AstExpr, scope: Scope): Expr {
  try {
    return elabNode(e, scope);
  } catch (err) {
    throw err instanceof JacobiError && !err.source ? err.at(scope.source, e.span) : err;
  }
}

function elabNode(e: AstExpr, scope: Scope): Expr {
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

// ---------------------------------------------------------------------------
// Kernels

function nameArg(a: AstExpr, what: string, scope: Scope): string {
  if (a.type !== "name") return fail("syntax", `${what} must be a declared name`, a.span, scope.source);
  if (!scope.decls.has(a.name)) fail("name", `'${a.name}' is not declared (${what} must be a declared value)`, a.span, scope.source);
  return a.name;
}

function elabKernel(s: Extract<Statement, { type: "kernel" }>, scope: Scope): KernelStatement {
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

// ---------------------------------------------------------------------------

/** Builds a program from statement groups (`--decl` groups first, the program last). */
export function elaborate(groups: readonly StatementGroup[]): Program {
  const main = groups[groups.length - 1]!;
  const scope: Scope = { decls: new Map(), sizes: new Map(), sizeSources: new Map(), defs: new Map(), pending: new Map(), uses: new Map(), source: main.source };
  for (const g of groups) {
    scope.source = g.source;
    for (const s of g.statements) if (s.type === "decl") declare(s, scope);
  }
  for (const [name, span] of scope.sizes) {
    if (scope.decls.has(name)) fail("name", `'${name}' is both a size and a declared value`, span!, scope.sizeSources.get(name)!);
  }
  for (const g of groups) {
    scope.source = g.source;
    for (const s of g.statements) {
      if (s.type === "decl") continue;
      if (g !== main) fail("syntax", "--decl takes declarations only (name: type)", s.span, g.source);
      if (s.type !== "def") continue;
      checkNameFree(s.name, s.nameSpan, scope, "define");
      const decl = scope.decls.get(s.name);
      if (decl) fail("name", `'${s.name}' is declared and also defined${where(decl.span, decl.source)}`, s.nameSpan, g.source);
      if (scope.sizes.has(s.name)) fail("name", `'${s.name}' is a size and cannot be defined`, s.nameSpan, g.source);
      const prev = scope.pending.get(s.name);
      if (prev) fail("name", `'${s.name}' is defined twice${where(prev, g.source)}`, s.nameSpan, g.source);
      scope.pending.set(s.name, s.nameSpan);
    }
  }
  const kernels: KernelStatement[] = [];
  let subject: { expr: Expr; name: string | undefined; span: Span } | undefined;
  for (const g of groups) {
    scope.source = g.source;
    for (const s of g.statements) {
      if (s.type === "def") {
        const expr = elab(s.value, scope);
        scope.pending.delete(s.name);
        scope.defs.set(s.name, { name: s.name, expr, span: s.nameSpan, source: g.source });
        subject = { expr: B.sym(s.name, expr.shape), name: s.name, span: s.span };
      } else if (s.type === "expr") subject = { expr: elab(s.value, scope), name: undefined, span: s.span };
      else if (s.type === "kernel") kernels.push(elabKernel(s, scope));
    }
  }
  if (!subject && kernels.length === 0)
    fail("syntax", "the program declares values but computes nothing: end it with an expression or a definition", main.statements[main.statements.length - 1]!.span, main.source);
  return {
    source: main.source,
    decls: scope.decls,
    sizes: scope.sizes,
    defs: scope.defs,
    uses: scope.uses,
    kernels,
    subject: subject?.expr,
    subjectName: subject?.name,
    subjectSpan: subject?.span,
  };
}
