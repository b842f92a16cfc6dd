/**
 * Bottom-up processing without deep recursion. A pass converts a node by walking its
 * "structural" parts (sums, products, powers — recursion bounded by how deeply those
 * nest) and needs the processed form of its "deep" parts (the arguments of atoms,
 * e.g. the x+1 in exp(x+1)). `bottomUp` computes those processed forms first, with an
 * explicit stack, so nesting of atoms (exp(sin(exp(…)))) costs no call stack.
 */
import type { Expr } from "../../core/expr.js";

/** A node's parts: [walked structurally, processed separately first]. */
export type Parts = (e: Expr) => readonly [readonly Expr[], readonly Expr[]];

/** The deep parts met while walking e's structural parts. */
function dependencies(e: Expr, parts: Parts): Expr[] {
  const out: Expr[] = [];
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const [structural, deep] = parts(n);
    for (const c of structural) stack.push(c);
    for (const c of deep) out.push(c);
  }
  return out;
}

/** Calls `compute(n)` for e and everything it depends on, dependencies first. */
export function bottomUp(e: Expr, parts: Parts, isDone: (e: Expr) => boolean, compute: (e: Expr) => void): void {
  const stack: [Expr, boolean][] = [[e, false]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (isDone(top[0])) stack.pop();
    else if (!top[1]) {
      top[1] = true;
      for (const d of dependencies(top[0], parts)) if (!isDone(d)) stack.push([d, false]);
    } else {
      stack.pop();
      compute(top[0]);
    }
  }
}
