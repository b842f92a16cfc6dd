/**
 * Expression nodes: readonly and interned, so `===` is structural equality and a
 * `Map<Expr, …>` memoizes any pass. Build them only through `build.ts` (canonical
 * builders); `intern` here is the raw constructor those builders call.
 *
 * One node type serves both levels of the pipeline:
 * - matrix level: `sym`, `num`, `add`, `mul`, `pow`, `call`, `matmul`, `transpose`,
 *   `sum`, `extremum` (max, min), `diag`, `eye`, `matrix`, `matfn` (det, inv) — every node has a shape;
 * - index level (scalars): `entry` (`x[i]`, `W[i,k]`), `delta` (δ(i,j)),
 *   `series` (Σ_k body) and `matfn` entries (`inv(A)[i,j]`), combined with the same
 *   `add`/`mul`/`pow`/`call` nodes.
 *
 * `mul` is the commutative product: scalar times anything, or elementwise (`.*`).
 * `matmul` is the ordered matrix product of non-scalar operands.
 */
import { JacobiError } from "./errors.js";
import type { FnName, MatFnName } from "./functions.js";
import { withExactBudget, type Rational } from "./rational.js";
import { SCALAR, type Shape, type Size } from "./shape.js";

/** Elementwise functions: the names of the function table (functions.ts). `sqrt(u)` is `u^(1/2)`. */
export { FUNCTION_NAMES as FUNCTIONS, isFnName, type FnName } from "./functions.js";

/** An index variable of the index form. Free indices are `i`, `j`, `a`, `b`…; bound ones `k1`, `k2`… */
export type Index = string;

interface NodeBase {
  /** Creation order: unique per node, used only as a cheap identity key. */
  readonly id: number;
  readonly shape: Shape;
  /** Sorted free index variables (index level only; empty at matrix level; fixed positions excluded). */
  readonly indices: readonly Index[];
  /** The highest binder level of any `series` inside (0 when none). */
  readonly level: number;
  /** Longest path to a leaf. */
  readonly depth: number;
}

export interface Num extends NodeBase {
  readonly kind: "num";
  /** A constant; with a non-scalar shape it is that constant filled (`ones(n)`, `zeros(m,n)`). */
  readonly value: Rational;
}
export interface Sym extends NodeBase {
  readonly kind: "sym";
  /** A declared value, a definition's name, a size name used as a scalar, or an undeclared scalar. */
  readonly name: string;
}
export interface Add extends NodeBase {
  readonly kind: "add";
  readonly terms: readonly Expr[];
}
export interface Mul extends NodeBase {
  readonly kind: "mul";
  readonly factors: readonly Expr[];
}
export interface Pow extends NodeBase {
  readonly kind: "pow";
  readonly base: Expr;
  readonly exponent: Expr;
}
export interface Call extends NodeBase {
  readonly kind: "call";
  readonly fn: FnName;
  readonly arg: Expr;
}
export interface MatMul extends NodeBase {
  readonly kind: "matmul";
  readonly factors: readonly Expr[];
}
export interface Transpose extends NodeBase {
  readonly kind: "transpose";
  readonly arg: Expr;
}
export interface Sum extends NodeBase {
  readonly kind: "sum";
  /** Sum of all entries. */
  readonly arg: Expr;
}
export interface Extremum extends NodeBase {
  readonly kind: "extremum";
  /** max(u) or min(u): of a column's (or scalar's) entries, a scalar; of each row of a matrix, a vector. */
  readonly op: "max" | "min";
  readonly arg: Expr;
}
export interface Diag extends NodeBase {
  readonly kind: "diag";
  /** A vector becomes a diagonal matrix; a square matrix gives its diagonal. */
  readonly arg: Expr;
}
export interface Eye extends NodeBase {
  readonly kind: "eye";
  readonly size: Size;
}
export interface MatrixLit extends NodeBase {
  readonly kind: "matrix";
  /** Row-major scalar entries; `rows`×`cols` is the shape. */
  readonly items: readonly Expr[];
}
/**
 * A function of a whole square matrix (core/functions.ts, MATRIX_FUNCTIONS): `det(A)` (a
 * scalar) or `inv(A)` (a matrix). At matrix level `at` is empty; in index form an inverse
 * is an opaque atom read at indices, `inv(A)[i,j]` (`at` = [i, j]), its argument staying
 * matrix-level. `logdet(A)` is `log(det(A))`.
 */
export interface MatFn extends NodeBase {
  readonly kind: "matfn";
  readonly fn: MatFnName;
  readonly arg: Expr;
  readonly at: readonly Index[];
}
export interface Entry extends NodeBase {
  readonly kind: "entry";
  readonly name: string;
  /** One index for a vector, two (row, column) for a matrix. */
  readonly at: readonly Index[];
}
export interface Delta extends NodeBase {
  readonly kind: "delta";
  readonly a: Index;
  readonly b: Index;
}
export interface Series extends NodeBase {
  readonly kind: "series";
  /** The bound index, always `k<level>` so that alpha-equivalent sums are the same node. */
  readonly index: Index;
  readonly size: Size;
  readonly body: Expr;
}

/**
 * An expression: an interned, readonly node. Equal structure is the same object (`===`),
 * so a `Map<Expr, …>` memoizes. Build nodes with the builders in build.ts; print them
 * with `toText` or `toLatex`.
 */
export type Expr =
  | Num
  | Sym
  | Add
  | Mul
  | Pow
  | Call
  | MatMul
  | Transpose
  | Sum
  | Extremum
  | Diag
  | Eye
  | MatrixLit
  | MatFn
  | Entry
  | Delta
  | Series;

export type Kind = Expr["kind"];

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** The children of a node, in order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "num":
    case "sym":
    case "eye":
    case "entry":
    case "delta":
      return [];
    case "add":
      return e.terms;
    case "mul":
    case "matmul":
      return e.factors;
    case "pow":
      return [e.base, e.exponent];
    case "call":
    case "transpose":
    case "sum":
    case "extremum":
    case "diag":
    case "matfn":
      return [e.arg];
    case "matrix":
      return e.items;
    case "series":
      return [e.body];
    default:
      return assertNever(e);
  }
}

// ---------------------------------------------------------------------------
// Interning

type Fields = { kind: Kind } & Record<string, unknown>;

/**
 * The intern table holds its nodes weakly: a node nothing else refers to can be collected,
 * and its entry is then removed, so a long-running host (the Vite dev server, the
 * playground) does not keep every expression it ever made. `===` stays structural
 * equality: while a node is alive, the same fields find it. A key names its children by
 * id, and ids are never reused, so a stale key cannot be found by a new node.
 */
const table = new Map<string, WeakRef<Expr>>();
const registry = new FinalizationRegistry<string>((key) => {
  if (table.get(key)?.deref() === undefined) table.delete(key);
});
let nextId = 0;

const sizeKey = (s: Size): string => (typeof s === "number" ? `${s}` : `$${s}`);
const shapeKey = (s: Shape): string => `${sizeKey(s.rows)}x${sizeKey(s.cols)}`;

function keyOf(f: Fields, shape: Shape): string {
  const parts: string[] = [f.kind, shapeKey(shape)];
  for (const [k, v] of Object.entries(f)) {
    if (k === "kind") continue;
    if (Array.isArray(v)) parts.push(v.map((x) => (typeof x === "string" ? JSON.stringify(x) : (x as Expr).id)).join(","));
    else if (typeof v === "object" && v !== null && "id" in v) parts.push(`#${(v as Expr).id}`);
    else if (typeof v === "object" && v !== null && "num" in v) parts.push(`${(v as Rational).num}/${(v as Rational).den}`);
    else parts.push(JSON.stringify(v));
  }
  return parts.join("|");
}

const NO_INDICES: readonly Index[] = Object.freeze([]);

/** Fixed positions ("1", "2": the element-wise view) are constants, not index variables. */
const isVariable = (i: Index): boolean => !(i.charCodeAt(0) >= 48 && i.charCodeAt(0) <= 57);

function mergeIndices(own: readonly Index[], childList: readonly Expr[]): readonly Index[] {
  let set: Set<Index> | undefined;
  for (const i of own) if (isVariable(i)) (set ??= new Set()).add(i);
  for (const c of childList) for (const i of c.indices) (set ??= new Set()).add(i);
  return set ? [...set].sort() : NO_INDICES;
}

/** Every request for a node (made or found) counts as work, weighed by the size of what it reads. */
let internCalls = 0;
/** While a budget is armed: the count past which asking for another node is refused. */
let budgetEnd = Infinity;
let budgetWhat = "";
let budgetLimit = 0;

/**
 * Runs `fn` allowing it to ask for at most `limit` nodes (each builder call is one);
 * past that it throws a limit error naming `what`. Nested budgets keep the tighter end.
 * This bounds, deterministically, the work of a derivation that would grow without end
 * (the derivative of a product of hundreds of matrices).
 */
export function withWorkBudget<T>(limit: number, what: string, fn: () => T): T {
  const saved = [budgetEnd, budgetWhat, budgetLimit] as const;
  if (internCalls + limit < budgetEnd) [budgetEnd, budgetWhat, budgetLimit] = [internCalls + limit, what, limit];
  try {
    return withExactBudget(what, fn); // and its exact arithmetic is bounded too
  } finally {
    [budgetEnd, budgetWhat, budgetLimit] = saved;
  }
}

/** How many times a node was asked for so far (a measure of work, for tests and benchmarks). */
export const internCallCount = (): number => internCalls;

/**
 * The one raw constructor: returns the existing node for these fields, or makes it.
 * `childList` are the node's children (for depth, free indices and binder level).
 */
export function intern<T extends Expr>(fields: Fields, shape: Shape, childList: readonly Expr[], own: readonly Index[] = []): T {
  // Work is weighed by the index sets this call merges (their cost grows with them).
  let indexCount = 0;
  for (const c of childList) indexCount += c.indices.length;
  internCalls += 1 + (indexCount >> 2);
  if (internCalls > budgetEnd) throw new JacobiError("limit", `${budgetWhat} takes too much work (over ${budgetLimit} expression steps)`);
  const key = keyOf(fields, shape);
  const found = table.get(key)?.deref();
  if (found) return found as T;
  let depth = 0;
  let level = 0;
  for (const c of childList) {
    if (c.depth + 1 > depth) depth = c.depth + 1;
    if (c.level > level) level = c.level;
  }
  let indices = mergeIndices(own, childList);
  if (fields.kind === "series") {
    const bound = fields.index as Index;
    indices = indices.filter((i) => i !== bound);
    level = Math.max(level, Number(bound.slice(1)));
  }
  // `fields` is always a fresh literal from a builder; assigning is much faster than spreading.
  const node = Object.freeze(Object.assign(fields, { id: nextId++, shape, indices, level, depth })) as unknown as T;
  table.set(key, new WeakRef(node));
  registry.register(node, key);
  return node;
}

/** How many distinct nodes the table holds, some perhaps collected but not yet removed (for tests and benchmarks). */
export const internedCount = (): number => table.size;

export const isScalar = (e: Expr): boolean => e.shape === SCALAR;

/** The factors of a product (a lone expression is its own one factor). */
export const factorsOf = (e: Expr): readonly Expr[] => (e.kind === "mul" ? e.factors : [e]);

/** The base of a power (x for x^2), or the expression itself. */
export const baseOf = (e: Expr): Expr => (e.kind === "pow" ? e.base : e);
