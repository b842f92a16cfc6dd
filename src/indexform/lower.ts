/**
 * Lowering: matrix-level expressions to index form (Ricci notation).
 *   (W*x)[i]     = Σ_k W[i,k] x[k]
 *   sum(u)       = Σ_k u[k]
 *   diag(v)[i,j] = δ(i,j) v[i]
 *   (A')[i,j]    = A[j,i]
 *   inv(A)[i,j]  (an opaque entry; det(A) an opaque scalar)
 * Definitions are inlined (unless asked not to), so the result mentions declared names only. An index of
 * `null` stands for a dimension of size 1. With `unroll`, sums over concrete sizes
 * are written out term by term and indices may be fixed positions ("1", "2", …):
 * that is the element-wise view.
 */
import * as B from "../core/build.js";
import { JacobiError } from "../core/errors.js";
import { assertNever, type Expr, type Index } from "../core/expr.js";
import { checkDepth, LIMITS } from "../core/limits.js";
import type { Program } from "../core/program.js";
import { SCALAR, type Size } from "../core/shape.js";
import { forEachNode } from "../core/traverse.js";

/** A node index form cannot write (max, min): the sweeps (grad, vjp, jvp) serve instead. */
export class NoIndexForm extends JacobiError {
  constructor(message: string) {
    super("unsupported", message);
  }
}

export interface LowerOptions {
  /** Write out sums over concrete sizes (the element-wise view). */
  readonly unroll?: boolean;
  /** Replace definitions by their bodies (default); off, a definition stays an entry `s[i]`. */
  readonly inline?: boolean;
  /** Definitions not inlined even so: they stay entries `z[i]` (a definition differentiated by). */
  readonly keep?: ReadonlySet<string>;
}

/** Placeholder indices of a lowered definition (renamed at each use). */
const DEF_ROW = "_dr";
const DEF_COL = "_dc";

/** The names a matrix-level expression mentions (as values). */
function namesIn(e: Expr): Set<string> {
  const names = new Set<string>();
  forEachNode(e, (x) => void (x.kind === "sym" && names.add(x.name)));
  return names;
}

export class Lowerer {
  private readonly memo = new Map<string, Expr>();
  private fresh = 0;
  private readonly unroll: boolean;
  private readonly inline: boolean;
  private readonly keep: ReadonlySet<string>;

  constructor(
    readonly program: Program,
    options: LowerOptions = {},
  ) {
    this.unroll = options.unroll ?? false;
    this.inline = options.inline ?? true;
    this.keep = options.keep ?? new Set();
  }

  /** Each definition, lowered once at the placeholder indices, and its nesting depth. */
  private readonly defs = new Map<string, [Expr, number]>();

  /** The entry (row, col) of `e`; `null` for a dimension of size 1. */
  lower(e: Expr, row: Index | null, col: Index | null): Expr {
    checkDepth(e.depth);

    const r = e.shape.rows === 1 ? null : row;
    const c = e.shape.cols === 1 ? null : col;
    if (e.shape.rows !== 1 && r === null) throw new Error("internal: missing row index");
    if (e.shape.cols !== 1 && c === null) throw new Error("internal: missing column index");
    const key = `${e.id}|${r}|${c}`;
    const known = this.memo.get(key);
    if (known) return known;
    const out = this.node(e, r, c);
    this.memo.set(key, out);
    return out;
  }

  private tempIndex(): Index {
    return `t${++this.fresh}`;
  }

  /** Σ over a size: a series node, or written out when unrolling a concrete size. */
  private sumOver(index: Index, size: Size, body: Expr): Expr {
    if (!this.unroll) return B.series(index, size, body);
    if (typeof size !== "number") throw new JacobiError("unsupported", `the element-wise view needs concrete sizes, but a size is '${size}'`);
    if (size > LIMITS.maxEntries) throw new JacobiError("limit", `size ${size} is too large to write out element by element`);
    const terms: Expr[] = [];
    for (let p = 1; p <= size; p++) terms.push(B.renameIndex(body, index, `${p}`));
    return B.addAll(terms);
  }

  private node(e: Expr, r: Index | null, c: Index | null): Expr {
    switch (e.kind) {
      case "num":
        return B.num(e.value);
      case "sym":
        return this.name(e.name, e, r, c);
      case "add":
        return B.addAll(e.terms.map((t) => this.lower(t, r, c)));
      case "mul":
        return B.mulAll(e.factors.map((f) => this.lower(f, r, c)));
      case "pow":
        return B.pow(this.lower(e.base, r, c), this.lower(e.exponent, r, c));
      case "call":
        return B.call(e.fn, this.lower(e.arg, r, c));
      case "transpose":
        // (A')[i,j] = A[j,i]
        return this.lower(e.arg, c, r);
      case "matmul":
        return this.matmul(e.factors, r, c);
      case "sum": {
        // sum(u) = Σ_p Σ_q u[p,q]
        const p = e.arg.shape.rows === 1 ? null : this.tempIndex();
        const q = e.arg.shape.cols === 1 ? null : this.tempIndex();
        let body = this.lower(e.arg, p, q);
        if (q !== null) body = this.sumOver(q, e.arg.shape.cols, body);
        if (p !== null) body = this.sumOver(p, e.arg.shape.rows, body);
        return body;
      }
      case "diag":
        // diag(v)[i,j] = δ(i,j) v[i];  diag(A)[i] = A[i,i]
        if (e.arg.shape.cols === 1) return B.mul(B.delta(r!, c!), this.lower(e.arg, r, null));
        return this.lower(e.arg, r, r);
      case "eye":
        // I[i,j] = δ(i,j)
        return B.delta(r!, c!);
      case "matrix": {
        // [a, b, …][i] = Σ_p item_p δ(i,p) over the fixed positions p
        const cols = e.shape.cols as number;
        return B.addAll(
          e.items.map((item, k) => {
            const rowFix = r === null ? B.ONE : B.delta(r, `${Math.floor(k / cols) + 1}`);
            const colFix = c === null ? B.ONE : B.delta(c, `${(k % cols) + 1}`);
            return B.mul(this.lower(item, null, null), rowFix, colFix);
          }),
        );
      }
      case "matfn": {
        // det(A) is a scalar atom; inv(A)[i,j] an opaque entry of the inverse (A matrix-level, definitions inlined)
        if (e.at.length > 0) return e; // already index form
        const m = e.fn === "det" ? B.det(this.inlined(e.arg)) : B.inv(this.inlined(e.arg));
        if (m.kind !== "matfn" || m.fn === "det") return m.shape === SCALAR ? m : this.lower(m, r, c);
        if (r === null || c === null) throw new Error("internal: an inverse without indices");
        return B.matfnAt(m, r, c);
      }
      case "extremum":
        // index form has no maximum over an index: max and min are differentiated by the sweeps (grad, vjp, jvp)
        throw new NoIndexForm(`${e.op}(…) is differentiated by grad, vjp and jvp, not in index form (jacobian, hessian, --elementwise)`);
      case "entry":
      case "delta":
      case "series":
        return e; // already index form
      default:
        return assertNever(e);
    }
  }

  private readonly inlinedMemo = new Map<Expr, Expr>();

  /** A matrix-level argument (of det, inv) with its definitions replaced by their bodies (when inlining). */
  private inlined(e: Expr): Expr {
    if (!this.inline) return e;
    let out = this.inlinedMemo.get(e);
    if (!out) {
      out = B.mapBottomUp(e, (x) => {
        const def = x.kind === "sym" ? this.program.defs.get(x.name) : undefined;
        return def ? this.inlined(def.expr) : x;
      });
      this.inlinedMemo.set(e, out);
    }
    return out;
  }

  /** A named value: a declared entry, an inlined definition, or a scalar name. */
  private name(name: string, e: Expr, r: Index | null, c: Index | null): Expr {
    const def = this.inline && !this.keep.has(name) ? this.program.defs.get(name) : undefined;
    if (def) {
      // The definition's entry at the placeholder indices, renamed to the ones asked for.
      const [body, depth] = this.definition(name);
      if (depth > LIMITS.maxDefinitionNesting)
        throw new JacobiError("limit", `definitions inside definitions nest too deeply (the limit is ${LIMITS.maxDefinitionNesting})`);
      return B.renameIndex(B.renameIndex(body, DEF_ROW, r ?? DEF_ROW), DEF_COL, c ?? DEF_COL);
    }
    if (r === null && c === null) return e;
    return B.entry(name, [r, c].filter((i): i is Index => i !== null));
  }

  /**
   * A definition lowered at placeholder indices, with how many definitions nest in it.
   * Definitions are lowered once each, in program order (each uses only earlier ones),
   * so a chain of a thousand definitions never recurses a thousand deep.
   */
  private definition(name: string): [Expr, number] {
    const known = this.defs.get(name);
    if (known) return known;
    for (const [n, d] of this.program.defs) {
      if (this.defs.has(n)) continue;
      const s = d.expr.shape;
      const body = this.lower(d.expr, s.rows === 1 ? null : DEF_ROW, s.cols === 1 ? null : DEF_COL);
      let depth = 0;
      for (const used of namesIn(d.expr)) depth = Math.max(depth, this.defs.get(used)?.[1] ?? 0);
      this.defs.set(n, [body, depth + 1]);
      if (n === name) break;
    }
    return this.defs.get(name)!;
  }

  /** (F1 F2 … Fk)[i,j] = Σ_{p1…} F1[i,p1] F2[p1,p2] … Fk[p_{k-1},j]. */
  private matmul(factors: readonly Expr[], r: Index | null, c: Index | null): Expr {
    const links: (Index | null)[] = [r];
    for (let k = 0; k < factors.length - 1; k++) links.push(factors[k]!.shape.cols === 1 ? null : this.tempIndex());
    links.push(c);
    let body = B.mulAll(factors.map((f, k) => this.lower(f, links[k]!, links[k + 1]!)));
    for (let k = factors.length - 2; k >= 0; k--) {
      const idx = links[k + 1];
      if (idx) body = this.sumOver(idx, factors[k]!.shape.cols, body);
    }
    return body;
  }
}

/** How an element of the element-wise view is named: `x2` for x[2], `W1_2` for W[1,2]. */
export function entryName(name: string, at: readonly Index[]): string {
  const sep = /\d$/.test(name) ? "_" : "";
  return `${name}${sep}${at.join("_")}`;
}
