/**
 * Walking expressions. Nodes are shared (a DAG), so walks visit each distinct node once;
 * both walks here are iterative or bounded by `checkDepth`, never by user-controlled
 * recursion.
 */
import * as B from "./build.js";
import { children, type Expr } from "./expr.js";
import { checkDepth } from "./limits.js";

/**
 * Calls `visit` on every distinct node of `e` (iteratively, any depth); a `false` from
 * `visit` stops the walk early.
 */
export function forEachNode(e: Expr, visit: (x: Expr) => boolean | void): void {
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (visit(x) === false) return;
    for (const c of children(x)) stack.push(c);
  }
}

/**
 * Rebuilds `e` bottom-up: each node's children first, then `at` on the rebuilt node;
 * memoized, so shared parts are rewritten once.
 */
export function mapBottomUp(e: Expr, at: (x: Expr) => Expr): Expr {
  checkDepth(e.depth);
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    const known = memo.get(x);
    if (known) return known;
    const r = at(B.rebuild(x, children(x).map(go)));
    memo.set(x, r);
    return r;
  };
  return go(e);
}
