/**
 * The numeric oracle for derivations: every step's claim (src/derive/model.ts) checked
 * at random values — both sides of an identity evaluated at every value of its free
 * indices, each ∂of/∂x[a] = rhs against central finite differences of `of`, and each
 * matrix form against the index form entry by entry. Independent of how the steps were
 * found: it only evaluates.
 */
import * as B from "../../src/core/build.js";
import { children, type Expr, type Index } from "../../src/core/expr.js";
import type { Program } from "../../src/core/program.js";
import type { Size } from "../../src/core/shape.js";
import type { Claim, Step } from "../../src/derive/model.js";
import { bindProgram, type Binding } from "../../src/eval/bind.js";
import { evaluate, evaluateAt, type Env } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";
import { rngFrom } from "../support/random.js";


/** Random values in [lo, hi] for every declared name and undeclared scalar, at the given sizes. */
export function randomBindings(program: Program, sizes: ReadonlyMap<string, number>, seed: number, lo = -1, hi = 1): Map<string, Binding> {
  const rng = rngFrom(seed);
  const size = (s: Size): number => (typeof s === "number" ? s : sizes.get(s)!);
  const value = (rows: number, cols: number): Value => ({ rows, cols, data: Float64Array.from({ length: rows * cols }, () => lo + (hi - lo) * rng()) });
  const out = new Map<string, Binding>();
  for (const [name, decl] of program.decls) out.set(name, { value: value(size(decl.shape.rows), size(decl.shape.cols)) });
  for (const name of program.uses.keys())
    if (!program.decls.has(name) && !program.defs.has(name) && !program.sizes.has(name)) out.set(name, { value: value(1, 1) });
  return out;
}

const close = (x: number, y: number, tolerance: number): boolean => Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x), Math.abs(y));

/** Every index the expressions leave free, with its size: read off the entries it indexes and the δs that tie it to another. */
function indexSizes(exprs: readonly Expr[], program: Program, env: Env, known: ReadonlyMap<Index, number>): Map<Index, number> {
  const sizes = new Map(known);
  const dims = (name: string): [number, number] | undefined => {
    const shape = program.decls.get(name)?.shape ?? program.defs.get(name)?.expr.shape;
    if (!shape) return undefined;
    const n = (s: Size): number => (typeof s === "number" ? s : env.sizes.get(s)!);
    return [n(shape.rows), n(shape.cols)];
  };
  const deltas: [Index, Index][] = [];
  const seen = new Set<Expr>();
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    if (e.kind === "entry") {
      const d = dims(e.name);
      if (d) {
        const bySlot = e.at.length === 2 ? d : [d[0] !== 1 ? d[0] : d[1]];
        e.at.forEach((i, k) => sizes.set(i, sizes.get(i) ?? bySlot[k]!));
      }
    } else if (e.kind === "delta") deltas.push([e.a, e.b]);
    else children(e).forEach(visit);
  };
  exprs.forEach(visit);
  for (let round = 0; round < deltas.length; round++)
    for (const [a, b] of deltas) {
      if (sizes.has(a) && !sizes.has(b)) sizes.set(b, sizes.get(a)!);
      if (sizes.has(b) && !sizes.has(a)) sizes.set(a, sizes.get(b)!);
    }
  return sizes;
}

/** Every assignment of 1-based values to the indices. */
function assignments(indices: readonly Index[], sizes: ReadonlyMap<Index, number>): Map<Index, number>[] {
  let out: Map<Index, number>[] = [new Map()];
  for (const i of indices) {
    const n = sizes.get(i);
    if (n === undefined) throw new Error(`no size for index ${i}`);
    out = out.flatMap((m) => Array.from({ length: n }, (_, k) => new Map(m).set(i, k + 1)));
  }
  return out;
}

const freeOf = (...es: Expr[]): Index[] => [...new Set(es.flatMap((e) => e.indices.filter((i) => !B.isFixedIndex(i))))].sort();

export interface ClaimContext {
  readonly program: Program;
  readonly bindings: ReadonlyMap<string, Binding>;
  /** Sizes of indices no entry shows (none needed so far). */
  readonly knownSizes?: ReadonlyMap<Index, number>;
}

/** A description of the first way the claim fails, or undefined when it holds. */
export function checkClaim(claim: Claim, ctx: ClaimContext): string | undefined {
  const env = bindProgram(ctx.program, ctx.bindings);
  switch (claim.kind) {
    case "equal": {
      if (claim.lhs.shape.rows !== 1 || claim.lhs.shape.cols !== 1) {
        const l = evaluate(claim.lhs, env);
        const r = evaluate(claim.rhs, env);
        for (let k = 0; k < l.data.length; k++) if (!close(l.data[k]!, r.data[k]!, 1e-9)) return `entry ${k}: ${l.data[k]} ≠ ${r.data[k]}`;
        return undefined;
      }
      const free = freeOf(claim.lhs, claim.rhs);
      const sizes = indexSizes([claim.lhs, claim.rhs], ctx.program, env, ctx.knownSizes ?? new Map());
      for (const at of assignments(free, sizes)) {
        const l = evaluateAt(claim.lhs, env, at);
        const r = evaluateAt(claim.rhs, env, at);
        if (!close(l, r, 1e-9)) return `at ${[...at].map(([i, v]) => `${i}=${v}`).join(",")}: ${l} ≠ ${r}`;
      }
      return undefined;
    }
    case "entries": {
      const m = evaluate(claim.matrix, env);
      const [r, c] = claim.indices;
      for (let p = 0; p < m.rows; p++)
        for (let q = 0; q < m.cols; q++) {
          const at = new Map<Index, number>();
          if (claim.indices.length === 2) at.set(r!, p + 1).set(c!, q + 1);
          else if (claim.indices.length === 1) at.set(r!, m.cols === 1 ? p + 1 : q + 1);
          const want = evaluateAt(claim.of, env, at);
          const got = m.data[p * m.cols + q]!;
          if (!close(want, got, 1e-9)) return `entry (${p + 1},${q + 1}): index form ${want} ≠ matrix form ${got}`;
        }
      return undefined;
    }
    case "derivative": {
      const x = ctx.bindings.get(claim.wrt)!.value;
      const free = freeOf(claim.of, claim.rhs, ...claim.at.map((i) => B.entry(claim.wrt, [i])));
      const sizes = indexSizes([claim.of, claim.rhs, B.entry(claim.wrt, claim.at)], ctx.program, env, ctx.knownSizes ?? new Map());
      // env with x's entry k moved by ±h
      const moved = new Map<string, Env>();
      const envAt = (k: number, h: number): Env => {
        const key = `${k}|${h}`;
        let e = moved.get(key);
        if (!e) {
          const data = Float64Array.from(x.data);
          data[k]! += h;
          e = bindProgram(ctx.program, new Map(ctx.bindings).set(claim.wrt, { value: { ...x, data } }));
          moved.set(key, e);
        }
        return e;
      };
      for (const at of assignments(free, sizes)) {
        const pos = claim.at.map((i) => at.get(i)! - 1);
        const k = pos.length === 2 ? pos[0]! * x.cols + pos[1]! : (pos[0] ?? 0);
        const h = 1e-6 * Math.max(1, Math.abs(x.data[k]!));
        const numeric = (evaluateAt(claim.of, envAt(k, h), at) - evaluateAt(claim.of, envAt(k, -h), at)) / (2 * h);
        const symbolic = evaluateAt(claim.rhs, env, at);
        if (!close(numeric, symbolic, 1e-6)) return `at ${[...at].map(([i, v]) => `${i}=${v}`).join(",")}: finite differences ${numeric}, step ${symbolic}`;
      }
      return undefined;
    }
  }
}

/** The steps whose claims fail, with why. */
export function failingSteps(steps: readonly Step[], ctx: ClaimContext): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if (!s.claim) continue;
    const why = checkClaim(s.claim, ctx);
    if (why) out.push(`${s.rule}: ${s.lhs.text} = ${s.rhs.text}\n  ${why}`);
  }
  return out;
}
