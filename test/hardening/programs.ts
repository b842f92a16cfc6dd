/**
 * Random program text for the hardening fuzzers (fast-check arbitraries).
 *
 * - `programText`: grammar-aware programs — declarations (good and bad types and
 *   sizes), definitions, `kernel` statements and a final expression with every
 *   operator, every function, calls of unknown names, literals, transposes, numbers of
 *   every written form — joined by every kind of separator and comment. With
 *   `mistakes`, 1–3 edits are spliced in: a token or an odd character inserted, a range
 *   deleted or duplicated, the text cut short.
 * - `rawText`: strings with no grammar: any code points (lone surrogates too), ASCII
 *   with control characters, soups of the language's own characters and tokens.
 * - `wellShapedProgram`: programs that read (declarations of `test/arbitrary.ts` and
 *   a printed well-shaped expression, sometimes through a definition), for evaluation
 *   and differentiation.
 */
import fc from "fast-check";
import { FUNCTIONS, type Expr } from "../../src/core/expr.js";
import { SCALAR, shape } from "../../src/core/shape.js";
import { toText } from "../../src/print/text.js";
import { DECLS, exprOfShape, matrixExpr } from "../arbitrary.js";

/** Names that are special in JavaScript; in jacobi they are ordinary names. */
export const SPECIAL_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "isPrototypeOf", "__defineGetter__", "then", "length"] as const;

export const STRUCTURE_CALLS = ["sqrt", "sum", "diag", "eye", "ones", "zeros"] as const;
export const KERNEL_OPS = ["jacobian", "grad", "hessian", "vjp", "jvp"] as const;

/** Names a program mostly uses. */
const COMMON_NAMES = [..."a b c x y u v W A B G g n m k T i j s z".split(" "), "x1", "W_2", "_", "alpha", ...SPECIAL_NAMES];
/** Words of the language used as names: mostly mistakes. */
const ODD_NAMES = ["scalar", "vector", "matrix", "kernel", "exp", "sum", "eye", "grad", "sign", "ones"];
const NAMES = [...COMMON_NAMES, ...ODD_NAMES];
const nameArb: fc.Arbitrary<string> = fc.oneof({ arbitrary: fc.constantFrom(...COMMON_NAMES), weight: 12 }, { arbitrary: fc.constantFrom(...ODD_NAMES), weight: 1 });

const GOOD_SIZES = ["n", "m", "k", "1", "2", "3"];
const BAD_SIZES = ["0", "-1", "2.5", "1e3", "x", "n+1", "", "1000000000", "1000000001", "1e9", "T", "__proto__", "(n)", "-n"];
const sizeArb: fc.Arbitrary<string> = fc.oneof({ arbitrary: fc.constantFrom(...GOOD_SIZES), weight: 10 }, { arbitrary: fc.constantFrom(...BAD_SIZES), weight: 1 });

const NUMBERS = [
  "0",
  "1",
  "2",
  "3",
  "10",
  "0.5",
  ".5",
  "2.",
  "0.2",
  "007",
  "1e3",
  "1E-3",
  "2.5e+2",
  "1e308",
  "1e309",
  "1e-400",
  "1e399",
  "123456789012345678901234567890",
  "0.000000000000000000000000000001",
];

const BINARY_OPS = ["+", "-", "*", "/", ".*", "./", "^", ".^"];
const UNARY_OPS = ["-", "+"];
const POSTFIX_OPS = ["'", "^T", "''"];
const CALLEES = [...FUNCTIONS, ...STRUCTURE_CALLS, ...KERNEL_OPS, "foo", "Exp", "expp", "vector", "matrix", "scalar", "x", "W", "__proto__", "constructor"];

const SEPARATORS = [";", "\n", "; ", "\r\n", "\n\n", " # a comment\n", ";\n", "\n# ; ( [ \n", ";;"];

/** Characters and tokens spliced in as mistakes, and the alphabet of the soups. */
export const ODDITIES = [
  // the language's own tokens
  ...BINARY_OPS,
  "'",
  "(",
  ")",
  "[",
  "]",
  ",",
  ":",
  "=",
  ";",
  "#",
  "\n",
  "^T",
  ".",
  "..",
  "e",
  "E+",
  "kernel",
  "vector(",
  "matrix(",
  "scalar",
  "sum(",
  "diag(",
  "eye(",
  "1e",
  "2.e3",
  "0x1F",
  "1_000",
  // look-alikes people paste from documents
  "\u2212",
  "\u2013",
  "\u00d7",
  "\u00b7",
  "\u22c5",
  "\u00f7",
  "\u2019",
  "\u2018",
  "\u2032",
  "\u201c",
  "\u00a0",
  "\uff08",
  "\uff09",
  "\uff0b",
  "\uff11",
  "\u03b1",
  "\u0445", // Cyrillic х
  "\u0301", // combining acute accent
  "\u200b", // zero-width space
  "\ufeff", // byte-order mark
  "\u2028",
  "\u2029",
  "\u{1F600}",
  "\ud800", // a lone surrogate
  "\udfff",
  // control characters
  "\u0000",
  "\u0007",
  "\u0008",
  "\u001b[31m",
  "\t",
  "\r",
  "\u000b",
  "\u000c",
  "\u007f",
  "\u0085",
  // other ASCII punctuation
  ..."\\\"`$@!?{}|&%~<>".split(""),
];

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const space = pick(["", " ", "  "]);

export interface ExprTextOptions {
  readonly maxDepth?: number;
  readonly names?: readonly string[];
}

/** Expressions with every operator, function, literal form and number form. */
export function exprText(options: ExprTextOptions = {}): fc.Arbitrary<string> {
  const maxDepth = options.maxDepth ?? 4;
  const leaf = fc.oneof({ arbitrary: options.names ? pick(options.names) : nameArb, weight: 3 }, { arbitrary: pick(NUMBERS), weight: 2 });
  const { expr } = fc.letrec<{ expr: string }>((tie) => {
    const sub = tie("expr");
    return {
      expr: fc.oneof(
        { maxDepth, depthIdentifier: "expr" },
        { arbitrary: leaf, weight: 4 },
        { arbitrary: fc.tuple(sub, space, pick(BINARY_OPS), space, sub).map((p) => p.join("")), weight: 5 },
        { arbitrary: fc.tuple(pick(UNARY_OPS), sub).map(([op, e]) => `${op}${e}`), weight: 1 },
        { arbitrary: fc.tuple(sub, pick(POSTFIX_OPS)).map(([e, op]) => `${e}${op}`), weight: 1 },
        { arbitrary: fc.tuple(pick(CALLEES), sub).map(([f, arg]) => `${f}(${arg})`), weight: 3 },
        { arbitrary: fc.tuple(pick(CALLEES), fc.array(sub, { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(", ")})`), weight: 1 },
        { arbitrary: sub.map((e) => `(${e})`), weight: 2 },
        { arbitrary: fc.array(sub, { maxLength: 3 }).map((items) => `[${items.join(", ")}]`), weight: 1 },
        {
          arbitrary: fc
            .array(fc.array(sub, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
            .map((rows) => `[${rows.map((r) => `[${r.join(", ")}]`).join(", ")}]`),
          weight: 1,
        },
      ),
    };
  });
  return expr;
}

/** A declaration's type, right or wrong. */
export const typeText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant("scalar"), weight: 2 },
  { arbitrary: sizeArb.map((s) => `vector(${s})`), weight: 4 },
  { arbitrary: fc.tuple(sizeArb, sizeArb).map(([r, c]) => `matrix(${r}, ${c})`), weight: 4 },
  { arbitrary: pick(["vector", "vector()", "matrix(2)", "vector(n, m)", "tensor(2)", "scalar(1)", "exp(x)", "matrix(n,n,n)", "vector((n))", "vector(-n)"]), weight: 1 },
);

export interface ProgramTextOptions {
  /** Splice 1–3 random edits into the text. */
  readonly mistakes?: boolean;
  readonly maxDepth?: number;
}

const statements = (maxDepth: number): fc.Arbitrary<string[]> => {
  const e = exprText({ maxDepth });
  const decl = fc.tuple(nameArb, space, typeText).map(([n, s, t]) => `${n}:${s}${t}`);
  const def = fc.tuple(nameArb, space, e).map(([n, s, v]) => `${n}${s}=${s}${v}`);
  const kernel = fc.tuple(pick(["g", "k1", "f"]), e).map(([n, v]) => `kernel ${n} = ${v}`);
  const last = fc.oneof({ arbitrary: e, weight: 6 }, { arbitrary: def, weight: 2 }, { arbitrary: kernel, weight: 1 }, { arbitrary: decl, weight: 1 });
  return fc
    .tuple(fc.array(decl, { maxLength: 4 }), fc.array(def, { maxLength: 3 }), last)
    .map(([ds, fs, l]) => [...ds, ...fs, l]);
};

/** Joins statements with random separators (and sometimes a leading or trailing one). */
const joined = (parts: fc.Arbitrary<string[]>): fc.Arbitrary<string> =>
  fc
    .tuple(parts, fc.array(pick(SEPARATORS), { minLength: 12, maxLength: 12 }), fc.boolean(), fc.boolean())
    .map(([ss, seps, lead, trail]) => (lead ? seps[11]! : "") + ss.map((s, k) => (k === 0 ? s : seps[k % 11]! + s)).join("") + (trail ? seps[10]! : ""));

interface Edit {
  readonly kind: "insert" | "delete" | "duplicate" | "truncate" | "replace";
  readonly at: number;
  readonly length: number;
  readonly text: string;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: pick(["insert", "insert", "delete", "duplicate", "truncate", "replace"] as const),
  at: fc.nat({ max: 10_000 }),
  length: fc.integer({ min: 1, max: 6 }),
  text: pick(ODDITIES),
});

/** Applies an edit at a position taken modulo the text's length. */
export function applyEdit(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  switch (e.kind) {
    case "insert":
      return text.slice(0, at) + e.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + e.length);
    case "duplicate":
      return text.slice(0, at + e.length) + text.slice(at, at + e.length) + text.slice(at + e.length);
    case "truncate":
      return text.slice(0, at);
    case "replace":
      return text.slice(0, at) + e.text + text.slice(at + 1);
  }
}

/** Grammar-aware random programs (see the file comment). */
export function programText(options: ProgramTextOptions = {}): fc.Arbitrary<string> {
  const text = joined(statements(options.maxDepth ?? 3));
  if (!options.mistakes) return text;
  return fc.tuple(text, fc.array(editArb, { minLength: 1, maxLength: 3 })).map(([t, edits]) => edits.reduce(applyEdit, t));
}

/** Strings with no grammar (see the file comment). */
export const rawText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 60 }),
  fc.string({ unit: pick([..."()[]+-*/^.'=:;,#\n \t\r0123456789eExyTWn_".split("")]), maxLength: 60 }),
  fc.array(pick([...ODDITIES, ...NAMES, ...NUMBERS, ...CALLEES.map((c) => `${c}(`)]), { maxLength: 30 }).map((ts) => ts.join("")),
  fc.array(pick([...ODDITIES, ...NAMES, ...NUMBERS]), { maxLength: 30 }).map((ts) => ts.join(" ")),
);

/** `--decl` texts: declarations, and sometimes anything at all. */
export const declText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(nameArb, typeText).map(([n, t]) => `${n}: ${t}`), weight: 4 },
  { arbitrary: exprText({ maxDepth: 2 }), weight: 1 },
  { arbitrary: rawText, weight: 1 },
);

// ---------------------------------------------------------------------------
// Programs that read

/** The names `wellShapedProgram` declares (test/arbitrary.ts's DECLS) and their shapes. */
export const WELL_SHAPED_DECLS = DECLS;
export const WELL_SHAPED_NAMES = ["a", "b", "c", "x", "y", "A", "W"] as const;

/**
 * A program that reads: the declarations, sometimes a definition `s = …` (a scalar),
 * and a printed well-shaped expression in which `c` is sometimes replaced by `s`.
 */
export function wellShapedProgram(maxDepth = 3): fc.Arbitrary<string> {
  const scalar = exprOfShape(SCALAR, { maxDepth: 2 });
  const vector = exprOfShape(shape("n", 1), { maxDepth: 2 });
  const body: fc.Arbitrary<Expr> = matrixExpr({ maxDepth });
  return fc
    .tuple(fc.oneof(fc.constant(undefined), scalar, vector), body)
    .map(([def, e]) => {
      const text = toText(e);
      if (!def) return `${DECLS}${text}`;
      const use = def.shape === SCALAR ? text.replace(/\bc\b/g, "s") : text.replace(/\by\b/g, "s");
      return `${DECLS}s = ${toText(def)}\n${use}`;
    });
}
