/**
 * Oracles for generated kernels:
 * - the evaluator (src/eval) at the same inputs, for every output's matrix-level value;
 * - finite differences of the differentiated value (evaluated by the evaluator), for
 *   derivative kernels — independent of derive() and of code generation.
 * Plus random inputs from a seeded generator, and comparison with tolerances.
 */
import { derive } from "../../src/calculus/derive.js";
import type { Expr } from "../../src/core/expr.js";
import type { Program } from "../../src/core/program.js";
import type { Size } from "../../src/core/shape.js";
import { bindProgram } from "../../src/eval/bind.js";
import { evaluate, type Env } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";
import type { KernelSpec } from "../../src/codegen/spec.js";
import { seeded } from "../../src/check/points.js";

/** A small deterministic generator (mulberry32). */
export const rng: (seed: number) => () => number = seeded;

/** Values of every declared name, and the sizes. */
export interface Case {
  readonly sizes: ReadonlyMap<string, number>;
  readonly values: Map<string, Float64Array>;
}

export const dims = (s: Size, sizes: ReadonlyMap<string, number>): number => (typeof s === "number" ? s : sizes.get(s)!);

/** Random sizes (1..maxSize) and values (uniform in [-scale, scale]) for a program. */
export function randomCase(program: Program, random: () => number, options: { maxSize?: number; scale?: number; sizes?: Record<string, number> } = {}): Case {
  const maxSize = options.maxSize ?? 5;
  const scale = options.scale ?? 1;
  const sizes = new Map<string, number>();
  for (const name of program.sizes.keys()) sizes.set(name, options.sizes?.[name] ?? 1 + Math.floor(random() * maxSize));
  const values = new Map<string, Float64Array>();
  for (const [name, d] of program.decls) {
    const n = dims(d.shape.rows, sizes) * dims(d.shape.cols, sizes);
    values.set(name, Float64Array.from({ length: n }, () => (2 * random() - 1) * scale));
  }
  for (const name of program.uses.keys()) {
    if (program.decls.has(name) || program.defs.has(name) || program.sizes.has(name)) continue;
    values.set(name, Float64Array.of((2 * random() - 1) * scale));
  }
  return { sizes, values };
}

/** The evaluator's environment for a case. */
export function envOf(program: Program, c: Case): Env {
  const bindings = new Map<string, { value: Value }>();
  for (const [name, data] of c.values) {
    const d = program.decls.get(name);
    const rows = d ? dims(d.shape.rows, c.sizes) : 1;
    const cols = d ? dims(d.shape.cols, c.sizes) : 1;
    bindings.set(name, { value: { rows, cols, data } });
  }
  return bindProgram(program, bindings);
}

/** The inputs object a kernel takes: every declared value (arrays or numbers) and every size. */
export function inputsOf(program: Program, c: Case, convert: (a: Float64Array) => Float64Array | Float32Array = (a) => a): Record<string, Float64Array | Float32Array | number> {
  const out: Record<string, Float64Array | Float32Array | number> = {};
  for (const [name, data] of c.values) out[name] = isArray(program, name) ? convert(data) : data[0]!;
  for (const [name, n] of c.sizes) out[name] = n;
  return out;
}

/** Declared vectors and matrices are arrays; declared and undeclared scalars are numbers. */
const isArray = (program: Program, name: string): boolean => {
  const d = program.decls.get(name);
  return d !== undefined && !(d.shape.rows === 1 && d.shape.cols === 1);
};

/** A kernel's result as arrays by output key. */
export function resultsOf(spec: KernelSpec, result: unknown): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const asArray = (v: unknown): Float64Array => (typeof v === "number" ? Float64Array.of(v) : Float64Array.from(v as ArrayLike<number>));
  if (!spec.multi) out.set(spec.outputs[0]!.key, asArray(result));
  else for (const o of spec.outputs) out.set(o.key, asArray((result as Record<string, unknown>)[o.key]));
  return out;
}

/** The evaluator's value of each output. */
export function oracleOf(spec: KernelSpec, env: Env): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const o of spec.outputs) out.set(o.key, Float64Array.from(evaluate(o.expr, env).data));
  return out;
}

/** Largest |a - b| / (1 + |b|) (NaN when one is NaN and the other not; equal infinities agree). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return NaN;
      continue;
    }
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / (1 + Math.abs(y)));
  }
  return worst;
}

/** Scale of a vector (for tolerances relative to its largest entry). */
export const magnitude = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let k = 0; k < a.length; k++) if (Number.isFinite(a[k]!)) m = Math.max(m, Math.abs(a[k]!));
  return m;
};

/** The value of `e` with one entry of `name` moved by h. */
function valueAt(program: Program, c: Case, e: Expr, name: string, k: number, h: number): Float64Array {
  const values = new Map(c.values);
  const moved = Float64Array.from(c.values.get(name)!);
  moved[k] = moved[k]! + h;
  values.set(name, moved);
  return Float64Array.from(evaluate(e, envOf(program, { sizes: c.sizes, values })).data);
}

/** ∂f_e/∂X_k by central differences: rows are f's entries, columns X's entries. */
export function finiteJacobian(program: Program, c: Case, f: Expr, name: string): Float64Array[] {
  const x = c.values.get(name)!;
  const cols: Float64Array[] = [];
  for (let k = 0; k < x.length; k++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[k]!));
    const up = valueAt(program, c, f, name, k, h);
    const down = valueAt(program, c, f, name, k, -h);
    cols.push(up.map((u, e) => (u - down[e]!) / (2 * h)));
  }
  const rows = cols[0]?.length ?? 0;
  return Array.from({ length: rows }, (_, e) => Float64Array.from(cols, (col) => col[e]!));
}

/** A derivative output computed by finite differences, in the kernel's layout. */
export function finiteDerivative(spec: KernelSpec, c: Case, key: string): Float64Array | undefined {
  const call = spec.call;
  const program = spec.program;
  if (call.op === "expr") return undefined;
  const out = spec.outputs.find((o) => o.key === key)!;
  if (out.wrt === undefined) return undefined; // the loss itself
  const w = out.wrt;
  if (call.op === "hessian") {
    const grad = derive(program, call.of, { kind: "grad", wrt: w }).matrix!;
    const J = finiteJacobian(program, c, grad, w);
    return Float64Array.from(J.flat().flatMap((row) => Array.from(row)));
  }
  const J = finiteJacobian(program, c, call.of, w);
  const fLen = J.length;
  const xLen = c.values.get(w)!.length;
  switch (call.op) {
    case "grad":
      return J[0]!;
    case "jacobian":
      return Float64Array.from(J.flatMap((row) => Array.from(row)));
    case "vjp": {
      const g = c.values.get(call.cotangent)!;
      return Float64Array.from({ length: xLen }, (_, k) => J.reduce((s, row, e) => s + g[e]! * row[k]!, 0));
    }
    case "jvp": {
      const v = c.values.get(call.tangent)!;
      return Float64Array.from({ length: fLen }, (_, e) => J[e]!.reduce((s, d, k) => s + d * v[k]!, 0));
    }
  }
}

/**
 * The (n0, n1, n2) network of examples/mlp.jacobi at four batch sizes (1 … 64): random weights
 * and a batch of x rows in [-1, 1) and y rows in [0, 1), drawn from `random` in order.
 */
export function mlpBatchCases(program: Program, random: () => number): { samples: number; c: Case }[] {
  const shapes = [
    [1, 2, 3, 3],
    [7, 5, 6, 4],
    [13, 9, 5, 3],
    [64, 11, 9, 10],
  ] as const;
  return shapes.map(([samples, n0, n1, n2]) => {
    const c = randomCase(program, random, { sizes: { n0, n1, n2 } });
    c.values.set("x", Float64Array.from({ length: samples * n0 }, () => 2 * random() - 1));
    c.values.set("y", Float64Array.from({ length: samples * n2 }, () => random()));
    return { samples, c };
  });
}
