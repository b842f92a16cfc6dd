/**
 * Expressions: names resolved, shapes checked (errors point at the operator and name
 * both shapes), canonical expressions built through the builders.
 */
import * as B from "../core/build.js";
import { isKernelDerivativeKind } from "../core/derivative-kinds.js";
import { JacobiError, type Span } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import { FUNCTION_ALIASES, FUNCTION_NAMES, FUNCTION_TABLE, functionNamed } from "../core/functions.js";
import { rat } from "../core/rational.js";
import { broadcastShape, describeShape, SCALAR, shape as makeShape, vectorShape, type Shape, type Size } from "../core/shape.js";
import type { AstExpr } from "./ast.js";
import { sizeOf } from "./declarations.js";
import { contextConstant, isContextConstant, needsContext, wantOf, type Want } from "./context.js";
import { isReductionName, reduction } from "./reductions.js";
import { fail, KNOWN_CALLS, numberAt, where, type Scope } from "./scope.js";

function resolveName(name: string, span: Span, scope: Scope): Expr {
  const constant = CONSTANTS.get(name);
  if (constant && !scope.decls.has(name) && !scope.defs.has(name) && !scope.pending.has(name)) return constant();
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
  if (functionNamed(name) || KNOWN_CALLS.has(name)) fail("name", `'${name}' is a function; call it as ${name}(…)`, span, scope.source);
  // a kernel's name as a value would be an undeclared scalar input, its derivatives quietly zero
  if (scope.kernels.has(name))
    fail("unsupported", `'${name}' is a kernel, not a value: give its expression a name (v = …) and use that name here and in the kernel`, span, scope.source);
  return B.sym(name);
}

/**
 * The named constants, where the program does not declare or define the name: e = exp(1)
 * and pi = acos(-1), exact expressions that every layer already knows (log(e) = 1,
 * cos(pi) = -1; their value is the double nearest, as Math.E and Math.PI).
 */
const CONSTANTS: ReadonlyMap<string, () => Expr> = new Map([
  ["e", () => B.call("exp", B.ONE)],
  ["pi", () => B.call("acos", B.MINUS_ONE)],
]);

const shapeMismatch = (op: string, a: Shape, b: Shape): string => `'${op}' cannot combine ${describeShape(a)} and ${describeShape(b)}`;

/** `a + b - c …`: the left spine is walked, not recursed, so long sums are fine. A context-sized term takes the others' shape. */
function elabSum(e: Extract<AstExpr, { type: "binary" }>, scope: Scope, want: Want | undefined): Expr {
  const rights: { op: string; node: AstExpr; opSpan: Span }[] = [];
  let left: AstExpr = e;
  while (left.type === "binary" && (left.op === "+" || left.op === "-")) {
    rights.push({ op: left.op, node: left.right, opSpan: left.opSpan });
    left = left.left;
  }
  rights.reverse();
  const items = [{ op: "+", node: left, opSpan: left.span }, ...rights];
  const terms: (Expr | undefined)[] = [];
  let shape: Shape | undefined;
  const combine = (t: Expr, k: number): void => {
    const s = shape === undefined ? t.shape : broadcastShape(shape, t.shape);
    if (!s) fail("shape", shapeMismatch(items[k]!.op, shape!, t.shape), items[k]!.opSpan, scope.source);
    shape = s;
    terms[k] = t;
  };
  items.forEach((r, k) => needsContext(r.node, scope) || combine(elab(r.node, scope), k));
  const context = wantOf(shape) ?? want;
  items.forEach((r, k) => {
    if (terms[k]) return;
    combine(elab(r.node, scope, context), k);
  });
  return B.addAll(terms.map((t, k) => (items[k]!.op === "-" ? B.neg(t!) : t!)));
}

const PRODUCT_OPS = new Set(["*", "/", ".*", "./"]);

/** `a * b ./ c …`, left to right: runs of scaling and elementwise factors become one product. */
function elabProduct(e: Extract<AstExpr, { type: "binary" }>, scope: Scope, want: Want | undefined): Expr {
  const rights: { op: string; node: AstExpr; opSpan: Span }[] = [];
  let left: AstExpr = e;
  while (left.type === "binary" && PRODUCT_OPS.has(left.op)) {
    rights.push({ op: left.op, node: left.right, opSpan: left.opSpan });
    left = left.left;
  }
  rights.reverse();
  // -(x + 1)/y is -1 times (x + 1)/y, not (-x - 1)/y: the sign of a leading factor is the product's
  const sign = left.type === "unary" && left.op === "-";
  const items = [{ op: "*", node: sign && left.type === "unary" ? left.arg : left, opSpan: left.span }, ...rights];
  // known factors are read in order (their errors come in order), and ahead only where a context-sized factor looks ahead
  const read: (Expr | undefined)[] = [];
  const known = (j: number): Expr | undefined => (needsContext(items[j]!.node, scope) ? undefined : (read[j] ??= elab(items[j]!.node, scope)));
  let group: Expr[] = [];
  let shape: Shape = SCALAR;
  items.forEach((r, k) => {
    const f = known(k) ?? elab(r.node, scope, factorWant(items.length, (j) => items[j]!.op, known, k, shape, want));
    if (k === 0) {
      group = sign ? [B.MINUS_ONE, f] : [f];
      shape = f.shape;
      return;
    }
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
      return;
    }
    if (r.op === "/" && f.shape !== SCALAR)
      fail("shape", `'/' divides by scalars only; ${describeShape(f.shape)} is not one (use './' to divide elementwise)`, r.opSpan, scope.source);
    const s = broadcastShape(shape, f.shape);
    if (!s) fail("shape", shapeMismatch(r.op, shape, f.shape), r.opSpan, scope.source);
    shape = s;
    group.push(r.op === "/" || r.op === "./" ? B.pow(f, B.MINUS_ONE) : f);
  });
  return B.mulAll(group);
}

/**
 * The shape a context-sized factor k takes: after a matrix product, the left's columns as
 * its rows; before one, the right's rows as its columns; elementwise, the shape of what is
 * on its left, else of the next factor that is not a scalar; else the product's context.
 */
function factorWant(count: number, op: (j: number) => string, known: (j: number) => Expr | undefined, k: number, left: Shape, want: Want | undefined): Want | undefined {
  const leftProduct = k > 0 && op(k) === "*" && left !== SCALAR;
  let next = k + 1;
  while (next < count && (known(next) ?? { shape: SCALAR }).shape === SCALAR) next++;
  const nextShape = next < count ? known(next)!.shape : undefined;
  const rightProduct = nextShape !== undefined && op(next) === "*";
  if (leftProduct || rightProduct) return { rows: leftProduct ? left.cols : undefined, cols: rightProduct ? nextShape.rows : undefined };
  if (k > 0 && left !== SCALAR) return wantOf(left);
  return wantOf(nextShape) ?? want;
}

function elabPower(e: Extract<AstExpr, { type: "binary" }>, scope: Scope): Expr {
  const base = elab(e.left, scope);
  const exponent = elab(e.right, scope);
  if (e.op === "^" && (base.shape !== SCALAR || exponent.shape !== SCALAR))
    fail("shape", `'^' needs scalars, not ${describeShape(base.shape === SCALAR ? exponent.shape : base.shape)}; use '.^' for elementwise powers`, e.opSpan, scope.source);
  if (!broadcastShape(base.shape, exponent.shape)) fail("shape", shapeMismatch(e.op, base.shape, exponent.shape), e.opSpan, scope.source);
  // the constant e: e^u = exp(u), so that d/du e^u = e^u (exp(1)^u as written stays a power, as the printer writes it)
  if (e.left.type === "name" && e.left.name === "e" && base === B.call("exp", B.ONE)) return B.call("exp", exponent);
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

function elabCall(e: Extract<AstExpr, { type: "call" }>, scope: Scope, want: Want | undefined): Expr {
  const name = e.name;
  const fn = functionNamed(name);
  if (fn === "log" && e.args.length === 2) return logBase(e, scope);
  if (fn) {
    arity(e, fn === "log" ? [1, 2] : FUNCTION_TABLE[fn].arity, scope);
    return B.call(fn, elab(e.args[0]!, scope, want)); // elementwise: the argument has the call's shape
  }
  if (isReductionName(name)) {
    // softmax, logsumexp, logsoftmax, mean, var (of a vector's entries, of a matrix's rows), rowsum, colsum
    arity(e, 1, scope);
    return reduction(name, elab(e.args[0]!, scope));
  }
  switch (name) {
    case "sqrt":
      arity(e, 1, scope);
      return B.sqrt(elab(e.args[0]!, scope));
    case "sum":
      arity(e, 1, scope);
      return B.sumAll(elab(e.args[0]!, scope));
    case "tr": {
      // tr(A) = sum(diag(A)), the sum of a square matrix's diagonal
      arity(e, 1, scope);
      const a = elab(e.args[0]!, scope);
      if (a.shape === SCALAR) return a;
      if (a.shape.rows !== a.shape.cols) fail("shape", `tr takes a square matrix, not ${describeShape(a.shape)}`, e.args[0]!.span, scope.source);
      return B.sumAll(B.diag(a));
    }
    case "det":
    case "logdet":
    case "inv":
      return matrixFunction(e, scope);
    case "norm1":
      // norm1(u) = sum(abs(u)), the sum of the absolute entries (vector or matrix)
      arity(e, 1, scope);
      return B.sumAll(B.call("abs", elab(e.args[0]!, scope)));
    case "norm2":
      arity(e, 1, scope);
      return norm2(elab(e.args[0]!, scope));
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
  if (scope.claimCall && (isKernelDerivativeKind(name) || name === "diff")) return scope.claimCall(e);
  if (isKernelDerivativeKind(name))
    fail("unsupported", `${name}(…) is a kernel operator: write 'kernel NAME = ${name}(…)', or use the '${name}' command`, e.nameSpan, scope.source);
  if (scope.decls.has(name) || scope.defs.has(name)) fail("name", `'${name}' is not a function`, e.nameSpan, scope.source);
  const hint = suggest(name);
  return fail("name", `unknown function '${name}'${hint ? `; did you mean '${hint}'?` : ""}`, e.nameSpan, scope.source);
}

/** det(A), logdet(A) = log(det(A)), inv(A) of a square matrix A (a scalar is its own 1×1 matrix). */
function matrixFunction(e: Extract<AstExpr, { type: "call" }>, scope: Scope): Expr {
  arity(e, 1, scope);
  const a = elab(e.args[0]!, scope);
  if (a.shape.rows !== a.shape.cols) fail("shape", `${e.name} takes a square matrix, not ${describeShape(a.shape)}`, e.args[0]!.span, scope.source);
  if (e.name === "inv") return B.inv(a);
  return e.name === "det" ? B.det(a) : B.call("log", B.det(a));
}

/** norm2(u): sqrt(u'*u) for a column u (Euclidean), else sqrt(sum(u.^2)) (Frobenius); the printers know both forms. */
function norm2(u: Expr): Expr {
  if (u.shape !== SCALAR && u.shape.cols === 1) return B.sqrt(B.matmul(B.transpose(u), u));
  return B.sqrt(B.sumAll(B.pow(u, B.num(2))));
}

/** log(u, b) = log(u)/log(b), the logarithm to a scalar base b (SymPy's and mathjs's reading). */
function logBase(e: Extract<AstExpr, { type: "call" }>, scope: Scope): Expr {
  const u = elab(e.args[0]!, scope);
  const base = elab(e.args[1]!, scope);
  if (base.shape !== SCALAR) fail("shape", `the base of log(u, b) must be a scalar, not ${describeShape(base.shape)}`, e.args[1]!.span, scope.source);
  return B.mul(B.call("log", u), B.pow(B.call("log", base), B.MINUS_ONE));
}

/** A size argument of eye/ones/zeros: a positive integer or a size name in use. */
function sizeArg(a: AstExpr, scope: Scope): Size {
  if (a.type === "name" && !scope.sizes.has(a.name))
    fail("name", `'${a.name}' is not a size; sizes are named in declarations such as x: vector(${a.name})`, a.span, scope.source);
  return sizeOf(a, scope);
}

function suggest(name: string): string | undefined {
  const all = [...FUNCTION_NAMES, ...FUNCTION_ALIASES.keys(), ...KNOWN_CALLS];
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
export function elab(e: AstExpr, scope: Scope, want?: Want): Expr {
  try {
    return elabNode(e, scope, want);
  } catch (err) {
    throw err instanceof JacobiError && !err.source ? err.at(scope.source, e.span) : err;
  }
}

function elabNode(e: AstExpr, scope: Scope, want?: Want): Expr {
  if (isContextConstant(e, scope)) return contextConstant(e, want, scope, (a) => elab(a, scope));
  switch (e.type) {
    case "number":
      return B.num(numberAt(e.text, e.span, scope));
    case "name":
      return resolveName(e.name, e.span, scope);
    case "unary": {
      const a = elab(e.arg, scope, want);
      return e.op === "-" ? B.neg(a) : a;
    }
    case "binary":
      if (e.op === "+" || e.op === "-") return elabSum(e, scope, want);
      if (PRODUCT_OPS.has(e.op)) return elabProduct(e, scope, want);
      return elabPower(e, scope);
    case "transpose":
      return elabTranspose(e, scope);
    case "call":
      return elabCall(e, scope, want);
    case "brackets":
      return elabBrackets(e, scope);
  }
}
