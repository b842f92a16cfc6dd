/**
 * Property: every rule set of the rewrite engine preserves values and terminates under
 * its budget. Random inputs (test/arbitrary.ts, seeded) are evaluated before and after
 * at random points — index-form expressions at every value of their free indices — and
 * must agree wherever both sides are defined:
 *   contraction and distribution   random index-form expressions (δ, Σ, entries)
 *   recognition                    random programs with a definition d, lowered and contracted
 *   collection                     random matrix expressions of every shape
 *   simplification                 random scalar expressions
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import type { Expr } from "../../src/core/expr.js";
import { shape } from "../../src/core/shape.js";
import { forEachNode } from "../../src/core/traverse.js";
import { evaluate, evaluateAt, type Env } from "../../src/eval/evaluate.js";
import { contractor } from "../../src/indexform/contract.js";
import { distributeToCancel } from "../../src/indexform/distribute.js";
import { Lowerer } from "../../src/indexform/lower.js";
import { recognize } from "../../src/indexform/recognize.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { printedLength } from "../../src/calculus/choose.js";
import { collect } from "../../src/simplify/collect.js";
import { Rewriter } from "../../src/simplify/rewrite.js";
import { SIMPLIFY_RULES } from "../../src/simplify/rules.js";
import { DECLS, exprOfShape, indexExpr, matrixExpr, SCALAR_DECLS, scalarExpr } from "../arbitrary.js";
import { envOf } from "../support/derivatives.js";
import { randomBindings, rngFrom } from "../support/random.js";

/** Equal up to rounding at the scale of the largest value met on the way (cosh(u)^2 - sinh(u)^2 loses all digits at large u). */
const close = (x: number, y: number, scale: number): boolean => Math.abs(x - y) <= Math.max(1e-9 * Math.max(1, Math.abs(x), Math.abs(y)), 1e-12 * scale * scale);

/** The largest magnitude of any part of `e` at a point (its rounding scale). */
function magnitude(e: Expr, value: (part: Expr) => number[]): number {
  let m = 0;
  forEachNode(e, (part) => {
    try {
      for (const v of value(part)) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
    } catch {
      // a part without a value here (a free index the point does not set)
    }
  });
  return m;
}

/** Counts the comparisons made, so that a property cannot pass by skipping everything. */
class Count {
  compared = 0;
  total = 0;
  changed = 0;
}

/** Values of `e` at every assignment of `points`, or undefined where undefined. */
function valuesOf(e: Expr, env: Env, points: readonly ReadonlyMap<string, number>[]): (number | undefined)[] {
  return points.map((at) => {
    try {
      const v = evaluateAt(e, env, at);
      return Number.isFinite(v) ? v : undefined;
    } catch {
      return undefined;
    }
  });
}

function matrixValues(e: Expr, env: Env): (number | undefined)[] {
  try {
    return Array.from(evaluate(e, env).data, (v) => (Number.isFinite(v) ? v : undefined));
  } catch {
    return [];
  }
}

const indexScale = (e: Expr, env: Env, points: readonly ReadonlyMap<string, number>[]): number =>
  magnitude(e, (part) => points.map((at) => evaluateAt(part, env, at)));

/** The failure, if `after` differs from `before` where both are defined. */
function compare(before: (number | undefined)[], after: (number | undefined)[], scale: number, count: Count, what: () => string): string | undefined {
  count.total++;
  if (before.length === 0 || before.some((v) => v === undefined) || after.length !== before.length || after.some((v) => v === undefined)) return undefined;
  count.compared++;
  const k = before.findIndex((v, j) => !close(v!, after[j]!, scale));
  return k < 0 ? undefined : `${what()}: entry ${k} was ${before[k]} and is ${after[k]}`;
}

const INDEX_PROGRAM = parseProgram("x: vector(n); y1: vector(n); W: matrix(n,n); a: scalar; b: scalar; alpha: scalar; 0");
const INDEX_POINTS = [1, 2, 3].flatMap((i) => [1, 2, 3].map((j) => new Map([["i", i], ["j", j]])));
const indexEnv = (seed: number): Env => envOf(INDEX_PROGRAM, randomBindings(INDEX_PROGRAM, new Map([["n", 3]]), rngFrom(seed)));

/** w s^-1 (s u + v) for an entry s and random w, u, v: distribution applies. */
const entryArb = fc.constantFrom(B.entry("x", ["i"]), B.entry("y1", ["j"]), B.entry("W", ["i", "j"]));
const cancellable = fc
  .tuple(indexExpr({ maxDepth: 2 }), entryArb, indexExpr({ maxDepth: 2 }), indexExpr({ maxDepth: 2 }))
  .map(([w, e, u, v]) => B.mulAll([w, B.pow(e, B.MINUS_ONE), B.add(B.mul(e, u), v)]));

/**
 * A*C + D*C, C*A + C*D and u .* w + v .* w for random parts: collection applies; and the
 * left-hand sides of the textbook forms (src/simplify/forms.ts) and of partial factoring.
 */
const square = exprOfShape(shape("n", "n"), { maxDepth: 2 });
const column = exprOfShape(shape("n", 1), { maxDepth: 2 });
const factorable = fc.oneof(
  fc.tuple(square, square, square).map(([a, d, c]) => B.add(B.matmul(a, c), B.matmul(d, c))),
  fc.tuple(square, square, square).map(([a, d, c]) => B.add(B.matmul(c, a), B.matmul(c, d))),
  fc.tuple(column, column, column).map(([u, v, w]) => B.add(B.mul(u, w), B.mul(v, w))),
  // expand to cancel: u .* (1 - w) - w .* (1 - u) + v
  fc.tuple(column, column, column).map(([u, v, w]) => B.addAll([B.mul(u, B.sub(B.ONE, w)), B.neg(B.mul(w, B.sub(B.ONE, u))), v])),
  // diag of a sum: diag(u) + diag(v)*k (k a scalar part) + A
  fc.tuple(column, column, square).map(([u, v, a]) => B.addAll([B.diag(u), B.mul(B.sym("a"), B.diag(v)), a])),
  // exp-sigmoid: exp(-u) .* sigmoid(u) .* v
  fc.tuple(column, column).map(([u, v]) => B.mulAll([B.call("exp", B.neg(u)), B.call("sigmoid", u), v])),
  // partial factoring, a sign taken out: A*(u - v) + D*(v - u) + w
  fc.tuple(square, square, column, column, column).map(([a, d, u, v, w]) => B.addAll([B.matmul(a, B.sub(u, v)), B.matmul(d, B.sub(v, u)), w])),
  // a broadcast scalar sharing a last factor (no factoring: A + u' has no shape): A*v + u'*v
  fc.tuple(square, column, column).map(([a, u, v]) => B.add(B.matmul(a, v), B.matmul(B.transpose(u), v))),
);

/** Random scalars inside the simplification rules' left-hand sides: simplification applies. */
const part = scalarExpr({ maxDepth: 2 });
const sq = (e: Expr): Expr => B.pow(e, B.num(2));
const identities = fc.oneof(
  fc.tuple(part, part).map(([u, v]) => B.add(B.call("exp", B.call("log", u)), v)),
  fc.tuple(part, part).map(([u, v]) => B.mul(B.call("exp", u), B.call("exp", v))),
  fc.tuple(part, part).map(([u, v]) => B.addAll([sq(B.call("sin", u)), sq(B.call("cos", u)), v])),
  fc.tuple(part, part).map(([u, v]) => B.addAll([sq(B.call("cosh", u)), B.neg(sq(B.call("sinh", u))), v])),
  part.map((u) => B.pow(B.add(B.ONE, B.call("exp", B.neg(u))), B.MINUS_ONE)),
  part.map((u) => B.mul(B.call("sin", u), B.pow(B.call("cos", u), B.MINUS_ONE))),
  part.map((u) => B.pow(B.call("abs", B.call("abs", u)), B.num(2))),
);

describe("each rule set preserves values and terminates under its budget (seeded)", () => {
  it("contraction, on random index-form expressions (300 cases)", () => {
    const count = new Count();
    fc.assert(
      fc.property(indexExpr({ maxDepth: 4 }), fc.integer({ min: 1, max: 1e6 }), (e, seed) => {
        const c = contractor();
        const out = c.run(e);
        expect(c.exhausted).toBe(false);
        const env = indexEnv(seed);
        count.changed += out === e ? 0 : 1;
        const problem = compare(valuesOf(e, env, INDEX_POINTS), valuesOf(out, env, INDEX_POINTS), indexScale(e, env, INDEX_POINTS), count, () => `${toText(e)} -> ${toText(out)}`);
        if (problem) throw new Error(problem);
      }),
      { seed: 4242, numRuns: 300 },
    );
    expect(count.compared).toBeGreaterThan(0.3 * count.total);
    expect(count.changed).toBeGreaterThan(0.1 * count.total);
  });

  it("distribution, on random index-form expressions (300 cases)", () => {
    const count = new Count();
    fc.assert(
      fc.property(fc.oneof(indexExpr({ maxDepth: 4 }), cancellable), fc.integer({ min: 1, max: 1e6 }), (e, seed) => {
        const out = distributeToCancel(e);
        const env = indexEnv(seed);
        count.changed += out === e ? 0 : 1;
        const problem = compare(valuesOf(e, env, INDEX_POINTS), valuesOf(out, env, INDEX_POINTS), indexScale(e, env, INDEX_POINTS), count, () => `${toText(e)} -> ${toText(out)}`);
        if (problem) throw new Error(problem);
      }),
      { seed: 4343, numRuns: 300 },
    );
    expect(count.compared).toBeGreaterThan(0.3 * count.total);
    expect(count.changed).toBeGreaterThan(0.1 * count.total);
  });

  it("recognition, on random programs with a definition d (200 cases)", () => {
    const vector = shape("n", 1);
    const count = new Count();
    let recognized = 0;
    fc.assert(
      fc.property(exprOfShape(vector, { maxDepth: 3 }), exprOfShape(vector, { maxDepth: 3 }), fc.integer({ min: 1, max: 1e6 }), (d, f, seed) => {
        // the value f with x replaced by d, so that d's body occurs in the lowered value
        const program = parseProgram(`${DECLS}d = ${toText(d)}\n${toText(f).replace(/\bx\b/g, "d")}`);
        const lowered = contractor().run(new Lowerer(program).lower(program.subject!, "i", null));
        const out = recognize(lowered, program);
        if (out !== lowered) recognized++;
        const env = envOf(program, randomBindings(program, new Map([["n", 3], ["m", 2]]), rngFrom(seed)));
        const points = [1, 2, 3].map((i) => new Map([["i", i]]));
        count.changed += out === lowered ? 0 : 1;
        const problem = compare(valuesOf(lowered, env, points), valuesOf(out, env, points), indexScale(lowered, env, points), count, () => `${toText(lowered)} -> ${toText(out)}`);
        if (problem) throw new Error(problem);
      }),
      { seed: 4444, numRuns: 200 },
    );
    expect(count.compared).toBeGreaterThan(0.3 * count.total);
    expect(count.changed).toBeGreaterThan(0.1 * count.total);
    expect(recognized).toBeGreaterThan(20);
  });

  it("collection, on random matrix expressions (300 cases)", () => {
    const program = parseProgram(`${DECLS}0`);
    const count = new Count();
    fc.assert(
      fc.property(fc.oneof(matrixExpr({ maxDepth: 3 }), factorable), fc.integer({ min: 1, max: 1e6 }), (e, seed) => {
        const out = collect(e);
        // no rule makes an expression larger
        if (printedLength(out) > printedLength(e)) throw new Error(`larger: ${toText(e)} -> ${toText(out)}`);
        const env = envOf(program, randomBindings(program, new Map([["n", 3], ["m", 2]]), rngFrom(seed)));
        count.changed += out === e ? 0 : 1;
        const problem = compare(matrixValues(e, env), matrixValues(out, env), magnitude(e, (part) => Array.from(evaluate(part, env).data)), count, () => `${toText(e)} -> ${toText(out)}`);
        if (problem) throw new Error(problem);
      }),
      { seed: 4545, numRuns: 300 },
    );
    expect(count.compared).toBeGreaterThan(0.3 * count.total);
    expect(count.changed).toBeGreaterThan(0.1 * count.total);
  });

  it("simplification, on random scalar expressions (500 cases)", () => {
    const program = parseProgram(`${SCALAR_DECLS}0`);
    const count = new Count();
    fc.assert(
      fc.property(fc.oneof(scalarExpr({ maxDepth: 4 }), identities), fc.integer({ min: 1, max: 1e6 }), (e, seed) => {
        const r = new Rewriter(SIMPLIFY_RULES);
        const out = r.run(e);
        expect(r.exhausted).toBe(false);
        const env = envOf(program, randomBindings(program, new Map(), rngFrom(seed)));
        count.changed += out === e ? 0 : 1;
        const problem = compare(matrixValues(e, env), matrixValues(out, env), magnitude(e, (part) => Array.from(evaluate(part, env).data)), count, () => `${toText(e)} -> ${toText(out)}`);
        if (problem) throw new Error(problem);
      }),
      { seed: 4646, numRuns: 500 },
    );
    expect(count.compared).toBeGreaterThan(0.3 * count.total);
    expect(count.changed).toBeGreaterThan(0.1 * count.total);
  });
});
