/**
 * Names in a kernel's code: the user names reserved in the module, and the locals each
 * buffer, scalar and size is called by inside one kernel function.
 */
import type { Size } from "../core/shape.js";
import type { Naming } from "./emit-el.js";
import type { Buf, Scal } from "./ir.js";
import { safeName, type NameTable } from "./names.js";
import { BATCH } from "./sizes.js";
import type { KernelSpec } from "./spec.js";

/** Every user name a kernel's code may contain (reserved before any internal name). */
export function userNames(spec: KernelSpec): string[] {
  const p = spec.program;
  return [spec.name, ...p.decls.keys(), ...p.sizes.keys(), ...p.defs.keys(), ...p.uses.keys(), ...spec.outputs.map((o) => o.key)].map((n) => safeName(n));
}

export class KernelNaming implements Naming {
  readonly bufs = new Map<Buf, string>();
  readonly scals = new Map<Scal, string>();
  private readonly sizes = new Map<string, string>();
  readonly usedSizes = new Set<string>();
  offsets: ReadonlyMap<Buf, string> | undefined;
  private readonly claimed = new Set<string>();

  /** @param own user names a value may be called by when it is that name's value (definitions) */
  constructor(
    private readonly table: NameTable,
    private readonly own: ReadonlySet<string>,
  ) {}

  /** A local for a value: its definition's own name when it has one (once), else a fresh name. */
  claim(hint: string): string {
    if (this.own.has(hint) && !this.claimed.has(hint)) {
      this.claimed.add(hint);
      return safeName(hint);
    }
    return this.table.fresh(hint);
  }

  buf(b: Buf): string {
    const name = this.bufs.get(b);
    if (name === undefined) throw new Error(`internal: buffer ${b.hint} has no name`);
    return name;
  }

  offset(b: Buf): string | undefined {
    return this.offsets?.get(b);
  }

  scal(s: Scal): string {
    let name = this.scals.get(s);
    if (name === undefined) {
      name = this.claim(s.hint);
      this.scals.set(s, name);
    }
    return name;
  }

  size(s: Size): string {
    if (typeof s === "number") return `${s}`;
    this.usedSizes.add(s);
    let name = this.sizes.get(s);
    if (name === undefined) {
      name = s === BATCH ? this.table.fresh("batch") : safeName(s);
      this.sizes.set(s, name);
    }
    return name;
  }

  fresh(hint: string): string {
    return this.table.fresh(hint);
  }
}
