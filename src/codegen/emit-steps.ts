/**
 * Steps to statements. Each step is one loop nest (or a few, for softmax):
 *   map      target[i, j] = body            elementwise chains fused into one loop
 *   reduce   t = Σ body                     an accumulator loop
 *   softmax  max pass, exp-and-sum pass, scale pass (max-shifted: finite for any shift)
 *   linemax  the maximum of each row (or column), the shift of a row-wise softmax
 *   norm2    max-|u| pass, scaled sum-of-squares pass (m sqrt(Σ (u/m)²), as hypot: finite where the norm is)
 *   gemv     dot form (row · vector, 4 rows at a time) or axpy form (4 columns at a time)
 *   gemm     loop order chosen so the inner loop runs along contiguous rows
 *            (i-k-j for A*B and A'*B, 4 k's per pass; i-j-k for A*B' in 2×4 blocks)
 *   lu, luDet, solve   LU with partial pivoting, det and logdet, solves (emit-linalg.ts)
 * Loops over matrices keep the inner index contiguous in the output and the inputs.
 */
import type { Size } from "../core/shape.js";
import { Nest } from "./emit-el.js";
import { LinalgEmitter } from "./emit-linalg.js";
import { nestLines } from "./emit-loops.js";
import type { Buf, El, Step } from "./ir.js";

export type { LoopNames } from "./emit-base.js";
export class StepEmitter extends LinalgEmitter {
  step(s: Step): void {
    switch (s.k) {
      case "scalar": {
        const nest = new Nest(this.naming, undefined, undefined, false);
        nest.plan([s.value]);
        const text = nest.code(s.value, 0).text;
        this.emit(...nest.lines[0]!, `const ${this.naming.scal(s.target)} = ${text};`);
        return;
      }
      case "literal": {
        const nest = new Nest(this.naming, undefined, undefined, false);
        nest.plan(s.items);
        const assigns = s.items.map((it, k) => `${this.naming.buf(s.target)}[${k}] = ${nest.code(it, 0).text};`);
        this.emit(...nest.lines[0]!, ...assigns);
        return;
      }
      case "map":
        this.map(s.target, s.body, s.diag, s.accumulate);
        return;
      case "reduce":
        this.reduce(this.naming.scal(s.target), s.rows, s.cols, s.body);
        return;
      case "softmax":
        this.softmax(s);
        return;
      case "norm2":
        this.norm2(s);
        return;
      case "linemax":
        this.lineMax(s);
        return;
      case "gemv":
        if (s.mat.t) this.gemvAxpy(s.target, s.mat, s.vec, s.accumulate);
        else this.gemvDot(s.target, s.mat, s.vec, s.accumulate);
        return;
      case "gemm":
        this.gemm(s.target, s.a, s.b, s.accumulate);
        return;
      case "lu":
        this.lu(s);
        return;
      case "luDet":
        this.luDet(s);
        return;
      case "solve":
        this.solve(s);
        return;
      case "nest":
        this.emit(...nestLines(s, this.naming));
        return;
      default: {
        const never: never = s;
        throw new Error(`internal: unknown step ${JSON.stringify(never)}`);
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Elementwise

  private map(target: Buf, body: El, diag: El | undefined, accumulate: boolean): void {
    const { rows, cols } = target;
    const { i, j } = this.loops;
    const op = accumulate ? "+=" : "=";
    if (body.deps === 0 && !accumulate) {
      const nest = new Nest(this.naming, undefined, undefined, false);
      nest.plan([body]);
      const v = nest.code(body, 0).text;
      this.emit(...nest.lines[0]!, this.fill(target, v, this.count(rows, cols)));
    } else if (rows !== 1 && cols !== 1) {
      const nest = new Nest(this.naming, i, j, true);
      nest.plan(diag ? [body, diag] : [body]);
      const rhs = nest.code(body, 2).text;
      const at = nest.index(target, "r", "c");
      // the diagonal part, after each row: target[i, i] += diag(i)
      const onDiagonal = diag ? [`${this.at(target, `${i} * ${this.naming.size(cols)} + ${i}`)} += ${nest.code(diag, 1).text};`] : [];
      diag = undefined;
      this.emit(
        ...nest.lines[0]!,
        `for (let ${i} = 0; ${i} < ${this.naming.size(rows)}; ${i}++) {`,
        ...nest.lines[1]!,
        `for (let ${j} = 0; ${j} < ${this.naming.size(cols)}; ${j}++) {`,
        ...nest.lines[2]!,
        `${this.naming.buf(target)}[${at}] ${op} ${rhs};`,
        "}",
        ...onDiagonal,
        "}",
      );
    } else {
      const nest = new Nest(this.naming, i, i, false);
      nest.plan([body]);
      const rhs = nest.code(body, 1).text;
      this.emit(
        ...nest.lines[0]!,
        `for (let ${i} = 0; ${i} < ${this.count(rows, cols)}; ${i}++) {`,
        ...nest.lines[1]!,
        `${this.at(target, i)} ${op} ${rhs};`,
        "}",
      );
    }
    if (diag) {
      // the diagonal part (of a constant map): target[i, i] += diag(i)
      const nest = new Nest(this.naming, i, i, false);
      nest.plan([diag]);
      const rhs = nest.code(diag, 1).text;
      const n = this.naming.size(cols);
      this.emit(...nest.lines[0]!, `for (let ${i} = 0; ${i} < ${this.naming.size(rows)}; ${i}++) {`, ...nest.lines[1]!, `${this.at(target, `${i} * ${n} + ${i}`)} += ${rhs};`, "}");
    }
  }

  private reduce(name: string, rows: Size, cols: Size, body: El): void {
    const { i, j } = this.loops;
    if (rows !== 1 && cols !== 1) {
      const nest = new Nest(this.naming, i, j, true);
      nest.plan([body]);
      const rhs = nest.code(body, 2).text;
      this.emit(
        ...nest.lines[0]!,
        `let ${name} = 0;`,
        `for (let ${i} = 0; ${i} < ${this.naming.size(rows)}; ${i}++) {`,
        ...nest.lines[1]!,
        `for (let ${j} = 0; ${j} < ${this.naming.size(cols)}; ${j}++) {`,
        ...nest.lines[2]!,
        `${name} += ${rhs};`,
        "}",
        "}",
      );
      return;
    }
    // one accumulator, as written by hand: V8 runs this as fast as unrolled variants here
    const n = this.count(rows, cols);
    const nest = new Nest(this.naming, i, i, false);
    nest.plan([body]);
    const rhs = nest.code(body, 1).text;
    this.emit(...nest.lines[0]!, `let ${name} = 0;`, `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`, ...nest.lines[1]!, `${name} += ${rhs};`, "}");
  }

  /** max pass; exp(u - max) and its sum; scale by 1/sum; lse = max + log(sum). */
  private softmax(s: Extract<Step, { k: "softmax" }>): void {
    const { i } = this.loops;
    const n = this.count(s.rows, s.cols);
    const out = s.out ? this.naming.buf(s.out) : undefined;
    const max = this.naming.fresh("max");
    const sum = this.naming.fresh("sum");
    const v = this.naming.fresh("v");
    const first = new Nest(this.naming, i, i, false);
    first.plan([s.u]);
    const u1 = first.code(s.u, 1).text;
    const keep = out !== undefined && s.u.k !== "flat" && s.u.k !== "read";
    this.emit(
      ...first.lines[0]!,
      `let ${max} = -Infinity;`,
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      ...first.lines[1]!,
      `const ${v} = ${u1};`,
      ...(keep ? [`${this.at(s.out!, i)} = ${v};`] : []),
      `if (${v} > ${max}) ${max} = ${v};`,
      "}",
    );
    const second = new Nest(this.naming, i, i, false);
    let u2: string;
    if (keep) u2 = this.at(s.out!, i);
    else {
      second.plan([s.u]);
      u2 = second.code(s.u, 1).text;
    }
    const e = this.naming.fresh("e");
    this.emit(
      ...second.lines[0]!,
      `let ${sum} = 0;`,
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      ...second.lines[1]!,
      ...(out ? [`const ${e} = Math.exp(${u2} - ${max});`, `${this.at(s.out!, i)} = ${e};`, `${sum} += ${e};`] : [`${sum} += Math.exp(${u2} - ${max});`]),
      "}",
    );
    if (out) {
      const inv = this.naming.fresh("scale");
      this.emit(`const ${inv} = 1 / ${sum};`, `for (let ${i} = 0; ${i} < ${n}; ${i}++) ${this.at(s.out!, i)} *= ${inv};`);
    }
    if (s.lse) this.emit(`const ${this.naming.scal(s.lse)} = ${max} + Math.log(${sum});`);
  }

  /** target[r] = max_c u[r, c] (byRows) or target[c] = max_r u[r, c] (min likewise), NaN kept; a shift that is not finite becomes 0. */
  private lineMax(s: Extract<Step, { k: "linemax" }>): void {
    const { i, j } = this.loops;
    const nest = new Nest(this.naming, i, j, true);
    nest.plan([s.u]);
    const v = this.naming.fresh("v");
    const value = nest.code(s.u, 2).text;
    const at = this.at(s.target, s.byRows ? i : j);
    const lines = this.naming.size(s.byRows ? s.rows : s.cols);
    const [start, beyond] = s.op === "max" ? ["-Infinity", ">"] : ["Infinity", "<"];
    this.emit(
      ...nest.lines[0]!,
      this.fill(s.target, start, lines),
      `for (let ${i} = 0; ${i} < ${this.naming.size(s.rows)}; ${i}++) {`,
      ...nest.lines[1]!,
      `for (let ${j} = 0; ${j} < ${this.naming.size(s.cols)}; ${j}++) {`,
      ...nest.lines[2]!,
      `const ${v} = ${value};`,
      `if (${v} ${beyond} ${at} || ${v} !== ${v}) ${at} = ${v};`,
      "}",
      "}",
      ...(s.shift ? [`for (let ${i} = 0; ${i} < ${lines}; ${i}++) if (!Number.isFinite(${this.at(s.target, i)})) ${this.at(s.target, i)} = 0;`] : []),
    );
  }

  /** m = max |u| (NaN kept); norm = m sqrt(Σ (u/m)²) for 0 < m < ∞, else m (0, ∞ or NaN). */
  private norm2(s: Extract<Step, { k: "norm2" }>): void {
    const { i } = this.loops;
    const n = this.count(s.rows, s.cols);
    const max = this.naming.fresh("max");
    const sum = this.naming.fresh("sum");
    const v = this.naming.fresh("v");
    const nests = [1, 2].map(() => {
      const nest = new Nest(this.naming, i, i, false);
      nest.plan([s.u]);
      return { nest, u: nest.code(s.u, 1).text };
    });
    const [first, second] = nests as [(typeof nests)[0], (typeof nests)[0]];
    this.emit(
      ...first.nest.lines[0]!,
      `let ${max} = 0;`,
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      ...first.nest.lines[1]!,
      `const ${v} = Math.abs(${first.u});`,
      `if (${v} > ${max} || ${v} !== ${v}) ${max} = ${v};`,
      "}",
      `let ${sum} = 0;`,
      `if (${max} > 0 && ${max} < Infinity) {`,
      ...second.nest.lines[0]!,
      `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      ...second.nest.lines[1]!,
      `const ${v} = ${second.u} / ${max};`,
      `${sum} += ${v} * ${v};`,
      "}",
      "}",
      `const ${this.naming.scal(s.target)} = ${max} > 0 && ${max} < Infinity ? ${max} * Math.sqrt(${sum}) : ${max};`,
    );
  }
}
