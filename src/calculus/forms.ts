/**
 * Names and forms a derivative is written with:
 *   indexNamesFor   the index names, fresh with respect to every name of the program
 *                   (values a, b and k1 get other indices than a, b and k1)
 *   definitionForms each definition's index form in terms of the earlier names,
 *                   s[i] = exp(x[i])/Σ_k1 exp(x[k1])
 *   namingDisplay   index expressions with definitions named where they occur
 *                   (recognition), so that a reader follows z1[k] and s[k]
 */
import * as B from "../core/build.js";
import type { Expr, Index } from "../core/expr.js";
import type { Program } from "../core/program.js";
import type { Shape } from "../core/shape.js";
import { contract } from "../indexform/contract.js";
import { Lowerer } from "../indexform/lower.js";
import { patternsOf, recognizer } from "../indexform/recognize.js";

/** The index names of one derivative: the value's rows and columns, the variable's, and the bound prefix. */
export interface IndexNames {
  readonly row: Index;
  readonly col: Index;
  readonly wrtRow: Index;
  readonly wrtCol: Index;
  /** A Hessian by a matrix: the second variable's row and column (∂²f/∂X[a,b]∂X[c,d]). */
  readonly wrtRow2: Index;
  readonly wrtCol2: Index;
  /** Bound indices are this letter and their nesting level: k1, k2, … */
  readonly bound: string;
}

/** Every name the program writes: values, definitions, sizes, undeclared scalars. */
function namesOfProgram(program: Program): Set<string> {
  return new Set([...program.decls.keys(), ...program.defs.keys(), ...program.sizes.keys(), ...program.uses.keys()]);
}

/** Letters for the value's indices and for the variable's, in order of preference. */
const VALUE_LETTERS = "ijpqrstuvw";
const VARIABLE_LETTERS = "abcdefgh";
const OTHER_LETTERS = "lmnoxyz";

/** Index names that no name of the program can be read as (i, j, a, b and k when free). */
export function indexNamesFor(program: Program): IndexNames {
  const taken = namesOfProgram(program);
  const used = new Set<string>();
  const fresh = (letters: string): Index => {
    const pick = [...letters, ...OTHER_LETTERS].find((c) => !taken.has(c) && !used.has(c)) ?? freshNumbered(letters[0]!, taken, used);
    used.add(pick);
    return pick;
  };
  const names = { row: fresh(VALUE_LETTERS), col: fresh(VALUE_LETTERS), wrtRow: fresh(VARIABLE_LETTERS), wrtCol: fresh(VARIABLE_LETTERS), wrtRow2: fresh(VARIABLE_LETTERS), wrtCol2: fresh(VARIABLE_LETTERS) };
  const levelled = (p: string): boolean => [...taken].some((n) => n.startsWith(p) && /^\d+$/.test(n.slice(p.length)));
  const bound = ["k", "m", "p", "q", "r", "t", "u", "v", "w"].find((p) => !levelled(p)) ?? "k_";
  return { ...names, bound };
}

function freshNumbered(preferred: string, taken: ReadonlySet<string>, used: ReadonlySet<string>): Index {
  for (let k = 1; ; k++) if (!taken.has(`${preferred}_${k}`) && !used.has(`${preferred}_${k}`)) return `${preferred}_${k}`;
}

/** Runs `fn` with bound indices named as `names` says. */
export const withIndexNames = <T>(names: IndexNames, fn: () => T): T => B.withBoundPrefix(names.bound, fn);

/** Index names of a value's dimensions (null for size 1). */
export const dimensionIndices = (s: Shape, row: Index, col: Index): [Index | null, Index | null] => [s.rows === 1 ? null : row, s.cols === 1 ? null : col];

export const presentIndices = (xs: readonly (Index | null)[]): Index[] => xs.filter((x): x is Index => x !== null);

export interface DefinitionForm {
  /** The definition's entry in index form, in terms of earlier names. */
  readonly rhs: Expr;
  /** Its free indices (rows, then columns). */
  readonly indices: readonly Index[];
}

/** Each definition's index form, in terms of the earlier names: s[i] = exp(x[i])/Σ_k exp(x[k]). */
export function definitionForms(program: Program, names: IndexNames = indexNamesFor(program)): Map<string, DefinitionForm> {
  return withIndexNames(names, () => {
    const lowerer = new Lowerer(program, { inline: false });
    const out = new Map<string, DefinitionForm>();
    for (const [name, def] of program.defs) {
      const [r, c] = dimensionIndices(def.expr.shape, names.row, names.col);
      out.set(name, { rhs: contract(lowerer.lower(def.expr, r, c)), indices: presentIndices([r, c]) });
    }
    return out;
  });
}

/** Index expressions with the named definitions found again by name (z1[k], s[k]); the identity for none. */
export function namingDisplay(program: Program, definitions: readonly string[], names: IndexNames = indexNamesFor(program)): (e: Expr) => Expr {
  if (definitions.length === 0) return (e) => e;
  const r = withIndexNames(names, () => recognizer(patternsOf(program, definitions)));
  return (e) => withIndexNames(names, () => r.run(e));
}
