/**
 * The derivative of each elementwise function, read from the function table
 * (core/functions.ts), where each law is written once: here it is built with the
 * canonical builders for the differentiator, and printed for a derivation's rule text.
 * The chain rule (multiplying by du) is applied by the differentiator.
 */
import * as B from "../core/build.js";
import type { Expr, FnName } from "../core/expr.js";
import { FUNCTION_TABLE, type Algebra } from "../core/functions.js";
import { rat } from "../core/rational.js";
import { toText } from "../print/text.js";

/** The table's laws written in the canonical builders. */
const BUILDERS: Algebra<Expr, FnName> = {
  num: (p, q = 1) => B.num(rat(p, q)),
  call: B.call,
  add: (a, b) => B.add(a, b),
  sub: B.sub,
  mul: (a, b) => B.mul(a, b),
  neg: B.neg,
  pow: B.pow,
};

/** f'(u) as an expression in u. */
export const derivativeOf = (fn: FnName, u: Expr): Expr => FUNCTION_TABLE[fn].derivative(u, BUILDERS);

const lawTexts = new Map<FnName, string>();

/** The law as text, for derivations: "d/du exp(u) = exp(u)". */
export function lawText(fn: FnName): string {
  let text = lawTexts.get(fn);
  if (text === undefined) {
    const u = B.sym("u");
    text = `d/du ${toText(B.call(fn, u))} = ${toText(derivativeOf(fn, u))}`;
    lawTexts.set(fn, text);
  }
  return text;
}
