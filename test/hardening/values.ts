/**
 * Random values for the names of a program (fast-check), for the evaluation and
 * derivative fuzzers: every declared value and undeclared scalar gets a value of the
 * declared shape at random sizes, with numbers from ordinary to extreme (0, ±1e308,
 * subnormals, large arguments of exp, sometimes NaN and ±Infinity as an API user may
 * pass). `spoiled` bindings are then damaged: a value dropped, one of the wrong shape,
 * a size bound directly (sometimes wrongly), a name the program does not have, a value
 * for a definition.
 */
import fc from "fast-check";
import type { Program } from "../../src/core/program.js";
import type { Size } from "../../src/core/shape.js";
import type { Binding } from "../../src/eval/evaluate.js";
import type { Value } from "../../src/eval/value.js";

const ORDINARY = fc.double({ min: -3, max: 3, noNaN: true });
const EXTREME = fc.constantFrom(0, -0, 1, -1, 0.5, 2, 1e308, -1e308, 1e-308, 5e-324, 710, -710, 1e16, 3.5);
const NOT_FINITE = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

/** A number: mostly ordinary, sometimes extreme, rarely not finite (when allowed). */
export const numberArb = (finite: boolean): fc.Arbitrary<number> =>
  finite
    ? fc.oneof({ arbitrary: ORDINARY, weight: 6 }, { arbitrary: EXTREME, weight: 2 })
    : fc.oneof({ arbitrary: ORDINARY, weight: 6 }, { arbitrary: EXTREME, weight: 2 }, { arbitrary: NOT_FINITE, weight: 1 });

/** The most entries a test value has: a declared size beyond it gets a 1×1 value (a shape error). */
const MAX_TEST_ENTRIES = 10_000;

/** Fills a value of the given size from a stream of numbers. */
function valueOf(rows: number, cols: number, numbers: readonly number[]): Value {
  if (rows * cols > MAX_TEST_ENTRIES) return valueOf(1, 1, numbers);
  const data = new Float64Array(rows * cols);
  for (let k = 0; k < data.length; k++) data[k] = numbers[k % numbers.length]!;
  return { rows, cols, data };
}

export interface BindingOptions {
  /** Only finite numbers (as `--at` can give). */
  readonly finite?: boolean;
  /** Damage the bindings (see the file comment). */
  readonly spoil?: boolean;
}

type Spoil = "drop" | "reshape" | "size" | "wrongSize" | "stranger" | "definition";

/** Random bindings for a program (see the file comment). */
export function bindingsFor(program: Program, options: BindingOptions = {}): fc.Arbitrary<Map<string, Binding>> {
  const sizeNames = [...program.sizes.keys()];
  return fc
    .record({
      sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: sizeNames.length, maxLength: sizeNames.length }),
      numbers: fc.array(numberArb(options.finite ?? true), { minLength: 1, maxLength: 24 }),
      spoils: options.spoil ? fc.array(fc.constantFrom<Spoil>("drop", "reshape", "size", "wrongSize", "stranger", "definition"), { minLength: 1, maxLength: 2 }) : fc.constant([] as Spoil[]),
      pickAt: fc.nat(),
    })
    .map(({ sizes, numbers, spoils, pickAt }) => {
      const sizeOf = new Map(sizeNames.map((n, k) => [n, sizes[k]!]));
      const dim = (s: Size): number => (typeof s === "number" ? s : sizeOf.get(s)!);
      const out = new Map<string, Binding>();
      for (const [name, decl] of program.decls) out.set(name, { value: valueOf(dim(decl.shape.rows), dim(decl.shape.cols), numbers) });
      for (const name of program.uses.keys())
        if (!program.decls.has(name) && !program.defs.has(name) && !program.sizes.has(name)) out.set(name, { value: valueOf(1, 1, numbers) });
      const names = [...out.keys()];
      const victim = names.length > 0 ? names[pickAt % names.length]! : undefined;
      for (const s of spoils) {
        if (s === "drop" && victim) out.delete(victim);
        if (s === "reshape" && victim) out.set(victim, { value: valueOf(1 + (pickAt % 3), 1 + (pickAt % 2), numbers) });
        if (s === "size" && sizeNames.length > 0) out.set(sizeNames[pickAt % sizeNames.length]!, { value: valueOf(1, 1, [sizes[0]!]) });
        if (s === "wrongSize" && sizeNames.length > 0) out.set(sizeNames[pickAt % sizeNames.length]!, { value: valueOf(1, 1, [[0, -1, 2.5, 1e10, Number.NaN][pickAt % 5]!]) });
        if (s === "stranger") out.set(["zz", "__proto__", "constructor", "n"][pickAt % 4]!, { value: valueOf(1, 1, numbers) });
        if (s === "definition" && program.defs.size > 0) out.set([...program.defs.keys()][0]!, { value: valueOf(1, 1, numbers) });
      }
      return out;
    });
}
