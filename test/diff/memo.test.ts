/**
 * Differentiation is memoized on interned nodes: a shared subexpression is
 * differentiated once per target, so a DAG whose tree would be exponentially large
 * costs one rule application per distinct node. Rule applications are counted with the
 * Differentiator's trace hook (one step per rule applied).
 */
import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import { children, type Expr } from "../../src/core/expr.js";
import type { Step as TraceStep } from "../../src/core/trace.js";
import { Differentiator, symTarget } from "../../src/diff/derivative.js";
import { parseProgram } from "../../src/parse/parse.js";
import { centralPair, judge } from "../support/fd.js";
import { along, valueAtPoint } from "../support/scalar.js";

/** Distinct nodes of a DAG. */
function distinctNodes(e: Expr): Set<Expr> {
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    for (const c of children(u)) stack.push(c);
  }
  return seen;
}

/** Tree size: the number of nodes the DAG would have written out as a tree. */
function treeSize(e: Expr, memo = new Map<Expr, number>()): number {
  const known = memo.get(e);
  if (known !== undefined) return known;
  let n = 1;
  for (const c of children(e)) n += treeSize(c, memo);
  memo.set(e, n);
  return n;
}

/** u₀ = a, u_{k+1} = sin(u_k) + b·cos(u_k): every level uses the one below twice. */
function chain(levels: number): Expr {
  let u: Expr = B.sym("a");
  for (let k = 0; k < levels; k++) u = B.add(B.call("sin", u), B.mul(B.sym("b"), B.call("cos", u)));
  return u;
}

function counting(): { steps: TraceStep[]; d: Differentiator } {
  const steps: TraceStep[] = [];
  return { steps, d: new Differentiator(symTarget("a"), (s) => steps.push(s)) };
}

describe("differentiation is memoized on interned nodes", () => {
  it("a 40-level DAG (a tree of ~10^13 nodes) takes one rule per distinct node", () => {
    const e = chain(40);
    expect(treeSize(e)).toBeGreaterThan(1e12);
    const nodes = distinctNodes(e);
    const { steps, d } = counting();
    const de = d.of(e);
    // Every node that depends on a is differentiated exactly once.
    const differentiated = steps.map((s) => s.before);
    expect(new Set(differentiated).size).toBe(differentiated.length);
    const dependent = [...nodes].filter((u) => u !== B.sym("b") && u.kind !== "num");
    expect(differentiated.length).toBe(dependent.length);
    // The derivative itself stays linear in size.
    expect(distinctNodes(de).size).toBeLessThan(20 * nodes.size);
    // And it is right.
    const p = { a: 0.3, b: 0.7, c: 0 };
    const fd = centralPair(along(e, p, "a"), p.a);
    expect(judge(valueAtPoint(de, p), fd.coarse, fd.fine, { magnitude: fd.magnitude }).kind).toBe("ok");
  });

  it("a Differentiator reused on a larger expression differentiates only the new nodes", () => {
    const e = chain(10);
    const { steps, d } = counting();
    d.of(e);
    const before = steps.length;
    // exp(e) + e^2: three new nodes depend on a (the sum, exp(e), e^2); e itself is known.
    d.of(B.add(B.call("exp", e), B.pow(e, B.num(2))));
    expect(steps.length - before).toBe(3);
  });

  it("the same text parsed twice is the same node, and its derivative is computed once", () => {
    const text = "exp(sin(a)*b)/(1 + exp(sin(a)*b))";
    const e1 = parseProgram(text).subject!;
    const e2 = parseProgram(text).subject!;
    expect(e1).toBe(e2);
    const { steps, d } = counting();
    const d1 = d.of(e1);
    const count = steps.length;
    expect(d.of(e2)).toBe(d1);
    expect(steps.length).toBe(count);
  });

  it("a shared subexpression inside one expression is differentiated once", () => {
    // s = sin(a*b) appears in three places; its rule (and a*b's) applies once each.
    const e = parseProgram("exp(sin(a*b)) + sin(a*b)^2 + log(2 + sin(a*b))").subject!;
    const { steps, d } = counting();
    d.of(e);
    const shared = parseProgram("sin(a*b)").subject!;
    expect(steps.filter((s) => s.before === shared)).toHaveLength(1);
    expect(steps.filter((s) => s.before === parseProgram("a*b").subject!)).toHaveLength(1);
  });
});
