/**
 * Canonical builders of matrix structure: matrix products (scalars pulled out, identities
 * dropped, dot products ordered), transposes pushed to the leaves, sums of entries,
 * diagonals and literals, det and inv. Part of the builders (build.ts gathers them).
 */
import * as Q from "./rational.js";
import { assertNever, intern, type Expr } from "./expr.js";
import type { MatFnName } from "./functions.js";
import { compareExpr } from "./order.js";
import { describeShape, SCALAR, shape as makeShape, transposeShape, type Shape } from "./shape.js";
import { addAll, call, eye, matrix, mul, mulAll, num, pow, ShapeError, sizeExpr } from "./build-arith.js";

const isScalarShape = (s: Shape): boolean => s === SCALAR;

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
    case "matfn": // inv(A)' stays a transpose of the inverse (det is a scalar)
      return intern({ kind: "transpose", arg: e }, transposeShape(e.shape), [e]);
    case "extremum":
      return intern({ kind: "transpose", arg: e }, transposeShape(e.shape), [e]); // a vector of row maxima
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
    case "add": {
      // sum(u + c) = sum(u) + rows*cols*c for the scalar terms c, which broadcast (so sum(x - mean(x)) = 0)
      const scalars = e.terms.filter((t) => isScalarShape(t.shape));
      if (scalars.length === 0) break;
      const rest = addAll(e.terms.filter((t) => !isScalarShape(t.shape)));
      return addAll([sumAll(rest), mul(addAll(scalars), sizeExpr(e.shape.rows), sizeExpr(e.shape.cols))]);
    }
    default:
      break;
  }
  return intern({ kind: "sum", arg: e }, SCALAR, [e]);
}

/**
 * max(u), min(u): of a scalar, itself; of a column's entries, a scalar; of each row of a
 * matrix (a row vector is one row), a column of the rows' extremes.
 */
export function extremum(op: "max" | "min", e: Expr): Expr {
  if (isScalarShape(e.shape)) return e;
  if (e.kind === "num") return num(e.value, e.shape.cols === 1 ? SCALAR : makeShape(e.shape.rows, 1));
  return intern({ kind: "extremum", op, arg: e }, e.shape.cols === 1 ? SCALAR : makeShape(e.shape.rows, 1), [e]);
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


function squareArg(fn: MatFnName, e: Expr): void {
  if (e.shape.rows !== e.shape.cols) throw new ShapeError(`${fn}: ${describeShape(e.shape)} is not square`);
}

/** det(A) of a square A: det(a) = a for a scalar, det(A') = det(A), det(I) = 1, det(inv(A)) = det(A)^-1. */
export function det(e: Expr): Expr {
  if (isScalarShape(e.shape)) return e;
  squareArg("det", e);
  if (e.kind === "transpose") return det(e.arg);
  if (e.kind === "eye") return num(1);
  if (e.kind === "matfn" && e.fn === "inv") return pow(det(e.arg), num(-1));
  return intern({ kind: "matfn", fn: "det", arg: e, at: [] }, SCALAR, [e]);
}

/** inv(A) of a square A: inv(a) = a^-1 for a scalar, inv(A') = inv(A)', inv(I) = I, inv(inv(A)) = A. */
export function inv(e: Expr): Expr {
  if (isScalarShape(e.shape)) return pow(e, num(-1));
  squareArg("inv", e);
  if (e.kind === "transpose") return transpose(inv(e.arg));
  if (e.kind === "eye") return e;
  if (e.kind === "matfn" && e.fn === "inv") return e.arg;
  return intern({ kind: "matfn", fn: "inv", arg: e, at: [] }, e.shape, [e]);
}
