/**
 * Loop nests over index notation to statements (the `nest` step):
 *   for (let i = 0; i < n; i++) {          one loop per free index, outermost first
 *     const t = …;                         what depends only on the loops so far (hoisted)
 *     let acc = 0;
 *     for (let k = 0; k < m; k++) acc += …; the reduction loop
 *     out[i * n + j] = acc;                row-major over the target's indices
 *   }
 * A subexpression used twice is computed once into a `const`, at the outermost loop it
 * depends on. Numbers are printed from doubles and names come from the kernel's naming:
 * nothing else of the user's text appears here.
 */
import type { Size } from "../core/shape.js";
import { numberLiteral, type Naming } from "./emit-el.js";
import type { Buf, NEl, NIx, Step } from "./ir.js";
import { kernelForm } from "./stable.js";

type NestStep = Extract<Step, { k: "nest" }>;
const ARG = /-?\bu\b/g;

/** The statements of one loop nest. */
export function nestLines(s: NestStep, naming: Naming): string[] {
  const vars = s.loops.map(() => naming.fresh("i"));
  if (s.sum !== undefined) vars.push(naming.fresh("k"));
  const depth = vars.length;
  const e = new NestCode(naming, vars);
  e.plan(s.body);
  const rhs = e.code(s.body, depth);
  const bounds = [...s.loops, ...(s.sum === undefined ? [] : [s.sum])].map((n) => naming.size(n));
  const open = (k: number): string => `for (let ${vars[k]} = 0; ${vars[k]} < ${bounds[k]}; ${vars[k]}++) {`;
  const isBuf = "role" in s.target;
  const target = isBuf ? `${naming.buf(s.target as Buf)}[${e.indexOf(s.target as Buf, s.out)}]` : naming.scal(s.target as never);
  const op = s.accumulate ? "+=" : "=";
  const lines: string[] = [...e.lines[0]!];
  if (!isBuf) {
    // a scalar: no output loops
    if (s.sum === undefined) return [...lines, `const ${target} = ${rhs};`];
    return [...lines, `let ${target} = 0;`, open(0), ...e.lines[1]!, `${target} += ${rhs};`, "}"];
  }
  const outer = s.loops.length;
  for (let k = 0; k < outer; k++) lines.push(open(k), ...e.lines[k + 1]!);
  if (s.sum === undefined) lines.push(`${target} ${op} ${rhs};`);
  else {
    const acc = naming.fresh("acc");
    lines.push(`let ${acc} = 0;`, open(outer), ...e.lines[outer + 1]!, `${acc} += ${rhs};`, "}", `${target} ${op} ${acc};`);
  }
  for (let k = 0; k < outer; k++) lines.push("}");
  return lines;
}

class NestCode {
  readonly lines: string[][];
  private readonly levels = new Map<NEl, number>();
  private readonly refs = new Map<NEl, number>();
  private readonly bound = new Map<NEl, string>();

  constructor(
    private readonly naming: Naming,
    private readonly vars: readonly string[],
  ) {
    this.lines = Array.from({ length: vars.length + 1 }, () => []);
  }

  plan(root: NEl): void {
    const visit = (e: NEl): void => {
      const n = (this.refs.get(e) ?? 0) + 1;
      this.refs.set(e, n);
      if (n === 1) for (const c of parts(e)) visit(c);
    };
    visit(root);
  }

  /** The loop level an expression belongs to: 0 before the loops, k inside loop k. */
  private level(e: NEl): number {
    let v = this.levels.get(e);
    if (v === undefined) {
      const ixLevel = (i: NIx): number => ("loop" in i ? i.loop + 1 : 0);
      v = e.k === "read" ? Math.max(0, ...e.at.map(ixLevel)) : e.k === "eq" ? Math.max(ixLevel(e.a), ixLevel(e.b)) : Math.max(0, ...parts(e).map((c) => this.level(c)));
      this.levels.set(e, v);
    }
    return v;
  }

  private ix(i: NIx): string {
    return "loop" in i ? this.vars[i.loop]! : String(i.at);
  }

  /** Row-major position of the indices in a buffer: one index for a vector, Horner over the dimensions otherwise. */
  indexOf(buf: Buf, at: readonly NIx[]): string {
    if (at.length === 0) return "0";
    if (at.length === 1) return this.ix(at[0]!);
    const dims: readonly Size[] = buf.dims ?? [buf.rows, buf.cols];
    let text = this.ix(at[0]!);
    for (let d = 1; d < at.length; d++) text = `${d === 1 ? text : `(${text})`} * ${this.naming.size(dims[d]!)} + ${this.ix(at[d]!)}`;
    return text;
  }

  /** Code of `e` used at loop level `at` (wrapped in parentheses unless atomic). */
  code(e: NEl, at: number): string {
    if (e.k === "num") return numberLiteral(e.value).text.startsWith("-") ? `(${numberLiteral(e.value).text})` : numberLiteral(e.value).text;
    if (e.k === "scal") return this.naming.scal(e.s);
    if (e.k === "size") return this.naming.size(e.size);
    const name = this.bound.get(e);
    if (name) return name;
    const level = this.level(e);
    const bind = level < at || (e.k !== "read" && (this.refs.get(e) ?? 1) > 1);
    const text = this.render(e, bind ? level : at);
    if (!bind) return text;
    const local = this.naming.fresh("t");
    this.lines[level]!.push(`const ${local} = ${text};`);
    this.bound.set(e, local);
    return local;
  }

  private render(e: NEl, at: number): string {
    const go = (x: NEl): string => this.code(x, at);
    switch (e.k) {
      case "num":
      case "scal":
      case "size":
        return this.code(e, at);
      case "read":
        return `${this.naming.buf(e.buf)}[${this.indexOf(e.buf, e.at)}]`;
      case "eq":
        return `(${this.ix(e.a)} === ${this.ix(e.b)} ? 1 : 0)`;
      case "add":
        return `(${e.terms.map(go).join(" + ")})`;
      case "mul":
        return `(${e.factors.map(go).join(" * ")})`;
      case "pow": {
        const p = e.exponent.k === "num" ? e.exponent.value : undefined;
        const b = go(e.base);
        if (p === 1) return b;
        if (p === 2) return `(${b} * ${b})`;
        if (p === -1) return `(1 / ${b})`;
        if (p === 0.5) return `Math.sqrt(${b})`;
        return `Math.pow(${b}, ${go(e.exponent)})`;
      }
      case "fn": {
        const a = go(e.arg);
        return `(${kernelForm(e.fn).code.replace(ARG, (u: string) => (u === "-u" ? `(-${a})` : a))})`;
      }
    }
  }
}

function parts(e: NEl): readonly NEl[] {
  switch (e.k) {
    case "add":
      return e.terms;
    case "mul":
      return e.factors;
    case "pow":
      return [e.base, e.exponent];
    case "fn":
      return [e.arg];
    default:
      return [];
  }
}
