/**
 * The structural half of the smoothness rule: is a point inside the real domain where
 * an expression is smooth? Works on matrix-level expressions (every entry of every
 * subexpression is checked) and on scalars. At the point:
 *   - every subexpression's entries are finite and well scaled (0, or between 1e-100
 *     and 1e100 in magnitude: beyond that the derivative's own subexpressions, such as
 *     u^(v−1) or 1/u², overflow or underflow although f does not);
 *   - a power u^v whose exponent is not an integer constant has u > 0 (a negative or
 *     zero base with a real exponent is not a real function near the point, even where
 *     floating point returns a number: 0^(a²) = 0, (−a²)^v for a huge float v);
 *   - asin and acos have arguments strictly inside (−1, 1), abs and sign nonzero ones
 *     (branch points and kinks, even when hit exactly: acos(1^a) is constant).
 * It also reports the largest magnitude of any entry of any subexpression: rounding
 * errors of that size enter f (sin(10¹²·c) loses every digit of a small step in c), so
 * it is the size the rounding rule of fd.ts needs.
 */
import { JacobiError } from "../../src/core/errors.js";
import { children, type Expr } from "../../src/core/expr.js";
import { Evaluator, type Env } from "../../src/eval/evaluator.js";

const HUGE = 1e100;
const TINY = 1e-100;

const isIntegerConstant = (e: Expr): boolean => e.kind === "num" && e.value.den === 1n;

export interface Scan {
  readonly inside: boolean;
  readonly largest: number;
}

export function scanDomain(e: Expr, env: Env): Scan {
  try {
    return scan(e, env);
  } catch (err) {
    // a constant beyond floating point cannot be evaluated: outside the domain
    if (err instanceof JacobiError && err.kind === "value") return { inside: false, largest: Infinity };
    throw err;
  }
}

function scan(e: Expr, env: Env): Scan {
  const ev = new Evaluator(env);
  const at = (u: Expr): Float64Array => ev.value(u, new Map()).data;
  const every = (u: Expr, ok: (x: number) => boolean): boolean => at(u).every(ok);
  const seen = new Set<Expr>();
  const stack: Expr[] = [e];
  let largest = 0;
  const outside: Scan = { inside: false, largest: Infinity };
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    for (const x of at(u)) {
      if (!Number.isFinite(x) || Math.abs(x) > HUGE || (x !== 0 && Math.abs(x) < TINY)) return outside;
      largest = Math.max(largest, Math.abs(x));
    }
    if (u.kind === "pow" && !isIntegerConstant(u.exponent) && !every(u.base, (x) => x > 0)) return outside;
    if (u.kind === "call" && (u.fn === "asin" || u.fn === "acos") && !every(u.arg, (x) => Math.abs(x) < 1)) return outside;
    if (u.kind === "call" && (u.fn === "abs" || u.fn === "sign") && !every(u.arg, (x) => x !== 0)) return outside;
    for (const c of children(u)) stack.push(c);
  }
  return { inside: true, largest };
}
