/**
 * Shared fast-check generators of random, correctly shaped expressions, built through
 * the canonical builders (so every value is a real canonical node).
 *
 * Matrix level (`matrixExpr`, `exprOfShape`): over the names declared by `DECLS`
 *   scalars a, b, c; vectors x, y: vector(n); A: matrix(n,n); W: matrix(m,n);
 * the size names n, m used as scalars; numbers (integers, negatives, rationals, a few
 * large ones); every operator (+ - * / .* ./ ^ .^, unary minus), sqrt, every elementwise
 * function, sum, diag (both ways), transpose, matrix products, literals
 * (`[a, b]`, `[[a, b]]`, `[[a, b], [c, d]]`) and ones/zeros/eye.
 * Shapes combine sizes 1, n, m and 2 (2 is the size of the literals), so a vector
 * literal meets `ones(2)` and `eye(2)`, and a row meets a column in `x'*y`.
 *
 * `parseProgram(DECLS + text)` parses any text mentioning these names.
 *
 * Scalar level (`scalarExpr`, `SCALAR_DECLS`): a, b, c, numbers, + - * / ^, sqrt and
 * the elementwise functions (for tests that evaluate or differentiate scalars).
 *
 * Index level (`indexExpr`): entries x[i], y1[j], W[i,j] with free indices i and j,
 * delta(i,j), series Σ_{k=1..n} (or ..3) over a bound index, the scalars a, b, alpha and
 * numbers, combined with + - * / ^ and the elementwise functions. Not parseable.
 *
 * Depth is bounded by `maxDepth` (number of operator levels above the leaves).
 *
 * Every value has the shape asked for. A value may still hold a node that a core-builder
 * bug left malformed; `malformed(e)` says so, and round-trip properties skip such values
 * with `fc.pre(malformed(e) === undefined)`.
 */
import fc from "fast-check";
import * as B from "../src/core/build.js";
import { children, FUNCTIONS, type Expr } from "../src/core/expr.js";
import { rat, type Rational } from "../src/core/rational.js";
import { SCALAR, shape, type Shape, type Size } from "../src/core/shape.js";

/** Declarations that make every name used by `matrixExpr` parseable. */
export const DECLS = "a: scalar\nb: scalar\nc: scalar\nx: vector(n)\ny: vector(n)\nA: matrix(n,n)\nW: matrix(m,n)\n";
/** Declarations for `scalarExpr`. */
export const SCALAR_DECLS = "a: scalar\nb: scalar\nc: scalar\n";

/** The declared values as nodes. */
export const NAMES = {
  a: B.sym("a"),
  b: B.sym("b"),
  c: B.sym("c"),
  x: B.sym("x", shape("n", 1)),
  y: B.sym("y", shape("n", 1)),
  A: B.sym("A", shape("n", "n")),
  W: B.sym("W", shape("m", "n")),
} as const;

export interface ExprOptions {
  /** Operator levels above the leaves (default 4). */
  readonly maxDepth?: number;
}

const DEFAULT_DEPTH = 4;

/** The sizes shapes are made of; 2 is the size of literals. */
const SIZES: readonly Size[] = [1, "n", "m", 2];

// ---------------------------------------------------------------------------
// Numbers

const smallInt = fc.integer({ min: -6, max: 6 }).map((k) => rat(k));
const fraction = fc
  .tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 2, max: 9 }))
  .map(([p, q]) => rat(p, q));
const large = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((k) => rat(k));

/** Exact numbers: mostly small integers, some fractions, a few huge integers. */
export const rationalArb: fc.Arbitrary<Rational> = fc.oneof(
  { arbitrary: smallInt, weight: 6 },
  { arbitrary: fraction, weight: 3 },
  { arbitrary: large, weight: 1 },
);

/** Exponents people write: 2, 3, -1, -2, 1/2, -1/2, 3/2, 1/3. */
const numericExponent: fc.Arbitrary<Expr> = fc
  .constantFrom(rat(2), rat(3), rat(-1), rat(-2), rat(1, 2), rat(-1, 2), rat(3, 2), rat(1, 3))
  .map((v) => B.num(v));

const fnArb = fc.constantFrom(...FUNCTIONS);

// ---------------------------------------------------------------------------
// Matrix level

const key = (r: Size, c: Size): string => `${r}x${c}`;

/** Declared values of a shape. */
function namesOf(s: Shape): Expr[] {
  return Object.values(NAMES).filter((v) => v.shape === s);
}

type Weighted = { arbitrary: fc.Arbitrary<Expr | undefined>; weight: number };

/**
 * A builder's result, or undefined when it throws a ShapeError. Operands are always
 * well-shaped, so that would be a core bug (known: the transpose of a non-scalar sum
 * whose terms are all scalars, such as `a + ones(1,n)`, comes back scalar, and later
 * builders then see mismatched shapes); such values are left out here.
 */
function safe(build: () => Expr): Expr | undefined {
  try {
    return build();
  } catch (e) {
    if (e instanceof B.ShapeError) return undefined;
    throw e;
  }
}

class MatrixGrammar {
  private readonly memo = new Map<string, fc.Arbitrary<Expr>>();

  /** Expressions of shape r×c with at most `depth` operator levels. */
  at(r: Size, c: Size, depth: number): fc.Arbitrary<Expr> {
    const k = `${key(r, c)}@${depth}`;
    let arb = this.memo.get(k);
    if (!arb) {
      const s = shape(r, c);
      // A builder that returns another shape is a core bug (see `safe` and `malformed`);
      // the generator hands out only values of the shape asked for.
      arb =
        depth <= 0
          ? this.leaf(r, c)
          : fc
              .oneof({ arbitrary: this.leaf(r, c) as fc.Arbitrary<Expr | undefined>, weight: 3 }, ...this.composites(r, c, depth - 1))
              .filter((e): e is Expr => e !== undefined && e.shape === s);
      this.memo.set(k, arb);
    }
    return arb;
  }

  private leaf(r: Size, c: Size): fc.Arbitrary<Expr> {
    const s = shape(r, c);
    const options: { arbitrary: fc.Arbitrary<Expr>; weight: number }[] = [];
    const names = namesOf(s);
    if (names.length > 0) options.push({ arbitrary: fc.constantFrom(...names), weight: 6 });
    if (s === SCALAR) {
      options.push({ arbitrary: rationalArb.map((v) => B.num(v)), weight: 3 });
      options.push({ arbitrary: fc.constantFrom(B.sym("n"), B.sym("m")), weight: 1 });
    } else {
      // ones, zeros and other filled constants
      options.push({ arbitrary: fc.oneof(fc.constant(rat(1)), fc.constant(rat(0)), rationalArb).map((v) => B.filled(v, s)), weight: 2 });
      if (r === c) options.push({ arbitrary: fc.constant(B.eye(r)), weight: 1 });
    }
    return fc.oneof(...options);
  }

  private composites(r: Size, c: Size, d: number): Weighted[] {
    const same = this.at(r, c, d);
    const scalar = this.at(1, 1, d);
    const isScalar = r === 1 && c === 1;
    // an operand of elementwise operations: the same shape or a broadcast scalar
    const sameOrScalar = isScalar ? same : fc.oneof(same, scalar);
    const out: Weighted[] = [
      { arbitrary: fc.tuple(same, sameOrScalar).map(([u, v]) => safe(() => B.add(u, v))), weight: 3 },
      { arbitrary: fc.tuple(same, sameOrScalar).map(([u, v]) => safe(() => B.sub(u, v))), weight: 2 },
      { arbitrary: same.map((u) => safe(() => B.neg(u))), weight: 1 },
      { arbitrary: fc.tuple(sameOrScalar, same).map(([u, v]) => safe(() => B.mul(u, v))), weight: 3 },
      { arbitrary: fc.tuple(same, sameOrScalar).map(([u, v]) => safe(() => B.div(u, v))), weight: 2 },
      { arbitrary: fc.tuple(same, fc.oneof(numericExponent, sameOrScalar)).map(([u, k]) => safe(() => B.pow(u, k))), weight: 2 },
      { arbitrary: same.map((u) => safe(() => B.sqrt(u))), weight: 1 },
      { arbitrary: fc.tuple(fnArb, same).map(([f, u]) => safe(() => B.call(f, u))), weight: 2 },
    ];
    if (!isScalar) {
      // a scalar divided by, or raised to, a matrix: 1 ./ x, 2.^x
      out.push({ arbitrary: fc.tuple(scalar, same).map(([u, v]) => safe(() => B.div(u, v))), weight: 1 });
      out.push({ arbitrary: fc.tuple(scalar, same).map(([u, v]) => safe(() => B.pow(u, v))), weight: 1 });
    }
    // transpose of the flipped shape
    if (!isScalar) out.push({ arbitrary: this.at(c, r, d).map((u) => safe(() => B.transpose(u))), weight: 2 });
    // matrix products through an inner size
    for (const k of SIZES) {
      if (k === 1) continue;
      out.push({ arbitrary: fc.tuple(this.at(r, k, d), this.at(k, c, d)).map(([u, v]) => safe(() => B.matmul(u, v))), weight: 1 });
    }
    if (isScalar) {
      // sum of all entries of any non-scalar shape
      const shaped = SIZES.flatMap((p) => SIZES.map((q) => [p, q] as const)).filter(([p, q]) => p !== 1 || q !== 1);
      out.push({ arbitrary: fc.oneof(...shaped.map(([p, q]) => this.at(p, q, d))).map((u) => safe(() => B.sumAll(u))), weight: 2 });
    }
    // diag: a column becomes a diagonal matrix, a square matrix gives its diagonal
    if (r === c && !isScalar) out.push({ arbitrary: fc.oneof(this.at(r, 1, d), this.at(1, r, d)).map((u) => safe(() => B.diag(u))), weight: 1 });
    if (c === 1 && !isScalar) out.push({ arbitrary: this.at(r, r, d).map((u) => safe(() => B.diag(u))), weight: 1 });
    // literals of scalar entries
    if (typeof r === "number" && typeof c === "number" && !isScalar) {
      const items = fc.array(scalar, { minLength: r * c, maxLength: r * c });
      out.push({ arbitrary: items.map((its) => safe(() => B.matrix(r, c, its))), weight: 2 });
    }
    return out;
  }
}

let shared: MatrixGrammar | undefined;
const grammar = (): MatrixGrammar => (shared ??= new MatrixGrammar());

/** Random matrix-level expressions of the given shape (sizes from 1, "n", "m", 2). */
export function exprOfShape(s: Shape, options: ExprOptions = {}): fc.Arbitrary<Expr> {
  return grammar().at(s.rows, s.cols, options.maxDepth ?? DEFAULT_DEPTH);
}

/** The shapes `matrixExpr` draws from: scalar, vectors, rows, matrices, and literal sizes. */
export const SHAPES: readonly Shape[] = [
  SCALAR,
  shape("n", 1),
  shape(1, "n"),
  shape("n", "n"),
  shape("m", "n"),
  shape("n", "m"),
  shape(2, 1),
  shape(2, 2),
  shape(1, 2),
];

/** Random matrix-level expressions of any of `SHAPES`. */
export function matrixExpr(options: ExprOptions = {}): fc.Arbitrary<Expr> {
  return fc.oneof(...SHAPES.map((s) => exprOfShape(s, options)));
}

// ---------------------------------------------------------------------------
// Scalar level

/** Random scalar expressions over a, b, c (see SCALAR_DECLS). */
export function scalarExpr(options: ExprOptions = {}): fc.Arbitrary<Expr> {
  const memo = new Map<number, fc.Arbitrary<Expr>>();
  const leaf = fc.oneof(
    { arbitrary: fc.constantFrom(NAMES.a, NAMES.b, NAMES.c), weight: 3 },
    { arbitrary: rationalArb.map((v) => B.num(v)), weight: 2 },
  );
  const at = (depth: number): fc.Arbitrary<Expr> => {
    if (depth <= 0) return leaf;
    const known = memo.get(depth);
    if (known) return known;
    const sub = at(depth - 1);
    const arb = fc.oneof(
      { arbitrary: leaf, weight: 3 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.add(u, v)), weight: 3 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.sub(u, v)), weight: 2 },
      { arbitrary: sub.map((u) => B.neg(u)), weight: 1 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.mul(u, v)), weight: 3 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.div(u, v)), weight: 2 },
      { arbitrary: fc.tuple(sub, fc.oneof(numericExponent, sub)).map(([u, k]) => B.pow(u, k)), weight: 2 },
      { arbitrary: sub.map((u) => B.sqrt(u)), weight: 1 },
      { arbitrary: fc.tuple(fnArb, sub).map(([f, u]) => B.call(f, u)), weight: 2 },
    );
    memo.set(depth, arb);
    return arb;
  };
  return at(options.maxDepth ?? DEFAULT_DEPTH);
}

// ---------------------------------------------------------------------------
// Index level

/** Random index-level scalars with free indices among i, j (not parseable; for printers). */
export function indexExpr(options: ExprOptions = {}): fc.Arbitrary<Expr> {
  const index = fc.constantFrom("i", "j");
  const leaf = fc.oneof(
    { arbitrary: index.map((i) => B.entry("x", [i])), weight: 3 },
    { arbitrary: index.map((i) => B.entry("y1", [i])), weight: 1 },
    { arbitrary: fc.tuple(index, index).map(([i, j]) => B.entry("W", [i, j])), weight: 2 },
    { arbitrary: fc.constant(B.delta("i", "j")), weight: 1 },
    { arbitrary: fc.constantFrom(NAMES.a, NAMES.b, B.sym("alpha")), weight: 1 },
    { arbitrary: rationalArb.map((v) => B.num(v)), weight: 1 },
  );
  const memo = new Map<number, fc.Arbitrary<Expr>>();
  const at = (depth: number): fc.Arbitrary<Expr> => {
    if (depth <= 0) return leaf;
    const known = memo.get(depth);
    if (known) return known;
    const sub = at(depth - 1);
    const arb = fc.oneof(
      { arbitrary: leaf, weight: 3 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.add(u, v)), weight: 2 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.sub(u, v)), weight: 1 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.mul(u, v)), weight: 3 },
      { arbitrary: fc.tuple(sub, sub).map(([u, v]) => B.div(u, v)), weight: 1 },
      { arbitrary: fc.tuple(sub, fc.oneof(numericExponent, sub)).map(([u, k]) => B.pow(u, k)), weight: 1 },
      { arbitrary: fc.tuple(fnArb, sub).map(([f, u]) => B.call(f, u)), weight: 1 },
      { arbitrary: fc.tuple(index, fc.constantFrom<Size>("n", 3), sub).map(([i, n, u]) => B.series(i, n, u)), weight: 2 },
    );
    memo.set(depth, arb);
    return arb;
  };
  return at(options.maxDepth ?? DEFAULT_DEPTH);
}

// ---------------------------------------------------------------------------
// Well-formedness (what the canonical builders guarantee)

/** Does `part` broadcast into `whole` (equal shapes, or a scalar)? */
const fits = (part: Shape, whole: Shape): boolean => part === whole || part === SCALAR;

/** What is wrong with one node, judged from its children alone (or undefined). */
function nodeProblem(u: Expr): string | undefined {
  switch (u.kind) {
    case "matmul": {
      if (u.factors.some((f) => f.kind === "matmul")) return "nested matmul";
      if (u.factors.some((f) => f.shape === SCALAR)) return "scalar matmul operand";
      if (u.factors.some((f) => f.kind === "mul" && f.factors.some((g) => g.shape === SCALAR))) return "scalar factor left inside a matmul operand";
      for (let k = 1; k < u.factors.length; k++)
        if (u.factors[k - 1]!.shape.cols !== u.factors[k]!.shape.rows) return "matmul operands that do not chain";
      const first = u.factors[0]!.shape;
      const last = u.factors[u.factors.length - 1]!.shape;
      return u.shape === shape(first.rows, last.cols) ? undefined : "matmul of the wrong shape";
    }
    case "add":
      if (u.terms.some((t) => t.kind === "add")) return "nested sum";
      return u.terms.every((t) => fits(t.shape, u.shape)) ? undefined : "sum terms of another shape";
    case "mul":
      if (!u.factors.some((f) => f.shape === u.shape)) return "product without a factor of its shape";
      return u.factors.every((f) => fits(f.shape, u.shape)) ? undefined : "product factors of another shape";
    case "pow":
      return fits(u.base.shape, u.shape) && fits(u.exponent.shape, u.shape) ? undefined : "power of the wrong shape";
    case "call":
      return u.arg.shape === u.shape ? undefined : "call of the wrong shape";
    case "transpose":
      return u.shape === shape(u.arg.shape.cols, u.arg.shape.rows) ? undefined : "transpose of the wrong shape";
    default:
      return undefined;
  }
}

/**
 * The first malformed node inside `e`, described, or undefined when every node's shape
 * and structure follow from its children. No parse can produce a malformed node, so
 * one is a core-builder bug: the round-trip properties assert there is none.
 */
export function malformed(e: Expr): string | undefined {
  const seen = new Set<Expr>();
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    const problem = nodeProblem(u);
    if (problem !== undefined) return problem;
    for (const c of children(u)) stack.push(c);
  }
  return undefined;
}
