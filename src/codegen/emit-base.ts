/**
 * What every loop emitter shares: the kernel's names, its loop variables, output lines,
 * and indexing that follows a batched buffer to the current sample.
 */
import type { Size } from "../core/shape.js";
import type { Naming } from "./emit-el.js";
import type { Buf } from "./ir.js";
import { BATCH } from "./sizes.js";

/** Sizes when choosing a loop order: a batch counts as small, other names as large. */
export const estimate = (s: Size): number => (typeof s === "number" ? s : s === BATCH ? 64 : 1000);

/** Loop variable names of the kernel (reused by every loop: they are block-scoped). */
export interface LoopNames {
  readonly i: string;
  readonly j: string;
  readonly p: string;
}

export class LoopEmitter {
  readonly lines: string[] = [];

  constructor(
    protected readonly naming: Naming,
    protected readonly loops: LoopNames,
  ) {}

  protected emit(...lines: string[]): void {
    for (const l of lines) this.lines.push(l);
  }

  /** buf[index], shifted to the current sample in a batch loop. */
  protected at(buf: Buf, index: string): string {
    const base = this.naming.offset(buf);
    return `${this.naming.buf(buf)}[${base === undefined ? index : `${base} + ${index}`}]`;
  }

  /** `base + ` before an index into a batched buffer, else nothing. */
  protected start(buf: Buf): string {
    const base = this.naming.offset(buf);
    return base === undefined ? "" : `${base} + `;
  }

  /** Fills the first `count` entries (of the current sample). */
  protected fill(buf: Buf, value: string, count: string): string {
    const base = this.naming.offset(buf);
    return base === undefined ? `${this.naming.buf(buf)}.fill(${value}, 0, ${count});` : `${this.naming.buf(buf)}.fill(${value}, ${base}, ${base} + ${count});`;
  }

  /** `const end = n - (n % by);`: where the unrolled loop stops and the remainder starts. */
  protected blockEnd(n: string, by: number): { name: string; line: string } {
    const name = this.naming.fresh("end");
    return { name, line: `const ${name} = ${n} - (${n} % ${by});` };
  }

  /** Code for rows × cols. */
  protected count(rows: Size, cols: Size): string {
    if (rows === 1) return this.naming.size(cols);
    if (cols === 1) return this.naming.size(rows);
    if (typeof rows === "number" && typeof cols === "number") return `${rows * cols}`;
    return `${this.naming.size(rows)} * ${this.naming.size(cols)}`;
  }
}
