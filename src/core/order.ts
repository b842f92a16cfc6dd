/**
 * A total, structural order on expressions: the canonical order of `+` terms and `*`
 * factors. It depends only on structure (never on creation order), so printing is
 * deterministic. Chosen to read well: numbers first, then matrix structure (so `W*x + b`
 * and `diag(s) - s*s'`), names alphabetically, function calls, sums; `x` and `x^2` sort
 * by their base.
 */
import { compare as compareRational } from "./rational.js";
import { assertNever, baseOf, type Expr, type Kind } from "./expr.js";
import type { Size } from "./shape.js";

const RANK: { readonly [K in Kind]: number } = {
  num: 0,
  diag: 1,
  matmul: 2,
  sym: 3,
  matfn: 3.5,
  entry: 4,
  eye: 5,
  delta: 6,
  call: 7,
  sum: 8,
  extremum: 15,
  series: 9,
  transpose: 10,
  matrix: 11,
  add: 12,
  mul: 13,
  pow: 14,
};

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareSizes = (a: Size, b: Size): number =>
  typeof a === typeof b ? (typeof a === "number" ? (a as number) - (b as number) : compareStrings(a as string, b as string)) : typeof a === "number" ? -1 : 1;

function compareLists(a: readonly Expr[], b: readonly Expr[]): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const c = compareExpr(a[k]!, b[k]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}


/** `x^2` sorts beside `x`: powers compare by their base first. */
export function compareExpr(a: Expr, b: Expr): number {
  if (a === b) return 0;
  const ba = baseOf(a);
  const bb = baseOf(b);
  if (ba !== bb) return compareSame(ba, bb);
  // Same base: the plain one first, then by exponent.
  if (a.kind !== "pow") return -1;
  if (b.kind !== "pow") return 1;
  return compareExpr(a.exponent, b.exponent);
}

function compareSame(a: Expr, b: Expr): number {
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  switch (a.kind) {
    case "num": {
      const c = compareRational(a.value, (b as typeof a).value);
      return c !== 0 ? c : compareShapes(a, b);
    }
    case "sym":
      return compareStrings(a.name, (b as typeof a).name) || compareShapes(a, b);
    case "matfn": {
      const o = b as typeof a;
      return compareStrings(a.fn, o.fn) || compareExpr(a.arg, o.arg) || compareStrings(a.at.join(","), o.at.join(","));
    }
    case "entry": {
      const o = b as typeof a;
      return compareStrings(a.name, o.name) || compareStrings(a.at.join(","), o.at.join(","));
    }
    case "eye":
      return compareSizes(a.size, (b as typeof a).size);
    case "delta": {
      const o = b as typeof a;
      return compareStrings(a.a, o.a) || compareStrings(a.b, o.b);
    }
    case "call": {
      const o = b as typeof a;
      return compareStrings(a.fn, o.fn) || compareExpr(a.arg, o.arg);
    }
    case "sum":
    case "diag":
    case "transpose":
      return compareExpr(a.arg, (b as typeof a).arg);
    case "extremum":
      return compareStrings(a.op, (b as typeof a).op) || compareExpr(a.arg, (b as typeof a).arg);
    case "series": {
      const o = b as typeof a;
      return compareExpr(a.body, o.body) || compareSizes(a.size, o.size) || compareStrings(a.index, o.index);
    }
    case "matmul":
    case "mul":
      return compareLists(a.factors, (b as typeof a).factors);
    case "add":
      return compareLists(a.terms, (b as typeof a).terms);
    case "matrix":
      return compareLists(a.items, (b as typeof a).items) || compareShapes(a, b);
    case "pow": {
      const o = b as typeof a;
      return compareExpr(a.base, o.base) || compareExpr(a.exponent, o.exponent);
    }
    default:
      return assertNever(a);
  }
}

function compareShapes(a: Expr, b: Expr): number {
  return compareSizes(a.shape.rows, b.shape.rows) || compareSizes(a.shape.cols, b.shape.cols);
}
