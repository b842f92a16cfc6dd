/**
 * Walking expressions: the one place where expressions are visited and rebuilt. Nodes
 * are shared (a DAG), so walks visit each distinct node once; the walks are iterative
 * or bounded by `checkDepth`, never by user-controlled recursion.
 *
 *   forEachNode   visit every distinct node (iterative)
 *   Rebuild       the memoized bottom-up rebuild: children first, then the node; every
 *                 pass that rebuilds (index renaming, substitution and `mapBottomUp` in
 *                 the builders, the rewrite engine, the element-wise naming, the
 *                 polynomial code's `together`) is one of these with its own callbacks
 *   bottomUp      dependencies-first processing without recursion (the polynomial code)
 */
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

export interface RebuildSpec {
  /** A node's replacement decided without rebuilding its children (not memoized), or undefined. */
  readonly leaf?: (x: Expr) => Expr | undefined;
  /** What a node rebuilt over its rebuilt children becomes (default: itself). */
  readonly node?: (rebuilt: Expr, walk: Rebuild) => Expr;
}

/**
 * The memoized bottom-up rebuild. The memo spans calls to `run`, so many expressions
 * that share parts rebuild each shared part once. `depth` is how deep the walk is now
 * (a `node` callback that walks again, as the rewrite engine does, bounds itself by it).
 */
export class Rebuild {
  private readonly memo = new Map<Expr, Expr>();
  depth = 0;
  /** `rebuild` is the builders' (B.rebuild): this module stands below the builders. */
  constructor(
    private readonly spec: RebuildSpec,
    private readonly rebuild: (e: Expr, kids: readonly Expr[]) => Expr,
  ) {}

  run(e: Expr): Expr {
    checkDepth(e.depth);
    return this.walk(e);
  }

  /** The rebuilt form of `x` (memoized). */
  walk(x: Expr): Expr {
    const early = this.spec.leaf?.(x);
    if (early !== undefined) return early;
    const known = this.memo.get(x);
    if (known !== undefined) return known;
    this.depth++;
    try {
      const rebuilt = this.rebuild(x, children(x).map((c) => this.walk(c)));
      const out = this.spec.node ? this.spec.node(rebuilt, this) : rebuilt;
      this.memo.set(x, out);
      return out;
    } finally {
      this.depth--;
    }
  }

  /** `x` over its children rebuilt (for a `node` callback that changed `x` and walks on). */
  rebuildOver(x: Expr): Expr {
    this.depth++;
    try {
      return this.rebuild(x, children(x).map((c) => this.walk(c)));
    } finally {
      this.depth--;
    }
  }

  /** Notes that `x` is already in its final form (a rewrite engine's fixpoint). */
  settle(x: Expr, out: Expr): void {
    this.memo.set(x, out);
  }
}

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

/**
 * Bottom-up processing without deep recursion. A pass converts a node by walking its
 * "structural" parts (sums, products, powers — recursion bounded by how deeply those
 * nest) and needs the processed form of its "deep" parts (the arguments of atoms, e.g.
 * the x+1 in exp(x+1)). This calls `compute(n)` for e and everything it depends on,
 * dependencies first, with an explicit stack, so nesting of atoms costs no call stack.
 */
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

/**
 * The size of an expression written out as a tree (shared parts counted each time they
 * occur), up to a limit: Infinity past it, so a DAG that would print huge is cut short.
 */
export function treeSize(e: Expr, limit = Infinity): number {
  let size = 0;
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (++size > limit) return Infinity;
    for (const c of children(x)) stack.push(c);
  }
  return size;
}
