/**
 * Building element expressions. They are interned per factory, so a subexpression that
 * occurs twice in one loop body is one object: the emitter computes it once (a `const`),
 * and hoists it out of the inner loop when it depends on the row index only.
 * The builders fold the obvious: x + 0, x * 1, x * 0 (for finite x the kernel cannot
 * tell), numbers combined.
 */
import type { Buf, El, ElFn, Ix, Scal } from "./ir.js";

const bit = (i: Ix): number => (i === "r" ? 1 : i === "c" ? 2 : 0);

/** Loop-index dependencies of reads: a read of a vector depends on the index it uses. */
export const ixDeps = (row: Ix, col: Ix): number => bit(row) | bit(col);

type Fields = { readonly k: El["k"] } & Record<string, unknown>;

export class ElFactory {
  private readonly table = new Map<string, El>();
  private nextId = 0;

  private make(key: string, fields: Fields, deps: number, weight: number, costly: boolean): El {
    const known = this.table.get(key);
    if (known) return known;
    const el = Object.freeze({ ...fields, id: this.nextId++, deps, weight, costly }) as unknown as El;
    this.table.set(key, el);
    return el;
  }

  num(value: number): El {
    // -0 and 0 are one constant here: generated code never relies on the sign of zero
    const v = value === 0 ? 0 : value;
    return this.make(`n${Object.is(v, -0) ? 0 : v}`, { k: "num", value: v }, 0, 1, false);
  }

  scal(s: Scal): El {
    return this.make(`s${s.id}`, { k: "scal", s }, 0, 1, false);
  }

  size(name: string): El {
    return this.make(`z${JSON.stringify(name)}`, { k: "size", size: name }, 0, 1, false);
  }

  read(buf: Buf, row: Ix, col: Ix): El {
    return this.make(`r${buf.id}|${row}|${col}`, { k: "read", buf, row, col }, ixDeps(row, col), 1, false);
  }

  flat(buf: Buf): El {
    return this.make(`f${buf.id}`, { k: "flat", buf }, 1, 1, false);
  }

  delta(): El {
    return this.make("d", { k: "delta" }, 3, 1, false);
  }

  add(terms: readonly El[]): El {
    const flat: El[] = [];
    let constant = 0;
    for (const t of terms) {
      const parts = t.k === "add" ? t.terms : [t];
      for (const p of parts) {
        if (p.k === "num") constant += p.value;
        else flat.push(p);
      }
    }
    if (constant !== 0 || flat.length === 0) flat.push(this.num(constant));
    if (flat.length === 1) return flat[0]!;
    return this.make(`+${flat.map((t) => t.id).join(",")}`, { k: "add", terms: flat }, depsOf(flat), weightOf(flat), flat.some((t) => t.costly));
  }

  mul(factors: readonly El[]): El {
    const flat: El[] = [];
    let coefficient = 1;
    for (const f of factors) {
      const parts = f.k === "mul" ? f.factors : [f];
      for (const p of parts) {
        if (p.k === "num") coefficient *= p.value;
        else flat.push(p);
      }
    }
    if (coefficient === 0 && !flat.some((f) => f.costly)) return this.num(0);
    if (coefficient !== 1 || flat.length === 0) flat.unshift(this.num(coefficient));
    if (flat.length === 1) return flat[0]!;
    return this.make(`*${flat.map((t) => t.id).join(",")}`, { k: "mul", factors: flat }, depsOf(flat), weightOf(flat), flat.some((t) => t.costly));
  }

  neg(a: El): El {
    return this.mul([this.num(-1), a]);
  }

  sub(a: El, b: El): El {
    return this.add([a, this.neg(b)]);
  }

  pow(base: El, exponent: El): El {
    if (exponent.k === "num" && exponent.value === 1) return base;
    if (exponent.k === "num" && exponent.value === 0) return this.num(1);
    if (base.k === "num" && exponent.k === "num") return this.num(Math.pow(base.value, exponent.value));
    const simple = exponent.k === "num" && Number.isInteger(exponent.value) && Math.abs(exponent.value) <= 3;
    return this.make(
      `^${base.id},${exponent.id}`,
      { k: "pow", base, exponent },
      base.deps | exponent.deps,
      base.weight + exponent.weight + 1,
      base.costly || exponent.costly || !simple,
    );
  }

  fn(fn: ElFn, arg: El): El {
    return this.make(`${fn}(${arg.id})`, { k: "fn", fn, arg }, arg.deps, arg.weight + 1, true);
  }
}

const depsOf = (items: readonly El[]): number => items.reduce((d, t) => d | t.deps, 0);
const weightOf = (items: readonly El[]): number => items.reduce((w, t) => w + t.weight, 1);

/** Does the expression read anything per element (is it more than a constant)? */
export const isConstantEl = (e: El): boolean => e.deps === 0;

/** A leaf: reading it again costs nothing worth saving. */
export const isTrivialEl = (e: El): boolean => e.k === "num" || e.k === "scal" || e.k === "size" || e.k === "read" || e.k === "flat";

/**
 * Replaces one index by another everywhere (a vector expression over `r` read over `c`).
 * Renaming r and c into one another puts δ(r,c) on its diagonal, where it is 1.
 */
export function renameIx(f: ElFactory, e: El, from: Ix, to: Ix): El {
  if (from === to) return e;
  const memo = new Map<El, El>();
  const go = (x: El): El => {
    const known = memo.get(x);
    if (known) return known;
    let out: El;
    switch (x.k) {
      case "num":
      case "scal":
      case "size":
        out = x;
        break;
      case "delta":
        out = (from === "c" && to === "r") || (from === "r" && to === "c") ? f.num(1) : x;
        break;
      case "flat":
        throw new Error("internal: flat reads belong to one-index loops and are never renamed");
      case "read":
        out = f.read(x.buf, x.row === from ? to : x.row, x.col === from ? to : x.col);
        break;
      case "add":
        out = f.add(x.terms.map(go));
        break;
      case "mul":
        out = f.mul(x.factors.map(go));
        break;
      case "pow":
        out = f.pow(go(x.base), go(x.exponent));
        break;
      case "fn":
        out = f.fn(x.fn, go(x.arg));
        break;
    }
    memo.set(x, out);
    return out;
  };
  return go(e);
}
