/**
 * Random derivative requests that mostly make sense, so that the fuzzers reach the
 * calculus instead of stopping at "grad needs a scalar value": a program that reads
 * (`wellShapedProgram`) with a tangent `d_w` declared for every variable `w` and a
 * cotangent `g_…` for every shape a value can have; then a kind and a `--wrt` that fit
 * the value's shape (four times in five) or any kind by any name (once in five).
 */
import fc from "fast-check";
import type { DerivativeKind, DerivativeSpec } from "../../src/calculus/derive.js";
import type { Program } from "../../src/core/program.js";
import { SCALAR, type Shape } from "../../src/core/shape.js";
import { parseProgram } from "../../src/parse/parse.js";
import { wellShapedProgram } from "./programs.js";

/** Tangents shaped like each declared variable of `wellShapedProgram`, cotangents of every shape it makes. */
export const CALCULUS_DECLS = [
  "d_a: scalar",
  "d_b: scalar",
  "d_c: scalar",
  "d_x: vector(n)",
  "d_y: vector(n)",
  "d_A: matrix(n,n)",
  "d_W: matrix(m,n)",
  "g_s: scalar",
  "g_n: vector(n)",
  "g_r: matrix(1,n)",
  "g_nn: matrix(n,n)",
  "g_mn: matrix(m,n)",
  "g_nm: matrix(n,m)",
  "g_2: vector(2)",
  "g_22: matrix(2,2)",
  "g_12: matrix(1,2)",
  "",
].join("\n");

const VARIABLES = ["a", "b", "c", "x", "y", "A", "W"] as const;
const KINDS: readonly DerivativeKind[] = ["diff", "grad", "jacobian", "hessian", "jvp", "vjp"];
const ODD_WRT = ["s", "n", "zz", "d_x", "g_s"];

/** Does this kind of derivative apply to a value of shape `f` by a variable of shape `x`? */
export function fits(kind: DerivativeKind, f: Shape, x: Shape): boolean {
  switch (kind) {
    case "diff":
      return x === SCALAR;
    case "grad":
      return f === SCALAR;
    case "jacobian":
      return f.cols === 1 && x.cols === 1;
    case "hessian":
      return f === SCALAR && x.cols === 1;
    case "jvp":
    case "vjp":
      return true;
  }
}

function cotangentFor(program: Program, s: Shape): string {
  for (const [name, d] of program.decls) if (name.startsWith("g_") && d.shape === s) return name;
  return "g_s";
}

/** A spec for the program: one that fits when `sensible` and one exists, else the raw choice. */
function specFor(program: Program, sensible: boolean, pick: number, rawKind: DerivativeKind, rawWrt: string): DerivativeSpec {
  const f = program.subject?.shape ?? SCALAR;
  const fitting: [DerivativeKind, string][] = [];
  for (const kind of KINDS) for (const w of VARIABLES) if (fits(kind, f, program.decls.get(w)!.shape)) fitting.push([kind, w]);
  const [kind, wrt] = sensible && fitting.length > 0 ? fitting[pick % fitting.length]! : [rawKind, rawWrt];
  if (kind === "jvp") return { kind, wrt, tangent: `d_${wrt}` };
  if (kind === "vjp") return { kind, wrt, cotangent: cotangentFor(program, f) };
  return { kind, wrt };
}

export interface CalculusCase {
  readonly text: string;
  readonly spec: DerivativeSpec;
}

/** Every size name replaced by a number (n = 2, m = 3), for the element-wise view. */
export const concreteSizes = (text: string): string => text.replace(/\bn\b/g, "2").replace(/\bm\b/g, "3");

/** A program that reads and a derivative to take of it (see the file comment). */
export function calculusCase(options: { maxDepth?: number; concrete?: boolean } = {}): fc.Arbitrary<CalculusCase> {
  return fc
    .tuple(wellShapedProgram(options.maxDepth ?? 3), fc.nat({ max: 4 }), fc.nat(), fc.constantFrom(...KINDS), fc.constantFrom(...VARIABLES, ...ODD_WRT))
    .map(([body, sensible, pick, kind, wrt]) => {
      const text = options.concrete ? concreteSizes(CALCULUS_DECLS + body) : CALCULUS_DECLS + body;
      return { text, spec: specFor(parseProgram(text), sensible > 0, pick, kind, wrt) };
    });
}

/** The command line of a case: `KIND PROGRAM --wrt W [--tangent T | --cotangent G]`. */
export function caseArgv(c: CalculusCase): string[] {
  const argv = [c.spec.kind, c.text, "--wrt", c.spec.wrt];
  if (c.spec.tangent) argv.push("--tangent", c.spec.tangent);
  if (c.spec.cotangent) argv.push("--cotangent", c.spec.cotangent);
  return argv;
}
