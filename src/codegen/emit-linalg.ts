/**
 * The LU steps to statements (the kernels' counterpart of eval/linalg.ts):
 *   lu     copy A, then partial pivoting: P A = L U packed in place, the row order, and the
 *          permutation's sign (0 when a pivot is 0: a singular matrix)
 *   luDet  det = sign Π u_ii; logdet = Σ log|u_ii| (NaN for det < 0, -Infinity when singular)
 *   solve  X = inv(A) B by forward and back substitution (B the identity for inv(A) itself);
 *          every entry NaN when A is singular
 */
import type { Size } from "../core/shape.js";
import { ProductEmitter } from "./emit-products.js";
import type { Buf, BufView, Step } from "./ir.js";
import { viewCols } from "./ir.js";

export class LinalgEmitter extends ProductEmitter {
  /** F[i, j] of an n×n buffer. */
  private entry(b: Buf, n: string, i: string, j: string): string {
    return this.at(b, `${i} * ${n} + ${j}`);
  }

  /** Element (i, j) of a view with `cols` columns. */
  private viewAt(v: BufView, i: string, j: string): string {
    const cols = this.naming.size(v.buf.cols);
    return v.t ? this.at(v.buf, `${j} * ${cols} + ${i}`) : this.at(v.buf, `${i} * ${cols} + ${j}`);
  }

  protected lu(s: Extract<Step, { k: "lu" }>): void {
    const { i, j, p } = this.loops;
    const n = this.naming.size(s.factors.rows);
    const F = (a: string, b: string): string => this.entry(s.factors, n, a, b);
    const [sign, best, pivot, t, l] = [this.naming.scal(s.sign), this.naming.fresh("best"), this.naming.fresh("pivot"), this.naming.fresh("t"), this.naming.fresh("l")];
    this.emit(
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      `${this.at(s.perm, i)} = ${i};`,
      `for (let ${j} = 0; ${j} < ${n}; ${j}++) ${F(i, j)} = ${this.viewAt(s.a, i, j)};`,
      "}",
      `let ${sign} = 1;`,
      `for (let ${p} = 0; ${p} < ${n}; ${p}++) {`,
      `let ${best} = ${p};`,
      `for (let ${i} = ${p} + 1; ${i} < ${n}; ${i}++) if (Math.abs(${F(i, p)}) > Math.abs(${F(best, p)})) ${best} = ${i};`,
      `if (${best} !== ${p}) {`,
      `for (let ${j} = 0; ${j} < ${n}; ${j}++) {`,
      `const ${t} = ${F(p, j)};`,
      `${F(p, j)} = ${F(best, j)};`,
      `${F(best, j)} = ${t};`,
      "}",
      `const ${t} = ${this.at(s.perm, p)};`,
      `${this.at(s.perm, p)} = ${this.at(s.perm, best)};`,
      `${this.at(s.perm, best)} = ${t};`,
      `${sign} = -${sign};`,
      "}",
      `const ${pivot} = ${F(p, p)};`,
      `if (${pivot} === 0) {`,
      `${sign} = 0;`,
      "continue;",
      "}",
      `for (let ${i} = ${p} + 1; ${i} < ${n}; ${i}++) {`,
      `const ${l} = (${F(i, p)} /= ${pivot});`,
      `if (${l} !== 0) for (let ${j} = ${p} + 1; ${j} < ${n}; ${j}++) ${F(i, j)} -= ${l} * ${F(p, j)};`,
      "}",
      "}",
    );
  }

  protected luDet(s: Extract<Step, { k: "luDet" }>): void {
    const { i } = this.loops;
    const n = this.naming.size(s.factors.rows);
    const [sign, target, acc] = [this.naming.scal(s.sign), this.naming.scal(s.target), this.naming.fresh(s.log ? "sum" : "prod")];
    const u = this.entry(s.factors, n, i, i);
    if (!s.log) {
      this.emit(`let ${acc} = ${sign};`, `for (let ${i} = 0; ${i} < ${n}; ${i}++) ${acc} *= ${u};`, `const ${target} = ${acc} + 0;` /* 0, not -0, when singular */);
      return;
    }
    const [neg, d] = [this.naming.fresh("neg"), this.naming.fresh("u")];
    this.emit(
      `let ${acc} = 0;`,
      `let ${neg} = ${sign};`,
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      `const ${d} = ${u};`,
      `if (${d} < 0) ${neg} = -${neg};`,
      `${acc} += Math.log(Math.abs(${d}));`,
      "}",
      `const ${target} = ${sign} === 0 ? -Infinity : ${neg} < 0 ? NaN : ${acc};`,
    );
  }

  protected solve(s: Extract<Step, { k: "solve" }>): void {
    const { i, j, p } = this.loops;
    const n = this.naming.size(s.factors.rows);
    const m = this.naming.size(s.b ? viewCols(s.b) : s.factors.rows);
    const F = (a: string, b: string): string => this.entry(s.factors, n, a, b);
    const X = (a: string, b: string): string => this.at(s.target, `${a} * ${m} + ${b}`);
    const [sign, row, f] = [this.naming.scal(s.sign), this.naming.fresh("row"), this.naming.fresh("f")];
    const rhs = s.b ? this.viewAt(s.b, row, j) : `${row} === ${j} ? 1 : 0`;
    this.emit(
      `if (${sign} === 0) ${this.fill(s.target, "NaN", this.count(s.target.rows, s.target.cols as Size))}`,
      "else {",
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      `const ${row} = ${this.at(s.perm, i)};`,
      `for (let ${j} = 0; ${j} < ${m}; ${j}++) ${X(i, j)} = ${rhs};`,
      "}",
      `for (let ${i} = 1; ${i} < ${n}; ${i}++)`,
      `for (let ${p} = 0; ${p} < ${i}; ${p}++) {`,
      `const ${f} = ${F(i, p)};`,
      `if (${f} !== 0) for (let ${j} = 0; ${j} < ${m}; ${j}++) ${X(i, j)} -= ${f} * ${X(p, j)};`,
      "}",
      `for (let ${i} = ${n} - 1; ${i} >= 0; ${i}--) {`,
      `for (let ${p} = ${i} + 1; ${p} < ${n}; ${p}++) {`,
      `const ${f} = ${F(i, p)};`,
      `if (${f} !== 0) for (let ${j} = 0; ${j} < ${m}; ${j}++) ${X(i, j)} -= ${f} * ${X(p, j)};`,
      "}",
      `const ${f} = ${F(i, i)};`,
      `for (let ${j} = 0; ${j} < ${m}; ${j}++) ${X(i, j)} /= ${f};`,
      "}",
      "}",
    );
  }
}
