/**
 * Lowering matrix-level expressions to loop steps. Every matrix-level node is either
 * - computed inside its consumer's loop (elementwise chains fuse into one loop), or
 * - stored in a buffer by a step of its own: outputs, values used twice that are costly
 *   to recompute, products that need their own loops (M*v, A*B), softmax, vectors read
 *   along the inner index of a two-index loop, matrix literals.
 * Scalar nodes (sums, dot products, functions of scalars) are computed once, before any
 * loop that uses them, as `const`s. Definitions are read through their names, so a
 * definition used twice is computed once.
 */
import { assertNever, type Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import * as Q from "../core/rational.js";
import { SCALAR, type Size } from "../core/shape.js";
import { ElFactory } from "./elements.js";
import type { Buf, BufView, El, Ix, Scal, Step } from "./ir.js";
import type { Lowered, LoweredOutput, LowerOptions, OutputRequest } from "./lowered.js";
import { CTX_1D, lazySrc, loopOver, productSrc, type Ctx, type Src } from "./products.js";
import { reuseOutputs } from "./reuse.js";
import { emitNorm2, emitSoftmaxGroup, lineMaxOf, type SoftmaxHost } from "./softmax.js";
import { Stabilizer } from "./stable.js";
import { Analysis } from "./analysis.js";
import { Buffers } from "./buffers.js";
import { splitDiagonal } from "./diagonal.js";
import { hasInverse, Linalg } from "./linalg.js";
import * as B from "../core/build.js";
import { lowerIndexOutput, type LoopHost } from "./loops.js";

export class Lowering implements SoftmaxHost, LoopHost {
  readonly f = new ElFactory();
  private readonly steps: Step[] = [];
  private readonly stable: Stabilizer;
  private readonly stored = new Map<Expr, BufView>();
  private readonly pending = new Map<Expr, Buf>();
  private readonly scalars = new Map<Expr, El>();
  private readonly lineMaxima = new Map<string, Buf>();
  private readonly products = new Map<Expr, Src>();
  private readonly hints = new Map<Expr, string>();
  private readonly bufs: Buffers;
  private readonly a: Analysis;
  private readonly linalg = new Linalg({ f: this.f, push: (s) => this.push(s), scratch: (r, c, h) => this.scratch(r, c, h), newScal: (h) => this.newScal(h), store: (n) => this.store(this.a.node(n)), markStored: (n, v) => this.markStored(n, v) });

  constructor(
    readonly program: Program,
    readonly options: LowerOptions,
  ) {
    this.bufs = new Buffers(program);
    this.stable = new Stabilizer(program);
    this.a = new Analysis(this.stable);
    for (const [name, body] of this.stable.defs) {
      const n = this.stable.resolve(body);
      if (!this.hints.has(n)) this.hints.set(n, name);
    }
  }

  // -------------------------------------------------------------------------
  // ProductHost

  push(step: Step): void {
    this.steps.push(step);
  }

  scratch(rows: Size, cols: Size, hint: string, dims?: readonly Size[]): Buf {
    return this.bufs.scratch(rows, cols, hint, dims);
  }

  newScal(hint: string): Scal {
    return this.bufs.newScal(hint);
  }

  exprSrc(e: Expr): Src {
    const n = this.a.node(e);
    return {
      rows: n.shape.rows,
      cols: n.shape.cols,
      lazy: !this.mustStore(n, "r", "z", CTX_1D),
      el: (r, c, ctx) => this.el(n, r, c, ctx),
      stored: () => this.store(n),
      into: (target) => this.storeInto(n, target),
    };
  }

  mapInto(target: Buf, el: (row: Ix, col: Ix, ctx: Ctx) => El, accumulate = false): void {
    const [row, col, ctx] = loopOver(target.rows, target.cols);
    const body = el(row, col, ctx);
    const { main, diag } = ctx.twoD && target.rows === target.cols ? splitDiagonal(this.f, body) : { main: body, diag: undefined };
    this.push({ k: "map", target, body: main, diag, accumulate });
  }

  // -------------------------------------------------------------------------
  // SoftmaxHost

  pendingBuf(n: Expr): Buf | undefined {
    return this.pending.get(n);
  }

  markStored(n: Expr, view: BufView): void {
    this.stored.set(n, view);
  }

  // -------------------------------------------------------------------------
  // Front door

  /** Lowers the outputs of one kernel. */
  lower(requests: readonly OutputRequest[]): Lowered {
    const roots = requests.map((o) => (o.index ? undefined : this.a.node(this.stable.run(o.expr))));
    this.a.count(roots.filter((r): r is Expr => r !== undefined));
    const bufs = requests.map((o, k): Buf | undefined => {
      const shape = o.index ? o.index.shape : roots[k]!.shape;
      return shape === SCALAR ? undefined : this.bufs.output(shape, o.key, o.index?.indices.map((i) => o.index!.sizes.get(i)!));
    });
    roots.forEach((root, k) => {
      const buf = bufs[k];
      if (!root || !buf || this.isLeaf(root) || this.pending.has(root) || root.kind === "transpose") return; // inv(X)' is read through its inverse
      const accumulates = root.kind === "matmul" && !this.productOf(root).lazy;
      if (this.options.outputsHoldShared || ((this.a.uses.get(root) ?? 0) <= 1 && !(this.options.narrowOutputs && accumulates))) this.pending.set(root, buf);
    });
    const outputs = requests.map((o, k): LoweredOutput => {
      const root = roots[k];
      const buf = bufs[k];
      if (!root) return lowerIndexOutput(this, o, buf);
      if (!buf) return { key: o.key, shape: root.shape, buf: undefined, value: this.scalar(root) };
      const have = this.stored.get(root);
      if (have && have.buf === buf && !have.t) return { key: o.key, shape: root.shape, buf, value: undefined };
      if (!have && this.pending.get(root) === buf) this.store(root);
      else this.mapInto(buf, (r, c, ctx) => this.el(root, r, c, ctx));
      return { key: o.key, shape: root.shape, buf, value: undefined };
    });
    // outputs hold intermediates only in kernels without loop nests (whose buffers are never renamed)
    const reuse = this.options.outputsHoldShared && !requests.some((o) => o.index);
    const { steps, scratch } = reuse ? reuseOutputs(this.steps, this.bufs.scratchBufs, this.f) : { steps: this.steps, scratch: this.bufs.scratchBufs };
    return { steps, outputs, inputBufs: this.bufs.inputBufs, inputScals: this.bufs.inputScals, scratch, stableForms: this.a.usedForms };
  }

  // -------------------------------------------------------------------------
  // LoopHost (loop nests over index notation, loops.ts)

  constant(e: Expr): El {
    return this.scalar(this.stable.run(e));
  }

  named(name: string): BufView {
    const def = this.program.defs.get(name);
    return def ? this.store(this.a.node(B.sym(name, def.expr.shape))) : { buf: this.bufs.input(name), t: false };
  }

  matrix(e: Expr): BufView {
    return this.store(this.a.node(this.stable.run(e)));
  }

  private isLeaf(n: Expr): boolean {
    if (n.kind === "num" || n.kind === "eye") return true;
    if (n.kind === "sym") return !this.a.form(n);
    return n.kind === "transpose" && n.arg.kind === "sym" && this.program.decls.has(n.arg.name);
  }

  /** Must the node be read from a buffer in this position? */
  private mustStore(n: Expr, row: Ix, col: Ix, ctx: Ctx): boolean {
    if (this.pending.has(n)) return true;
    const form = this.a.form(n);
    if (form?.kind === "softmax") return true;
    if (n.kind === "matrix") return true;
    if (n.kind === "matmul" && !this.productOf(n).lazy) return true;
    if (this.isLeaf(n)) return false;
    if (this.a.usesOf(n) >= 2 && this.a.costly(n)) return true;
    // a vector read along the inner index of a two-index loop would be recomputed per row
    const vectorLike = n.shape.rows === 1 || n.shape.cols === 1;
    const alongInner = (n.shape.rows === 1 ? col : row) === "c";
    return ctx.twoD && vectorLike && alongInner;
  }

  // -------------------------------------------------------------------------
  // Values

  readView(v: BufView, row: Ix, col: Ix): El {
    return v.t ? this.f.read(v.buf, col, row) : this.f.read(v.buf, row, col);
  }

  /** The element (row, col) of a node, inside a loop with the given context. */
  el(e: Expr, row: Ix, col: Ix, ctx: Ctx): El {
    const n = this.a.node(e);
    if (n.shape === SCALAR) return this.scalar(n);
    const r = n.shape.rows === 1 ? "z" : row;
    const c = n.shape.cols === 1 ? "z" : col;
    const have = this.stored.get(n);
    if (have) return this.readView(have, r, c);
    if (n.kind === "matfn" || hasInverse(n)) return this.el(this.linalg.solved(n), r, c, ctx); // solves (linalg.ts)
    if (this.mustStore(n, r, c, ctx)) return this.readView(this.store(n), r, c);
    return this.structural(n, r, c, ctx);
  }

  /** The element computed from the node's own structure. */
  private structural(n: Expr, row: Ix, col: Ix, ctx: Ctx): El {
    const f = this.f;
    switch (n.kind) {
      case "num":
        return f.num(Q.toFloat(n.value));
      case "sym": {
        const form = this.a.form(n);
        if (form?.kind === "logsoftmax") return f.sub(this.el(form.u, row, col, ctx), this.lse(form.u));
        if (form?.kind === "logsigmoid") return f.fn("logsigmoid", this.el(form.u, row, col, ctx));
        if (form?.kind === "rowmax" || form?.kind === "colmax") return f.read(this.lineMax(form.u, form.kind === "rowmax"), form.kind === "rowmax" ? row : col, "z");
        if (form) throw new Error(`internal: ${form.kind} is stored, not computed per element`);
        return f.read(this.bufs.input(n.name), row, col);
      }
      case "add":
        return f.add(n.terms.map((t) => this.el(t, row, col, ctx)));
      case "mul":
        return f.mul(n.factors.map((t) => this.el(t, row, col, ctx)));
      case "pow":
        return f.pow(this.el(n.base, row, col, ctx), this.el(n.exponent, row, col, ctx));
      case "call":
        return f.fn(n.fn, this.el(n.arg, row, col, ctx));
      case "transpose":
        return this.el(n.arg, col, row, ctx);
      case "eye":
        return f.delta();
      case "diag":
        // diag(v)[r, c] = δ(r, c) v[r];  diag(A)[r] = A[r, r]
        if (n.arg.shape.cols === 1) return f.mul([f.delta(), this.el(n.arg, row, "z", ctx)]);
        return this.el(n.arg, row, row, ctx);
      case "matmul":
        return this.productOf(n).el(row, col, ctx);
      case "matfn":
        return this.el(this.linalg.solved(n), row, col, ctx);
      case "extremum":
        return f.read(this.lineMax(n.arg, true, n.op, false), row, "z");
      case "matrix":
      case "sum":
      case "entry":
      case "delta":
      case "series":
        throw new Error(`internal: ${n.kind} has no element form here`);
      default:
        return assertNever(n);
    }
  }

  /** The value of a scalar node, as a constant, a size, or a `const` computed once. */
  scalar(e: Expr): El {
    const n = this.a.node(e);
    const known = this.scalars.get(n);
    if (known) return known;
    const f = this.f;
    let v: El;
    switch (n.kind) {
      case "num":
        v = f.num(Q.toFloat(n.value));
        break;
      case "sym": {
        const form = this.a.form(n);
        if (form?.kind === "lse") v = this.lse(form.u);
        else if (form?.kind === "norm2") v = this.norm2(form.u);
        else if (form?.kind === "logsigmoid") v = f.fn("logsigmoid", this.scalar(form.u));
        else if (form?.kind === "logsoftmax") v = f.sub(this.scalar(form.u), this.lse(form.u));
        else if (form?.kind === "rowmax" || form?.kind === "colmax") v = f.read(this.lineMax(form.u, form.kind === "rowmax"), "z", "z");
        else if (form) v = f.num(1); // the softmax of a single number
        else if (this.program.sizes.has(n.name)) v = f.size(n.name);
        else v = f.scal(this.bufs.inputScal(n.name));
        break;
      }
      case "sum": {
        const a = n.arg;
        const [row, col, ctx] = loopOver(a.shape.rows, a.shape.cols);
        const target = this.newScal(this.hints.get(n) ?? "sum");
        this.push({ k: "reduce", target, rows: a.shape.rows, cols: a.shape.cols, body: this.el(a, row, col, ctx) });
        v = f.scal(target);
        break;
      }
      case "matmul":
        v = hasInverse(n) ? this.scalar(this.linalg.solved(n)) : this.productOf(n).el("z", "z", CTX_1D);
        break;
      case "matfn":
        v = this.linalg.det(n.arg, false);
        break;
      case "call":
        // logdet(A) = log(det(A)) from A's LU factors, never forming det
        v = n.fn === "log" && n.arg.kind === "matfn" ? this.linalg.det(n.arg.arg, true) : this.structural(n, "z", "z", CTX_1D);
        break;
      case "extremum":
        v = f.read(this.lineMax(n.arg, false, n.op, false), "z", "z");
        break;
      case "add":
      case "mul":
      case "pow":
      case "transpose":
      case "diag":
      case "matrix":
      case "eye":
        v = this.structural(n.kind === "matrix" ? n.items[0]! : n, "z", "z", CTX_1D);
        break;
      case "entry":
      case "delta":
      case "series":
        throw new Error(`internal: index-level ${n.kind} in a kernel`);
      default:
        return assertNever(n);
    }
    // a scaled constant (-dot, 2*a) stays inline: it costs nothing where it is used
    const scaledConstant = v.k === "mul" && v.factors.length === 2 && v.factors[0]!.k === "num" && (v.factors[1]!.k === "scal" || v.factors[1]!.k === "size");
    if (v.k !== "num" && v.k !== "scal" && v.k !== "size" && !scaledConstant) {
      const target = this.newScal(this.hints.get(n) ?? "t");
      this.push({ k: "scalar", target, value: v });
      v = f.scal(target);
    }
    this.scalars.set(n, v);
    return v;
  }

  private productOf(n: Extract<Expr, { kind: "matmul" }>): Src {
    let src = this.products.get(n);
    if (!src && hasInverse(n)) src = this.exprSrc(this.linalg.solved(n));
    if (!src) {
      const p = productSrc(this, n.factors.map((x) => this.a.node(x)));
      if ("diag" in p) {
        const v = this.exprSrc(p.diag);
        src = lazySrc(this, n.shape.rows, n.shape.cols, (r, _c, ctx) => this.f.mul([this.f.delta(), v.el(r, "z", ctx)]));
      } else src = p;
      this.products.set(n, src);
    }
    return src;
  }

  /** Stores a node (once) and returns where. */
  store(n: Expr): BufView {
    const have = this.stored.get(n);
    if (have) return have;
    let view: BufView;
    if (n.kind === "sym" && !this.a.form(n)) view = { buf: this.bufs.input(n.name), t: false };
    else if (n.kind === "transpose") {
      const inner = this.store(this.a.node(n.arg));
      view = { buf: inner.buf, t: !inner.t };
    } else {
      const target = this.pending.get(n) ?? this.scratch(n.shape.rows, n.shape.cols, this.hints.get(n) ?? "t");
      view = { buf: target, t: false };
      this.stored.set(n, view);
      this.compute(n, target);
      return view;
    }
    this.stored.set(n, view);
    return view;
  }

  /** Computes a node into a given buffer (copying when it is stored elsewhere already). */
  private storeInto(n: Expr, target: Buf): void {
    const have = this.stored.get(n);
    if (have || this.isLeaf(n) || n.kind === "transpose") {
      this.mapInto(target, (r, c, ctx) => this.el(n, r, c, ctx));
      return;
    }
    this.stored.set(n, { buf: target, t: false });
    this.compute(n, target);
  }

  private compute(n: Expr, target: Buf): void {
    const form = this.a.form(n);
    if (form?.kind === "softmax") {
      emitSoftmaxGroup(this, this.a.group(form.u), target);
      return;
    }
    if (n.kind === "matrix") {
      this.push({ k: "literal", target, items: n.items.map((it) => this.scalar(it)) });
      return;
    }
    if (n.kind === "matmul") {
      this.productOf(n).into(target);
      return;
    }
    this.mapInto(target, (r, c, ctx) => this.structural(n, r, c, ctx));
  }

  // -------------------------------------------------------------------------
  // Scaled norm, softmax and log-sum-exp

  /** sqrt(Σ u²) computed with scaling (softmax.ts). */
  private norm2(e: Expr): El {
    const u = this.a.node(e);
    return emitNorm2(this, u, this.hints.get(u));
  }

  /** The maximum (minimum) of each row (or column) of u, computed once into a vector; a softmax's shift when `shift`. */
  private lineMax(e: Expr, byRows: boolean, op: "max" | "min" = "max", shift = true): Buf {
    return lineMaxOf(this, this.lineMaxima, this.a.node(e), byRows, op, shift);
  }

  private lse(u: Expr): El {
    const g = this.a.group(u);
    if (!g.done) emitSoftmaxGroup(this, g, undefined);
    if (!g.lse) throw new Error("internal: log-sum-exp was not planned");
    return this.f.scal(g.lse);
  }
}
