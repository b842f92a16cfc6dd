/**
 * Matrix products as loops:
 *   gemv  dot form (row · vector, 4 rows at a time) or axpy form (4 columns at a time)
 *   gemm  i-k-j for A*B and A'*B (2 rows of the output, 4 k's per pass), i-j-k for A*B'
 *         in 2×4 blocks of dot products, looping first over the larger operand's rows
 * Inner loops run along contiguous rows of the output and the inputs.
 */
import { Nest } from "./emit-el.js";
import { estimate, LoopEmitter } from "./emit-base.js";
import { viewCols, viewRows, type Buf, type BufView, type El } from "./ir.js";

export class ProductEmitter extends LoopEmitter {
  // ---------------------------------------------------------------------------
  // Matrix-vector products

  /** The vector's entry at index `at` (an expression over r), with its setup lines. */
  protected vecAt(vec: El, at: string): { pre: string[]; lines: string[]; text: string } {
    const nest = new Nest(this.naming, at, at, false);
    nest.plan([vec]);
    const text = nest.code(vec, 1).text;
    return { pre: nest.lines[0]!, lines: nest.lines[1]!, text };
  }

  /** target[i] = Σ_p M[i, p] v[p], M row-major: four rows share each load of v. */
  protected gemvDot(target: Buf, mat: BufView, vec: El, accumulate: boolean): void {
    const a = this.naming.size(viewRows(mat));
    const k = this.naming.size(viewCols(mat));
    const { i, p } = this.loops;
    const op = accumulate ? "+=" : "=";
    const v = this.vecAt(vec, p);
    if (v.lines.length > 0) throw new Error("internal: the dot form reads its vector directly");
    const o = [0, 1, 2, 3].map((q) => this.naming.fresh(`o${q}`));
    const s = [0, 1, 2, 3].map((q) => this.naming.fresh(`s${q}`));
    const x = this.naming.fresh("v");
    const end = this.blockEnd(a, 4);
    this.emit(
      ...v.pre,
      end.line,
      `for (let ${i} = 0; ${i} < ${end.name}; ${i} += 4) {`,
      `const ${o[0]} = ${i} * ${k};`,
      ...[1, 2, 3].map((q) => `const ${o[q]} = ${o[q - 1]} + ${k};`),
      `let ${s.join(" = 0, ")} = 0;`,
      `for (let ${p} = 0; ${p} < ${k}; ${p}++) {`,
      `const ${x} = ${v.text};`,
      ...s.map((sq, q) => `${sq} += ${this.at(mat.buf, `${o[q]} + ${p}`)} * ${x};`),
      "}",
      ...s.map((sq, q) => `${this.at(target, q === 0 ? i : `${i} + ${q}`)} ${op} ${sq};`),
      "}",
      `for (let ${i} = ${end.name}; ${i} < ${a}; ${i}++) {`,
      `const ${o[0]} = ${i} * ${k};`,
      `let ${s[0]} = 0;`,
      `for (let ${p} = 0; ${p} < ${k}; ${p}++) ${s[0]} += ${this.at(mat.buf, `${o[0]} + ${p}`)} * ${v.text};`,
      `${this.at(target, i)} ${op} ${s[0]};`,
      "}",
    );
  }

  /** target[i] = Σ_p M[p, i] v[p], M row-major (the view is M'): four rows of M per pass. */
  protected gemvAxpy(target: Buf, mat: BufView, vec: El, accumulate: boolean): void {
    const a = this.naming.size(viewRows(mat));
    const k = this.naming.size(viewCols(mat));
    const { i, p } = this.loops;
    const o = [0, 1, 2, 3].map((q) => this.naming.fresh(`o${q}`));
    const x = [0, 1, 2, 3].map((q) => this.naming.fresh(`x${q}`));
    const block = [0, 1, 2, 3].map((q) => this.vecAt(vec, q === 0 ? p : `(${p} + ${q})`));
    const single = this.vecAt(vec, p);
    const end = this.blockEnd(k, 4);
    this.emit(
      ...block.flatMap((b) => b.pre),
      ...single.pre,
      ...(accumulate ? [] : [this.fill(target, "0", a)]),
      end.line,
      `for (let ${p} = 0; ${p} < ${end.name}; ${p} += 4) {`,
      ...block.flatMap((b, q) => [...b.lines, `const ${x[q]} = ${b.text};`]),
      `const ${o[0]} = ${p} * ${a};`,
      ...[1, 2, 3].map((q) => `const ${o[q]} = ${o[q - 1]} + ${a};`),
      `for (let ${i} = 0; ${i} < ${a}; ${i}++) ${this.at(target, i)} += ${x.map((xq, q) => `${this.at(mat.buf, `${o[q]} + ${i}`)} * ${xq}`).join(" + ")};`,
      "}",
      `for (let ${p} = ${end.name}; ${p} < ${k}; ${p}++) {`,
      ...single.lines,
      `const ${x[0]} = ${single.text};`,
      `const ${o[0]} = ${p} * ${a};`,
      `for (let ${i} = 0; ${i} < ${a}; ${i}++) ${this.at(target, i)} += ${this.at(mat.buf, `${o[0]} + ${i}`)} * ${x[0]};`,
      "}",
    );
  }

  // ---------------------------------------------------------------------------
  // Matrix-matrix products

  protected gemm(target: Buf, A: BufView, Bv: BufView, accumulate: boolean): void {
    if (!Bv.t) this.gemmRows(target, A, Bv, accumulate);
    else if (!A.t) this.gemmDots(target, A, Bv, accumulate);
    else this.gemmStrided(target, A, Bv, accumulate);
  }

  /**
   * T = A*B with B row-major (A plain or transposed): rows i of T accumulate A[i, p]
   * times rows p of B, two rows of T and four p's per pass (each load of B feeds eight
   * multiply-adds), so the inner loop runs along contiguous rows.
   */
  protected gemmRows(target: Buf, A: BufView, Bv: BufView, accumulate: boolean): void {
    const a = this.naming.size(viewRows(A));
    const k = this.naming.size(viewCols(A));
    const b = this.naming.size(viewCols(Bv));
    const { i, j, p } = this.loops;
    const T = this.naming.buf(target);
    // A[row, col]: A row-major a×k, or (a transposed view) stored k×a
    const aAt = (row: string, col: string): string => (A.t ? this.at(A.buf, `(${col}) * ${a} + ${row}`) : this.at(A.buf, `(${row}) * ${k} + ${col}`));
    const endK = this.blockEnd(k, 4);
    const endA = this.blockEnd(a, 2);
    /** The body for `rows` rows of T starting at i. */
    const rowsBlock = (rows: number): string[] => {
      const o = Array.from({ length: rows }, (_, r) => this.naming.fresh(`o${r}`));
      const rowAt = (r: number): string => (r === 0 ? i : `${i} + ${r}`);
      const pass = (width: number): string[] => {
        const x = Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, c) => this.naming.fresh(`x${r}${c}`)));
        const q = Array.from({ length: width }, (_, c) => this.naming.fresh(`q${c}`));
        const bv = Array.from({ length: width }, (_, c) => this.naming.fresh(`b${c}v`));
        const pc = (c: number): string => (c === 0 ? p : `${p} + ${c}`);
        return [
          ...x.flatMap((row, r) => row.map((name, c) => `const ${name} = ${aAt(rowAt(r), pc(c))};`)),
          `const ${q[0]} = ${p} * ${b};`,
          ...q.slice(1).map((name, c) => `const ${name} = ${q[c]} + ${b};`),
          `for (let ${j} = 0; ${j} < ${b}; ${j}++) {`,
          ...bv.map((name, c) => `const ${name} = ${this.at(Bv.buf, `${q[c]} + ${j}`)};`),
          ...o.map((on, r) => `${this.at(target, `${on} + ${j}`)} += ${x[r]!.map((xn, c) => `${xn} * ${bv[c]}`).join(" + ")};`),
          "}",
        ];
      };
      return [
        ...o.map((on, r) => `const ${on} = (${rowAt(r)}) * ${b};`),
        ...(accumulate ? [] : o.map((on) => `${T}.fill(0, ${this.start(target)}${on}, ${this.start(target)}${on} + ${b});`)),
        `for (let ${p} = 0; ${p} < ${endK.name}; ${p} += 4) {`,
        ...pass(4),
        "}",
        `for (let ${p} = ${endK.name}; ${p} < ${k}; ${p}++) {`,
        ...pass(1),
        "}",
      ];
    };
    this.emit(
      endK.line,
      endA.line,
      `for (let ${i} = 0; ${i} < ${endA.name}; ${i} += 2) {`,
      ...rowsBlock(2),
      "}",
      `for (let ${i} = ${endA.name}; ${i} < ${a}; ${i}++) {`,
      ...rowsBlock(1),
      "}",
    );
  }

  /**
   * T = A*N' (A a×k, N b×k, both row-major): every entry is a dot product of two
   * contiguous rows; 2×4 blocks of entries share their loads (8 accumulators). The outer
   * loop runs over the larger operand's rows, so the smaller one is what streams again.
   */
  protected gemmDots(target: Buf, A: BufView, Bv: BufView, accumulate: boolean): void {
    const rowsA = viewRows(A);
    const rowsN = viewCols(Bv);
    const a = this.naming.size(rowsA);
    const k = this.naming.size(viewCols(A));
    const b = this.naming.size(rowsN);
    const { i, j, p } = this.loops;
    const op = accumulate ? "+=" : "=";
    const block = (bi: number, bj: number): string[] => {
      const ra = Array.from({ length: bi }, (_, r) => this.naming.fresh(`a${r}`));
      const rn = Array.from({ length: bj }, (_, c) => this.naming.fresh(`n${c}`));
      const acc = Array.from({ length: bi }, (_, r) => Array.from({ length: bj }, (_, c) => this.naming.fresh(`s${r}${c}`)));
      const va = ra.map((r) => this.naming.fresh(`${r}v`));
      const vn = rn.map((c) => this.naming.fresh(`${c}v`));
      const iAt = (r: number): string => (r === 0 ? i : `${i} + ${r}`);
      const jAt = (c: number): string => (c === 0 ? j : `${j} + ${c}`);
      return [
        ...ra.map((r, n) => `const ${r} = (${iAt(n)}) * ${k};`),
        ...rn.map((c, n) => `const ${c} = (${jAt(n)}) * ${k};`),
        `let ${acc.flat().join(" = 0, ")} = 0;`,
        `for (let ${p} = 0; ${p} < ${k}; ${p}++) {`,
        ...ra.map((r, n) => `const ${va[n]} = ${this.at(A.buf, `${r} + ${p}`)};`),
        ...rn.map((c, n) => `const ${vn[n]} = ${this.at(Bv.buf, `${c} + ${p}`)};`),
        ...acc.flatMap((row, r) => row.map((s, c) => `${s} += ${va[r]} * ${vn[c]};`)),
        "}",
        ...acc.flatMap((row, r) => row.map((s, c) => `${this.at(target, `(${iAt(r)}) * ${b} + ${jAt(c)}`)} ${op} ${s};`)),
      ];
    };
    const endI = this.blockEnd(a, 2);
    const endJ = this.blockEnd(b, 4);
    const iLoops = (body: (bi: number) => string[]): string[] => [
      `for (let ${i} = 0; ${i} < ${endI.name}; ${i} += 2) {`,
      ...body(2),
      "}",
      `for (let ${i} = ${endI.name}; ${i} < ${a}; ${i}++) {`,
      ...body(1),
      "}",
    ];
    const jLoops = (body: (bj: number) => string[]): string[] => [
      `for (let ${j} = 0; ${j} < ${endJ.name}; ${j} += 4) {`,
      ...body(4),
      "}",
      `for (let ${j} = ${endJ.name}; ${j} < ${b}; ${j}++) {`,
      ...body(1),
      "}",
    ];
    const nOuter = estimate(rowsN) > estimate(rowsA);
    this.emit(endI.line, endJ.line, ...(nOuter ? jLoops((bj) => iLoops((bi) => block(bi, bj))) : iLoops((bi) => jLoops((bj) => block(bi, bj)))));
  }

  /** T = M'*N' (both stored transposed): T[i, j] = Σ_p M[p, i] N[j, p]. Rare; one plain loop. */
  protected gemmStrided(target: Buf, A: BufView, Bv: BufView, accumulate: boolean): void {
    const a = this.naming.size(viewRows(A));
    const k = this.naming.size(viewCols(A));
    const b = this.naming.size(viewCols(Bv));
    const { i, j, p } = this.loops;
    const s = this.naming.fresh("s");
    this.emit(
      `for (let ${i} = 0; ${i} < ${a}; ${i}++) {`,
      `for (let ${j} = 0; ${j} < ${b}; ${j}++) {`,
      `let ${s} = 0;`,
      `for (let ${p} = 0; ${p} < ${k}; ${p}++) ${s} += ${this.at(A.buf, `${p} * ${a} + ${i}`)} * ${this.at(Bv.buf, `${j} * ${k} + ${p}`)};`,
      `${this.at(target, `${i} * ${b} + ${j}`)} ${accumulate ? "+=" : "="} ${s};`,
      "}",
      "}",
    );
  }
}
