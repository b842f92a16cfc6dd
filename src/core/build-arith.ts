/**
 * Canonical builders of leaves and arithmetic: numbers, names, identities, literals;
 * `+`, `*`, `^` and functions. Part of the builders (build.ts gathers them).
 */
import * as Q from "./rational.js";
import type { Rational } from "./rational.js";
import { factorsOf, intern, type Add, type Expr, type FnName, type MatrixLit, type Num, type Sym } from "./expr.js";
import { FUNCTION_TABLE } from "./functions.js";
import { compareExpr } from "./order.js";
import { broadcastShape, describeShape, SCALAR, shape as makeShape, type Shape, type Size } from "./shape.js";

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

/** A matrix literal of scalar entries, row-major; a 1×1 literal is its entry. */
export function matrix(rows: number, cols: number, items: readonly Expr[]): Expr {
  if (items.length !== rows * cols) throw new ShapeError(`matrix literal: ${items.length} entries for ${rows}×${cols}`);
  for (const it of items) if (it.shape !== SCALAR) throw new ShapeError("matrix literal entries must be scalars");
  if (rows === 1 && cols === 1) return items[0]!;
  return intern({ kind: "matrix", items: [...items] }, makeShape(rows, cols), items);
}

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

/** Base and exponent of a factor: [x, 2] for x^2, [u, 1] for anything else. */
export const powerOf = (f: Expr): [Expr, Expr] => (f.kind === "pow" ? [f.base, f.exponent] : [f, ONE]);

/** The non-numeric factors of a product, as base -> exponent. */
export function powerMap(t: Expr): Map<Expr, Expr> {
  const out = new Map<Expr, Expr>();
  for (const f of factorsOf(t)) if (f.kind !== "num") out.set(...powerOf(f));
  return out;
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
      const [base, exponent] = powerOf(f);
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

export function call(fn: FnName, arg: Expr): Expr {
  if (arg.kind === "num") {
    // exact values at exact arguments: exp(0) = 1, log(1) = 0, sigmoid(0) = 1/2 …
    const v = FUNCTION_TABLE[fn].exact?.(arg.value);
    if (v !== undefined) return num(v, arg.shape);
  }
  return intern({ kind: "call", fn, arg }, arg.shape, [arg]);
}

// The rest of the builders: matrix structure and the index form.
