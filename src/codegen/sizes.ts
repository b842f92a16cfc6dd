/**
 * Symbolic sizes at run time: each size is learned from an input's length
 *   x: vector(n)        n = x.length
 *   W: matrix(m, n)     m = W.length / n     (once n is known; must divide exactly)
 *   A: matrix(n, n)     n = √A.length         (must be a perfect square)
 * and every other input's length is checked against the sizes (a RangeError naming the
 * input). A size no input determines is read from the inputs object by its own name.
 * Every input is checked first: an array where an array is declared, a number for a scalar.
 */
import type { Size } from "../core/shape.js";

/** The internal size name of a batch (no user name contains `$`). */
export const BATCH = "$batch";

export interface SizedInput {
  /** The key in the inputs object (what messages call it). */
  readonly key: string;
  /** Its local variable. */
  readonly local: string;
  readonly rows: Size;
  readonly cols: Size;
}

export interface SizePlan {
  readonly lines: string[];
  /** Sizes read from the inputs object. */
  readonly given: string[];
}

/** A template literal of fixed text and code holes. */
export function template(parts: readonly (string | { readonly code: string })[]): string {
  const text = parts
    .map((p) => (typeof p === "string" ? p.replace(/[`\\]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${") : `\${${p.code}}`))
    .join("");
  return `\`${text}\``;
}

const rangeError = (parts: readonly (string | { readonly code: string })[]): string => `throw new RangeError(${template(parts)});`;

/** How a size is written in messages: `n`, `3`, or `the batch size`. */
const sizeWord = (s: Size): string => (s === BATCH ? "B" : `${s}`);

/** `vector(n)`, `matrix(m, n)`, or `B rows of vector(n)` for a batched input. */
function shapeWord(inp: SizedInput): string {
  if (inp.rows === BATCH) return inp.cols === 1 ? "one number per sample" : `one row of ${sizeWord(inp.cols)} per sample`;
  if (inp.cols === 1) return `vector(${sizeWord(inp.rows)})`;
  return `matrix(${sizeWord(inp.rows)}, ${sizeWord(inp.cols)})`;
}

/** A missing or loose input (k({ x: 5 }), no a at all) is a RangeError naming it, not an empty or NaN result. */
function inputKindChecks(kernel: string, inputs: readonly SizedInput[], scalars: readonly string[]): string[] {
  const lines: string[] = [];
  for (const inp of inputs)
    lines.push(`if (typeof ${inp.local} !== "object" || ${inp.local} === null || typeof ${inp.local}.length !== "number") ${rangeError([`${kernel}: ${inp.key} must be an array of numbers (${shapeWord(inp)}), not `, { code: `${inp.local} === null ? "null" : typeof ${inp.local}` }])}`);
  for (const a of scalars) lines.push(`if (typeof ${a} !== "number") ${rangeError([`${kernel}: ${a} must be a number, not `, { code: `typeof ${a}` }])}`);
  return lines;
}

/**
 * The statements that bind every size and check every input's length.
 * @param sizeLocal the local variable of a size name
 * @param needed sizes the kernel uses (beyond those of its inputs)
 */
export function planSizes(kernel: string, inputs: readonly SizedInput[], needed: ReadonlySet<string>, sizeLocal: (name: string) => string, scalars: readonly string[] = []): SizePlan {
  const lines = inputKindChecks(kernel, inputs, scalars);
  const given: string[] = [];
  const origin = new Map<string, string>();
  const checked = new Set<SizedInput>();
  const code = (s: Size): string => (typeof s === "number" ? `${s}` : sizeLocal(s));
  const known = (s: Size): boolean => typeof s === "number" || origin.has(s);
  const learn = (): void => {
    for (let progress = true; progress; ) {
      progress = false;
      for (const inp of inputs) {
        if (checked.has(inp)) continue;
        const { rows, cols } = inp;
        const len = `${inp.local}.length`;
        if (rows === cols && typeof rows === "string" && !known(rows)) {
          // A: matrix(n, n)
          const n = sizeLocal(rows);
          lines.push(
            `const ${n} = Math.round(Math.sqrt(${len}));`,
            `if (${n} < 1 || ${n} * ${n} !== ${len}) ${rangeError([`${kernel}: ${inp.key} has length `, { code: len }, `, which is not the square of a positive whole number (${inp.key}: ${shapeWord(inp)})`])}`,
          );
          origin.set(rows, `from ${inp.key}`);
          checked.add(inp);
          progress = true;
          continue;
        }
        const unknown = [rows, cols].filter((s): s is string => !known(s));
        if (unknown.length !== 1) continue;
        const u = unknown[0]!;
        const other = rows === u ? cols : rows;
        const n = sizeLocal(u);
        if (other === 1) {
          lines.push(`const ${n} = ${len};`, `if (${n} < 1) ${rangeError([`${kernel}: ${inp.key} is empty`])}`);
        } else {
          lines.push(
            `const ${n} = ${len} / ${code(other)};`,
            `if (!Number.isInteger(${n}) || ${n} < 1) ${rangeError([`${kernel}: ${inp.key} has length `, { code: len }, `, which is not a positive multiple of ${sizeWord(other)} = `, { code: code(other) }, ` (${inp.key}: ${shapeWord(inp)})`])}`,
          );
        }
        origin.set(u, `from ${inp.key}`);
        checked.add(inp);
        progress = true;
      }
    }
  };
  learn();
  // sizes nothing determines: given by name (one at a time, since each may unlock others)
  for (;;) {
    // the spec's own size names first: callers know those; the batch size comes from a length
    const unknown = [...inputs.flatMap((i) => [i.rows, i.cols]), ...needed].filter((s): s is string => typeof s === "string" && !known(s));
    const missing = unknown.find((s) => s !== BATCH) ?? unknown[0];
    if (missing === undefined) break;
    const n = sizeLocal(missing);
    given.push(missing);
    const what = missing === BATCH ? `batch size ${n}` : `size ${missing}`;
    lines.push(`if (!Number.isInteger(${n}) || ${n} < 1) ${rangeError([`${kernel}: the ${what} must be a positive whole number, not `, { code: n }])}`);
    origin.set(missing, "given");
    learn();
  }
  for (const inp of inputs) {
    if (checked.has(inp)) continue;
    const expected = inp.cols === 1 ? code(inp.rows) : inp.rows === 1 ? code(inp.cols) : `${code(inp.rows)} * ${code(inp.cols)}`;
    const len = `${inp.local}.length`;
    const sizes = [inp.rows, inp.cols].filter((s): s is string => typeof s === "string");
    lines.push(
      `if (${len} !== ${expected}) ${rangeError([
        `${kernel}: ${inp.key} has length `,
        { code: len },
        `, but it must have `,
        { code: expected },
        ` entries (${inp.key}: ${shapeWord(inp)}${sizes.length > 0 ? ", " : ""}`,
        ...whyParts(sizes, sizeLocal, origin),
        ")",
      ])}`,
    );
  }
  return { lines, given };
}

/** `n = 4 from x, m = 3 from W` as template parts. */
function whyParts(sizes: readonly string[], sizeLocal: (name: string) => string, origin: ReadonlyMap<string, string>): (string | { code: string })[] {
  const parts: (string | { code: string })[] = [];
  sizes.forEach((s, k) => {
    if (k > 0) parts.push(", ");
    parts.push(`${sizeWord(s)} = `, { code: sizeLocal(s) }, ` ${origin.get(s)}`);
  });
  return parts;
}
