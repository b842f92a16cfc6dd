/**
 * How the sweeps (reverse and forward) see a node: its operator and the operands
 * derivatives flow between, with the softmax forms recognized as one node each.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";

/** A node's operator and the operands a derivative flows between. */
export type View =
  | { readonly op: "leaf" }
  | { readonly op: "def"; readonly body: Expr }
  | { readonly op: "add"; readonly terms: readonly Expr[] }
  | { readonly op: "mul"; readonly factors: readonly Expr[] }
  | { readonly op: "pow"; readonly base: Expr; readonly exponent: Expr }
  | { readonly op: "call"; readonly arg: Expr }
  | { readonly op: "matmul"; readonly factors: readonly Expr[] }
  | { readonly op: "transpose" | "sum" | "diag"; readonly arg: Expr }
  | { readonly op: "det" | "inv"; readonly arg: Expr }
  | { readonly op: "extremum"; readonly arg: Expr; readonly fn: "max" | "min" }
  | { readonly op: "softmax" | "rowSoftmax" | "colSoftmax"; readonly arg: Expr };

/** The sweep meets an operator it has no rule for; the index form serves instead. */
export class NoReverseRule extends Error {}

/** The argument u of exp(u), seen through a definition E = exp(u). */
function expArg(e: Expr, program: Program): Expr | undefined {
  const body = e.kind === "sym" ? (program.defs.get(e.name)?.expr ?? e) : e;
  return body.kind === "call" && body.fn === "exp" ? body.arg : undefined;
}

/** Recognizes the softmax forms: exp(u)*sum(exp(u))^-1, and E ./ (E*ones(t,t)) by rows or columns. */
function softmaxView(e: Expr, program: Program): View | undefined {
  if (e.kind !== "mul" || e.factors.length !== 2) return undefined;
  const [a, b] = e.factors[0]!.kind === "pow" ? [e.factors[1]!, e.factors[0]!] : [e.factors[0]!, e.factors[1]!];
  if (b.kind !== "pow" || b.exponent !== B.MINUS_ONE) return undefined;
  const u = expArg(a, program);
  if (!u) return undefined;
  const d = b.base;
  if (d.kind === "sum" && d.arg === a) return { op: "softmax", arg: u };
  if (d.kind === "matmul" && d.factors.length === 2 && d.shape === a.shape) {
    const [l, r] = d.factors;
    if (l === a && r!.kind === "num" && r!.value.num === 1n && r!.value.den === 1n) return { op: "rowSoftmax", arg: u };
    if (r === a && l!.kind === "num" && l!.value.num === 1n && l!.value.den === 1n) return { op: "colSoftmax", arg: u };
  }
  return undefined;
}

export function viewOf(e: Expr, program: Program): View {
  switch (e.kind) {
    case "num":
    case "eye":
      return { op: "leaf" };
    case "sym": {
      const def = program.defs.get(e.name);
      return def ? { op: "def", body: def.expr } : { op: "leaf" };
    }
    case "add":
      return { op: "add", terms: e.terms };
    case "mul":
      return softmaxView(e, program) ?? { op: "mul", factors: e.factors };
    case "pow":
      return { op: "pow", base: e.base, exponent: e.exponent };
    case "call":
      return { op: "call", arg: e.arg };
    case "matmul":
      return { op: "matmul", factors: e.factors };
    case "transpose":
    case "sum":
    case "diag":
      return { op: e.kind, arg: e.arg };
    case "matfn":
      if (e.at.length > 0) throw new NoReverseRule("an index-form entry of an inverse");
      return { op: e.fn, arg: e.arg };
    case "extremum":
      return { op: "extremum", arg: e.arg, fn: e.op };
    default:
      throw new NoReverseRule(`no VJP rule for ${e.kind}`);
  }
}

export function operands(v: View): readonly Expr[] {
  switch (v.op) {
    case "leaf":
      return [];
    case "def":
      return [v.body];
    case "add":
      return v.terms;
    case "mul":
    case "matmul":
      return v.factors;
    case "pow":
      return [v.base, v.exponent];
    default:
      return [v.arg];
  }
}

