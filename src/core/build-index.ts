/**
 * Canonical builders of the index form — entries x[i], deltas δ(i,j), sums Σ_k with
 * canonically named bound indices — the generic `rebuild` over new children, and the
 * rebuilds over it (index renaming, substitution, `mapBottomUp`), all on the one walk of
 * traverse.ts. Part of the builders (build.ts gathers them).
 */
import { assertNever, children, intern, type Delta, type Entry, type Expr, type Index, type MatFn } from "./expr.js";
import { SCALAR, type Size } from "./shape.js";
import { addAll, call, matrix, mul, mulAll, ONE, pow, sizeExpr, ZERO } from "./build-arith.js";
import { det, diag, extremum, inv, matmul, sumAll, transpose } from "./build-structure.js";
import { Rebuild, type RebuildSpec } from "./traverse.js";

export const entry = (name: string, at: readonly Index[]): Entry =>
  intern<Entry>({ kind: "entry", name, at: [...at] }, SCALAR, [], at);

/** inv(A)[r,c]: an entry of a matrix-level inverse in index form (an opaque atom). */
export const matfnAt = (m: MatFn, r: Index, c: Index): Expr =>
  intern<MatFn>({ kind: "matfn", fn: m.fn, arg: m.arg, at: [r, c] }, SCALAR, [m.arg], [r, c]);

/** The matrix-level node of an index-form inverse entry (inv(A) for inv(A)[i,j]). */
export const matfnBase = (m: MatFn): Expr => (m.at.length === 0 ? m : inv(m.arg));

/** A concrete index position (`"1"`, `"2"`, …), as used by the element-wise view. */
export const isFixedIndex = (i: Index): boolean => /^\d+$/.test(i);

/** δ(a,b): 1 when the indices agree, else 0. */
export function delta(a: Index, b: Index): Expr {
  if (a === b) return ONE;
  if (isFixedIndex(a) && isFixedIndex(b)) return ZERO;
  const [x, y] = a < b ? [a, b] : [b, a];
  return intern<Delta>({ kind: "delta", a: x, b: y }, SCALAR, [], [x, y]);
}

/**
 * Bound indices are named by nesting level: k1, k2, … A derivation whose program has a
 * value named like one (k1) names them with another letter (`withBoundPrefix`).
 */
let boundPrefix = "k";
const boundName = (level: number): Index => `${boundPrefix}${level}`;

/** Runs `fn` with bound indices named `${prefix}1`, `${prefix}2`, … */
export function withBoundPrefix<T>(prefix: string, fn: () => T): T {
  const saved = boundPrefix;
  boundPrefix = prefix;
  try {
    return fn();
  } finally {
    boundPrefix = saved;
  }
}

/** Σ_{index=1..size} body, with the bound index renamed canonically. */
export function series(index: Index, size: Size, body: Expr): Expr {
  if (!body.indices.includes(index)) return mul(sizeExpr(size), body);
  // Σ_k c u = c Σ_k u for a number c
  if (body.kind === "mul" && body.factors[0]!.kind === "num" && body.factors[0]!.shape === SCALAR)
    return mul(body.factors[0]!, series(index, size, mulAll(body.factors.slice(1))));
  let level = body.level + 1;
  while (body.indices.includes(boundName(level)) && boundName(level) !== index) level++;
  const name = boundName(level);
  const b = name === index ? body : renameIndex(body, index, name);
  return intern({ kind: "series", index: name, size, body: b }, SCALAR, [b]);
}

/** Renames a free index everywhere (free occurrences only). */
export function renameIndex(e: Expr, from: Index, to: Index): Expr {
  if (from === to) return e;
  return rebuildWith(e, {
    leaf: (x) => {
      if (!x.indices.includes(from)) return x;
      if (x.kind === "entry") return entry(x.name, x.at.map((i) => (i === from ? to : i)));
      if (x.kind === "delta") return delta(x.a === from ? to : x.a, x.b === from ? to : x.b);
      if (x.kind === "matfn") return matfnAt(x, x.at[0] === from ? to : x.at[0]!, x.at[1] === from ? to : x.at[1]!);
      return x.kind === "series" && x.index === from ? x : undefined;
    },
  });
}

/** A bottom-up rebuild through the canonical builders (src/core/traverse.ts). */
export const rebuildWalk = (spec: RebuildSpec): Rebuild => new Rebuild(spec, rebuild);

/** `e` rebuilt bottom-up with one spec (a fresh memo). */
export const rebuildWith = (e: Expr, spec: RebuildSpec): Expr => rebuildWalk(spec).run(e);

/**
 * Rebuilds `e` bottom-up: each node's children first, then `at` on the rebuilt node;
 * memoized, so shared parts are rewritten once.
 */
export const mapBottomUp = (e: Expr, at: (x: Expr) => Expr): Expr => rebuildWith(e, { node: at });

/** `e` with every occurrence of `from` replaced by `to` (`e` itself when there is none). */
export function substitute(e: Expr, from: Expr, to: Expr): Expr {
  // A node no deeper than `from` (and not `from`) cannot contain it.
  return rebuildWith(e, { leaf: (x) => (x === from ? to : x.depth <= from.depth ? x : undefined) });
}

// ---------------------------------------------------------------------------
// Generic reconstruction

/** The same kind of node over new children, through the canonical builders. */
export function rebuild(e: Expr, kids: readonly Expr[]): Expr {
  const old = children(e);
  if (old.length === kids.length && old.every((c, k) => c === kids[k])) return e;
  switch (e.kind) {
    case "num":
    case "sym":
    case "eye":
    case "entry":
    case "delta":
      return e;
    case "add":
      return addAll(kids);
    case "mul":
      return mulAll(kids);
    case "matmul":
      return matmul(...kids);
    case "pow":
      return pow(kids[0]!, kids[1]!);
    case "call":
      return call(e.fn, kids[0]!);
    case "transpose":
      return transpose(kids[0]!);
    case "sum":
      return sumAll(kids[0]!);
    case "extremum":
      return extremum(e.op, kids[0]!);
    case "diag":
      return diag(kids[0]!);
    case "matfn": {
      const m = (e.fn === "det" ? det : inv)(kids[0]!);
      return e.at.length === 2 && m.kind === "matfn" ? matfnAt(m, e.at[0]!, e.at[1]!) : m;
    }
    case "matrix":
      return matrix(e.shape.rows as number, e.shape.cols as number, kids);
    case "series":
      return series(e.index, e.size, kids[0]!);
    default:
      return assertNever(e);
  }
}
