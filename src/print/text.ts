/**
 * The text printer: canonical, readable, and parseable. For a matrix-level expression
 * over declared names, parsing the declarations and `toText(e)` gives back `e` itself
 * (the same interned node). Index-level nodes print readably (`x[i]`, `delta(i,j)`,
 * `sum_{k1=1..n}(…)`) but are not part of the language.
 *
 * Parentheses appear only where the language needs them (see PREC in display.ts), plus
 * around a matrix product used as a factor of `*`/`.*`: `(x'*y)*z`, `x .* (A*y)`.
 */
import { assertNever, type Expr } from "../core/expr.js";
import { checkDepth, checkOutput } from "../core/limits.js";
import * as Q from "../core/rational.js";
import type { Rational } from "../core/rational.js";
import { SCALAR, type Shape, type Size } from "../core/shape.js";
import {
  elementwiseJoins,
  isBareFactor,
  isScalarPower,
  isSquareRoot,
  namedReduction,
  PREC,
  splitProduct,
  sumContent,
  sumDisplayOrder,
  type Prec,
  type ProductParts,
} from "./display.js";

/** A printed piece and how tightly it binds. */
interface Printed {
  readonly text: string;
  readonly prec: Prec;
}

/** The canonical text of an expression; parsing it gives the same node back. */
export function toText(e: Expr): string {
  checkDepth(e.depth);
  return new TextPrinter().print(e).text;
}

/** A `toText` whose memo spans calls: parts shared by many expressions print once. */
export function textPrinter(): (e: Expr) => string {
  const printer = new TextPrinter();
  return (e) => {
    checkDepth(e.depth);
    return printer.print(e).text;
  };
}

const atom = (text: string): Printed => ({ text, prec: PREC.atom });
const sizeText = (s: Size): string => `${s}`;

/** `ones(n)` for a column, `ones(m,n)` otherwise. */
function shapeArgs(s: Shape): string {
  return s.cols === 1 ? sizeText(s.rows) : `${sizeText(s.rows)},${sizeText(s.cols)}`;
}

/** A non-negative number: `3` binds as an atom, `3/5` as a product. */
function magnitude(v: Rational): Printed {
  return v.den === 1n ? atom(`${v.num}`) : { text: `${v.num}/${v.den}`, prec: PREC.product };
}

class TextPrinter {
  private readonly memo = new Map<Expr, Printed>();

  print(e: Expr): Printed {
    const known = this.memo.get(e);
    if (known) return known;
    const p = this.node(e);
    checkOutput(p.text.length);
    this.memo.set(e, p);
    return p;
  }

  /** The text of `e` for a position that needs at least `need`. */
  private at(e: Expr, need: Prec): string {
    return wrap(this.print(e), need);
  }

  private node(e: Expr): Printed {
    switch (e.kind) {
      case "num":
        if (e.shape !== SCALAR && Q.isZero(e.value)) return atom(`zeros(${shapeArgs(e.shape)})`);
        if (e.shape !== SCALAR && Q.isOne(e.value)) return atom(`ones(${shapeArgs(e.shape)})`);
        return this.product(splitProduct(e));
      case "sym":
        return atom(e.name);
      case "add":
        return this.sum(e);
      case "mul":
        return this.product(splitProduct(e));
      case "pow": {
        const parts = splitProduct(e);
        return isBareFactor(parts) ? this.power(e) : this.product(parts);
      }
      case "call":
        // logdet(A), the parser's meaning of the name: log(det(A))
        if (e.fn === "log" && e.arg.kind === "matfn" && e.arg.fn === "det") return atom(`logdet(${this.print(e.arg.arg).text})`);
        // exp(x') reads better as exp(x)': the same node (transposes are pushed to the leaves)
        if (e.arg.kind === "transpose" && e.arg.arg.kind === "sym") return { text: `${e.fn}(${this.print(e.arg.arg).text})'`, prec: PREC.postfix };
        return atom(`${e.fn}(${this.print(e.arg).text})`);
      case "matmul":
        // A*B*x: operands bind tighter than `*`; sums and elementwise products get parentheses
        // (but a leading 2*(u - v): `2*(u - v)*x'` reads as (2*(u - v))*x', the same product)
        return { text: e.factors.map((f, k) => (k === 0 && f.kind === "add" && sumContent(f) ? this.print(f).text : this.at(f, PREC.unary))).join("*"), prec: PREC.product };
      case "transpose":
        return { text: `${this.at(e.arg, PREC.postfix)}'`, prec: PREC.postfix };
      case "sum": {
        // tr(A), the parser's meaning of the name (norm1(u) stays sum(abs(u)), the spelling the table's abs row prints)
        const named = namedReduction(e);
        return atom(named?.name === "tr" ? `tr(${this.print(named.arg).text})` : `sum(${this.print(e.arg).text})`);
      }
      case "diag":
        return atom(`diag(${this.print(e.arg).text})`);
      case "extremum":
        return atom(`${e.op}(${this.print(e.arg).text})`);
      case "eye":
        return atom(`eye(${sizeText(e.size)})`);
      case "matrix":
        return atom(this.literal(e.items, e.shape));
      case "matfn": // det(A), inv(A); in index form an entry of the inverse, inv(A)[i,j]
        return atom(`${e.fn}(${this.print(e.arg).text})${e.at.length > 0 ? `[${e.at.join(",")}]` : ""}`);
      case "entry":
        return atom(`${e.name}[${e.at.join(",")}]`);
      case "delta":
        return atom(`delta(${e.a},${e.b})`);
      case "series":
        return atom(`sum_{${e.index}=1..${sizeText(e.size)}}(${this.print(e.body).text})`);
      default:
        return assertNever(e);
    }
  }

  /** `a + b - 2*c`: signs come from the terms; see sumDisplayOrder (and sumContent: `2*(u - v)`). */
  private sum(e: Extract<Expr, { kind: "add" }>): Printed {
    const content = sumContent(e);
    const shown = content ? content.terms : sumDisplayOrder(e);
    const out: string[] = [];
    shown.forEach((t, k) => {
      if (k === 0) out.push(this.product(t.negative ? { ...t.parts, negative: true } : t.parts).text);
      else out.push(` ${t.negative ? "-" : "+"} ${wrap(this.product(t.parts), PREC.product)}`);
    });
    return content ? { text: `${content.factor}*(${out.join("")})`, prec: PREC.product } : { text: out.join(""), prec: PREC.sum };
  }

  /** `-3*a*x/(2*b)`, `x ./ y`, `1/x`: the written form of split product parts. */
  private product(p: ProductParts): Printed {
    const top: { text: string; scalar: boolean; prec: Prec }[] = [];
    // p/q: p in front (left out when 1 and there are factors), q below the line
    if (p.coefficient.num !== 1n || p.numerator.length === 0)
      top.push({ ...magnitude(Q.rat(p.coefficient.num)), scalar: true });
    for (const f of p.numerator) top.push({ ...this.print(f), scalar: f.shape === SCALAR });
    const below: { text: string; scalar: boolean; prec: Prec }[] = [];
    if (p.coefficient.den !== 1n) below.push({ ...magnitude(Q.rat(p.coefficient.den)), scalar: true });
    for (const f of p.denominator) below.push({ ...this.print(f), scalar: f.shape === SCALAR });

    if (top.length === 1 && below.length === 0) {
      const only = top[0]!;
      if (!p.negative) return only;
      return { text: `-${wrap(only, PREC.unary)}`, prec: PREC.unary };
    }
    // `-(a + b)*c` is -1 times the product (the parser gives a product's leading sign to the product)
    let text = (p.negative ? "-" : "") + joinFactors(top);
    if (below.length > 0) {
      const elementwise = below.some((b) => !b.scalar);
      const op = elementwise ? " ./ " : "/";
      // `/(2*(a + b))` would distribute the 2 over the sum: write `/(a + b)/2` instead
      const splitNumber = below.length === 2 && p.coefficient.den !== 1n && p.denominator[0]!.kind === "add";
      if (splitNumber) text += `${op}${wrap(below[1]!, PREC.unary)}/${below[0]!.text}`;
      else text += `${op}${below.length === 1 ? wrap(below[0]!, PREC.unary) : `(${joinFactors(below)})`}`;
    }
    return { text, prec: PREC.product };
  }

  /** `x^2`, `x.^y`, `(-1)^x`, `(a + b)^(1/3)`, `sqrt(x)`. */
  private power(e: Extract<Expr, { kind: "pow" }>): Printed {
    const named = namedReduction(e); // norm2(u)
    if (named) return atom(`${named.name}(${this.print(named.arg).text})`);
    if (isSquareRoot(e)) return atom(`sqrt(${this.print(e.base).text})`);
    const base = this.at(e.base, PREC.postfix);
    // `^T` would read as a transpose: a name T in the exponent keeps its parentheses
    const exponentPrinted = this.print(e.exponent);
    const exponent = exponentPrinted.text === "T" ? "(T)" : wrap(exponentPrinted, PREC.atom);
    return { text: `${base}${isScalarPower(e) ? "^" : ".^"}${exponent}`, prec: PREC.power };
  }

  /** `[a, b, c]` (a column), `[[a, b, c]]` (a row), `[[a, b], [c, d]]`. */
  private literal(items: readonly Expr[], s: Shape): string {
    const cols = s.cols as number;
    let length = 0;
    // the whole is checked before it is joined (a string has a maximum length)
    const texts = items.map((it) => this.print(it).text);
    for (const t of texts) checkOutput((length += t.length + 2));
    if (cols === 1) return `[${texts.join(", ")}]`;
    const rows: string[] = [];
    for (let r = 0; r * cols < texts.length; r++) rows.push(`[${texts.slice(r * cols, (r + 1) * cols).join(", ")}]`);
    return `[${rows.join(", ")}]`;
  }
}

function wrap(p: Printed, need: Prec): string {
  return p.prec < need ? `(${p.text})` : p.text;
}

/** Factors joined left to right with `*`, or ` .* ` where both sides are non-scalar. */
function joinFactors(items: readonly { text: string; scalar: boolean; prec: Prec }[]): string {
  const elementwise = elementwiseJoins(items.map((it) => it.scalar));
  let out = "";
  items.forEach((it, k) => {
    const text = wrap(it, PREC.unary);
    out += k === 0 ? text : elementwise[k] ? ` .* ${text}` : `*${text}`;
  });
  return out;
}
