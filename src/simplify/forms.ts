/**
 * Textbook forms at the matrix level: the identities a person applies to a derivative's
 * matrix form before writing it down, a rule set of the rewrite engine run to a fixpoint
 * after factoring (collect.ts). Each rule is right for real arguments where both sides
 * are defined, and none makes the expression larger (counted as a tree):
 *   p .* (1 - y) - y .* (1 - p)          -> p - y                  expanding cancels
 *   diag(u) + diag(v)                    -> diag(u + v)            diag is linear
 *   exp(-u) .* sigmoid(u)                -> sigmoid(-u)
 *   [[0, 1]]*[0, 1]                      -> 1                      literal products multiply out
 */
import * as B from "../core/build.js";
import { JacobiError } from "../core/errors.js";
import { type Call, type Expr } from "../core/expr.js";
import { treeSize } from "../core/traverse.js";
import { SCALAR } from "../core/shape.js";
import { expand } from "./poly.js";
import { rule, type Rule } from "./rewrite.js";

/** Sums up to this size (as a tree) are offered to `expand`: the rest stay as they are. */
const EXPAND_MAX_NODES = 400;

export const FORM_RULES: readonly Rule[] = [
  // Σ products of sums -> the expanded sum, where the expansion is smaller: p .* (1 - y) - y .* (1 - p) = p - y
  rule("expand to cancel", (e) => expandedIfSmaller(e)),
  // diag(u) + c*diag(v) -> diag(u + c*v)
  rule("diag of a sum", (e, inner) => diagOfSum(e, inner)),
  // exp(-u) .* sigmoid(u) -> sigmoid(-u), since exp(-u)/(1 + exp(-u)) = 1/(exp(u) + 1)
  rule("exp-sigmoid", (e) => expSigmoid(e)),
  // [[a, b]]*[c, d] -> a*c + b*d: adjacent literals of a matrix product multiplied out (when no larger)
  rule("literal product", (e) => literalProduct(e)),
];

/** The expansion of a sum holding a product of sums, when it is smaller. */
function expandedIfSmaller(e: Expr): Expr | undefined {
  if (e.kind !== "add" || B.hasPole(e) || !e.terms.some((t) => t.kind === "mul" && t.factors.some((f) => f.kind === "add"))) return undefined;
  const size = treeSize(e, EXPAND_MAX_NODES);
  if (size === Infinity) return undefined;
  let x: Expr;
  try {
    x = expand(e);
  } catch (err) {
    if (err instanceof JacobiError && err.kind === "limit") return undefined;
    throw err;
  }
  return x.shape === e.shape && treeSize(x, size) < size ? x : undefined;
}

/** A term as c*diag(v) (scalars c), or undefined. */
function diagTerm(t: Expr): Expr | undefined {
  if (t.kind === "diag" && t.arg.shape.cols === 1) return t.arg;
  if (t.kind !== "mul") return undefined;
  const d = t.factors.find((f) => f.kind === "diag");
  if (!d || d.kind !== "diag" || d.arg.shape.cols !== 1 || !t.factors.every((f) => f === d || f.shape === SCALAR)) return undefined;
  return B.mulAll([...t.factors.filter((f) => f !== d), d.arg]);
}

function diagOfSum(e: Expr, inner: (part: Expr) => Expr): Expr | undefined {
  if (e.kind !== "add") return undefined;
  const vectors = e.terms.map(diagTerm);
  if (vectors.filter((v) => v !== undefined).length < 2) return undefined;
  const merged = B.diag(inner(B.addAll(vectors.filter((v): v is Expr => v !== undefined))));
  return B.addAll([...e.terms.filter((_, k) => vectors[k] === undefined), merged]);
}

const isCall = (e: Expr, fn: Call["fn"]): e is Call => e.kind === "call" && e.fn === fn;

function expSigmoid(e: Expr): Expr | undefined {
  if (e.kind !== "mul") return undefined;
  for (const s of e.factors) {
    if (!isCall(s, "sigmoid")) continue;
    const ex = B.call("exp", B.neg(s.arg));
    if (e.factors.includes(ex)) return B.mulAll([...e.factors.filter((f) => f !== s && f !== ex), B.call("sigmoid", B.neg(s.arg))]);
  }
  return undefined;
}

/** The product of two literals, entry by entry. */
function literalTimes(a: Extract<Expr, { kind: "matrix" }>, b: Extract<Expr, { kind: "matrix" }>): Expr {
  const m = a.shape.rows as number;
  const k = a.shape.cols as number;
  const n = b.shape.cols as number;
  const items: Expr[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) items.push(B.addAll(Array.from({ length: k }, (_, l) => B.mul(a.items[i * k + l]!, b.items[l * n + j]!))));
  return m === 1 && n === 1 ? items[0]! : B.matrix(m, n, items);
}

function literalProduct(e: Expr): Expr | undefined {
  if (e.kind !== "matmul") return undefined;
  for (let k = 1; k < e.factors.length; k++) {
    const a = e.factors[k - 1]!;
    const b = e.factors[k]!;
    if (a.kind !== "matrix" || b.kind !== "matrix") continue;
    const c = literalTimes(a, b);
    if (treeSize(c) > treeSize(a) + treeSize(b)) continue;
    return B.matmul(...e.factors.slice(0, k - 1), c, ...e.factors.slice(k + 1));
  }
  return undefined;
}
