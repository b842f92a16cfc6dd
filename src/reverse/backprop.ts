/**
 * Backprop by the sweep of sweep.ts, for many names at once: the gradients (or
 * pullbacks) in matrix form, with the shared cotangents named the way a textbook writes
 * them — `dL/dW1 = d1*x'` where `d1 = (W2'*d2) .* (1 - z1.^2)` — numbered from the
 * input side (d1 is nearest the inputs), and the same results with every name written out.
 */
import * as B from "../core/build.js";
import { JacobiError } from "../core/errors.js";
import { children as childrenOf, type Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { describeShape, SCALAR, type Shape } from "../core/shape.js";
import { forEachNode, treeSize } from "../core/traverse.js";
import { collect } from "../simplify/collect.js";
import { Sweep, type Binding } from "./sweep.js";
import { NoReverseRule } from "./view.js";

export type { Binding } from "./sweep.js";

export interface Backprop {
  /** Each name's result, written with the bound cotangents. */
  readonly named: ReadonlyMap<string, Expr>;
  /** The bound cotangents in the order they are computed (each uses only earlier ones). */
  readonly bindings: readonly Binding[];
  /** Each name's result with the cotangents written out (a DAG: shared parts are one node). */
  readonly inline: ReadonlyMap<string, Expr>;
}

/** What to pull back: the value's gradient (seed 1) or a VJP with a cotangent name. */
export interface Seed {
  readonly kind: "grad" | "vjp";
  readonly cotangent?: string;
}

/** The shape of a name differentiated by: declared, defined, or an undeclared scalar. */
export function targetShape(program: Program, name: string): Shape {
  const decl = program.decls.get(name);
  if (decl) return decl.shape;
  const def = program.defs.get(name);
  if (def) return def.expr.shape;
  if (!program.uses.has(name)) throw new JacobiError("name", `the variable '${name}' does not occur in the program`);
  return SCALAR;
}

function seedOf(program: Program, f: Expr, seed: Seed): Expr {
  if (seed.kind === "grad") {
    if (f.shape !== SCALAR) throw new JacobiError("shape", `grad needs a scalar value, not ${describeShape(f.shape)}; use jacobian or vjp`);
    return B.ONE;
  }
  const g = seed.cotangent;
  if (!g) throw new JacobiError("usage", "vjp needs a cotangent (--cotangent NAME)");
  const shape = program.decls.get(g)?.shape ?? SCALAR;
  if (shape !== f.shape) throw new JacobiError("shape", `the cotangent ${g} is ${describeShape(shape)} but the value is ${describeShape(f.shape)}`);
  return B.sym(g, shape);
}

/** Cotangent names d1, d2, … (another letter when the program uses those). */
function namer(program: Program, count: number): (k: number) => string {
  const taken = (n: string): boolean => program.decls.has(n) || program.defs.has(n) || program.sizes.has(n) || program.uses.has(n);
  for (const prefix of ["d", "g", "delta", "dd", "cot"]) {
    let free = true;
    for (let k = 1; k <= count && free; k++) free = !taken(`${prefix}${k}`);
    if (free) return (k) => `${prefix}${k}`;
  }
  return (k) => `cot$${k}`;
}

/** How often each bound name is read by the results and the other bindings. */
function readers(roots: readonly Expr[], bound: ReadonlySet<Expr>): Map<Expr, number> {
  const count = new Map<Expr, number>();
  for (const r of roots)
    forEachNode(r, (x) => {
      for (const c of x.kind === "sym" ? [] : childrenOf(x)) if (bound.has(c)) count.set(c, (count.get(c) ?? 0) + 1);
      return true;
    });
  for (const r of roots) if (bound.has(r)) count.set(r, (count.get(r) ?? 0) + 1);
  return count;
}

/** The backward sweep from the program's value to each name of `wrt` (`every`: each cotangent named). */
export function backprop(program: Program, f: Expr, wrt: readonly string[], seed: Seed, every = false): Backprop {
  const shapes = wrt.map((w) => targetShape(program, w));
  const start = seedOf(program, f, seed);
  const swept = new Sweep(program, wrt, placeholder, every).run(f, start);
  return finish(program, wrt, wrt.map((w, k) => swept.results.get(w) ?? B.num(0, shapes[k]!)), swept.bindings, every);
}

/**
 * The most nodes a result or a named cotangent may have written out: the gradient of a
 * product of hundreds of matrices has as many terms of as many factors, and is left to
 * the index form (and its work limit).
 */
const MAX_WRITTEN = 20_000;

/** A bound intermediate's name until the names d1, d2, … are given. */
export const placeholder = (k: number, shape: Shape): Expr => B.sym(`$cotangent${k}`, shape);

/**
 * Results and bindings of a sweep, finished: factored (collect), single-use bindings
 * written in place, the rest numbered d1, d2, … from the inputs, and the written-out forms.
 */
export function finish(program: Program, keys: readonly string[], raw: readonly Expr[], rawBindings: readonly Binding[], keepAll = false): Backprop {
  let bindings: Binding[] = rawBindings.map((b) => ({ ...b, expr: collect(b.expr) }));
  let results = raw.map((e) => collect(e));
  const uses = readers([...results, ...bindings.map((b) => b.expr)], new Set(bindings.map((b) => b.name)));
  const substitution = new Map<Expr, Expr>();
  const substitute = (e: Expr): Expr => (substitution.size === 0 ? e : B.mapBottomUp(e, (x) => substitution.get(x) ?? x));
  const kept: Binding[] = [];
  for (const b of bindings) {
    const expr = substitute(b.expr);
    if ((uses.get(b.name) ?? 0) <= 1 && !keepAll) substitution.set(b.name, expr);
    else kept.push({ ...b, expr });
  }
  results = results.map(substitute);
  const nameOf = namer(program, kept.length);
  const rename = new Map<Expr, Expr>(kept.map((b, k) => [b.name, B.sym(nameOf(kept.length - k), b.name.shape)]));
  const renamed = (e: Expr): Expr => (rename.size === 0 ? e : B.mapBottomUp(e, (x) => rename.get(x) ?? x));
  bindings = kept.map((b) => ({ ...b, name: rename.get(b.name)!, expr: renamed(b.expr) }));
  const named = new Map(keys.map((w, k) => [w, renamed(results[k]!)]));
  for (const e of [...named.values(), ...bindings.map((b) => b.expr)]) if (treeSize(e, MAX_WRITTEN) === Infinity) throw new NoReverseRule("a result too large to write");
  // written out: each binding replaced by its (written-out) value
  const values = new Map<Expr, Expr>();
  const writeOut = (e: Expr): Expr => (values.size === 0 ? e : B.mapBottomUp(e, (x) => values.get(x) ?? x));
  for (const b of bindings) values.set(b.name, writeOut(b.expr));
  const inline = new Map(keys.map((w) => [w, writeOut(named.get(w)!)]));
  return { named, bindings, inline };
}
