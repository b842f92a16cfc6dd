/**
 * Canonical builders: the only way to make expressions. They do the cheap,
 * always-right things and no more: flatten and order `+` and `*`, fold numeric
 * constants, combine like terms and powers of one base, drop `+0`, `*1`, `^1`,
 * pull scalars out of matrix products and sums, push transposes to the leaves.
 * Everything else is the simplifier's job. The builders are three files, each importing
 * only those before it: build-arith.ts (leaves and arithmetic), build-structure.ts
 * (matrix structure), build-index.ts (index form and rebuild); this file gathers them.
 */
export * from "./build-arith.js";
export * from "./build-structure.js";
export * from "./build-index.js";
