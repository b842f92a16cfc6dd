/**
 * A claim's two sides in matrix form: each derivative form (`grad(L, W1)`) replaced by
 * what derive() computes for it (src/calculus/derive.ts, which takes the backward sweep of
 * src/reverse where that is smaller). By a definition (`grad(L, net1)`) the definition is
 * cut loose as an input first — the derivative through it, the other inputs held fixed.
 */
import * as B from "../core/build.js";
import { derive, type DerivativeSpec } from "../calculus/derive.js";
import { JacobiError } from "../core/errors.js";
import { withWorkBudget, type Expr } from "../core/expr.js";
import { LIMITS } from "../core/limits.js";
import type { Claim, ClaimDerivative, Program } from "../core/program.js";
import { simplify } from "../simplify/simplify.js";

/** `e` with each sym named in `by` replaced by its expression. */
export const replaceSyms = (e: Expr, by: ReadonlyMap<string, Expr>): Expr => B.mapBottomUp(e, (x) => (x.kind === "sym" && by.has(x.name) ? by.get(x.name)! : x));

/** The program with a definition turned into a declared input of its shape. */
export function cutLoose(program: Program, name: string): Program {
  const def = program.defs.get(name);
  if (!def) return program;
  const decls = new Map(program.decls).set(name, { name, shape: def.expr.shape, span: def.span, source: def.source });
  const defs = new Map(program.defs);
  defs.delete(name);
  return { ...program, decls, defs };
}

/** The name a cotangent or tangent written as an expression is declared under while deriving. */
const DIRECTION = "__direction";

/** One derivative form in matrix form, in the program's own names. */
export function derivativeOf(program: Program, d: ClaimDerivative): Expr {
  let p = cutLoose(program, d.wrt);
  let direction: string | undefined;
  if (d.direction) {
    const named = d.direction.kind === "sym" && p.decls.get(d.direction.name)?.shape === d.direction.shape;
    direction = named ? (d.direction as Extract<Expr, { kind: "sym" }>).name : DIRECTION;
    if (!named) p = { ...p, decls: new Map(p.decls).set(DIRECTION, { name: DIRECTION, shape: d.direction.shape, span: undefined, source: undefined }) };
  }
  const spec: DerivativeSpec = { kind: d.kind, wrt: d.wrt, ...(d.kind === "vjp" ? { cotangent: direction! } : d.kind === "jvp" ? { tangent: direction! } : {}) };
  const r = derive(p, d.of, spec);
  if (!r.matrix) throw new JacobiError("unsupported", `${d.name} has no matrix form, and jacobi check compares matrix forms`);
  return direction === DIRECTION ? replaceSyms(r.matrix, new Map([[DIRECTION, d.direction!]])) : r.matrix;
}

/** A claim's sides with its derivative forms computed. */
export interface Sides {
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** Which side holds the derivative forms (the left when both or neither do). */
  readonly computed: "lhs" | "rhs";
}

const mentions = (e: Expr, names: ReadonlySet<string>): boolean => {
  let found = false;
  B.mapBottomUp(e, (x) => ((found ||= x.kind === "sym" && names.has(x.name)), x));
  return found;
};

/** The sides of a well-shaped claim, its derivative forms replaced by their matrix forms. */
export function sidesOf(program: Program, claim: Claim, sides: { readonly lhs: Expr; readonly rhs: Expr }): Sides {
  const forms = new Map(claim.derivatives.map((d) => [d.name, derivativeOf(program, d)] as const));
  const names = new Set(forms.keys());
  const computed = !mentions(sides.lhs, names) && mentions(sides.rhs, names) ? "rhs" : "lhs";
  return { lhs: replaceSyms(sides.lhs, forms), rhs: replaceSyms(sides.rhs, forms), computed };
}

/** `e` with every definition written out. */
export function inlineDefinitions(program: Program, e: Expr): Expr {
  const done = new Map<string, Expr>();
  for (const [name, def] of program.defs) done.set(name, replaceSyms(def.expr, done));
  return replaceSyms(e, done);
}

/** Does lhs − rhs simplify to zero, the definitions written out? (false when it does not, or is too much work) */
export function proves(program: Program, lhs: Expr, rhs: Expr): boolean {
  try {
    return withWorkBudget(LIMITS.maxWork / 8, "the proof of a claim", () => {
      const difference = simplify(B.add(inlineDefinitions(program, lhs), B.neg(inlineDefinitions(program, rhs))));
      return difference.kind === "num" && difference.value.num === 0n;
    });
  } catch (e) {
    if (e instanceof JacobiError && e.kind === "limit") return false;
    throw e;
  }
}

/** The definitions an expression reads, directly or through other definitions. */
export function definitionsUsed(program: Program, e: Expr): Set<string> {
  const used = new Set<string>();
  const visit = (x: Expr): void =>
    void B.mapBottomUp(x, (y) => {
      if (y.kind === "sym" && program.defs.has(y.name) && !used.has(y.name)) {
        used.add(y.name);
        visit(program.defs.get(y.name)!.expr);
      }
      return y;
    });
  visit(e);
  return used;
}
