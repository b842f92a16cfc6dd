/**
 * Finding named definitions again in a result: a rule set run by the rewrite engine
 * (src/simplify/rewrite.ts), each node through every pattern once. Each definition's body is lowered with
 * pattern indices and normalized like the result; wherever it occurs — whole, as part
 * of a product (exp(x[i]) Σ(exp x)^-2 holds exp(x[i]) Σ(exp x)^-1), or as part of a
 * sum — it is replaced by the definition's entry: s[i], z1[a]. Later definitions are
 * tried first, since they contain earlier ones.
 */
import * as B from "../core/build.js";
import { factorsOf, type Expr, type Index } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import { namesOf } from "../core/names.js";
import type { Tracer } from "../core/trace.js";
import type { Program } from "../core/program.js";
import * as Q from "../core/rational.js";
import { contract } from "./contract.js";
import { rule, Rewriter, type Rule } from "../simplify/rewrite.js";
import { Lowerer } from "./lower.js";

const ROW = "_r";
const COL = "_c";

export interface Pattern {
  readonly name: string;
  /** The pattern's own indices (ROW and/or COL). */
  readonly vars: readonly Index[];
  readonly body: Expr;
  /** Instances by index assignment, e.g. "i,j". */
  readonly instances: Map<string, Expr>;
}

/** Which definitions to look for: by default every definition of the program. */
export function patternsOf(program: Program, names?: readonly string[]): Pattern[] {
  // Patterns name earlier definitions (s is written with z1[k]): matching runs bottom-up,
  // so by the time a node could be s, the z1 inside it has been named already.
  const lowerer = new Lowerer(program, { inline: false });
  const out: Pattern[] = [];
  for (const [name, def] of program.defs) {
    if (names && !names.includes(name)) continue;
    const s = def.expr.shape;
    const vars = [s.rows === 1 ? null : ROW, s.cols === 1 ? null : COL].filter((v): v is Index => v !== null);
    const body = contract(lowerer.lower(def.expr, s.rows === 1 ? null : ROW, s.cols === 1 ? null : COL));
    // A definition that is just another name (t = x) or a number is not worth finding.
    if (body.kind === "entry" || body.kind === "sym" || body.kind === "num") continue;
    out.push({ name, vars, body, instances: new Map() });
  }
  return out.reverse();
}

function instance(p: Pattern, at: readonly Index[]): Expr {
  const key = at.join(",");
  let e = p.instances.get(key);
  if (!e) {
    e = p.body;
    // Rename through temporaries so that ROW -> COL -> … swaps cannot collide.
    p.vars.forEach((v, k) => (e = B.renameIndex(e!, v, `_tmp${k}`)));
    p.vars.forEach((_, k) => (e = B.renameIndex(e!, `_tmp${k}`, at[k]!)));
    p.instances.set(key, e);
  }
  return e;
}

/** Index assignments worth trying at a node: its free indices, in every arrangement. */
function assignments(vars: number, free: readonly Index[]): Index[][] {
  if (vars === 0) return [[]];
  if (vars === 1) return free.map((i) => [i]);
  const out: Index[][] = [];
  for (const a of free) for (const b of free) out.push([a, b]);
  return out;
}

/** How many occurrences of one definition are replaced in one node, at most. */
const MAX_MATCHES = 64;

/**
 * t · inst^sign · extra, multiplied factor by factor in one product, so that powers of
 * one base cancel before numbers are distributed over sums (2/(1+b) divided by
 * 2/(1+b) is 1, not (1+b)^-1 times 1/2 + b/2).
 */
const times = (t: Expr, inst: Expr, sign: 1 | -1, extra: Expr): Expr =>
  B.mulAll([...factorsOf(t), ...factorsOf(inst).map((f) => (sign === 1 ? f : B.pow(f, B.MINUS_ONE))), extra]);

const named = (p: Pattern, at: readonly Index[]): Expr => (at.length === 0 ? B.sym(p.name) : B.entry(p.name, at));

const subset = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => {
  for (const x of a) if (!b.has(x)) return false;
  return true;
};

/** Base and exponent of a factor. */

/** Does `have` contain the power `want` of one base (x^-2 holds x^-1; x^3 holds x^2)? */
function holds(have: Expr, want: Expr): boolean {
  if (have === want) return true;
  if (have.kind !== "num" || want.kind !== "num") return false;
  return Q.isNegative(have.value) === Q.isNegative(want.value) && Q.compare(Q.abs(have.value), Q.abs(want.value)) >= 0;
}


/** Does `t` hold every (non-numeric) factor in `need`, each to at least its power? */
function holdsAll(t: Expr, need: readonly Expr[]): boolean {
  const have = B.powerMap(t);
  return need.every((f) => {
    if (f.kind === "num") return true;
    const [b, x] = B.powerOf(f);
    const h = have.get(b);
    return h !== undefined && holds(h, x);
  });
}

/** Does the product `t` contain every factor of the product `p`? */
const productHolds = (t: Expr, p: Expr): boolean => p.kind === "mul" && holdsAll(t, p.factors);

/** The common ratio c with t = c·p + rest over p's terms, if every term of p is in t. */
function sumHolds(t: Expr, p: Expr): Expr | undefined {
  if (t.kind !== "add" || p.kind !== "add" || p.terms.length > t.terms.length) return undefined;
  const have = new Map<Expr, Q.Rational>();
  for (const term of t.terms) {
    const [c, m] = B.splitCoefficient(term);
    have.set(m, c);
  }
  let ratio: Q.Rational | undefined;
  for (const term of p.terms) {
    const [c, m] = B.splitCoefficient(term);
    const h = have.get(m);
    if (!h) return undefined;
    const r = Q.div(h, c);
    if (ratio && !Q.equals(ratio, r)) return undefined;
    ratio = r;
  }
  return ratio ? B.num(ratio) : undefined;
}

/** Replaces every occurrence of `p` in `t` (a bounded number of times). */
function replaceAll(start: Expr, p: Pattern, inner: (part: Expr) => Expr): Expr {
  let t = start;
  for (let round = 0; round < MAX_MATCHES; round++) {
    const next = matchOnce(t, p, inner);
    if (next === t) return t;
    t = next;
  }
  return t;
}

/** One occurrence of `p` in `t` replaced, or `t` itself. */
function matchOnce(t: Expr, p: Pattern, inner: (part: Expr) => Expr): Expr {
  if (!subset(namesOf(p.body), namesOf(t))) return t;
  if (t.kind === "mul") {
    const pushed = pushIntoSum(t, p, inner);
    if (pushed) return pushed;
  }
  for (const at of assignments(p.vars.length, t.indices.length > 0 ? t.indices : [])) {
    const inst = instance(p, at);
    if (inst === t) return named(p, at);
    // t = (t / inst) · inst; the rest may hold another instance (s[i] s[j])
    if (productHolds(t, inst)) return times(t, inst, -1, named(p, at));
    // t = (t · inst) / inst: the reciprocal 1/s[k] = exp(x[k])^-1 Σ exp(x)
    if (inst.kind === "mul" && holdsAll(t, inst.factors.map((f) => B.pow(f, B.MINUS_ONE)))) return times(t, inst, 1, B.pow(named(p, at), B.MINUS_ONE));
    const ratio = sumHolds(t, inst);
    if (ratio) return B.add(B.sub(t, B.mul(ratio, inst)), B.mul(ratio, named(p, at)));
  }
  return t;
}

function pushIntoSum(t: Extract<Expr, { kind: "mul" }>, p: Pattern, inner: (part: Expr) => Expr): Expr | undefined {
  for (const sum of t.factors) {
    if (sum.kind !== "series") continue;
    const outside = B.mulAll(t.factors.filter((f) => f !== sum));
    for (const at of assignments(p.vars.length, sum.body.indices)) {
      if (!at.includes(sum.index) && p.vars.length > 0) continue;
      const missing = missingFactors(sum.body, instance(p, at));
      if (!missing || missing.some((f) => f.indices.includes(sum.index))) continue;
      const need = B.mulAll(missing);
      if (!holdsAll(outside, missing)) continue;
      const moved = inner(B.series(sum.index, sum.size, B.mul(sum.body, need)));
      return times(outside, need, -1, moved);
    }
  }
  return undefined;
}

/**
 * In c^-1 · Σ_m exp(x[m]) v[m], the factor that completes s[m] stands outside the sum:
 * move the missing factors in (they do not depend on m), then look again inside.
 */
function missingFactors(body: Expr, inst: Expr): Expr[] | undefined {
  if (inst.kind !== "mul") return undefined;
  const have = B.powerMap(body);
  const missing: Expr[] = [];
  for (const f of inst.factors) {
    if (f.kind === "num") continue;
    const [b, x] = B.powerOf(f);
    const h = have.get(b);
    if (h && holds(h, x)) continue;
    if (h) return undefined; // partly there: leave it
    missing.push(f);
  }
  return missing.length > 0 && missing.length < inst.factors.length ? missing : undefined;
}

/** The recognition rules: one per definition, later definitions first. */
export const recognitionRules = (patterns: readonly Pattern[]): Rule[] =>
  // t -> NAME wherever t holds the definition's body (whole, in a product, in a sum)
  patterns.map((p) => rule(`recognize ${p.name}`, (t, inner) => replaceAll(t, p, inner)));

/** The rule set's name. */
export const RECOGNITION = "recognize";

/** A recognition run over `patterns` (its memo spans calls), each node through every pattern once. */
export const recognizer = (patterns: readonly Pattern[], trace?: Tracer): Rewriter =>
  new Rewriter(recognitionRules(patterns), { name: RECOGNITION, mode: "once", budget: LIMITS.maxWork, ...(trace ? { onStep: trace } : {}) });

/** Replaces occurrences of the program's definitions by their names. */
export const recognize = (e: Expr, program: Program, trace?: Tracer): Expr => recognizer(patternsOf(program), trace).run(e);
