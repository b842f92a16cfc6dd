/**
 * The rule sets of the rewrite engine, each on small hand-built inputs: contraction
 * (src/indexform/contract.ts), recognition (recognize.ts), distribution (distribute.ts),
 * collection (src/simplify/collect.ts) and simplification (src/simplify/rules.ts), and
 * the driver itself (src/simplify/rewrite.ts): fixpoint by identity, one sweep, the step
 * budget, and the steps it reports with the whole value.
 */
import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import type { Expr } from "../../src/core/expr.js";
import * as Q from "../../src/core/rational.js";
import type { Step } from "../../src/core/trace.js";
import { CONTRACT_RULES, contract, contractor } from "../../src/indexform/contract.js";
import { distributeToCancel } from "../../src/indexform/distribute.js";
import { Lowerer } from "../../src/indexform/lower.js";
import { recognize } from "../../src/indexform/recognize.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { collect } from "../../src/simplify/collect.js";
import { rewrite, rule, Rewriter } from "../../src/simplify/rewrite.js";
import { SIMPLIFY_RULES } from "../../src/simplify/rules.js";

const x = (i: string): Expr => B.entry("x", [i]);
const y = (i: string): Expr => B.entry("y", [i]);
const text = (e: Expr): string => toText(e);
const traced = (run: (trace: (s: Step) => void) => Expr): { out: Expr; steps: Step[] } => {
  const steps: Step[] = [];
  const out = run((s) => steps.push(s));
  return { out, steps };
};

describe("contraction", () => {
  it("Σ_k δ(k,j) x[k] = x[j] (contract δ)", () => {
    const { out, steps } = traced((t) => contract(B.series("k", "n", B.mul(B.delta("k", "j"), x("k"))), t));
    expect(out).toBe(x("j"));
    expect(steps.map((s) => s.rule)).toEqual(["contract δ"]);
    expect(steps[0]!.law).toBe("Σ_k δ(k,j) u(k) = u(j)");
  });

  it("Σ_k (x[k] + y[k]) = Σ_k x[k] + Σ_k y[k] (linearity of Σ)", () => {
    const e = B.series("k", "n", B.add(x("k"), y("k")));
    expect(text(contract(e))).toBe(text(B.add(B.series("k", "n", x("k")), B.series("k", "n", y("k")))));
  });

  it("Σ_k y[k] (x[k] + δ(k,j)) = Σ_k y[k] x[k] + y[j] (distribute to reach δ, then contract)", () => {
    const e = B.series("k", "n", B.mul(y("k"), B.add(x("k"), B.delta("k", "j"))));
    const { out, steps } = traced((t) => contract(e, t));
    expect(out).toBe(B.add(B.series("k", "n", B.mul(y("k"), x("k"))), y("j")));
    expect(steps.map((s) => s.rule)).toEqual(["distribute to reach δ", "linearity of Σ", "contract δ"]);
  });

  it("a δ inside a nested sum: Σ_k x[k] Σ_m y[m] δ(k,a) = x[a] Σ_m y[m]", () => {
    const e = B.series("k", "n", B.mul(x("k"), B.series("m", "n", B.mul(y("m"), B.delta("k", "a")))));
    expect(contract(e)).toBe(B.mul(x("a"), B.series("m", "n", y("m"))));
  });

  it("leaves a sum without δ whole, and reports each step with the run's whole value", () => {
    const plain = B.series("k", "n", B.mul(x("k"), y("k")));
    expect(contract(plain)).toBe(plain);
    const e = B.add(B.call("exp", B.series("k", "n", B.mul(B.delta("k", "j"), x("k")))), B.sym("a"));
    const { out, steps } = traced((t) => contract(e, t));
    expect(out).toBe(B.add(B.call("exp", x("j")), B.sym("a")));
    expect(steps).toHaveLength(1);
    expect(steps[0]!.run).toEqual({ ruleSet: "contract δ", before: e, after: out });
    expect(steps[0]!.whole!()).toEqual({ before: e, after: out });
    expect(CONTRACT_RULES.map((r) => r.name)).toEqual(["distribute to reach δ", "linearity of Σ", "contract δ"]);
  });
});

describe("recognition", () => {
  const program = parseProgram("x: vector(n); y: vector(n); s = exp(x)/sum(exp(x)); s");
  const lowered = (e: string): Expr => new Lowerer(program).lower(parseProgram(`x: vector(n); y: vector(n); s = exp(x)/sum(exp(x)); ${e}`).subject!, "i", null);

  it("finds a definition whole: exp(x[i])/Σ_k exp(x[k]) = s[i]", () => {
    const { out, steps } = traced((t) => recognize(lowered("s"), program, t));
    expect(out).toBe(B.entry("s", ["i"]));
    expect(steps.map((s) => s.rule)).toEqual(["recognize s"]);
    expect(steps[0]!.run?.ruleSet).toBe("recognize");
  });

  it("finds it inside a product and as a reciprocal", () => {
    expect(text(recognize(lowered("s .* y"), program))).toBe("s[i]*y[i]");
    expect(text(recognize(lowered("y ./ s"), program))).toBe("y[i]/s[i]");
  });

  it("leaves an expression without the definition alone", () => {
    const e = lowered("exp(x) .* y");
    expect(recognize(e, program)).toBe(e);
  });
});

describe("distribution", () => {
  it("y[k] s[k]^-1 (s[k] u - s[k] v) = y[k] u - y[k] v", () => {
    const s = B.entry("s", ["k"]);
    const [u, v] = [B.sym("u"), B.sym("v")];
    const e = B.mulAll([y("k"), B.pow(s, B.MINUS_ONE), B.sub(B.mul(s, u), B.mul(s, v))]);
    const { out, steps } = traced((t) => distributeToCancel(e, t));
    expect(out).toBe(B.sub(B.mul(y("k"), u), B.mul(y("k"), v)));
    expect(steps.map((s) => s.rule)).toEqual(["distribute to cancel"]);
  });

  it("expands nothing that does not cancel: (1 - z) w stays whole", () => {
    const e = B.mul(B.sub(B.ONE, B.sym("z")), B.sym("w"));
    expect(distributeToCancel(e)).toBe(e);
  });
});

describe("collection", () => {
  const m = (t: string): Expr => parseProgram(`A: matrix(n,n); C: matrix(n,n); D: matrix(n,n); u: vector(n); v: vector(n); w: vector(n); k: scalar; ${t}`).subject!;

  it("A*C + D*C = (A + D)*C and C*A + k*C*D = C*(A + D*k)", () => {
    expect(text(collect(m("A*C + D*C")))).toBe("(A + D)*C");
    expect(text(collect(m("C*A + k*C*D")))).toBe("C*(A + D*k)");
  });

  it("u .* w + v .* w = w .* (u + v), and a/c + b/c = (a + b)/c", () => {
    expect(text(collect(m("u .* w + v .* w")))).toBe("w .* (u + v)");
    expect(text(collect(m("u/k + v/k")))).toBe("(u + v)/k");
  });

  it("reports one step per sum it factors, with the run's whole value", () => {
    const e = m("A*C + D*C");
    const { out, steps } = traced((t) => collect(e, t));
    expect(steps.map((s) => s.rule)).toEqual(["factor"]);
    expect(steps[0]!.run).toEqual({ ruleSet: "factor", before: e, after: out });
  });
});

describe("textbook forms (src/simplify/forms.ts, run by collect after factoring)", () => {
  const decls = "A: matrix(n,n); P: matrix(n,n); X: matrix(m,n); p: vector(n); y: vector(n); u: vector(n); v: vector(n); x: vector(n); mu: vector(n); k: scalar";
  const m = (t: string): Expr => parseProgram(`${decls}; ${t}`).subject!;
  const rules = (e: Expr): string[] => traced((t) => collect(e, t)).steps.map((s) => s.rule);

  it("expand to cancel: p .* (1 - y) - y .* (1 - p) = p - y", () => {
    const e = m("p .* (1 - y) - y .* (1 - p)");
    expect(text(collect(e))).toBe("p - y");
    expect(rules(e)).toContain("expand to cancel");
  });

  it("expands nothing that would grow: (u + v) .* (p + y) + x stays", () => {
    const e = m("(u + v) .* (p + y) + x");
    expect(collect(e)).toBe(e);
  });

  it("diag of a sum, then factoring: diag(p .* y .* (1 - p)) + diag(p .* (1 - p) .* (1 - y)) = diag(p .* (1 - p))", () => {
    const e = m("diag(p .* y .* (1 - p)) + diag(p .* (1 - p) .* (1 - y))");
    expect(text(collect(e))).toBe("diag(p .* (1 - p))");
    expect(rules(e)).toContain("diag of a sum");
  });

  it("exp-sigmoid: exp(-u) .* sigmoid(u) = sigmoid(-u), exp(u) .* sigmoid(-u) .* v = sigmoid(u) .* v", () => {
    expect(text(collect(m("exp(-u) .* sigmoid(u)")))).toBe("sigmoid(-u)");
    expect(text(collect(m("exp(u) .* sigmoid(-u) .* v")))).toBe("v .* sigmoid(u)");
    expect(rules(m("exp(-u) .* sigmoid(u)"))).toEqual(["exp-sigmoid"]);
  });

  it("literal product: ([[0, 1]]*[0, 1])*k = k", () => {
    expect(text(collect(m("([[0, 1]]*[0, 1])*k")))).toBe("k");
    expect(rules(m("([[0, 1]]*[0, 1])*k + k"))).toContain("literal product");
  });

  it("partial factoring: A*x/2 + A'*x/2 - u = ((A + A')*x)/2 - u", () => {
    const e = m("A*x/2 + A'*x/2 - u");
    expect(text(collect(e))).toBe("((A + A')*x)/2 - u");
  });

  it("a sum factor matches its negation: P*(x - mu)/2 - P'*(mu - x)/2 = ((P + P')*(x - mu))/2", () => {
    expect(text(collect(m("P*(x - mu)/2 - P'*(mu - x)/2")))).toBe("((P + P')*(x - mu))/2");
  });

  it("a broadcast scalar shares no factor with the sum's vectors: A*v + u'*v stays (A + u' has no shape)", () => {
    const e = m("A*v + u'*v");
    expect(collect(e)).toBe(e);
  });
});

describe("simplification rules", () => {
  const u = B.sym("u");
  const v = B.sym("v");
  const simp = (e: Expr): Expr => rewrite(e, SIMPLIFY_RULES).expr;
  const cases: [string, Expr, Expr][] = [
    ["exp-log", B.call("exp", B.call("log", u)), u],
    ["log-exp", B.call("log", B.call("exp", u)), u],
    ["exp-power", B.pow(B.call("exp", u), B.num(3)), B.call("exp", B.mul(B.num(3), u))],
    ["exp-product", B.mul(B.call("exp", u), B.call("exp", v)), B.call("exp", B.add(u, v))],
    ["sqrt-square", B.pow(B.pow(u, B.num(2)), B.num(Q.rat(1, 2))), B.call("abs", u)],
    ["abs-abs", B.call("abs", B.call("abs", u)), B.call("abs", u)],
    ["abs-square", B.pow(B.call("abs", u), B.num(2)), B.pow(u, B.num(2))],
    ["sin2-cos2", B.add(B.pow(B.call("sin", u), B.num(2)), B.pow(B.call("cos", u), B.num(2))), B.ONE],
    ["cosh2-sinh2", B.sub(B.pow(B.call("cosh", u), B.num(2)), B.pow(B.call("sinh", u), B.num(2))), B.ONE],
    ["sigmoid-def", B.pow(B.add(B.ONE, B.call("exp", B.neg(u))), B.MINUS_ONE), B.call("sigmoid", u)],
    ["tan-def", B.mul(B.call("sin", u), B.pow(B.call("cos", u), B.MINUS_ONE)), B.call("tan", u)],
    ["scale-literal", B.mul(u, B.matrix(2, 1, [v, B.ONE])), B.matrix(2, 1, [B.mul(u, v), u])],
  ];

  it("has one case here for each rule", () => expect(cases.map((c) => c[0])).toEqual(SIMPLIFY_RULES.map((r) => r.name)));

  for (const [name, before, after] of cases)
    it(`${name}: ${text(before)} = ${text(after)}`, () => {
      const steps: Step[] = [];
      expect(rewrite(before, SIMPLIFY_RULES, { onStep: (s) => steps.push(s) }).expr).toBe(after);
      expect(steps.map((s) => s.rule)).toContain(name);
    });

  it("rewrites inside: exp(log(u)) + sin(u)^2 + cos(u)^2 = u + 1", () => {
    expect(simp(B.addAll([B.call("exp", B.call("log", u)), B.pow(B.call("sin", u), B.num(2)), B.pow(B.call("cos", u), B.num(2))]))).toBe(B.add(u, B.ONE));
  });
});

describe("the driver", () => {
  const a = B.sym("a");
  const b = B.sym("b");
  const swap = [rule("a to b", (e) => (e === a ? b : undefined)), rule("b to a", (e) => (e === b ? a : undefined))];

  it("stops at the step budget when rules undo each other", () => {
    const r = rewrite(B.call("exp", a), swap, { budget: 7 });
    expect(r.exhausted).toBe(true);
    expect(r.steps).toBe(7);
  });

  it("stops when nothing changes (node identity) and reports nothing then", () => {
    const steps: Step[] = [];
    const r = rewrite(B.call("exp", B.sym("c")), swap, { onStep: (s) => steps.push(s) });
    expect(r).toEqual({ expr: B.call("exp", B.sym("c")), steps: 0, exhausted: false });
    expect(steps).toEqual([]);
  });

  it("once: each rule once per node, in order", () => {
    const r = new Rewriter(swap, { mode: "once" });
    expect(r.run(a)).toBe(a); // a -> b by the first rule, b -> a by the second
    expect(r.stepsTaken).toBe(2);
  });

  it("reports each step with the subterm, the whole value before and after it, and its run", () => {
    const steps: Step[] = [];
    const u = B.sym("u");
    const e = B.addAll([B.call("exp", B.call("log", u)), B.pow(B.call("sin", u), B.num(2)), B.pow(B.call("cos", u), B.num(2))]);
    const out = new Rewriter(SIMPLIFY_RULES, { name: "simplify", onStep: (s) => steps.push(s) }).run(e);
    expect(out).toBe(B.add(u, B.ONE));
    expect(steps.map((s) => [s.rule, s.kind, s.run])).toEqual([
      ["exp-log", "rewrite", { ruleSet: "simplify", before: e, after: out }],
      ["sin2-cos2", "rewrite", { ruleSet: "simplify", before: e, after: out }],
    ]);
    expect(steps[0]!.before).toBe(B.call("exp", B.call("log", u)));
    const middle = B.addAll([u, B.pow(B.call("sin", u), B.num(2)), B.pow(B.call("cos", u), B.num(2))]);
    expect(steps[0]!.whole!()).toEqual({ before: e, after: middle });
    expect(steps[1]!.whole!()).toEqual({ before: middle, after: out });
  });

  it("leaves nodes a rule set skips unvisited", () => {
    const seen: Expr[] = [];
    const spy = rule("spy", (e) => void seen.push(e));
    new Rewriter([spy], { skip: (e) => e.level === 0 }).run(B.add(B.sym("p"), B.series("k", "n", x("k"))));
    expect(seen.every((e) => e.level > 0)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  });

  it("a contraction run can be reused across expressions (one memo)", () => {
    const c = contractor();
    const e = B.series("k", "n", B.mul(B.delta("k", "j"), x("k")));
    expect(c.run(e)).toBe(x("j"));
    expect(c.run(B.call("exp", e))).toBe(B.call("exp", x("j")));
  });
});
