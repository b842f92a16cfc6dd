/**
 * What steps read and write, and renaming a buffer throughout a list of steps (used to
 * let an output hold an intermediate, and to redirect batch sums to f64 scratch).
 */
import type { ElFactory } from "./elements.js";
import type { Buf, El, NEl, Scal, Step } from "./ir.js";

/** Everything an element expression reads. */
export function elReads(e: El, bufs: Set<Buf>, scals: Set<Scal>): void {
  switch (e.k) {
    case "read":
    case "flat":
      bufs.add(e.buf);
      return;
    case "scal":
      scals.add(e.s);
      return;
    case "add":
      for (const t of e.terms) elReads(t, bufs, scals);
      return;
    case "mul":
      for (const t of e.factors) elReads(t, bufs, scals);
      return;
    case "pow":
      elReads(e.base, bufs, scals);
      elReads(e.exponent, bufs, scals);
      return;
    case "fn":
      elReads(e.arg, bufs, scals);
      return;
    default:
      return;
  }
}

export function stepReads(s: Step): { bufs: Set<Buf>; scals: Set<Scal> } {
  const bufs = new Set<Buf>();
  const scals = new Set<Scal>();
  switch (s.k) {
    case "scalar":
      elReads(s.value, bufs, scals);
      break;
    case "reduce":
      elReads(s.body, bufs, scals);
      break;
    case "norm2":
    case "linemax":
      elReads(s.u, bufs, scals);
      break;
    case "map":
      elReads(s.body, bufs, scals);
      if (s.diag) elReads(s.diag, bufs, scals);
      if (s.accumulate) bufs.add(s.target);
      break;
    case "literal":
      for (const it of s.items) elReads(it, bufs, scals);
      break;
    case "gemv":
      bufs.add(s.mat.buf);
      elReads(s.vec, bufs, scals);
      break;
    case "gemm":
      bufs.add(s.a.buf);
      bufs.add(s.b.buf);
      break;
    case "softmax":
      elReads(s.u, bufs, scals);
      break;
    case "lu":
      bufs.add(s.a.buf);
      break;
    case "luDet":
      bufs.add(s.factors);
      scals.add(s.sign);
      break;
    case "solve":
      for (const b of [s.factors, s.perm, ...(s.b ? [s.b.buf] : [])]) bufs.add(b);
      scals.add(s.sign);
      break;
    case "nest":
      nestReads(s.body, bufs, scals);
      if (s.accumulate && "role" in s.target) bufs.add(s.target);
      break;
  }
  return { bufs, scals };
}

function nestReads(e: NEl, bufs: Set<Buf>, scals: Set<Scal>): void {
  if (e.k === "read") bufs.add(e.buf);
  else if (e.k === "scal") scals.add(e.s);
  else if (e.k === "add") e.terms.forEach((t) => nestReads(t, bufs, scals));
  else if (e.k === "mul") e.factors.forEach((t) => nestReads(t, bufs, scals));
  else if (e.k === "pow") [e.base, e.exponent].forEach((t) => nestReads(t, bufs, scals));
  else if (e.k === "fn") nestReads(e.arg, bufs, scals);
}

export function stepWrites(s: Step): { buf: Buf | undefined; scal: Scal | undefined } {
  switch (s.k) {
    case "scalar":
    case "reduce":
    case "norm2":
      return { buf: undefined, scal: s.target };
    case "softmax":
      return { buf: s.out, scal: s.lse };
    case "lu": // and its row order, s.perm
      return { buf: s.factors, scal: s.sign };
    case "luDet":
      return { buf: undefined, scal: s.target };
    case "linemax":
      return { buf: s.target, scal: undefined };
    case "nest":
      return "role" in s.target ? { buf: s.target, scal: undefined } : { buf: undefined, scal: s.target };
    default:
      return { buf: s.target, scal: undefined };
  }
}

/** Every step, with reads and writes of `from` going to `to`. */
export function renameBuffer(steps: readonly Step[], from: Buf, to: Buf, f: ElFactory): Step[] {
  const swap = (b: Buf): Buf => (b === from ? to : b);
  const el = (e: El): El => replaceBuf(f, e, from, to);
  return steps.map((s): Step => {
    switch (s.k) {
      case "map":
        return { ...s, target: swap(s.target), body: el(s.body), diag: s.diag && el(s.diag) };
      case "gemv":
        return { ...s, target: swap(s.target), mat: { buf: swap(s.mat.buf), t: s.mat.t }, vec: el(s.vec) };
      case "gemm":
        return { ...s, target: swap(s.target), a: { buf: swap(s.a.buf), t: s.a.t }, b: { buf: swap(s.b.buf), t: s.b.t } };
      case "literal":
        return { ...s, target: swap(s.target), items: s.items.map(el) };
      case "softmax":
        return { ...s, out: s.out && swap(s.out), u: el(s.u) };
      case "scalar":
        return { ...s, value: el(s.value) };
      case "reduce":
        return { ...s, body: el(s.body) };
      case "norm2":
        return { ...s, u: el(s.u) };
      case "lu":
        return { ...s, a: { buf: swap(s.a.buf), t: s.a.t }, factors: swap(s.factors), perm: swap(s.perm) };
      case "luDet":
        return { ...s, factors: swap(s.factors) };
      case "solve":
        return { ...s, target: swap(s.target), factors: swap(s.factors), perm: swap(s.perm), b: s.b && { buf: swap(s.b.buf), t: s.b.t } };
      case "linemax":
        return { ...s, target: swap(s.target), u: el(s.u) };
      case "nest":
        // kernels with loop nests never rename buffers (lower.ts skips reuseOutputs for them)
        throw new Error("internal: a loop nest's buffers are not renamed");
    }
  });
}

/** An element expression reading `to` where it read `from`. */
export function replaceBuf(f: ElFactory, e: El, from: Buf, to: Buf): El {
  switch (e.k) {
    case "read":
      return e.buf === from ? f.read(to, e.row, e.col) : e;
    case "flat":
      return e.buf === from ? f.flat(to) : e;
    case "add":
      return f.add(e.terms.map((t) => replaceBuf(f, t, from, to)));
    case "mul":
      return f.mul(e.factors.map((t) => replaceBuf(f, t, from, to)));
    case "pow":
      return f.pow(replaceBuf(f, e.base, from, to), replaceBuf(f, e.exponent, from, to));
    case "fn":
      return f.fn(e.fn, replaceBuf(f, e.arg, from, to));
    default:
      return e;
  }
}

