/**
 * Vector-Jacobian product rules at matrix level, one operator a line: given the cotangent
 * ḡ of a node's value, the cotangent each operand receives. Shapes follow the operands:
 * a scalar operand of a shaped node receives the sum of its contributions (unbroadcast).
 * The function derivatives f'(u) come from the derivative table (src/diff/rules.ts).
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import { SCALAR, shape as makeShape, type Shape, type Size } from "../core/shape.js";

/** A contribution made for an operand of a shaped node: summed when the operand is a scalar. */
export const unbroadcast = (c: Expr, to: Shape): Expr => (to === SCALAR && c.shape !== SCALAR ? B.sumAll(c) : c);

/**
 * ⟨a, b⟩ = Σ a .* b for operands of one shape: written `a'*b` for columns, unless the
 * elementwise product cancels (`s'*(y ./ s)` is `sum(y)`).
 */
export function dot(a: Expr, b: Expr): Expr {
  const product = B.mul(a, b);
  const cancels = factorCount(product) < factorCount(a) + factorCount(b);
  if (a.shape.cols === 1 && b.shape.cols === 1 && !cancels) return B.matmul(B.transpose(a), b);
  return B.sumAll(product);
}

const factorCount = (e: Expr): number => (e.kind === "mul" ? e.factors.length : 1);
const square = (n: Size): Shape => makeShape(n, n);

/** f(u) → f'(u) .* ḡ (the chain rule), f' from the derivative table (src/diff/rules.ts). */
export const callRule = (derivative: Expr, g: Expr): Expr => B.mul(derivative, g);

/**
 * Where u attains its extreme m = max(u) (min(u)): 1 - step(m - u) (1 - step(u - m)), 1 at
 * the extreme entries of a vector or of each row, 0 elsewhere (step(0) = 0). With the
 * count of them, a tie splits the derivative equally, as JAX's max and min do.
 */
function extremeAt(u: Expr, m: Expr, op: "max" | "min"): { at: Expr; count: Expr; byRows: boolean } {
  const byRows = u.shape.cols !== 1;
  const mb = byRows ? B.matmul(m, B.transpose(B.num(1, makeShape(u.shape.cols, 1)))) : m; // each row's m across the row
  const at = B.sub(B.ONE, B.call("step", op === "max" ? B.sub(mb, u) : B.sub(u, mb)));
  return { at, count: byRows ? B.matmul(at, B.num(1, makeShape(u.shape.cols, 1))) : B.sumAll(at), byRows };
}

export const VJP = {
  /** u + v → ḡ, ḡ (summed for a scalar term) */
  addTerm: (g: Expr, term: Expr): Expr => unbroadcast(g, term.shape),
  /** u .* v → ḡ .* v, ḡ .* u (the other factors; summed for a scalar factor) */
  mulFactor: (g: Expr, others: readonly Expr[], factor: Expr): Expr =>
    factor.shape === SCALAR && g.shape !== SCALAR ? dot(g, B.mulAll(others)) : B.mulAll([g, ...others]),
  /** u.^c → c*u.^(c - 1) .* ḡ */
  powBase: (g: Expr, u: Expr, c: Expr): Expr => unbroadcast(B.mul(g, c, B.pow(u, B.sub(c, B.ONE))), u.shape),
  /** c.^v → c.^v .* log(c) .* ḡ */
  powExponent: (g: Expr, value: Expr, u: Expr, v: Expr): Expr => unbroadcast(B.mul(g, value, B.call("log", u)), v.shape),
  /** A*B*C → (A)'*ḡ*(C)' for B: the factors before, transposed, and the factors after, transposed */
  matmulFactor: (g: Expr, before: readonly Expr[], after: readonly Expr[]): Expr =>
    B.matmul(...(before.length > 0 ? [B.transpose(B.matmul(...before))] : []), g, ...(after.length > 0 ? [B.transpose(B.matmul(...after))] : [])),
  /** u' → ḡ' */
  transpose: (g: Expr): Expr => B.transpose(g),
  /** sum(u) → ḡ*ones(size of u) */
  sum: (g: Expr, u: Expr): Expr => B.mul(g, B.num(1, u.shape)),
  /** diag(v) → diag(ḡ) (the diagonal of ḡ);  diag(A) → diag(ḡ) (a diagonal matrix) */
  diag: (g: Expr): Expr => B.diag(g),
  /** det(A) → ḡ*det(A)*inv(A)'   (Matrix Cookbook eq. 49) */
  det: (g: Expr, value: Expr, a: Expr): Expr => B.mul(g, value, B.transpose(B.inv(a))),
  /** V = inv(A) → -V'*ḡ*V'   (d inv(A) = -inv(A)*dA*inv(A), eq. 59) */
  inv: (g: Expr, value: Expr): Expr => B.neg(B.matmul(B.transpose(value), g, B.transpose(value))),
  /** m = max(u) → ḡ .* I/sum(I), I = 1 - step(m - u) at the maxima (of each row: diag(ḡ ./ (I*ones))*I); min likewise */
  extremum: (g: Expr, u: Expr, m: Expr, op: "max" | "min"): Expr => {
    const { at, count, byRows } = extremeAt(u, m, op);
    return byRows ? B.matmul(B.diag(B.div(g, count)), at) : B.mul(g, B.div(at, count));
  },
  /** s = exp(u)/sum(exp(u)) → s .* ḡ - s*⟨s, ḡ⟩ */
  softmax: (g: Expr, s: Expr): Expr => B.sub(B.mul(s, g), B.mul(s, dot(s, g))),
  /** P = E ./ (E*ones(t,t)), E = exp(S) (softmax of each row) → P .* ḡ - P .* ((P .* ḡ)*ones(t,t)) */
  rowSoftmax: (g: Expr, p: Expr): Expr => B.sub(B.mul(p, g), B.mul(p, B.matmul(B.mul(p, g), B.num(1, square(p.shape.cols))))),
  /** P = E ./ (ones(t,t)*E) (softmax of each column) → P .* ḡ - P .* (ones(t,t)*(P .* ḡ)) */
  colSoftmax: (g: Expr, p: Expr): Expr => B.sub(B.mul(p, g), B.mul(p, B.matmul(B.num(1, square(p.shape.rows)), B.mul(p, g)))),
};

/**
 * Jacobian-vector product rules (forward mode), one operator a line: the tangent of a
 * node from its operands' tangents u̇. The softmax Jacobians are symmetric, so their JVPs
 * are the VJP rules above with u̇ for ḡ.
 */
export const JVP = {
  /** u + v → u̇ + v̇ */
  add: (dots: readonly Expr[]): Expr => B.addAll(dots),
  /** u .* v → u̇ .* v (the other factors) */
  mulFactor: (dot: Expr, others: readonly Expr[]): Expr => B.mulAll([dot, ...others]),
  /** u.^c → c*u.^(c - 1) .* u̇ */
  powBase: (dot: Expr, u: Expr, c: Expr): Expr => B.mul(dot, c, B.pow(u, B.sub(c, B.ONE))),
  /** c.^v → c.^v .* log(c) .* v̇ */
  powExponent: (dot: Expr, value: Expr, u: Expr): Expr => B.mul(dot, value, B.call("log", u)),
  /** A*B*C → A*Ḃ*C for B */
  matmulFactor: (dot: Expr, before: readonly Expr[], after: readonly Expr[]): Expr => B.matmul(...before, dot, ...after),
  /** u' → u̇' */
  transpose: (dot: Expr): Expr => B.transpose(dot),
  /** sum(u) → sum(u̇) */
  sum: (dot: Expr): Expr => B.sumAll(dot),
  /** diag(u) → diag(u̇) */
  diag: (dot: Expr): Expr => B.diag(dot),
  /** det(A) → det(A)*tr(inv(A)*Ȧ) */
  det: (dot: Expr, value: Expr, a: Expr): Expr => B.mul(value, B.sumAll(B.diag(B.matmul(B.inv(a), dot)))),
  /** V = inv(A) → -V*Ȧ*V */
  inv: (dot: Expr, value: Expr): Expr => B.neg(B.matmul(value, dot, value)),
  /** m = max(u) → sum(I .* u̇)/sum(I), I = 1 - step(m - u) (of each row: ((I .* u̇)*ones) ./ (I*ones)); min likewise */
  extremum: (dot: Expr, u: Expr, m: Expr, op: "max" | "min"): Expr => {
    const { at, count, byRows } = extremeAt(u, m, op);
    return byRows ? B.div(B.matmul(B.mul(at, dot), B.num(1, makeShape(u.shape.cols, 1))), count) : B.div(B.sumAll(B.mul(at, dot)), count);
  },
};

/** The rules by name, as a derivation shows them (text and LaTeX). */
export type RuleKey = keyof typeof VJP | "call" | "def";

export const LAWS: { readonly [K in RuleKey]: { readonly text: string; readonly latex: string } } = {
  def: { text: "v = u → ḡ(u) = ḡ(v)", latex: "v = u \\to \\bar g_u = \\bar g_v" },
  addTerm: { text: "u + v → ḡ, ḡ", latex: "u + v \\to \\bar g,\\ \\bar g" },
  mulFactor: { text: "u .* v → ḡ .* v, ḡ .* u", latex: "u \\odot v \\to \\bar g \\odot v,\\ \\bar g \\odot u" },
  powBase: { text: "u.^c → c*u.^(c - 1) .* ḡ", latex: "u^{c} \\to c\\, u^{c - 1} \\odot \\bar g" },
  powExponent: { text: "c.^v → c.^v .* log(c) .* ḡ", latex: "c^{v} \\to c^{v} \\odot \\log c \\odot \\bar g" },
  call: { text: "f(u) → f'(u) .* ḡ", latex: "f(u) \\to f'(u) \\odot \\bar g" },
  matmulFactor: { text: "W*x → ḡ*x', W'*ḡ", latex: "W x \\to \\bar g x^{T},\\ W^{T} \\bar g" },
  transpose: { text: "u' → ḡ'", latex: "u^{T} \\to \\bar g^{T}" },
  sum: { text: "sum(u) → ḡ*ones", latex: "\\operatorname{sum}(u) \\to \\bar g\\, \\mathbf{1}" },
  diag: { text: "diag(u) → diag(ḡ)", latex: "\\operatorname{diag}(u) \\to \\operatorname{diag}(\\bar g)" },
  det: { text: "det(A) → ḡ*det(A)*inv(A)'", latex: "\\det\\left(A\\right) \\to \\bar g \\det\\left(A\\right) A^{-\\top}" },
  inv: { text: "V = inv(A) → -V'*ḡ*V'", latex: "V = A^{-1} \\to -V^{\\top} \\bar g\\, V^{\\top}" },
  extremum: { text: "m = max(u) → ḡ .* I/sum(I), I = 1 - step(m - u) (ties split equally)", latex: "m = \\max(u) \\to \\bar g\\, I / \\operatorname{sum}(I),\\ I = 1 - \\operatorname{step}(m - u)" },
  softmax: { text: "s = softmax(u) → s .* ḡ - s*(s'*ḡ)", latex: "s = \\operatorname{softmax}(u) \\to s \\odot \\bar g - s\\, (s^{T} \\bar g)" },
  rowSoftmax: { text: "P = softmax by rows → P .* ḡ - P .* ((P .* ḡ)*ones)", latex: "P \\to P \\odot \\bar g - P \\odot ((P \\odot \\bar g)\\, \\mathbf{1})" },
  colSoftmax: { text: "P = softmax by columns → P .* ḡ - P .* (ones*(P .* ḡ))", latex: "P \\to P \\odot \\bar g - P \\odot (\\mathbf{1}\\, (P \\odot \\bar g))" },
};
