/**
 * Canonical builders: the only way to make expressions. They do the cheap,
 * always-right things and no more: flatten and order `+` and `*`, fold numeric
 * constants, combine like terms and powers of one base, drop `+0`, `*1`, `^1`,
 * pull scalars out of matrix products and sums, push transposes to the leaves.
 * Everything else is the simplifier's job.
 */
import * as Q from "./rational.js";
import type { Rational } from "./rational.js";
import {
  assertNever,
  children,
  intern,
  type Add,
  type Delta,
  type Entry,
  type Expr,
  type FnName,
  type MatrixLit,
  type Index,
  type Num,
  type Sym,
} from "./expr.js";
import { compareExpr } from "./order.js";
import { broadcastShape, describeShape, SCALAR, shape as makeShape, transposeShape, type Shape, type Size } from "./shape.js";

/** A builder was given operands whose shapes do not fit (an internal or API misuse). */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

const isScalarShape = (s: Shape): boolean => s === SCALAR;

// ---------------------------------------------------------------------------
// Leaves

export function num(value: Rational | number | bigint, shape: Shape = SCALAR): Num {
  const v = typeof value === "object" ? value : typeof value === "bigint" ? Q.rat(value) : ratFromNumber(value);
  return intern<Num>({ kind: "num", value: v }, shape, []);
}

function ratFromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  // The shortest decimal that round-trips is the exact value a user would have typed.
  const r = Q.parseDecimal(String(Math.abs(x)));
  return x < 0 ? Q.neg(r) : r;
}

export const ZERO = num(0);
export const ONE = num(1);
export const MINUS_ONE = num(-1);

export const sym = (name: string, shape: Shape = SCALAR): Sym => intern<Sym>({ kind: "sym", name }, shape, []);

/** A size as a scalar expression: `3` or the size name `n`. */
export const sizeExpr = (s: Size): Expr => (typeof s === "number" ? num(s) : sym(s));

export const eye = (n: Size): Expr => (n === 1 ? ONE : intern({ kind: "eye", size: n }, makeShape(n, n), []));

/** A constant-filled value: `ones(n)`, `zeros(m,n)`, or a scalar. */
export const filled = (value: Rational | number, shape: Shape): Num => num(value, shape);

export const isNum = (e: Expr, value?: number): e is Num =>
  e.kind === "num" && (value === undefined || (e.value.den === 1n && e.value.num === BigInt(value)));

// ---------------------------------------------------------------------------
// Sums

/** Splits a term into its numeric coefficient and the rest (the monomial). */
export function splitCoefficient(t: Expr): [Rational, Expr] {
  if (t.kind === "num") return [t.value, ONE];
  if (t.kind === "mul" && t.factors[0]!.kind === "num") {
    const c = t.factors[0];
    if (isScalarShape(c.shape)) return [c.value, t.factors.length === 2 ? t.factors[1]! : mulAll(t.factors.slice(1))];
  }
  return [Q.ONE, t];
}

function commonShape(items: readonly Expr[], what: string): Shape {
  let s: Shape = SCALAR;
  for (const e of items) {
    const b = broadcastShape(s, e.shape);
    if (!b) throw new ShapeError(`${what}: shapes ${describeShape(s)} and ${describeShape(e.shape)} do not match`);
    s = b;
  }
  return s;
}

/** Gives a result the shape of its context: a scalar in a vector sum stands for a filled vector. */
function lift(e: Expr, s: Shape): Expr {
  if (e.shape === s) return e;
  if (e.kind === "num") return num(e.value, s);
  return mul(e, num(1, s));
}

export const add = (...terms: Expr[]): Expr => addAll(terms);

/** The sum of a list of terms (for long lists: no argument spreading). */
export function addAll(terms: readonly Expr[]): Expr {
  if (terms.length === 1) return terms[0]!;
  const shape = commonShape(terms, "+");
  const coefficient = new Map<Expr, Rational>();
  const firstTerm = new Map<Expr, Expr>();
  const visit = (t: Expr): void => {
    if (t.kind === "add") {
      for (const u of t.terms) visit(u);
      return;
    }
    // A constant broadcasts in a sum, so `ones(n)` and `1` are one monomial there,
    // and `a*ones(n)` is `a`.
    const u = broadcastable(t);
    if (u.kind === "add") {
      for (const v of u.terms) visit(v);
      return;
    }
    const [c, m] = u.kind === "num" ? [u.value, ONE] : splitCoefficient(u);
    if (Q.isZero(c)) return;
    const prev = coefficient.get(m);
    if (prev === undefined) {
      coefficient.set(m, c);
      firstTerm.set(m, u);
    } else {
      coefficient.set(m, Q.add(prev, c));
      firstTerm.delete(m);
    }
  };
  for (const t of terms) visit(t);
  const parts: [Expr, Expr][] = [];
  for (const [m, c] of coefficient) {
    if (Q.isZero(c)) continue;
    const original = firstTerm.get(m);
    const term = original && original.kind !== "num" ? original : m === ONE ? num(c) : Q.isOne(c) ? m : mul(num(c), m);
    parts.push([m, term]);
  }
  if (parts.length === 0) return num(0, shape);
  if (parts.length === 1) return lift(parts[0]![1], shape);
  parts.sort((a, b) => compareExpr(a[0], b[0]));
  const sorted = parts.map((p) => p[1]);
  const literals = sorted.filter((t): t is MatrixLit => t.kind === "matrix");
  if (literals.length >= 2) {
    // [a, b] + [c, d] = [a + c, b + d] (literals of a sum share its shape)
    const first = literals[0]!;
    const sum = matrix(first.shape.rows as number, first.shape.cols as number, first.items.map((_, k) => addAll(literals.map((l) => l.items[k]!))));
    return addAll([...sorted.filter((t) => t.kind !== "matrix"), sum]);
  }
  // Only scalars left in a shaped sum: the scalar sum, filled out to the shape, so that
  // rebuilding the node from its terms keeps the shape.
  if (shape !== SCALAR && !sorted.some((t) => t.shape === shape)) return lift(intern<Add>({ kind: "add", terms: sorted }, SCALAR, sorted), shape);
  return intern<Add>({ kind: "add", terms: sorted }, shape, sorted);
}

/** In a sum, `c*ones(n)*a` (a scalar a) may stand as the scalar `c*a`: the sum broadcasts it. */
function broadcastable(t: Expr): Expr {
  if (t.kind !== "mul" || t.factors[0]!.kind !== "num" || t.factors[0]!.shape === SCALAR) return t;
  const c = t.factors[0];
  return mulAll([num(c.value), ...t.factors.slice(1)]);
}

export const neg = (e: Expr): Expr => mul(MINUS_ONE, e);
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));

// ---------------------------------------------------------------------------
// Products (commutative: scalar scaling and elementwise)

export const mul = (...factors: Expr[]): Expr => mulAll(factors);

/** The product of a list of factors (for long lists: no argument spreading). */
export function mulAll(factors: readonly Expr[]): Expr {
  if (factors.length === 1) return factors[0]!;
  const shape = commonShape(factors, ".*");

  let coefficient = Q.ONE;
  const exponents = new Map<Expr, Expr[]>();
  const visit = (f: Expr): void => {
    if (f.kind === "mul") for (const g of f.factors) visit(g);
    else if (f.kind === "num") coefficient = Q.mul(coefficient, f.value);
    else {
      const [base, exponent] = f.kind === "pow" ? [f.base, f.exponent] : [f, ONE];
      const list = exponents.get(base);
      if (list) list.push(exponent);
      else exponents.set(base, [exponent]);
    }
  };
  for (const f of factors) visit(f);
  if (Q.isZero(coefficient)) return num(0, shape);
  const out: Expr[] = [];
  let again = false;
  for (const [base, list] of exponents) {
    const p = list.length === 1 && list[0] === ONE ? base : pow(base, list.length === 1 ? list[0]! : addAll(list));
    if (p.kind === "num") coefficient = Q.mul(coefficient, p.value);
    else {
      if (p.kind === "mul") again = true;
      out.push(p);
    }
  }
  if (again) return mulAll([num(coefficient), ...out.flatMap((p) => (p.kind === "mul" ? p.factors : [p]))]);
  out.sort(compareExpr);
  const hasShapedFactor = out.some((f) => f.shape === shape);
  if (!hasShapedFactor) out.unshift(num(coefficient, shape));
  else if (!Q.isOne(coefficient)) out.unshift(num(coefficient));
  if (out.length === 1) return out[0]!;
  if (out.length === 0) return num(coefficient, shape);
  // c*(u + v) = c*u + c*v for a number c (as SymPy does): sums keep numbers outside.
  if (out.length === 2 && out[0]!.kind === "num" && out[1]!.kind === "add" && out[0]!.shape === SCALAR) {
    const c = out[0]!;
    return addAll(out[1]!.terms.map((t) => mul(c, t)));
  }
  return intern({ kind: "mul", factors: out }, shape, out);
}

export const div = (a: Expr, b: Expr): Expr => mul(a, pow(b, MINUS_ONE));

// ---------------------------------------------------------------------------
// Powers (elementwise)

export function pow(base: Expr, exponent: Expr): Expr {
  const shape = commonShape([base, exponent], ".^");
  if (exponent.kind === "num") {
    const e = exponent.value;
    if (Q.isZero(e)) return num(1, shape);
    if (Q.isOne(e)) return lift(base, shape);
    if (base.kind === "num") {
      const r = Q.powRational(base.value, e);
      if (r !== undefined) return num(r, shape);
    }
    if (Q.isInteger(e)) {
      // (u^a)^k = u^(a*k) for integer k
      if (base.kind === "pow") return pow(base.base, mul(base.exponent, exponent));
      // (u*v)^k = u^k * v^k for integer k
      if (base.kind === "mul") return mulAll(base.factors.map((f) => pow(f, exponent)));
    }
    if (base.kind === "num" && Q.isZero(base.value) && !Q.isNegative(e)) return num(0, shape);
  }
  if (base.kind === "num" && Q.isOne(base.value)) return num(1, shape);
  return intern({ kind: "pow", base, exponent }, shape, [base, exponent]);
}

export const sqrt = (e: Expr): Expr => pow(e, num(Q.rat(1, 2)));

// ---------------------------------------------------------------------------
// Elementwise functions

/** Exact values at exact arguments: exp(0) = 1, log(1) = 0, sigmoid(0) = 1/2 … */
function foldCall(fn: FnName, v: Rational): Rational | undefined {
  const zero = Q.isZero(v);
  switch (fn) {
    case "exp":
    case "cos":
    case "cosh":
      return zero ? Q.ONE : undefined;
    case "log":
      return Q.isOne(v) ? Q.ZERO : undefined;
    case "acos":
      return Q.isOne(v) ? Q.ZERO : undefined;
    case "sin":
    case "tan":
    case "asin":
    case "atan":
    case "sinh":
    case "tanh":
      return zero ? Q.ZERO : undefined;
    case "sigmoid":
      return zero ? Q.rat(1, 2) : undefined;
    case "abs":
      return Q.abs(v);
    case "sign":
      return Q.rat(v.num > 0n ? 1 : v.num < 0n ? -1 : 0);
    default:
      return assertNever(fn);
  }
}

export function call(fn: FnName, arg: Expr): Expr {
  if (arg.kind === "num") {
    const v = foldCall(fn, arg.value);
    if (v !== undefined) return num(v, arg.shape);
  }
  return intern({ kind: "call", fn, arg }, arg.shape, [arg]);
}

// ---------------------------------------------------------------------------
// Matrix structure

/** Scalar factors of a product operand, and the rest. */
function splitScalars(e: Expr): [Expr[], Expr] {
  if (e.kind !== "mul") return [[], e];
  const scalars = e.factors.filter((f) => isScalarShape(f.shape));
  if (scalars.length === 0) return [[], e];
  return [scalars, mulAll(e.factors.filter((f) => !isScalarShape(f.shape)))];
}

/** The matrix product; a scalar operand scales instead. */
export function matmul(...operands: Expr[]): Expr {
  if (operands.length === 1) return operands[0]!;
  const scalars: Expr[] = [];
  const chain: Expr[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === "matmul") for (const f of e.factors) visit(f);
    else if (isScalarShape(e.shape)) scalars.push(e);
    else {
      const [s, rest] = splitScalars(e);
      for (const x of s) scalars.push(x);
      if (rest !== e && (rest.kind === "matmul" || rest.shape === SCALAR)) visit(rest);
      else if (rest.kind === "num" && !Q.isOne(rest.value)) {
        scalars.push(num(rest.value));
        chain.push(num(1, rest.shape));
      } else chain.push(rest);
    }
  };
  for (const e of operands) visit(e);
  for (let k = 1; k < chain.length; k++) {
    const a = chain[k - 1]!.shape;
    const b = chain[k]!.shape;
    if (a.cols !== b.rows) throw new ShapeError(`*: shapes ${describeShape(a)} and ${describeShape(b)} do not match`);
  }
  if (chain.length === 0) return mulAll(scalars);
  const resultShape = makeShape(chain[0]!.shape.rows, chain[chain.length - 1]!.shape.cols);
  if (chain.some((f) => f.kind === "num" && Q.isZero(f.value))) return num(0, resultShape);
  let kept: Expr[] = [];
  for (const f of chain) {
    if (f.kind === "eye") continue;
    const prev = kept[kept.length - 1];
    // ones(m,k)*ones(k,n) = k*ones(m,n): adjacent filled constants multiply out
    if (prev && prev.kind === "num" && f.kind === "num") {
      kept[kept.length - 1] = num(1, makeShape(prev.shape.rows, f.shape.cols));
      scalars.push(num(Q.mul(prev.value, f.value)), sizeExpr(f.shape.rows));
    } else kept.push(f);
  }
  if (kept.length === 2 && resultShape === SCALAR) {
    // u'*v = v'*u: the dot product of two columns, ordered canonically
    const u = transpose(kept[0]!);
    const v = kept[1]!;
    if (compareExpr(v, u) < 0) kept = [transpose(v), u];
  }
  const product =
    kept.length === 0 ? chain[0]! : kept.length === 1 ? kept[0]! : intern({ kind: "matmul", factors: kept }, resultShape, kept);
  return scalars.length === 0 ? product : mulAll([...scalars, product]);
}

const transposeMemo = new WeakMap<Expr, Expr>();

/** The transpose, pushed to the leaves: (A*B)' = B'*A', (u+v)' = u'+v', x'' = x. */
export function transpose(e: Expr): Expr {
  if (isScalarShape(e.shape)) return e;
  const known = transposeMemo.get(e);
  if (known) return known;
  const t = transposeNode(e);
  transposeMemo.set(e, t);
  transposeMemo.set(t, e);
  return t;
}

function transposeNode(e: Expr): Expr {
  switch (e.kind) {
    case "transpose":
      return e.arg;
    case "num":
      return num(e.value, transposeShape(e.shape));
    case "eye":
      return e;
    case "add":
      return addAll(e.terms.map(transpose));
    case "mul":
      return mulAll(e.factors.map(transpose));
    case "pow":
      return pow(transpose(e.base), transpose(e.exponent));
    case "call":
      return call(e.fn, transpose(e.arg));
    case "matmul":
      return matmul(...[...e.factors].reverse().map(transpose));
    case "diag":
      if (e.shape.rows === e.shape.cols) return e; // a diagonal matrix is symmetric
      return intern({ kind: "transpose", arg: e }, transposeShape(e.shape), [e]);
    case "matrix": {
      const rows = e.shape.rows as number;
      const cols = e.shape.cols as number;
      const items: Expr[] = [];
      for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) items.push(e.items[r * cols + c]!);
      return matrix(cols, rows, items);
    }
    case "sym":
      return intern({ kind: "transpose", arg: e }, transposeShape(e.shape), [e]);
    case "sum":
    case "entry":
    case "delta":
    case "series":
      return e; // scalars
    default:
      return assertNever(e);
  }
}

/** The sum of all entries. */
export function sumAll(e: Expr): Expr {
  if (isScalarShape(e.shape)) return e;
  switch (e.kind) {
    case "num":
      return mul(num(e.value), sizeExpr(e.shape.rows), sizeExpr(e.shape.cols));
    case "transpose":
      return sumAll(e.arg);
    case "matrix":
      return addAll(e.items);
    case "eye":
      return sizeExpr(e.size);
    case "diag":
      if (e.shape.rows === e.shape.cols) return sumAll(e.arg);
      break;
    case "mul": {
      const [scalars, rest] = splitScalars(e);
      if (scalars.length > 0) return mulAll([...scalars, sumAll(rest)]);
      break;
    }
    default:
      break;
  }
  return intern({ kind: "sum", arg: e }, SCALAR, [e]);
}

/** `diag(v)`: a vector becomes a diagonal matrix; a square matrix gives its diagonal. */
export function diag(e: Expr): Expr {
  const s = e.shape;
  if (isScalarShape(s)) return e;
  if (s.rows === 1) return diag(transpose(e));
  if (s.cols === 1) {
    if (e.kind === "num") return mul(num(e.value), eye(s.rows));
    const [scalars, rest] = splitScalars(e);
    if (scalars.length > 0) return mulAll([...scalars, diag(rest)]);
    return intern({ kind: "diag", arg: e }, makeShape(s.rows, s.rows), [e]);
  }
  if (s.rows !== s.cols) throw new ShapeError(`diag: ${describeShape(s)} is not square`);
  if (e.kind === "eye") return num(1, makeShape(s.rows, 1));
  if (e.kind === "num") return num(e.value, makeShape(s.rows, 1));
  if (e.kind === "diag") return e.arg;
  return intern({ kind: "diag", arg: e }, makeShape(s.rows, 1), [e]);
}

/** A matrix literal of scalar entries, row-major; a 1×1 literal is its entry. */
export function matrix(rows: number, cols: number, items: readonly Expr[]): Expr {
  if (items.length !== rows * cols) throw new ShapeError(`matrix literal: ${items.length} entries for ${rows}×${cols}`);
  for (const it of items) if (!isScalarShape(it.shape)) throw new ShapeError("matrix literal entries must be scalars");
  if (rows === 1 && cols === 1) return items[0]!;
  return intern({ kind: "matrix", items: [...items] }, makeShape(rows, cols), items);
}

// ---------------------------------------------------------------------------
// Index form

export const entry = (name: string, at: readonly Index[]): Entry =>
  intern<Entry>({ kind: "entry", name, at: [...at] }, SCALAR, [], at);

/** A concrete index position (`"1"`, `"2"`, …), as used by the element-wise view. */
export const isFixedIndex = (i: Index): boolean => /^\d+$/.test(i);

/** δ(a,b): 1 when the indices agree, else 0. */
export function delta(a: Index, b: Index): Expr {
  if (a === b) return ONE;
  if (isFixedIndex(a) && isFixedIndex(b)) return ZERO;
  const [x, y] = a < b ? [a, b] : [b, a];
  return intern<Delta>({ kind: "delta", a: x, b: y }, SCALAR, [], [x, y]);
}

const boundName = (level: number): Index => `k${level}`;
export const isBoundIndex = (i: Index): boolean => /^k\d+$/.test(i);

/** Σ_{index=1..size} body, with the bound index renamed canonically. */
export function series(index: Index, size: Size, body: Expr): Expr {
  if (!body.indices.includes(index)) return mul(sizeExpr(size), body);
  // Σ_k c u = c Σ_k u for a number c
  if (body.kind === "mul" && body.factors[0]!.kind === "num" && body.factors[0]!.shape === SCALAR)
    return mul(body.factors[0]!, series(index, size, mulAll(body.factors.slice(1))));
  let level = body.level + 1;
  while (body.indices.includes(boundName(level)) && boundName(level) !== index) level++;
  const name = boundName(level);
  const b = name === index ? body : renameIndex(body, index, name);
  return intern({ kind: "series", index: name, size, body: b }, SCALAR, [b]);
}

/** Renames a free index everywhere (free occurrences only). */
export function renameIndex(e: Expr, from: Index, to: Index): Expr {
  if (from === to) return e;
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    if (!x.indices.includes(from)) return x;
    const known = memo.get(x);
    if (known) return known;
    let r: Expr;
    if (x.kind === "entry") r = entry(x.name, x.at.map((i) => (i === from ? to : i)));
    else if (x.kind === "delta") r = delta(x.a === from ? to : x.a, x.b === from ? to : x.b);
    else if (x.kind === "series" && x.index === from) r = x;
    else r = rebuild(x, children(x).map(go));
    memo.set(x, r);
    return r;
  };
  return go(e);
}

// ---------------------------------------------------------------------------
// Generic reconstruction

/** The same kind of node over new children, through the canonical builders. */
export function rebuild(e: Expr, kids: readonly Expr[]): Expr {
  const old = children(e);
  if (old.length === kids.length && old.every((c, k) => c === kids[k])) return e;
  switch (e.kind) {
    case "num":
    case "sym":
    case "eye":
    case "entry":
    case "delta":
      return e;
    case "add":
      return addAll(kids);
    case "mul":
      return mulAll(kids);
    case "matmul":
      return matmul(...kids);
    case "pow":
      return pow(kids[0]!, kids[1]!);
    case "call":
      return call(e.fn, kids[0]!);
    case "transpose":
      return transpose(kids[0]!);
    case "sum":
      return sumAll(kids[0]!);
    case "diag":
      return diag(kids[0]!);
    case "matrix":
      return matrix(e.shape.rows as number, e.shape.cols as number, kids);
    case "series":
      return series(e.index, e.size, kids[0]!);
    default:
      return assertNever(e);
  }
}
