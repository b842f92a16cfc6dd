/**
 * Gives a program its values: checks each given value against its declaration,
 * learns the sizes from the values' lengths, and evaluates the definitions in order.
 */
import { JacobiError, type Source, type Span } from "../core/errors.js";
import { checkDepth } from "../core/limits.js";
import type { Assumption, Program } from "../core/program.js";
import { describeShape, SCALAR, type Shape, type Size } from "../core/shape.js";
import { Evaluator, type Env } from "./evaluator.js";
import { describeValue, type Value } from "./value.js";

/** A given value and where its text came from (for error positions). */
export interface Binding {
  readonly value: Value;
  readonly source?: Source;
}
export type Bindings = ReadonlyMap<string, Binding>;

/** The largest size a value may bind (as in declarations). */
const MAX_SIZE = 1_000_000_000;

/** A binding error, pointing at the whole value text when it has one. */
function fail(kind: "name" | "shape" | "value", message: string, b: Binding | undefined): never {
  const span: Span | undefined = b?.source ? { start: 0, end: Math.max(1, b.source.text.length) } : undefined;
  throw new JacobiError(kind, message, span, b?.source);
}

const count = (k: number, noun: string): string => `${k} ${k === 1 ? noun : `${noun === "entry" ? "entries" : `${noun}s`}`}`;

/** Sizes learned so far, and which value each came from. */
class SizeTable {
  readonly sizes = new Map<string, number>();
  private readonly origin = new Map<string, string>();

  /** Binds the size directly (`--at n=3`). */
  give(name: string, b: Binding): void {
    const v = b.value;
    const n = v.data[0]!;
    if (v.rows !== 1 || v.cols !== 1 || !Number.isInteger(n) || n < 1 || n > MAX_SIZE)
      fail("value", `${name} is a size; give a positive whole number, not ${v.rows === 1 && v.cols === 1 ? n : describeValue(v)}`, b);
    this.sizes.set(name, n);
    this.origin.set(name, "given directly");
  }

  /** One dimension of a declared value: it must match a fixed size, or bind/agree with a size name. */
  fit(name: string, declared: Shape, size: Size, actual: number, noun: string, b: Binding): void {
    if (typeof size === "number") {
      if (actual !== size) fail("shape", `${name} has ${count(actual, noun)} but its declaration says ${describeShape(declared)}`, b);
      return;
    }
    const known = this.sizes.get(size);
    if (known === undefined) {
      if (actual > MAX_SIZE) fail("value", `${name} is too large`, b);
      this.sizes.set(size, actual);
      this.origin.set(size, `from ${name}`);
    } else if (known !== actual) fail("shape", `${name} has ${count(actual, noun)} but ${size} is ${known} (${this.origin.get(size)})`, b);
  }
}

/** How a caller binds values, for its errors and for values the program does not use. */
export interface BindOptions {
  /** How its user gives a value (the CLI: `bind it with --at x=…`), after "no value for 'x'; ". */
  readonly howToGive?: (name: string) => string;
  /** Called for a value the program does not use (otherwise that is an error). */
  readonly onUnused?: (name: string) => void;
}

const libraryWords = (name: string): string => `include ${name} in the values`;

/** The error for a value the program needs and was not given. */
function missing(program: Program, name: string, options: BindOptions, what = ""): never {
  const message = `no value for ${what}'${name}'; ${(options.howToGive ?? libraryWords)(name)}`;
  const use = program.uses.get(name);
  if (use) throw new JacobiError("name", message, use, program.source);
  const decl = program.decls.get(name);
  throw new JacobiError("name", message, decl?.span, decl?.source);
}

/** A declared value: its shape must fit the declaration; its lengths bind sizes. */
function fitDeclared(name: string, declared: Shape, b: Binding, table: SizeTable): void {
  const v = b.value;
  if (declared === SCALAR) {
    if (v.rows !== 1 || v.cols !== 1) fail("shape", `${name} is a scalar but its value is ${describeValue(v)}`, b);
    return;
  }
  if (declared.cols === 1) {
    if (v.cols !== 1) {
      const hint = v.rows === 1 ? ` (a row); give a flat list like [${Array.from(v.data.slice(0, 3)).join(", ")}${v.cols > 3 ? ", …" : ""}]` : "";
      fail("shape", `${name} is a ${describeShape(declared)} but its value is ${describeValue(v)}${hint}`, b);
    }
    table.fit(name, declared, declared.rows, v.rows, "entry", b);
    return;
  }
  table.fit(name, declared, declared.rows, v.rows, "row", b);
  table.fit(name, declared, declared.cols, v.cols, "column", b);
}

/** Binds the values and returns the evaluator that computed the definitions (to reuse its memo). */
export function bindWithEvaluator(program: Program, bindings: Bindings, options: BindOptions = {}): { env: Env; evaluator: Evaluator } {
  const table = new SizeTable();
  const values = new Map<string, Value>();
  const scalars: string[] = [];
  for (const name of program.uses.keys())
    if (!program.decls.has(name) && !program.defs.has(name) && !program.sizes.has(name)) scalars.push(name);
  const scalarSet = new Set(scalars);

  for (const [name, b] of bindings) {
    if (program.sizes.has(name)) table.give(name, b);
    else if (program.defs.has(name)) fail("name", `'${name}' is defined by the program and cannot be given a value`, b);
    else if (!program.decls.has(name) && !scalarSet.has(name)) {
      if (!options.onUnused) fail("name", `no value named '${name}' in the program`, b);
      options.onUnused(name);
    }
  }
  for (const [name, decl] of program.decls) {
    const b = bindings.get(name);
    if (!b) return missing(program, name, options);
    fitDeclared(name, decl.shape, b, table);
    values.set(name, b.value);
  }
  for (const name of scalars) {
    const b = bindings.get(name);
    if (!b) return missing(program, name, options);
    if (b.value.rows !== 1 || b.value.cols !== 1) fail("shape", `${name} is a scalar (it is not declared) but its value is ${describeValue(b.value)}`, b);
    values.set(name, b.value);
  }
  for (const name of program.sizes.keys()) if (!table.sizes.has(name)) missing(program, name, options, "size ");

  const env: Env = { values, sizes: table.sizes };
  const evaluator = new Evaluator(env);
  for (const [name, def] of program.defs) {
    checkDepth(def.expr.depth);
    values.set(name, evaluator.value(def.expr, new Map()));
  }
  for (const a of program.assumptions) checkAssumption(program, a, evaluator);
  return { env, evaluator };
}

/** How far the sides of an assumption may be apart at given values, relative to their size (rounding in the values given). */
export const ASSUMPTION_TOLERANCE = 1e-9;

/**
 * An assumption that does not hold at the given values is an error: the results were
 * written using it (`s - y` for `s*sum(y) - y`), so their values would be wrong.
 */
function checkAssumption(program: Program, a: Assumption, evaluator: Evaluator): void {
  const lhs = evaluator.value(a.lhs, new Map());
  const rhs = evaluator.value(a.rhs, new Map());
  for (let k = 0; k < lhs.data.length; k++) {
    const l = lhs.data[k]!;
    const r = rhs.data[k]!;
    if (Math.abs(l - r) <= ASSUMPTION_TOLERANCE * Math.max(1, Math.abs(l), Math.abs(r))) continue;
    const at = lhs.data.length === 1 ? "" : ` (entry ${k + 1})`;
    throw new JacobiError("value", `the assumption ${a.text} does not hold at the given values: the left side is ${l}, the right ${r}${at}`, a.span, program.source);
  }
}

/** The values a program's expressions read: given values, sizes, and definitions evaluated in order. */
export function bindProgram(program: Program, bindings: Bindings, options: BindOptions = {}): Env {
  return bindWithEvaluator(program, bindings, options).env;
}
