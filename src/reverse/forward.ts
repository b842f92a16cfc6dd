/**
 * Forward mode at matrix level, for JVPs: the tangent u̇ of every node the value reaches
 * from the name differentiated by, children before parents, by the rules of rules.ts.
 * A tangent read by two or more nodes is bound to a name, as the cotangents of the
 * backward sweep are; each node is visited once, so the work is linear in the program.
 */
import * as B from "../core/build.js";
import { JacobiError } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { describeShape } from "../core/shape.js";
import { derivativeOf } from "../diff/rules.js";
import { finish, placeholder, targetShape, type Backprop, type Binding } from "./backprop.js";
import { callRule, JVP, VJP } from "./rules.js";
import { operands, viewOf, type View } from "./view.js";

/** Is this tangent cheap enough to write wherever it is read? */
const trivial = (e: Expr): boolean => e.kind === "sym" || e.kind === "num" || (e.kind === "transpose" && e.arg.kind === "sym");

/** The JVP of the program's value f by `wrt` along the tangent named `tangent`. */
export function pushForward(program: Program, f: Expr, wrt: string, tangent: string): Backprop {
  const shape = targetShape(program, wrt);
  const vShape = program.decls.get(tangent)?.shape;
  if (!vShape) throw new JacobiError("name", `the tangent '${tangent}' does not occur in the program`);
  if (vShape !== shape) throw new JacobiError("shape", `the tangent ${tangent} is ${describeShape(vShape)} but ${wrt} is ${describeShape(shape)}`);
  const views = new Map<Expr, View>();
  const view = (e: Expr): View => views.get(e) ?? (views.set(e, viewOf(e, program)), views.get(e)!);
  const names = new Map<Expr, Expr>();
  for (const [name, def] of program.defs) if (!names.has(def.expr)) names.set(def.expr, B.sym(name, def.expr.shape));
  const named = (e: Expr): Expr => B.mapBottomUp(e, (x) => names.get(x) ?? x);
  // post-order (children first) of the nodes, with how many nodes read each
  const dots = new Map<Expr, Expr | undefined>();
  const readers = new Map<Expr, number>();
  const post: Expr[] = [];
  const stack: { e: Expr; next: number }[] = [{ e: f, next: 0 }];
  const seen = new Set<Expr>([f]);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const kids = top.e.kind === "sym" && top.e.name === wrt ? [] : operands(view(top.e));
    if (top.next < kids.length) {
      const k = kids[top.next++]!;
      readers.set(k, (readers.get(k) ?? 0) + 1);
      if (!seen.has(k)) {
        seen.add(k);
        stack.push({ e: k, next: 0 });
      }
      continue;
    }
    post.push(top.e);
    stack.pop();
  }
  const bindings: Binding[] = [];
  for (const e of post) {
    let dot = e.kind === "sym" && e.name === wrt ? B.sym(tangent, shape) : tangentOf(e, view(e), (k) => dots.get(k), named);
    if (dot && (readers.get(e) ?? 0) >= 2 && !trivial(dot)) {
      const name = placeholder(bindings.length + 1, dot.shape);
      bindings.push({ name, expr: dot });
      dot = name;
    }
    dots.set(e, dot);
  }
  const result = dots.get(f) ?? B.num(0, f.shape);
  return finish(program, [wrt], [result.shape === f.shape ? result : B.mul(result, B.num(1, f.shape))], bindings);
}

/** u̇ of a node from its operands' tangents (undefined: the node does not depend on the variable). */
function tangentOf(e: Expr, v: View, dotOf: (e: Expr) => Expr | undefined, named: (e: Expr) => Expr): Expr | undefined {
  const parts: Expr[] = [];
  const each = (list: readonly Expr[], make: (dot: Expr, k: number) => Expr): void =>
    list.forEach((x, k) => {
      const d = dotOf(x);
      if (d) parts.push(make(d, k));
    });
  switch (v.op) {
    case "leaf":
      return undefined;
    case "def":
      return dotOf(v.body);
    case "add":
      each(v.terms, (d) => d);
      return parts.length > 0 ? JVP.add(parts) : undefined;
    case "mul":
      each(v.factors, (d, k) => JVP.mulFactor(d, [named(B.mulAll(v.factors.filter((_, j) => j !== k)))]));
      break;
    case "pow": {
      const db = dotOf(v.base);
      const de = dotOf(v.exponent);
      if (db) parts.push(JVP.powBase(db, named(v.base), named(v.exponent)));
      if (de) parts.push(JVP.powExponent(de, named(e), named(v.base)));
      break;
    }
    case "call": {
      const d = dotOf(v.arg);
      return d && e.kind === "call" ? callRule(named(derivativeOf(e.fn, v.arg)), d) : undefined;
    }
    case "matmul":
      each(v.factors, (d, k) => JVP.matmulFactor(d, v.factors.slice(0, k).map(named), v.factors.slice(k + 1).map(named)));
      break;
    case "transpose":
    case "sum":
    case "diag": {
      const d = dotOf(v.arg);
      return d && JVP[v.op](d);
    }
    case "det":
    case "inv": {
      const d = dotOf(v.arg);
      return d && JVP[v.op](d, named(e), named(v.arg));
    }
    case "softmax":
    case "rowSoftmax":
    case "colSoftmax": {
      const d = dotOf(v.arg);
      return d && VJP[v.op](d, named(e));
    }
    case "extremum": {
      const d = dotOf(v.arg);
      return d && JVP.extremum(d, named(v.arg), named(e), v.fn);
    }
  }
  return parts.length > 0 ? B.addAll(parts) : undefined;
}
