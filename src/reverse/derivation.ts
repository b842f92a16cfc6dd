/**
 * The backward sweep as a part of `jacobi derive`: one step per cotangent (each node the
 * value reaches), with the VJP rules whose contributions it sums, then each result in
 * terms of the cotangents.
 * Shown where the sweep gives the results (the index form has no matrix form, or a larger one).
 */
import { derive, type DerivativeSpec } from "../calculus/derive.js";
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { formula, formulaOf, type Part, type Step } from "../derive/model.js";
import { toLatex } from "../print/latex.js";
import { backprop } from "./backprop.js";
import { jointDerivatives } from "./choose.js";
import { LAWS } from "./rules.js";

/** The sweep's part of a derivation, or undefined when the index form serves. */
export function sweepPart(program: Program, f: Expr, specs: readonly DerivativeSpec[], valueName: string): Part | undefined {
  const kind = specs[0]?.kind;
  if (kind !== "grad" && kind !== "vjp") return undefined;
  const joint = jointDerivatives(program, f, specs, (s) => derive(program, f, s));
  if (!joint.results[0]?.backprop) return undefined;
  const cotangent = specs[0]!.cotangent;
  const sweep = backprop(program, f, specs.map((s) => s.wrt), { kind, ...(cotangent ? { cotangent } : {}) }, true);
  const steps: Step[] = sweep.bindings.map((b) => {
    const laws = (b.rules ?? []).map((r) => LAWS[r]);
    const law = laws.length > 0 ? formula(laws.map((l) => l.text).join("; "), laws.map((l) => l.latex).join(";\\ ")) : undefined;
    return { rule: "cotangent", ...(law ? { law } : {}), lhs: formulaOf(b.name), rhs: formulaOf(b.expr) };
  });
  for (const s of specs) {
    const lhs = formula(`∂${valueName}/∂${s.wrt}`, `\\frac{\\partial ${toLatex(sym(valueName))}}{\\partial ${toLatex(sym(s.wrt))}}`);
    steps.push({ rule: kind === "grad" ? "gradient" : "pullback", lhs, rhs: formulaOf(sweep.named.get(s.wrt)!) });
  }
  return { title: `backward sweep of ${valueName} by ${specs.map((s) => s.wrt).join(", ")}`, steps, result: steps[steps.length - 1]! };
}

const sym = (name: string): Expr => B.sym(name);
