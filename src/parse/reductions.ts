/**
 * The reductions of machine learning, and the one place that says how they treat shapes.
 * Each is read as the expression a person would write out, so derivatives (the softmax's
 * `diag(s) - s*s'`, attention's row-wise pullback), simplification, the evaluator's and
 * kernels' stable forms all apply to it unchanged:
 *
 *   on a vector u (n entries; a scalar is one entry)   on a matrix X (m×n): by ROWS
 *   softmax(u)    = exp(u)/sum(exp(u))                 exp(X) ./ (exp(X)*ones(n,n))      m×n
 *   logsumexp(u)  = log(sum(exp(u)))                   log(exp(X)*ones(n))               m-vector
 *   logsoftmax(u) = u - log(sum(exp(u)))               log(softmax(X))                   m×n
 *   mean(u)       = sum(u)/n                           X*ones(n)/n                       m-vector
 *   var(u)        = sum((u - mean(u)).^2)/n            ((X - X*ones(n,n)/n).^2)*ones(n)/n m-vector
 *   rowsum(A)     = A*ones(cols)                       (the sum of each row)             rows-vector
 *   colsum(A)     = A'*ones(rows)                      (the sum of each column)          cols-vector
 *   max(u), min(u)  of the entries (a scalar)            of each row (an m-vector)          a node of their own
 * max and min have no formula in the other operations: they are the `extremum` node, whose
 * derivative is the indicator of where the extreme is, split equally among ties (JAX's rule;
 * reverse/rules.ts).
 *
 * A row is a sample (the last axis, as PyTorch's and JAX's `dim=-1` / `axis=-1` default),
 * so `-sum(Y .* logsoftmax(X*W))` is a batch's cross-entropy and `softmax(Q*K'/sqrt(d))*V`
 * is attention. A column vector (n×1) is a vector: its entries are reduced. A row vector
 * (1×n) is a matrix of one row, which gives the same numbers. `var` is the population
 * variance (divided by n, as layer norm uses it).
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import { SCALAR, shape as makeShape, vectorShape, type Size } from "../core/shape.js";

/** The reductions, by name. */
export const REDUCTION_NAMES = ["softmax", "logsumexp", "logsoftmax", "mean", "var", "rowsum", "colsum", "max", "min"] as const;
/** A reduction's name. */
export type ReductionName = (typeof REDUCTION_NAMES)[number];
const NAMES: ReadonlySet<string> = new Set(REDUCTION_NAMES);
/** Is the name a reduction (softmax, mean, max, …)? */
export const isReductionName = (name: string): name is ReductionName => NAMES.has(name);

/** True when u is reduced over all its entries (a scalar or a column), false when row by row. */
const byEntries = (u: Expr): boolean => u.shape === SCALAR || u.shape.cols === 1;

const ones = (n: Size): Expr => B.filled(1, vectorShape(n));
const square = (n: Size): Expr => B.filled(1, makeShape(n, n));
/** e/n for a size n. */
const over = (e: Expr, n: Size): Expr => B.div(e, B.sizeExpr(n));

/** The expression a reduction stands for (its argument's shape decides: entries or rows). */
export function reduction(name: ReductionName, u: Expr): Expr {
  const { rows, cols } = u.shape;
  if (name === "rowsum") return B.matmul(u, ones(cols)); // rowsum(A) = A*ones(cols)
  if (name === "colsum") return B.matmul(B.transpose(u), ones(rows)); // colsum(A) = A'*ones(rows)
  if (name === "max" || name === "min") return B.extremum(name, u); // a node of its own (core/expr.ts)
  if (byEntries(u)) return ofEntries(name, u, rows);
  const e = B.call("exp", u);
  switch (name) {
    case "softmax":
      return B.div(e, B.matmul(e, square(cols))); // exp(X) ./ (exp(X)*ones(n,n))
    case "logsumexp":
      return B.call("log", B.matmul(e, ones(cols))); // log(exp(X)*ones(n))
    case "logsoftmax":
      return B.call("log", B.div(e, B.matmul(e, square(cols)))); // log(softmax(X)): its pullback is G - softmax(X) .* (G*ones(n,n))
    case "mean":
      return over(B.matmul(u, ones(cols)), cols); // X*ones(n)/n
    case "var": {
      const centered = B.sub(u, over(B.matmul(u, square(cols)), cols)); // X - X*ones(n,n)/n
      return over(B.matmul(B.pow(centered, B.num(2)), ones(cols)), cols);
    }
  }
}

/** The reduction of a vector's entries (n of them). */
function ofEntries(name: Exclude<ReductionName, "rowsum" | "colsum" | "max" | "min">, u: Expr, n: Size): Expr {
  const e = B.call("exp", u);
  switch (name) {
    case "softmax":
      return B.div(e, B.sumAll(e)); // exp(u)/sum(exp(u))
    case "logsumexp":
      return B.call("log", B.sumAll(e)); // log(sum(exp(u)))
    case "logsoftmax":
      return B.sub(u, B.call("log", B.sumAll(e))); // u - log(sum(exp(u)))
    case "mean":
      return over(B.sumAll(u), n); // sum(u)/n
    case "var":
      return over(B.sumAll(B.pow(B.sub(u, over(B.sumAll(u), n)), B.num(2))), n); // sum((u - sum(u)/n).^2)/n
  }
}
