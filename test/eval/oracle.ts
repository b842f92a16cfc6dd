/**
 * An independent oracle for evaluation tests: random program trees (our own type,
 * not jacobi's nodes), their program text, and a direct evaluator over plain arrays
 * that follows the language's rules (`*` scales when a side is 1×1, else it is the
 * matrix product; scalars broadcast in `+ - .* ./ .^`).
 */

export type Dims = readonly [rows: number, cols: number];

export type Tree =
  | { readonly op: "num"; readonly text: string; readonly x: number }
  | { readonly op: "name"; readonly name: string }
  | { readonly op: "fill"; readonly which: "ones" | "zeros"; readonly dims: Dims }
  | { readonly op: "eye"; readonly n: number }
  | { readonly op: "literal"; readonly dims: Dims; readonly items: readonly Tree[] }
  | { readonly op: "neg"; readonly a: Tree }
  | { readonly op: "binary"; readonly o: "+" | "-" | ".*" | "./" | "*" | "/" | ".^" | "^"; readonly a: Tree; readonly b: Tree }
  | { readonly op: "fn"; readonly fn: string; readonly a: Tree }
  | { readonly op: "transpose"; readonly viaT: boolean; readonly a: Tree }
  | { readonly op: "sum"; readonly a: Tree }
  | { readonly op: "diag"; readonly a: Tree };

/** A matrix of plain numbers, row-major. */
export interface M {
  readonly rows: number;
  readonly cols: number;
  readonly d: readonly number[];
}

/** The random choices a generator makes (fast-check's `gen` behind it in tests). */
export interface Chooser {
  /** An integer in [0, n). */
  below(n: number): number;
}

export const FUNCTIONS = ["exp", "log", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "abs", "sign", "sqrt"];

/** The declared values of a generated program: name → dims. */
export const DECLARED: ReadonlyMap<string, Dims> = new Map<string, Dims>([
  ["a", [1, 1]],
  ["b", [1, 1]],
  ["x", [3, 1]],
  ["y", [3, 1]],
  ["u", [2, 1]],
  ["A", [2, 3]],
  ["B", [3, 3]],
  ["C", [3, 2]],
]);
/** An undeclared scalar (a value is given only when the text uses it). */
export const UNDECLARED = "c";
/** Size names in symbolic mode. */
const SIZE_NAME: ReadonlyMap<number, string> = new Map([
  [3, "n"],
  [2, "m"],
]);

const NUMBERS: readonly [string, number][] = [
  ["0.5", 0.5],
  ["2", 2],
  [".25", 0.25],
  ["1.5", 1.5],
  ["3", 3],
  ["0.1", 0.1],
  ["1e-1", 0.1],
  ["0.7", 0.7],
  ["1", 1],
  ["0", 0],
];
const EXPONENTS: readonly [string, number][] = [
  ["2", 2],
  ["3", 3],
  ["(-1)", -1],
  ["0.5", 0.5],
  ["(-2)", -2],
  ["1.5", 1.5],
  ["0", 0],
  ["1", 1],
];

/** Generates trees of given dims; `symbolic` declares sizes as n, m (then no literals). */
export class TreeGen {
  readonly used = new Set<string>();
  /** Names of definitions made so far, with their dims. */
  readonly defined = new Map<string, Dims>();
  constructor(
    private readonly pick: Chooser,
    readonly symbolic: boolean,
  ) {}

  private one<T>(items: readonly T[]): T {
    return items[this.pick.below(items.length)]!;
  }

  private number(): Tree {
    const [text, x] = this.one(NUMBERS);
    return this.pick.below(4) === 0 ? { op: "neg", a: { op: "num", text, x } } : { op: "num", text, x };
  }

  /** Leaves of these dims: names, transposed names, constants, eye, literals. */
  private leaf(dims: Dims): Tree {
    const [r, c] = dims;
    const options: (() => Tree)[] = [];
    for (const [name, d] of [...DECLARED, ...this.defined]) {
      if (d[0] === r && d[1] === c) options.push(() => this.name(name));
      if (d[0] === c && d[1] === r && r * c > 1) options.push(() => ({ op: "transpose", viaT: this.pick.below(3) === 0, a: this.name(name) }));
    }
    if (r === 1 && c === 1) {
      options.push(() => this.number(), () => this.number(), () => this.name(UNDECLARED));
      if (this.symbolic) options.push(() => this.name(this.one(["n", "m"])));
    } else {
      options.push(() => ({ op: "fill", which: this.pick.below(3) === 0 ? "zeros" : "ones", dims }));
      if (r === c) options.push(() => ({ op: "eye", n: r }));
      if (!this.symbolic) options.push(() => this.literal(dims, 0));
    }
    return this.one(options)();
  }

  private name(name: string): Tree {
    if (!this.defined.has(name)) this.used.add(name);
    return { op: "name", name };
  }

  private literal(dims: Dims, depth: number): Tree {
    const items: Tree[] = [];
    for (let k = 0; k < dims[0] * dims[1]; k++) items.push(depth > 0 && this.pick.below(3) === 0 ? this.tree([1, 1], depth - 1) : this.leaf([1, 1]));
    return { op: "literal", dims, items };
  }

  /** A tree of the given dims with at most `depth` levels of operators. */
  tree(dims: Dims, depth: number): Tree {
    if (depth <= 0 || this.pick.below(5) === 0) return this.leaf(dims);
    const [r, c] = dims;
    const scalar = r === 1 && c === 1;
    const sub = (d: Dims): Tree => this.tree(d, depth - 1);
    const anyDims = (): Dims => this.one<Dims>([[1, 1], [3, 1], [2, 3], [1, 3], [3, 3], [2, 1]]);
    /** Two operands of these dims, or (sometimes) one of them a broadcast scalar. */
    const operands = (): [Tree, Tree] => {
      const broadcast = scalar ? 0 : this.pick.below(6);
      return [sub(broadcast === 1 ? [1, 1] : dims), sub(broadcast === 2 ? [1, 1] : dims)];
    };
    const options: (() => Tree)[] = [
      () => {
        const [a, b] = operands();
        return { op: "binary", o: this.one(["+", "-"] as const), a, b };
      },
      () => {
        const [a, b] = operands();
        return { op: "binary", o: this.one([".*", "./"] as const), a, b };
      },
      () => (this.pick.below(2) === 0 ? { op: "binary", o: "*", a: sub([1, 1]), b: sub(dims) } : { op: "binary", o: "*", a: sub(dims), b: sub([1, 1]) }),
      () => ({ op: "binary", o: "/", a: sub(dims), b: sub([1, 1]) }),
      () => {
        // the matrix product through an inner size of 2 or 3 (both sides non-scalar)
        const k = this.one([2, 3]);
        return { op: "binary", o: "*", a: sub([r, k]), b: sub([k, c]) };
      },
      () => {
        const [text, x] = this.one(EXPONENTS);
        const exponent: Tree = this.pick.below(4) === 0 ? sub(this.pick.below(2) === 0 ? [1, 1] : dims) : { op: "num", text, x };
        const o = scalar && exponent.op === "num" && this.pick.below(2) === 0 ? "^" : ".^";
        return { op: "binary", o, a: sub(dims), b: exponent };
      },
      () => ({ op: "neg", a: sub(dims) }),
      () => ({ op: "fn", fn: this.one(FUNCTIONS), a: sub(dims) }),
      () => ({ op: "transpose", viaT: this.pick.below(3) === 0, a: sub([c, r]) }),
    ];
    if (scalar) options.push(() => ({ op: "sum", a: sub(anyDims()) }));
    if (r === c && r > 1) options.push(() => ({ op: "diag", a: sub(this.pick.below(3) === 0 ? [1, r] : [r, 1]) }));
    if (c === 1 && r > 1) options.push(() => ({ op: "diag", a: sub([r, r]) }));
    if (!scalar && !this.symbolic) options.push(() => this.literal(dims, depth - 1));
    return this.one(options)();
  }
}

// ---------------------------------------------------------------------------
// Text

const sizeText = (n: number, symbolic: boolean): string => (symbolic ? (SIZE_NAME.get(n) ?? `${n}`) : `${n}`);

/** Fully parenthesized program text of a tree. */
export function textOf(t: Tree, symbolic: boolean): string {
  switch (t.op) {
    case "num":
      return t.text;
    case "name":
      return t.name;
    case "fill": {
      const [r, c] = t.dims;
      return c === 1 ? `${t.which}(${sizeText(r, symbolic)})` : `${t.which}(${sizeText(r, symbolic)}, ${sizeText(c, symbolic)})`;
    }
    case "eye":
      return `eye(${sizeText(t.n, symbolic)})`;
    case "literal": {
      const [r, c] = t.dims;
      const items = t.items.map((i) => textOf(i, symbolic));
      if (c === 1) return `[${items.join(", ")}]`;
      const rows: string[] = [];
      for (let k = 0; k < r; k++) rows.push(`[${items.slice(k * c, (k + 1) * c).join(", ")}]`);
      return `[${rows.join(", ")}]`;
    }
    case "neg":
      return `(-${paren(t.a, symbolic)})`;
    case "binary":
      return `(${paren(t.a, symbolic)} ${t.o} ${paren(t.b, symbolic)})`;
    case "fn":
      return `${t.fn}(${textOf(t.a, symbolic)})`;
    case "transpose":
      return `${paren(t.a, symbolic)}${t.viaT ? "^T" : "'"}`;
    case "sum":
      return `sum(${textOf(t.a, symbolic)})`;
    case "diag":
      return `diag(${textOf(t.a, symbolic)})`;
  }
}

const paren = (t: Tree, symbolic: boolean): string => {
  const s = textOf(t, symbolic);
  return t.op === "name" || t.op === "binary" || t.op === "neg" ? s : `(${s})`;
};

/** The declarations of every generated program. */
export function declarations(symbolic: boolean): string {
  const lines: string[] = [];
  for (const [name, [r, c]] of DECLARED) {
    if (r === 1 && c === 1) lines.push(`${name}: scalar`);
    else if (c === 1) lines.push(`${name}: vector(${sizeText(r, symbolic)})`);
    else lines.push(`${name}: matrix(${sizeText(r, symbolic)}, ${sizeText(c, symbolic)})`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------
// The direct evaluator

const isScalar = (m: M): boolean => m.rows === 1 && m.cols === 1;

function elementwise(a: M, b: M, f: (x: number, y: number) => number): M {
  const rows = isScalar(a) ? b.rows : a.rows;
  const cols = isScalar(a) ? b.cols : a.cols;
  if (!isScalar(a) && !isScalar(b) && (a.rows !== b.rows || a.cols !== b.cols)) throw new Error("oracle: shapes do not fit");
  const d: number[] = [];
  for (let k = 0; k < rows * cols; k++) d.push(f(isScalar(a) ? a.d[0]! : a.d[k]!, isScalar(b) ? b.d[0]! : b.d[k]!));
  return { rows, cols, d };
}

function product(a: M, b: M): M {
  if (a.cols !== b.rows) throw new Error("oracle: product shapes do not fit");
  const d: number[] = [];
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.d[i * a.cols + k]! * b.d[k * b.cols + j]!;
      d.push(s);
    }
  return { rows: a.rows, cols: b.cols, d };
}

const FN: ReadonlyMap<string, (u: number) => number> = new Map([
  ["exp", Math.exp],
  ["log", Math.log],
  ["sin", Math.sin],
  ["cos", Math.cos],
  ["tan", Math.tan],
  ["asin", Math.asin],
  ["acos", Math.acos],
  ["atan", Math.atan],
  ["sinh", Math.sinh],
  ["cosh", Math.cosh],
  ["tanh", Math.tanh],
  ["sigmoid", (u: number) => 1 / (1 + Math.exp(-u))],
  ["abs", Math.abs],
  ["sign", Math.sign],
  ["sqrt", Math.sqrt],
]);

/** What an evaluation saw: an infinity on the way, even if the result is finite (a NaN stays NaN). */
export interface Seen {
  infinity: boolean;
}

/**
 * Evaluates a tree at the given values. `noise` (when given) multiplies every
 * computed entry by (1 + noise()), to measure how sensitive the result is to rounding.
 */
export function evalTree(t: Tree, values: ReadonlyMap<string, M>, noise?: () => number, seen?: Seen): M {
  const go = (t: Tree): M => {
    const m = raw(t);
    if (seen && !seen.infinity && m.d.some((x) => x === Infinity || x === -Infinity)) seen.infinity = true;
    if (!noise || t.op === "name") return m;
    return { rows: m.rows, cols: m.cols, d: m.d.map((x) => x * (1 + noise())) };
  };
  const raw = (t: Tree): M => {
    switch (t.op) {
      case "num":
        return { rows: 1, cols: 1, d: [t.x] };
      case "name": {
        const v = values.get(t.name);
        if (!v) throw new Error(`oracle: no value for ${t.name}`);
        return v;
      }
      case "fill":
        return { rows: t.dims[0], cols: t.dims[1], d: new Array<number>(t.dims[0] * t.dims[1]).fill(t.which === "ones" ? 1 : 0) };
      case "eye": {
        const d: number[] = [];
        for (let i = 0; i < t.n; i++) for (let j = 0; j < t.n; j++) d.push(i === j ? 1 : 0);
        return { rows: t.n, cols: t.n, d };
      }
      case "literal":
        return { rows: t.dims[0], cols: t.dims[1], d: t.items.map((i) => go(i).d[0]!) };
      case "neg":
        return elementwise({ rows: 1, cols: 1, d: [-1] }, go(t.a), (x, y) => x * y);
      case "binary": {
        const a = go(t.a);
        const b = go(t.b);
        switch (t.o) {
          case "+":
            return elementwise(a, b, (x, y) => x + y);
          case "-":
            return elementwise(a, b, (x, y) => x - y);
          case ".*":
            return elementwise(a, b, (x, y) => x * y);
          case "./":
          case "/":
            return elementwise(a, b, (x, y) => x / y);
          case ".^":
          case "^":
            return elementwise(a, b, (x, y) => Math.pow(x, y));
          case "*":
            return isScalar(a) || isScalar(b) ? elementwise(a, b, (x, y) => x * y) : product(a, b);
        }
        throw new Error("oracle: unknown operator");
      }
      case "fn": {
        const f = FN.get(t.fn)!;
        const a = go(t.a);
        return { rows: a.rows, cols: a.cols, d: a.d.map((x) => f(x)) };
      }
      case "transpose": {
        const a = go(t.a);
        const d: number[] = [];
        for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) d.push(a.d[i * a.cols + j]!);
        return { rows: a.cols, cols: a.rows, d };
      }
      case "sum":
        return { rows: 1, cols: 1, d: [go(t.a).d.reduce((s, x) => s + x, 0)] };
      case "diag": {
        const a = go(t.a);
        if (a.rows === 1 || a.cols === 1) {
          const n = a.d.length;
          const d = new Array<number>(n * n).fill(0);
          for (let k = 0; k < n; k++) d[k * n + k] = a.d[k]!;
          return { rows: n, cols: n, d };
        }
        const d: number[] = [];
        for (let k = 0; k < a.rows; k++) d.push(a.d[k * a.cols + k]!);
        return { rows: a.rows, cols: 1, d };
      }
    }
  };
  return go(t);
}
