/**
 * The buffers and scalars of one kernel, numbered in the order they are made: the inputs
 * (one per declared name, made when first read), the outputs, scratch, and fresh scalars.
 */
import type { Program } from "../core/program.js";
import type { Shape, Size } from "../core/shape.js";
import type { Buf, Scal } from "./ir.js";

/** Makes and numbers the buffers and scalars of one kernel (lower.ts). */
export class Buffers {
  /** The buffers of the declared values read so far, by name. */
  readonly inputBufs = new Map<string, Buf>();
  /** The scalar inputs read so far, by name. */
  readonly inputScals = new Map<string, Scal>();
  /** The scratch buffers, in the order they were made. */
  readonly scratchBufs: Buf[] = [];
  private nextId = 1;

  constructor(private readonly program: Program) {}

  /** A new scratch buffer (with `dims`, one of a loop nest). */
  scratch(rows: Size, cols: Size, hint: string, dims?: readonly Size[]): Buf {
    const buf: Buf = { id: this.nextId++, rows, cols, role: "scratch", hint, key: undefined, batched: false, ...(dims ? { dims } : {}) };
    this.scratchBufs.push(buf);
    return buf;
  }

  /** A new scalar (a `const` of the kernel). */
  newScal(hint: string): Scal {
    return { id: this.nextId++, hint, input: false, batched: false };
  }

  /** The buffer of the output `key`, of a (non-scalar) shape (with `dims`, one of a loop nest). */
  output(shape: Shape, key: string, dims?: readonly Size[]): Buf {
    return { id: this.nextId++, rows: shape.rows, cols: shape.cols, role: "output", hint: key, key, batched: false, ...(dims ? { dims } : {}) };
  }

  /** The buffer of a declared value (made once). */
  input(name: string): Buf {
    let b = this.inputBufs.get(name);
    if (!b) {
      const decl = this.program.decls.get(name);
      if (!decl) throw new Error(`internal: ${name} is not a declared value`);
      b = { id: this.nextId++, rows: decl.shape.rows, cols: decl.shape.cols, role: "input", hint: name, key: name, batched: false };
      this.inputBufs.set(name, b);
    }
    return b;
  }

  /** The scalar of a declared scalar value (made once). */
  inputScal(name: string): Scal {
    let s = this.inputScals.get(name);
    if (!s) {
      s = { id: this.nextId++, hint: name, input: true, batched: false };
      this.inputScals.set(name, s);
    }
    return s;
  }
}
