/**
 * The LaTeX printer. Every output is accepted by KaTeX (`throwOnError: true`).
 *
 * Conventions: `A B x` matrix products, `a x` scaling, `x \odot y` and `x \oslash y`
 * elementwise, `x^{\circ 2}` elementwise powers, `\frac{a}{b}`, `\sqrt{x}`, `x^{\top}`,
 * `\operatorname{diag}`, `\operatorname{sum}`, `I_{n}`, `\mathbf{1}_{n}`,
 * `\mathbf{0}_{m\times n}`, `bmatrix` literals, `\left( \right)` parentheses.
 * Names: `x1` is `x_{1}`, `alpha` is `\alpha`, other long names `\mathit{…}`.
 * Index level: `x_{i}`, `W_{i k_{1}}`, `\delta_{i j}`, `\sum_{k_{1}=1}^{n} …`.
 *
 * A `\sum` reaches to the end of what follows it, so a sum that something follows is
 * parenthesized (`Printed.openRight`).
 */
import { assertNever, type Expr, type FnName } from "../core/expr.js";
import { FUNCTION_TABLE, MATRIX_FUNCTIONS } from "../core/functions.js";
import { checkDepth, checkOutput } from "../core/limits.js";
import * as Q from "../core/rational.js";
import type { Rational } from "../core/rational.js";
import { SCALAR, type Shape, type Size } from "../core/shape.js";
import { elementwiseJoins, isBareFactor, isScalarPower, isSquareRoot, namedReduction, PREC, splitProduct, sumContent, sumDisplayOrder, type DisplayTerm, type Prec, type ProductParts } from "./display.js";

/** The LaTeX of an expression (math mode, without delimiters). */
export function toLatex(e: Expr): string {
  checkDepth(e.depth);
  return new LatexPrinter().print(e).text;
}

interface Piece {
  readonly text: string;
  readonly prec: Prec;
  /** Ends in a big operator (`\sum`) that would swallow anything written after it. */
  readonly openRight?: boolean;
}

interface Factor extends Piece {
  readonly scalar: boolean;
}

// ---------------------------------------------------------------------------
// Names

/** Greek letter names KaTeX knows as `\name`. */
const GREEK: ReadonlySet<string> = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
  "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi",
  "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
]);

/** A name without its digit subscript: one letter as is, Greek as `\alpha`, else `\mathit{…}`. */
function nameBase(base: string): string {
  if (/^[A-Za-z]$/.test(base)) return base;
  if (GREEK.has(base)) return `\\${base}`;
  return `\\mathit{${base.replace(/_/g, "\\_")}}`;
}

/** A name as LaTeX, and whether it already carries a subscript. */
function nameParts(name: string): { text: string; subscripted: boolean } {
  // x1 -> x_{1}, W_2 -> W_{2}, alpha10 -> \alpha_{10}
  const m = /^(.*?)_?(\d+)$/.exec(name);
  if (m && m[1] !== "" && m[1] !== undefined) return { text: `${nameBase(m[1])}_{${m[2]}}`, subscripted: true };
  return { text: nameBase(name), subscripted: false };
}

export const latexName = (name: string): string => nameParts(name).text;

const sizeLatex = (s: Size): string => (typeof s === "number" ? `${s}` : latexName(s));

/** An index variable: `i`, `k_{1}`, or a fixed position `2`. */
const indexLatex = (i: string): string => (/^\d+$/.test(i) ? i : latexName(i));

/** `n` for a column, `m\times n` otherwise. */
const shapeLatex = (s: Shape): string => (s.cols === 1 ? sizeLatex(s.rows) : `${sizeLatex(s.rows)}\\times ${sizeLatex(s.cols)}`);

const paren = (text: string): string => `\\left(${text}\\right)`;
const atom = (text: string): Piece => ({ text, prec: PREC.atom });

/** A number ≥ 0: `3` is an atom; `\frac{3}{5}` is closed but cannot take an exponent. */
const magnitude = (v: Rational): Piece => (v.den === 1n ? atom(`${v.num}`) : { text: `\\frac{${v.num}}{${v.den}}`, prec: PREC.unary });

/** A piece in a position that needs `need`; `followed` when more text comes after it. */
function wrap(p: Piece, need: Prec, followed: boolean): string {
  return p.prec < need || (followed && p.openRight) ? paren(p.text) : p.text;
}

class LatexPrinter {
  private readonly memo = new Map<Expr, Piece>();

  print(e: Expr): Piece {
    const known = this.memo.get(e);
    if (known) return known;
    const p = this.node(e);
    checkOutput(p.text.length);
    this.memo.set(e, p);
    return p;
  }

  /** The full text of `e` where it is enclosed (argument, braces): no parentheses needed. */
  private inner(e: Expr): string {
    return this.print(e).text;
  }

  /** tr(A), norm1(u), norm2(u): `\operatorname{tr}\left(A\right)`, `\left\lVert u\right\rVert_1`, `\left\lVert u\right\rVert_2`. */
  private named(name: "tr" | "norm1" | "norm2", arg: Expr): string {
    if (name === "tr") return `\\operatorname{tr}${paren(this.inner(arg))}`;
    return `\\left\\lVert ${this.inner(arg)}\\right\\rVert_${name === "norm1" ? 1 : 2}`;
  }

  /** `\det\left(A\right)`, `X^{-1}` (`X^{-\top}` transposed), `\left(A B\right)^{-1}`; in index form `\left(X^{-1}\right)_{i j}`. */
  private matfn(e: Extract<Expr, { kind: "matfn" }>, transposed = false): Piece {
    const form = MATRIX_FUNCTIONS[e.fn].latex;
    const arg = this.print(e.arg);
    if ("prefix" in form) return atom(`${form.prefix}${paren(arg.text)}`);
    const power = `${wrap(arg, PREC.atom, true)}^{${transposed ? "-\\top" : form.superscript}}`;
    if (e.at.length === 0) return { text: power, prec: PREC.postfix };
    return atom(`${paren(power)}_{${e.at.map(indexLatex).join(" ")}}`);
  }

  /** `\exp\left(x\right)` or `\left|x\right|`, as the function table spells it. */
  private call(fn: FnName, arg: Expr): Piece {
    // logdet(A) = log(det(A)): \log\det\left(A\right)
    if (fn === "log" && arg.kind === "matfn" && arg.fn === "det") return atom(`\\log${this.matfn(arg).text}`);
    // the constants e = exp(1) and pi = acos(-1), as the parser reads `e` and `pi`
    if (arg.kind === "num" && arg.shape === SCALAR && ((fn === "exp" && Q.isOne(arg.value)) || (fn === "acos" && Q.equals(arg.value, Q.MINUS_ONE))))
      return atom(fn === "exp" ? "\\mathrm{e}" : "\\pi");
    const form = FUNCTION_TABLE[fn].latex;
    if (typeof form !== "string") return atom(`${form.left}${this.inner(arg)}${form.right}`);
    // exp(x)^T for exp(x^T), as in the text form
    if (arg.kind === "transpose" && arg.arg.kind === "sym") return { text: `${form}${paren(this.inner(arg.arg))}^{\\top}`, prec: PREC.postfix };
    return atom(`${form}${paren(this.inner(arg))}`);
  }

  private node(e: Expr): Piece {
    switch (e.kind) {
      case "num":
        if (e.shape !== SCALAR && Q.isZero(e.value)) return atom(`\\mathbf{0}_{${shapeLatex(e.shape)}}`);
        if (e.shape !== SCALAR && Q.isOne(e.value)) return atom(`\\mathbf{1}_{${shapeLatex(e.shape)}}`);
        return this.product(splitProduct(e));
      case "sym":
        return atom(latexName(e.name));
      case "add":
        return this.sum(e);
      case "mul":
        return this.product(splitProduct(e));
      case "pow": {
        const parts = splitProduct(e);
        return isBareFactor(parts) ? this.power(e) : this.product(parts);
      }
      case "call":
        return this.call(e.fn, e.arg);
      case "matmul": {
        // A B x: operands bind tighter than the product; elementwise products get parentheses
        // (a leading 2 (u - v) needs none: 2 (u - v) x^T)
        const pieces = e.factors.map((f, k) => (k === 0 && f.kind === "add" && sumContent(f) ? this.print(f).text : wrap(this.print(f), PREC.unary, k < e.factors.length - 1)));
        return { text: pieces.join(" "), prec: PREC.product, openRight: this.print(e.factors[e.factors.length - 1]!).openRight };
      }
      case "transpose":
        if (e.arg.kind === "matfn") return this.matfn(e.arg, true); // X^{-\top}
        return { text: `${wrap(this.print(e.arg), PREC.atom, true)}^{\\top}`, prec: PREC.postfix };
      case "sum": {
        const named = namedReduction(e);
        if (named) return atom(this.named(named.name, named.arg));
        return atom(`\\operatorname{sum}${paren(this.inner(e.arg))}`);
      }
      case "diag":
        return atom(`\\operatorname{diag}${paren(this.inner(e.arg))}`);
      case "extremum":
        return atom(`\\${e.op}${paren(this.inner(e.arg))}`);
      case "eye":
        return atom(`I_{${sizeLatex(e.size)}}`);
      case "matrix":
        return atom(this.literal(e.items, e.shape));
      case "matfn":
        return this.matfn(e);
      case "entry": {
        const name = nameParts(e.name);
        const base = name.subscripted ? `{${name.text}}` : name.text;
        return atom(`${base}_{${e.at.map(indexLatex).join(" ")}}`);
      }
      case "delta":
        return atom(`\\delta_{${indexLatex(e.a)} ${indexLatex(e.b)}}`);
      case "series": {
        // Σ_{k=1}^{n} body: a sum as body is parenthesized; the Σ reaches to the right
        const body = this.print(e.body);
        return {
          text: `\\sum_{${indexLatex(e.index)}=1}^{${sizeLatex(e.size)}} ${wrap(body, PREC.product, false)}`,
          prec: PREC.unary,
          openRight: true,
        };
      }
      default:
        return assertNever(e);
    }
  }

  /** `a + b - 2 c`, in the shared display order. */
  private sum(e: Extract<Expr, { kind: "add" }>): Piece {
    const content = sumContent(e);
    if (content) return { text: `${content.factor} ${paren(this.terms(content.terms).text)}`, prec: PREC.product };
    return this.terms(sumDisplayOrder(e));
  }

  private terms(shown: readonly DisplayTerm[]): Piece {
    let text = "";
    let openRight = false;
    shown.forEach((t, k) => {
      const last = k === shown.length - 1;
      if (k === 0) {
        const first = this.product(t.negative ? { ...t.parts, negative: true } : t.parts);
        text = wrap(first, PREC.sum, !last);
        openRight = last && first.openRight === true;
        return;
      }
      const term = this.product(t.parts);
      text += ` ${t.negative ? "-" : "+"} ${wrap(term, PREC.product, !last)}`;
      openRight = last && term.openRight === true;
    });
    return { text, prec: PREC.sum, openRight };
  }

  /** `-\frac{3 a x}{2 b}`, `x \oslash y`, `\frac{1}{\sqrt{x}}`. */
  private product(p: ProductParts): Piece {
    const top: Factor[] = [];
    if (p.coefficient.num !== 1n || p.numerator.length === 0) top.push({ ...magnitude(Q.rat(p.coefficient.num)), scalar: true });
    for (const f of p.numerator) top.push({ ...this.print(f), scalar: f.shape === SCALAR });
    const below: Factor[] = [];
    if (p.coefficient.den !== 1n) below.push({ ...magnitude(Q.rat(p.coefficient.den)), scalar: true });
    const elementwise: Factor[] = [];
    for (const f of p.denominator) (f.shape === SCALAR ? below : elementwise).push({ ...this.print(f), scalar: f.shape === SCALAR });

    let body: Piece;
    if (below.length > 0) body = { text: `\\frac{${joinFactors(top).text}}{${joinFactors(below).text}}`, prec: PREC.unary };
    else body = joinFactors(top);

    if (elementwise.length > 0) {
      // u ⊘ v: elementwise division by the non-scalar factors
      const divisor = elementwise.length === 1 ? elementwise[0]! : atom(paren(joinFactors(elementwise).text));
      body = {
        text: `${wrap(body, PREC.product, true)} \\oslash ${wrap(divisor, PREC.unary, false)}`,
        prec: PREC.product,
        openRight: divisor.openRight === true,
      };
    }
    if (!p.negative) return body;
    const prec = body.prec === PREC.product ? PREC.product : PREC.unary;
    return { text: `-${wrap(body, PREC.product, false)}`, prec, openRight: body.openRight === true };
  }

  /** `x^{2}`, `x^{\circ a}`, `\left(-1\right)^{x}`, `\sqrt{x}`. */
  private power(e: Extract<Expr, { kind: "pow" }>): Piece {
    const named = namedReduction(e);
    if (named) return atom(this.named(named.name, named.arg));
    if (isSquareRoot(e)) return atom(`\\sqrt{${this.inner(e.base)}}`);
    const base = wrap(this.print(e.base), PREC.atom, true);
    const exponent = isScalarPower(e) ? this.inner(e.exponent) : `\\circ ${wrap(this.print(e.exponent), PREC.postfix, false)}`;
    return { text: `${base}^{${exponent}}`, prec: PREC.power };
  }

  /** `\begin{bmatrix}a & b \\ c & d\end{bmatrix}`; a column has one entry per row. */
  private literal(items: readonly Expr[], s: Shape): string {
    const cols = s.cols as number;
    const rows: string[] = [];
    let length = 0;
    for (let r = 0; r * cols < items.length; r++) {
      rows.push(items.slice(r * cols, (r + 1) * cols).map((it) => this.inner(it)).join(" & "));
      checkOutput((length += rows[r]!.length + 4)); // the whole is checked before it is joined (a string has a maximum length)
    }
    return `\\begin{bmatrix}${rows.join(" \\\\ ")}\\end{bmatrix}`;
  }
}

/**
 * Factors side by side: `\odot` where both sides are non-scalar (see elementwiseJoins),
 * `\cdot` before a factor that starts with a digit (`2 \cdot 3^{x}`), else a space.
 */
function joinFactors(items: readonly Factor[]): Piece {
  if (items.length === 1) return items[0]!;
  const elementwise = elementwiseJoins(items.map((it) => it.scalar));
  let text = "";
  items.forEach((it, k) => {
    const piece = wrap(it, PREC.unary, k < items.length - 1);
    if (k === 0) text = piece;
    else if (elementwise[k]) text += ` \\odot ${piece}`;
    else text += /^[0-9]/.test(piece) ? ` \\cdot ${piece}` : ` ${piece}`;
  });
  return { text, prec: PREC.product, openRight: items[items.length - 1]!.openRight === true };
}
