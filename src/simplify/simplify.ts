/**
 * `simplify`: the rules (rules.ts, rules-trig.ts, rules-forms.ts) to a fixpoint, then
 * division by common factors (`cancel`, for rational functions) when that makes the
 * expression smaller: `(x^2 - 1)/(x - 1)` is `x + 1`. A scalar result is then offered
 * the trials (rule sets that make a part larger: cos(asin(u)) = sqrt(1 - u^2), the
 * addition theorems, Pythagorean substitutions), each kept only when the result gets
 * smaller, and a scalar result is never larger than the input by the one measure
 * (src/print/size.ts). One simplifier may be reused for many expressions that share
 * parts (its memo spans calls).
 */
import { JacobiError } from "../core/errors.js";
import { type Expr, type FnName } from "../core/expr.js";
import * as Q from "../core/rational.js";
import { LIMITS } from "../core/limits.js";
import { SCALAR } from "../core/shape.js";
import { forEachNode, treeSize } from "../core/traverse.js";
import * as B from "../core/build.js";
import { cancel, expand } from "./poly.js";
import { Rewriter, type Rule, type Step } from "./rewrite.js";
import { SIMPLIFY_RULES } from "./rules.js";
import { ALGEBRAIC_RULES, FORM_RULES } from "./rules-forms.js";
import { COSINE_SQUARES, EXPANSION_RULES, SINE_SQUARES, TRIG_RULES } from "./rules-trig.js";
import { formSize } from "../print/size.js";

/** Every rule of simplification: the identities of rules.ts, the trigonometric ones, the textbook forms. */
const RULES = [...SIMPLIFY_RULES, ...TRIG_RULES, ...FORM_RULES];

/**
 * Rule sets that make a part larger but may make the whole smaller (cos(asin(u)) is
 * sqrt(1 - u^2), and so cos(asin(u))^2 is 1 - u^2): tried on a whole scalar result, each
 * followed by the rules, and kept only when the result is smaller (src/print/size.ts).
 */
const TRIALS: readonly { name: string; rules: readonly Rule[]; needs: readonly FnName[]; expand?: true }[] = [
  { name: "inverse functions written algebraically", rules: ALGEBRAIC_RULES, needs: ["asin", "acos", "atan", "asinh"] },
  { name: "addition theorems", rules: EXPANSION_RULES, needs: ["sin", "cos", "sinh", "cosh"], expand: true },
  { name: "sin(u)^2 = 1 - cos(u)^2", rules: SINE_SQUARES, needs: ["sin", "sinh"], expand: true },
  { name: "cos(u)^2 = 1 - sin(u)^2", rules: COSINE_SQUARES, needs: ["cos", "cosh"], expand: true },
];

export interface SimplifyOptions {
  /** Receives each rewrite step with its rule's name. */
  readonly onStep?: (step: Step) => void;
  /** How many expressions this simplifier will see (scales the step budget). */
  readonly expected?: number;
}

/**
 * Expressions up to this size (as a tree) and in this many names are offered to
 * `cancel`: a multivariate GCD costs far more than the rules, and the n² entries of a
 * large element-wise Jacobian must still simplify in well under a second.
 */
const CANCEL_MAX_NODES = 300;
const CANCEL_MAX_NAMES = 5;

/** How many distinct variables (names and entries like x[2]) an expression has, up to a limit. */
function variables(e: Expr, limit: number): number {
  let count = 0;
  forEachNode(e, (x) => (x.kind === "sym" || x.kind === "entry" ? ++count <= limit : true));
  return count;
}

/** Bases that an expression divides by, anywhere in it (x + 1 for (x + 1)^-2). */
function denominators(e: Expr): Set<Expr> {
  const out = new Set<Expr>();
  forEachNode(e, (x) => void (x.kind === "pow" && x.exponent.kind === "num" && x.exponent.value.num < 0n && out.add(x.base)));
  return out;
}

/**
 * `cancel(e)` when it is smaller than `e` and divides by nothing new (cancel expands
 * denominators: (x + 1)^2 would come back as x^2 + 2*x + 1, which reads worse), else `e`.
 * Only scalars: matrix forms are already written the way a person writes them.
 */
function cancelIfSmaller(e: Expr, onStep?: (step: Step) => void): Expr {
  if (e.shape !== SCALAR || variables(e, CANCEL_MAX_NAMES) > CANCEL_MAX_NAMES) return e;
  const size = treeSize(e, CANCEL_MAX_NODES);
  const before = denominators(e);
  if (size === Infinity || before.size === 0) return e;
  const c = refactor(cancel(e), before);
  // a new denominator that is a sum reads worse (expanded); a new monomial one (y in -1/(2*y)) is fine
  if (c === e || treeSize(c, size) >= size || [...denominators(c)].some((d) => !before.has(d) && d.kind === "add")) return e;
  onStep?.({ kind: "rewrite", rule: "cancel common factors", before: e, after: c, run: { ruleSet: "simplify", before: e, after: c }, whole: () => ({ before: e, after: c }) });
  return c;
}

/**
 * cancel writes denominators expanded; where one is the expansion of a power of an
 * original denominator, write that power again: 1/(x^2 + 2*x + 1) -> 1/(x + 1)^2.
 */
function refactor(c: Expr, original: ReadonlySet<Expr>): Expr {
  const powers = new Map<Expr, Expr>();
  for (const b of original) for (let k = 1; k <= 4; k++) powers.set(expand(B.pow(b, B.num(k))), B.pow(b, B.num(k)));
  return B.mapBottomUp(c, (x) => {
    const p = x.kind === "pow" && x.exponent.kind === "num" && x.exponent.value.num < 0n ? powers.get(x.base) : undefined;
    return p && x.kind === "pow" ? B.pow(p, x.exponent) : x;
  });
}

/** Integer powers up to this are expanded in a trial; an expression with a larger one is not tried. */
const TRIAL_MAX_POWER = 12n;

const smallPowers = (e: Expr): boolean => {
  let small = true;
  forEachNode(e, (x) => (small &&= !(x.kind === "pow" && x.exponent.kind === "num" && Q.abs(x.exponent.value).num > TRIAL_MAX_POWER * x.exponent.value.den)));
  return small;
};

/** Terms an expanding trial may write out (estimated before expanding); past it the trial is not taken. */
const TRIAL_MAX_TERMS = 200;

/** An upper estimate of the terms `expand(e)` writes (capped past the limit). */
function expandedTerms(e: Expr, memo: Map<Expr, number>): number {
  const known = memo.get(e);
  if (known !== undefined) return known;
  const cap = (n: number): number => Math.min(n, TRIAL_MAX_TERMS + 1);
  let n = 1;
  if (e.kind === "add") n = cap(e.terms.reduce((a, t) => a + expandedTerms(t, memo), 0));
  else if (e.kind === "mul") n = cap(e.factors.reduce((a, f) => a * expandedTerms(f, memo), 1));
  else if (e.kind === "pow" && e.exponent.kind === "num" && Q.isInteger(e.exponent.value) && !Q.isNegative(e.exponent.value))
    n = cap(expandedTerms(e.base, memo) ** Number(e.exponent.value.num));
  memo.set(e, n);
  return n;
}

/** A trial's result, or undefined when it runs into a limit (the trial is then not taken). */
function attempt(f: () => Expr | undefined): Expr | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof JacobiError && err.kind === "limit") return undefined;
    throw err;
  }
}

/** The functions called in `e`. */
function functionsIn(e: Expr): Set<FnName> {
  const out = new Set<FnName>();
  forEachNode(e, (x) => void (x.kind === "call" && out.add(x.fn)));
  return out;
}

/** Does some rule of `rules` apply somewhere in `e`? */
function applies(e: Expr, rules: readonly Rule[]): boolean {
  let found = false;
  forEachNode(e, (x) => !(found ||= rules.some((r) => r.apply(x, (p) => p) !== undefined)));
  return found;
}

export function simplifier(options: SimplifyOptions = {}): (e: Expr) => Expr {
  const budget = LIMITS.maxRewriteSteps * Math.max(1, options.expected ?? 1);
  const withSteps = (name: string) => (options.onStep ? { name, budget, onStep: options.onStep } : { name, budget });
  const r = new Rewriter(RULES, withSteps("simplify"));
  // trials run without steps; one that is kept is reported as one step
  const quiet = new Rewriter(RULES, { name: "simplify", budget });
  const trials = TRIALS.map((t) => ({ ...t, rewriter: new Rewriter(t.rules, { name: t.name, budget }) }));
  return (e) => {
    // the rules assume finite values (u/u = 1, 0*u = 0): a constant without one (0^(-1), log(0)) is left as it is
    if (B.hasPole(e)) return e;
    let out = r.run(e);
    const c = cancelIfSmaller(out, options.onStep);
    if (c !== out) out = r.run(c);
    if (out.shape !== SCALAR || treeSize(out, CANCEL_MAX_NODES) === Infinity || treeSize(e, CANCEL_MAX_NODES) === Infinity) return out;
    const fns = functionsIn(out);
    for (const t of trials) {
      if (!t.needs.some((f) => fns.has(f)) || !applies(out, t.rules) || (t.expand && !smallPowers(out))) continue;
      const tried = attempt(() => {
        const rewritten = t.rewriter.run(out);
        if (!t.expand) return quiet.run(rewritten);
        return expandedTerms(rewritten, new Map()) > TRIAL_MAX_TERMS ? undefined : quiet.run(expand(rewritten));
      });
      if (!tried || formSize(tried) >= formSize(out)) continue;
      options.onStep?.({ kind: "rewrite", rule: t.name, before: out, after: tried, run: { ruleSet: "simplify", before: out, after: tried }, whole: () => ({ before: out, after: tried }) });
      out = tried;
    }
    // never larger than what came in (exp(u)^(1/2) = exp(u/2) is, when u is a sum)
    if (formSize(out) <= formSize(e)) return out;
    const back = out;
    options.onStep?.({ kind: "rewrite", rule: "the input, which is smaller", before: back, after: e, run: { ruleSet: "simplify", before: back, after: e }, whole: () => ({ before: back, after: e }) });
    return e;
  };
}

/** Simplifies one expression. */
export const simplify = (e: Expr, options: SimplifyOptions = {}): Expr => simplifier(options)(e);
