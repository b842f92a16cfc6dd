/**
 * Element expressions to TypeScript expressions, inside a loop nest:
 * - a subexpression used twice is computed once into a `const`;
 * - a subexpression that does not depend on the inner index is computed in the outer
 *   loop's body (and one that depends on no index, before the loops);
 * - row offsets `i * n` are computed once per row.
 * Numbers are printed from doubles (`String(x)` round-trips); nothing else of the
 * user's text appears here.
 */
import type { Size } from "../core/shape.js";
import type { Buf, El, ElFn, Ix, Scal } from "./ir.js";
import { kernelForm } from "./stable.js";

/** How names of the kernel are spelled in code. */
export interface Naming {
  buf(b: Buf): string;
  /** Where the current sample's part of a batched buffer starts (inside a batch loop). */
  offset(b: Buf): string | undefined;
  scal(s: Scal): string;
  size(s: Size): string;
  /** A fresh local name. */
  fresh(hint: string): string;
}

/** The argument in a kernel form's code: `u`, or `-u`. */
const ARG = /-?\bu\b/g;
const argumentReads = (fn: ElFn): number => kernelForm(fn).code.match(ARG)?.length ?? 0;

/** Operator precedence of emitted code, loosest first. */
const P = { cond: 1, add: 2, mul: 3, unary: 4, atom: 5 } as const;
type Prec = (typeof P)[keyof typeof P];
interface Code {
  readonly text: string;
  readonly prec: Prec;
}
const atom = (text: string): Code => ({ text, prec: P.atom });
const wrap = (c: Code, need: Prec): string => (c.prec < need ? `(${c.text})` : c.text);
/** -c, never producing `--`. */
const minus = (c: Code): string => (c.prec === P.atom ? `-${c.text}` : `-(${c.text})`);

/** A number as a JavaScript literal. */
export function numberLiteral(x: number): Code {
  if (Number.isNaN(x)) return atom("NaN");
  if (x === Infinity) return atom("Infinity");
  if (x === -Infinity) return { text: "-Infinity", prec: P.unary };
  const text = String(x);
  return x < 0 ? { text, prec: P.unary } : atom(text);
}

/**
 * One loop nest: the loop variables, and the statements each level collects
 * (level 0 before the loops, 1 the outer loop's body, 2 the inner loop's body).
 */
export class Nest {
  readonly lines: string[][] = [[], [], []];
  private readonly bound = new Map<El, string>();
  private readonly offsets = new Map<string, string>();
  private refs = new Map<El, number>();

  /**
   * @param r the row loop's variable (level 1)
   * @param c the column loop's variable (level 2, or level 1 in a one-index loop)
   * @param twoD two nested loops (r outer, c inner); else one loop (r and c are the same)
   */
  constructor(
    private readonly naming: Naming,
    readonly r: string | undefined,
    readonly c: string | undefined,
    readonly twoD: boolean,
  ) {}

  /** Registers the expressions the nest will emit, to find what they share. */
  plan(roots: readonly El[]): void {
    const refs = new Map<El, number>();
    const visit = (e: El, weight: number): void => {
      const n = (refs.get(e) ?? 0) + weight;
      refs.set(e, n);
      if (n > weight) return; // children counted on the first visit
      switch (e.k) {
        case "add":
          for (const t of e.terms) visit(t, 1);
          break;
        case "mul":
          for (const t of e.factors) visit(t, 1);
          break;
        case "pow":
          visit(e.base, e.exponent.k === "num" && (e.exponent.value === 2 || e.exponent.value === 3) ? 2 : 1);
          visit(e.exponent, 1);
          break;
        case "fn":
          // a form that reads its argument twice (softplus, logsigmoid) computes it once
          visit(e.arg, argumentReads(e.fn));
          break;
        default:
          break;
      }
    };
    for (const r of roots) visit(r, 1);
    for (const [e, n] of refs) this.refs.set(e, (this.refs.get(e) ?? 0) + n);
  }

  /** The loop level an expression belongs to. */
  levelOf(e: El): number {
    if (e.deps === 0) return 0;
    if (!this.twoD) return 1;
    return e.deps & 2 ? 2 : 1;
  }

  private ix(i: Ix): string {
    if (i === "z") return "0";
    const v = i === "r" ? this.r : this.c;
    if (v === undefined) throw new Error(`internal: no loop for index ${i}`);
    return v;
  }

  /** `i * n` computed once per row (at the row loop's level). */
  private rowOffset(row: Ix, cols: string): string {
    const v = this.ix(row);
    if (row !== "r" || !this.twoD) return `${v} * ${cols}`;
    const key = `${v}|${cols}`;
    let name = this.offsets.get(key);
    if (!name) {
      name = this.naming.fresh("o");
      this.lines[1]!.push(`const ${name} = ${v} * ${cols};`);
      this.offsets.set(key, name);
    }
    return name;
  }

  /** The index expression of element (row, col) of a buffer (with its sample's offset). */
  index(buf: Buf, row: Ix, col: Ix): string {
    const base = this.naming.offset(buf);
    const at = this.localIndex(buf, row, col);
    return base === undefined ? at : `${base} + ${at}`;
  }

  private localIndex(buf: Buf, row: Ix, col: Ix): string {
    if (buf.cols === 1) return this.ix(row);
    if (buf.rows === 1) return this.ix(col);
    const cols = this.naming.size(buf.cols);
    if (row === "z") return this.ix(col);
    const off = this.rowOffset(row, cols);
    return col === "z" ? off : `${off} + ${this.ix(col)}`;
  }

  /** Code of `e` where it is used at loop level `at`. */
  code(e: El, at: number): Code {
    switch (e.k) {
      case "num":
        return numberLiteral(e.value);
      case "scal":
        return atom(this.naming.scal(e.s));
      case "size":
        return atom(this.naming.size(e.size));
      default:
        break;
    }
    const name = this.bound.get(e);
    if (name) return atom(name);
    const level = this.levelOf(e);
    const uses = this.refs.get(e) ?? 1;
    const isRead = e.k === "read" || e.k === "flat";
    // c*x of a constant x (-dot, 2*a) is as cheap as x
    const scaledConstant = e.k === "mul" && e.factors.length === 2 && e.factors[0]!.k === "num" && e.deps === 0 && (e.factors[1]!.k === "scal" || e.factors[1]!.k === "size");
    const bind = !scaledConstant && (level < at || (!isRead && uses > 1));
    if (!bind) return this.render(e, at);
    const text = this.render(e, level).text;
    const local = this.naming.fresh(e.k === "read" ? `${this.naming.buf(e.buf)}_${this.ix(e.row === "z" ? e.col : e.row)}` : "t");
    this.lines[level]!.push(`const ${local} = ${text};`);
    this.bound.set(e, local);
    return atom(local);
  }

  /** The expression text, its children placed at level `at`. */
  private render(e: El, at: number): Code {
    switch (e.k) {
      case "num":
      case "scal":
      case "size":
        return this.code(e, at);
      case "read":
        return atom(`${this.naming.buf(e.buf)}[${this.index(e.buf, e.row, e.col)}]`);
      case "flat": {
        const base = this.naming.offset(e.buf);
        return atom(`${this.naming.buf(e.buf)}[${base === undefined ? "" : `${base} + `}${this.ix("r")}]`);
      }
      case "delta":
        return { text: `${this.ix("r")} === ${this.ix("c")} ? 1 : 0`, prec: P.cond };
      case "add":
        return this.sum(e.terms, at);
      case "mul":
        return this.product(e.factors, at);
      case "pow":
        return this.power(e.base, e.exponent, at);
      case "fn":
        return this.call(e.fn, e.arg, at);
    }
  }

  private sum(terms: readonly El[], at: number): Code {
    const shown = terms.map((t) => ({ t, negative: isNegative(t) }));
    // positive terms first: a + b - c
    shown.sort((a, b) => Number(a.negative) - Number(b.negative));
    let text = "";
    shown.forEach(({ t, negative }, k) => {
      if (k === 0) {
        text = wrap(this.code(t, at), P.add);
        return;
      }
      text += negative ? ` - ${wrap(this.negated(t, at), P.mul)}` : ` + ${wrap(this.code(t, at), P.add)}`;
    });
    return { text, prec: P.add };
  }

  /** The code of -t for a negative term t. */
  private negated(t: El, at: number): Code {
    if (t.k === "num") return numberLiteral(-t.value);
    if (t.k === "mul") return this.product(t.factors, at, true);
    throw new Error("internal: not a negative term");
  }

  private product(factors: readonly El[], at: number, negate = false): Code {
    let coefficient = negate ? -1 : 1;
    const top: Code[] = [];
    const below: Code[] = [];
    for (const f of factors) {
      if (f.k === "num") coefficient *= f.value;
      else if (f.k === "pow" && f.exponent.k === "num" && f.exponent.value < 0) {
        const p = -f.exponent.value;
        below.push(p === 1 ? this.code(f.base, at) : this.powerCode(f.base, p, at));
      } else top.push(this.code(f, at));
    }
    const negative = coefficient < 0;
    const c = Math.abs(coefficient);
    if (c !== 1 || top.length === 0) top.unshift(numberLiteral(c));
    let text = top.map((t) => wrap(t, P.mul)).join(" * ");
    if (below.length > 0) text += ` / ${below.length === 1 ? wrap(below[0]!, P.unary) : `(${below.map((b) => wrap(b, P.mul)).join(" * ")})`}`;
    const single = top.length + below.length === 1;
    if (!negative) return single ? top[0]! : { text, prec: P.mul };
    if (single) return { text: minus(top[0]!), prec: P.unary };
    return { text: text.startsWith("-") ? `-(${text})` : `-${text}`, prec: P.unary };
  }

  private power(base: El, exponent: El, at: number): Code {
    if (exponent.k === "num") {
      const p = exponent.value;
      if (p < 0) return { text: `1 / ${wrap(this.powerCode(base, -p, at), P.unary)}`, prec: P.mul };
      return this.powerCode(base, p, at);
    }
    return atom(`Math.pow(${this.code(base, at).text}, ${this.code(exponent, at).text})`);
  }

  /** base^p for p > 0. */
  private powerCode(base: El, p: number, at: number): Code {
    const b = this.code(base, at);
    if (p === 1) return b;
    if (p === 0.5) return atom(`Math.sqrt(${b.text})`);
    if ((p === 2 || p === 3) && b.prec === P.atom) return { text: Array.from({ length: p }, () => b.text).join(" * "), prec: P.mul };
    return atom(`Math.pow(${b.text}, ${numberLiteral(p).text})`);
  }

  /** The function's kernel form (function table, or codegen's stable compounds) over the argument's code. */
  private call(fn: ElFn, arg: El, at: number): Code {
    const a = this.code(arg, at);
    const form = kernelForm(fn);
    return { text: form.code.replace(ARG, (u: string) => (u === "-u" ? minus(a) : a.text)), prec: P[form.prec] };
  }
}

/** A term written with a minus sign. */
function isNegative(t: El): boolean {
  if (t.k === "num") return t.value < 0;
  return t.k === "mul" && t.factors[0]!.k === "num" && t.factors[0]!.value < 0;
}
