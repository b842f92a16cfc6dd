/**
 * Trigonometric and hyperbolic identities of the simplifier, one a line with its law.
 * Each holds for real arguments where both sides are defined, and each makes the result
 * smaller by the one measure (src/print/size.ts: operators and calls); the corpus and
 * property tests check both. Where a rule gives a number where the left side is
 * undefined, its comment says so — as exp(log(u)) = u does for u < 0, and the builders'
 * u/u = 1 at u = 0:
 *   sin(asin(u)) = u and cos(acos(u)) = u also for |u| > 1, cosh(acosh(u)) = u for u < 1,
 *   tanh(atanh(u)) = u for |u| ≥ 1;
 *   ratios (tan(u)*cos(u) = sin(u)) also where cos(u) = 0, which no float argument reaches.
 */
import * as B from "../core/build.js";
import type { Call, Expr, FnName } from "../core/expr.js";
import { factorsOf } from "../core/expr.js";
import { forEachNode } from "../core/traverse.js";
import * as Q from "../core/rational.js";
import { formSize } from "../print/size.js";
import type { Rule } from "./rewrite.js";

const isCall = (e: Expr, fn: FnName): e is Call => e.kind === "call" && e.fn === fn;
const rule = (name: string, apply: (e: Expr) => Expr | undefined): Rule => ({ name, apply });
const inverse = (f: FnName, g: FnName) => (e: Expr) => (isCall(e, f) && isCall(e.arg, g) ? e.arg.arg : undefined);
const sq = (e: Expr): Expr => B.pow(e, B.num(2));
const fn = (f: FnName, u: Expr, k = 1): Expr => B.pow(B.call(f, u), B.num(k));

/** A sum with term `rest*q(u)` and term `rest*p(u)` -> the sum with `rest*r(u)` for both, when that is smaller. */
function pairInSum(e: Expr, q: { fn: FnName; k: number; sign: 1 | -1 }, p: (u: Expr) => Expr, r: (u: Expr) => Expr): Expr | undefined {
  if (e.kind !== "add" || e.terms.length > 200) return undefined;
  for (const t of e.terms) {
    for (const x of factorsOf(t)) {
      const [base, k] = B.powerOf(x);
      if (!isCall(base, q.fn) || !B.isNum(k, q.k)) continue;
      const rest = B.mul(B.num(q.sign), t, B.pow(x, B.MINUS_ONE));
      const partner = B.mul(rest, p(base.arg));
      if (partner === t || !e.terms.includes(partner)) continue;
      const out = B.addAll([...e.terms.filter((y) => y !== t && y !== partner), B.mul(rest, r(base.arg))]);
      return formSize(out) < formSize(e) ? out : undefined;
    }
  }
  return undefined;
}

/** `rest*f(a)*g(b) ± rest*h(a)*k(b)` -> `rest*out(a ± b)`: the addition theorems read backwards. */
function angleSum(e: Expr, f: FnName, g: FnName, h: FnName, k: FnName, out: FnName, sign: 1 | -1): Expr | undefined {
  if (e.kind !== "add" || e.terms.length > 50) return undefined;
  for (const t of e.terms) {
    const fs = factorsOf(t);
    for (const x of fs) {
      if (!isCall(x, f)) continue;
      for (const y of fs) {
        if (y === x || !isCall(y, g) || y.arg === x.arg) continue;
        const rest = B.mul(t, B.pow(B.mul(x, y), B.MINUS_ONE));
        const same = B.mul(rest, B.call(h, x.arg), B.call(k, y.arg));
        const opposite = B.neg(same);
        const partner = e.terms.includes(same) && same !== t ? same : e.terms.includes(opposite) ? opposite : undefined;
        if (!partner) continue;
        const sum = (partner === same) === (sign === 1);
        const arg = sum ? B.add(x.arg, y.arg) : B.sub(x.arg, y.arg);
        return B.addAll([...e.terms.filter((z) => z !== t && z !== partner), B.mul(rest, B.call(out, arg))]);
      }
    }
  }
  return undefined;
}

/** `rest*exp(u) ± rest*exp(-u)` -> `2*rest*cosh(u)` or `2*rest*sinh(u)` (u with a positive coefficient). */
function expPair(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.terms.length > 200) return undefined;
  const args = new Set<Expr>();
  for (const t of e.terms) for (const x of factorsOf(t)) if (isCall(x, "exp")) args.add(x.arg);
  if (args.size < 2) return undefined;
  for (const t of e.terms) {
    for (const x of factorsOf(t)) {
      if (!isCall(x, "exp") || Q.isNegative(B.splitCoefficient(x.arg)[0]) || !args.has(B.neg(x.arg))) continue;
      const rest = B.mul(t, B.pow(x, B.MINUS_ONE));
      const plus = B.mul(rest, B.call("exp", B.neg(x.arg)));
      const minus = B.neg(plus);
      const partner = e.terms.includes(plus) ? plus : e.terms.includes(minus) ? minus : undefined;
      if (!partner) continue;
      return B.addAll([...e.terms.filter((y) => y !== t && y !== partner), B.mul(B.num(2), rest, B.call(partner === plus ? "cosh" : "sinh", x.arg))]);
    }
  }
  return undefined;
}

/** Powers of sin, cos (and tan, cot, sec, csc) of one argument as [sin, cos] exponents; sinh, cosh, tanh likewise. */
const CIRCULAR: Partial<Record<FnName, readonly [number, number]>> = { sin: [1, 0], cos: [0, 1], tan: [1, -1], cot: [-1, 1], sec: [0, -1], csc: [-1, 0] };
const HYPERBOLIC: Partial<Record<FnName, readonly [number, number]>> = { sinh: [1, 0], cosh: [0, 1], tanh: [1, -1] };

const RATIO_NAMES: ReadonlySet<string> = new Set(["tan", "cot", "sec", "csc", "tanh"]);
const ratioName = (e: Expr): boolean => e.kind === "call" && RATIO_NAMES.has(e.fn);

/** The ways to write sin^s*cos^c (or sinh, cosh): as it is, or with tan/cot (tanh) taking the shared part. */
function ratioForms(u: Expr, s: number, c: number, hyperbolic: boolean): Expr[] {
  const [sin, cos, tan] = hyperbolic ? (["sinh", "cosh", "tanh"] as const) : (["sin", "cos", "tan"] as const);
  const plain = B.mul(fn(sin, u, s), fn(cos, u, c));
  const out = [plain];
  if (s > 0 && c < 0) {
    const k = Math.min(s, -c);
    out.push(B.mul(fn(tan, u, k), fn(sin, u, s - k), fn(cos, u, c + k)));
  }
  if (s < 0 && c > 0) {
    const k = Math.min(-s, c);
    out.push(B.mul(fn(tan, u, -k), fn(sin, u, s + k), fn(cos, u, c - k)));
    if (!hyperbolic) out.push(B.mul(fn("cot", u, k), fn(sin, u, s + k), fn(cos, u, c - k)));
  }
  return out;
}

/** A product's trigonometric factors of each argument rewritten as the smallest of their ratio forms, when that is smaller. */
function trigRatios(e: Expr): Expr | undefined {
  if (e.kind !== "mul" || e.factors.length > 50) return undefined;
  const groups = new Map<string, { u: Expr; hyperbolic: boolean; s: number; c: number; count: number }>();
  const others: Expr[] = [];
  for (const f of e.factors) {
    const [base, k] = B.powerOf(f);
    const table = base.kind === "call" ? (CIRCULAR[base.fn] ? CIRCULAR : HYPERBOLIC[base.fn] ? HYPERBOLIC : undefined) : undefined;
    if (!table || base.kind !== "call" || k.kind !== "num" || !Q.isInteger(k.value) || Q.abs(k.value).num > 64n) {
      others.push(f);
      continue;
    }
    const n = Number(k.value.num);
    const [ds, dc] = table[base.fn]!;
    const key = `${table === HYPERBOLIC ? "h" : "c"}:${base.arg.id}`;
    const g = groups.get(key) ?? { u: base.arg, hyperbolic: table === HYPERBOLIC, s: 0, c: 0, count: 0 };
    groups.set(key, { ...g, s: g.s + n * ds, c: g.c + n * dc, count: g.count + 1 });
  }
  if (![...groups.values()].some((g) => g.count > 1) && !e.factors.some((f) => ratioName(B.powerOf(f)[0]))) return undefined;
  const parts = [...groups.values()].map((g) => ratioForms(g.u, g.s, g.c, g.hyperbolic).reduce((a, b) => (formSize(b) < formSize(a) ? b : a)));
  const out = B.mulAll([...others, ...parts]);
  return formSize(out) < formSize(e) ? out : undefined;
}

/** f(-u) = f(u) for an even f: cos(-2*x) -> cos(2*x). */
const even = (f: FnName) => (e: Expr) => (isCall(e, f) && Q.isNegative(B.splitCoefficient(e.arg)[0]) ? B.call(f, B.neg(e.arg)) : undefined);

export const TRIG_RULES: readonly Rule[] = [
  // sin(asin(u)) -> u (also for |u| > 1, where the left side is undefined)
  rule("sin-asin", inverse("sin", "asin")),
  // cos(acos(u)) -> u (also for |u| > 1, where the left side is undefined)
  rule("cos-acos", inverse("cos", "acos")),
  // tan(atan(u)) -> u
  rule("tan-atan", inverse("tan", "atan")),
  // sinh(asinh(u)) -> u
  rule("sinh-asinh", inverse("sinh", "asinh")),
  // cosh(acosh(u)) -> u (also for u < 1, where the left side is undefined)
  rule("cosh-acosh", inverse("cosh", "acosh")),
  // tanh(atanh(u)) -> u (also for |u| ≥ 1, where the left side is undefined)
  rule("tanh-atanh", inverse("tanh", "atanh")),
  // cos(-u) -> cos(u)
  rule("cos-even", even("cos")),
  // cosh(-u) -> cosh(u)
  rule("cosh-even", even("cosh")),
  // a - a*sin(u)^2 -> a*cos(u)^2
  rule("1-sin2", (e) => pairInSum(e, { fn: "sin", k: 2, sign: -1 }, () => B.ONE, (u) => sq(B.call("cos", u)))),
  // a - a*cos(u)^2 -> a*sin(u)^2
  rule("1-cos2", (e) => pairInSum(e, { fn: "cos", k: 2, sign: -1 }, () => B.ONE, (u) => sq(B.call("sin", u)))),
  // a/cos(u)^2 - a -> a*tan(u)^2
  rule("sec2-1", (e) => pairInSum(e, { fn: "cos", k: -2, sign: 1 }, () => B.MINUS_ONE, (u) => sq(B.call("tan", u)))),
  // a/cos(u)^2 - a*tan(u)^2 -> a
  rule("sec2-tan2", (e) => pairInSum(e, { fn: "cos", k: -2, sign: 1 }, (u) => B.neg(sq(B.call("tan", u))), () => B.ONE)),
  // a/sin(u)^2 - a -> a*cot(u)^2
  rule("csc2-1", (e) => pairInSum(e, { fn: "sin", k: -2, sign: 1 }, () => B.MINUS_ONE, (u) => sq(B.call("cot", u)))),
  // a/sin(u)^2 - a*cot(u)^2 -> a
  rule("csc2-cot2", (e) => pairInSum(e, { fn: "sin", k: -2, sign: 1 }, (u) => B.neg(sq(B.call("cot", u))), () => B.ONE)),
  // a + a*sinh(u)^2 -> a*cosh(u)^2
  rule("1+sinh2", (e) => pairInSum(e, { fn: "sinh", k: 2, sign: 1 }, () => B.ONE, (u) => sq(B.call("cosh", u)))),
  // a*cosh(u)^2 - a -> a*sinh(u)^2
  rule("cosh2-1", (e) => pairInSum(e, { fn: "cosh", k: 2, sign: 1 }, () => B.MINUS_ONE, (u) => sq(B.call("sinh", u)))),
  // a - a/cosh(u)^2 -> a*tanh(u)^2
  rule("1-sech2", (e) => pairInSum(e, { fn: "cosh", k: -2, sign: -1 }, () => B.ONE, (u) => sq(B.call("tanh", u)))),
  // a*tanh(u)^2 + a/cosh(u)^2 -> a
  rule("tanh2+sech2", (e) => pairInSum(e, { fn: "cosh", k: -2, sign: 1 }, (u) => sq(B.call("tanh", u)), () => B.ONE)),
  // a/sinh(u)^2 + a -> a/tanh(u)^2
  rule("csch2+1", (e) => pairInSum(e, { fn: "sinh", k: -2, sign: 1 }, () => B.ONE, (u) => fn("tanh", u, -2))),
  // a + a*tan(u)^2 -> a/cos(u)^2
  rule("1+tan2", (e) => pairInSum(e, { fn: "tan", k: 2, sign: 1 }, () => B.ONE, (u) => fn("cos", u, -2))),
  // a + a*cot(u)^2 -> a/sin(u)^2
  rule("1+cot2", (e) => pairInSum(e, { fn: "cot", k: 2, sign: 1 }, () => B.ONE, (u) => fn("sin", u, -2))),
  // a - a*tanh(u)^2 -> a/cosh(u)^2
  rule("1-tanh2", (e) => pairInSum(e, { fn: "tanh", k: 2, sign: -1 }, () => B.ONE, (u) => fn("cosh", u, -2))),
  // a*cosh(u) + a*sinh(u) -> a*exp(u)
  rule("cosh+sinh", (e) => pairInSum(e, { fn: "sinh", k: 1, sign: 1 }, (u) => B.call("cosh", u), (u) => B.call("exp", u))),
  // a*cosh(u) - a*sinh(u) -> a*exp(-u)
  rule("cosh-sinh", (e) => pairInSum(e, { fn: "sinh", k: 1, sign: -1 }, (u) => B.call("cosh", u), (u) => B.call("exp", B.neg(u)))),
  // a*exp(u) + a*exp(-u) -> 2*a*cosh(u), a*exp(u) - a*exp(-u) -> 2*a*sinh(u)
  rule("exp-pair", expPair),
  // sin(a)*cos(b) ± cos(a)*sin(b) -> sin(a ± b)
  rule("sin-sum", (e) => angleSum(e, "sin", "cos", "cos", "sin", "sin", 1)),
  // cos(a)*cos(b) ∓ sin(a)*sin(b) -> cos(a ± b)
  rule("cos-sum", (e) => angleSum(e, "cos", "cos", "sin", "sin", "cos", -1)),
  // sinh(a)*cosh(b) ± cosh(a)*sinh(b) -> sinh(a ± b)
  rule("sinh-sum", (e) => angleSum(e, "sinh", "cosh", "cosh", "sinh", "sinh", 1)),
  // cosh(a)*cosh(b) ± sinh(a)*sinh(b) -> cosh(a ± b)
  rule("cosh-sum", (e) => angleSum(e, "cosh", "cosh", "sinh", "sinh", "cosh", 1)),
  // sin(u)^s*cos(u)^c -> tan(u)^k*… , cot(u)^k*… (tanh for sinh, cosh), the smallest form
  rule("trig-ratio", trigRatios),
];

const hasCall = (e: Expr): boolean => {
  let found = false;
  forEachNode(e, (x) => !(found ||= x.kind === "call"));
  return found;
};

/** f(a + b + …) by the addition theorem on its first term: sin(a + r) = sin(a)*cos(r) + cos(a)*sin(r). */
function addition(f: FnName, e: Expr): Expr | undefined {
  // only of arguments without calls: sin(w + sin(z + sin(x + y))) would grow with every level
  if (!isCall(e, f) || hasCall(e.arg)) return undefined;
  const [hyperbolic, sin, cos] = f === "sin" || f === "cos" ? [false, "sin", "cos"] as const : [true, "sinh", "cosh"] as const;
  let a: Expr;
  let r: Expr;
  if (e.arg.kind === "add" && e.arg.terms.length <= 3) [a, r] = [e.arg.terms[0]!, B.addAll(e.arg.terms.slice(1))];
  else if (e.arg.kind === "mul" && B.isNum(e.arg.factors[0]!, 2)) [a, r] = [B.mul(B.num(Q.rat(1, 2)), e.arg), B.mul(B.num(Q.rat(1, 2)), e.arg)];
  else return undefined;
  const [sa, ca, sr, cr] = [B.call(sin, a), B.call(cos, a), B.call(sin, r), B.call(cos, r)];
  if (f === sin) return B.add(B.mul(sa, cr), B.mul(ca, sr));
  return hyperbolic ? B.add(B.mul(ca, cr), B.mul(sa, sr)) : B.sub(B.mul(ca, cr), B.mul(sa, sr));
}

/**
 * The addition theorems forwards, for the simplifier to try on a whole result and keep
 * only when what follows is smaller: sin(x + y) + sin(x - y) is 2*sin(x)*cos(y).
 */
const odd = (f: FnName) => (e: Expr) => (isCall(e, f) && Q.isNegative(B.splitCoefficient(e.arg)[0]) ? B.neg(B.call(f, B.neg(e.arg))) : undefined);

export const EXPANSION_RULES: readonly Rule[] = [
  // sin(-u) -> -sin(u)
  rule("sin-odd", odd("sin")),
  // sinh(-u) -> -sinh(u)
  rule("sinh-odd", odd("sinh")),
  // sin(a + b) -> sin(a)*cos(b) + cos(a)*sin(b), sin(2*u) -> 2*sin(u)*cos(u)
  rule("sin-addition", (e) => addition("sin", e)),
  // cos(a + b) -> cos(a)*cos(b) - sin(a)*sin(b), cos(2*u) -> cos(u)^2 - sin(u)^2
  rule("cos-addition", (e) => addition("cos", e)),
  // sinh(a + b) -> sinh(a)*cosh(b) + cosh(a)*sinh(b)
  rule("sinh-addition", (e) => addition("sinh", e)),
  // cosh(a + b) -> cosh(a)*cosh(b) + sinh(a)*sinh(b)
  rule("cosh-addition", (e) => addition("cosh", e)),
];

/** sin(u)^(2k) -> (1 - cos(u)^2)^k, or cos for sin (hyperbolic: cosh^2 = 1 + sinh^2). */
function square(f: FnName, g: FnName, sign: 1 | -1, e: Expr): Expr | undefined {
  if (e.kind !== "pow" || !isCall(e.base, f) || e.exponent.kind !== "num" || !Q.isInteger(e.exponent.value) || e.exponent.value.num % 2n !== 0n || e.exponent.value.num <= 0n) return undefined;
  // sign -1: 1 - g(u)^2; sign 1: c + g(u)^2 with c = -1 for sinh (cosh² - 1), 1 for cosh (1 + sinh²)
  const c = sign === -1 ? 1 : f === "sinh" ? -1 : 1;
  return B.pow(B.add(B.num(c), B.mul(B.num(sign), sq(B.call(g, e.base.arg)))), B.num(Q.rat(e.exponent.value.num / 2n)));
}

/** Pythagorean substitutions, for the simplifier to try on a whole result (then expanded) and keep only when smaller: -4*sin(x)^4 + 4*cos(x)^4 - 8*cos(x)^2 is -4. */
export const SINE_SQUARES: readonly Rule[] = [
  // sin(u)^2 -> 1 - cos(u)^2
  rule("sin2-as-cos2", (e) => square("sin", "cos", -1, e)),
  // sinh(u)^2 -> cosh(u)^2 - 1
  rule("sinh2-as-cosh2", (e) => square("sinh", "cosh", 1, e)),
];
export const COSINE_SQUARES: readonly Rule[] = [
  // cos(u)^2 -> 1 - sin(u)^2
  rule("cos2-as-sin2", (e) => square("cos", "sin", -1, e)),
  // cosh(u)^2 -> 1 + sinh(u)^2
  rule("cosh2-as-sinh2", (e) => square("cosh", "sinh", 1, e)),
];
