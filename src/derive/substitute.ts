/**
 * Following a rewrite of a subexpression through a whole expression: every occurrence of
 * `from` replaced by `to`, the expression rebuilt bottom-up with the canonical builders
 * (as the rewrite driver rebuilds). A rewrite is an identity, so the replacement is valid
 * wherever the subexpression occurs.
 */
import * as B from "../core/build.js";
import { children, type Expr } from "../core/expr.js";
import { checkDepth } from "../core/limits.js";

/** `e` with every occurrence of `from` replaced by `to` (`e` itself when there is none). */
export function substitute(e: Expr, from: Expr, to: Expr): Expr {
  checkDepth(e.depth);
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    if (x === from) return to;
    // A node no deeper than `from` (and not `from`) cannot contain it.
    if (x.depth <= from.depth) return x;
    const known = memo.get(x);
    if (known) return known;
    const out = B.rebuild(x, children(x).map(go));
    memo.set(x, out);
    return out;
  };
  return go(e);
}
