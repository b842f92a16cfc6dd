/**
 * An output holds an intermediate when that is safe: if the step writing output O is
 * the last reader of a scratch value X of O's shape, and reads X only entry for entry
 * (O[i] = f(X[i], …)), then X can live in O itself:
 *   s = softmax(x) in scratch; out[i] = s[i] * (g[i] - g'*s)
 * becomes the hand-written form: softmax into out, then out[i] = out[i] * (g[i] - dot).
 * Only for Float64Array outputs outside batches (see LowerOptions.outputsHoldShared).
 */
import type { ElFactory } from "./elements.js";
import type { Buf, El, Ix, Step } from "./ir.js";
import { renameBuffer, stepReads, stepWrites } from "./rewrite.js";

/** Every (row, col) at which `e` reads `buf` (a flat read counts as a mismatch). */
function readPositions(e: El, buf: Buf, into: { row: Ix; col: Ix }[]): boolean {
  switch (e.k) {
    case "read":
      if (e.buf === buf) into.push({ row: e.row, col: e.col });
      return true;
    case "flat":
      return e.buf !== buf;
    case "add":
      return e.terms.every((t) => readPositions(t, buf, into));
    case "mul":
      return e.factors.every((t) => readPositions(t, buf, into));
    case "pow":
      return readPositions(e.base, buf, into) && readPositions(e.exponent, buf, into);
    case "fn":
      return readPositions(e.arg, buf, into);
    default:
      return true;
  }
}

const touches = (s: Step, b: Buf): boolean => stepReads(s).bufs.has(b) || stepWrites(s).buf === b;

/** The loop indices a map over this shape uses for its target. */
function targetIx(b: Buf): [Ix, Ix] {
  if (b.rows !== 1 && b.cols !== 1) return ["r", "c"];
  return b.cols === 1 ? ["r", "z"] : ["z", "c"];
}

export function reuseOutputs(steps: readonly Step[], scratch: readonly Buf[], f: ElFactory): { steps: Step[]; scratch: Buf[] } {
  let list = [...steps];
  let left = [...scratch];
  for (let m = 0; m < list.length; m++) {
    const s = list[m]!;
    if (s.k !== "map" || s.accumulate || s.diag || s.target.role !== "output") continue;
    const out = s.target;
    if (list.slice(0, m).some((t) => touches(t, out))) continue;
    const [row, col] = targetIx(out);
    const later = list.slice(m + 1);
    const candidate = left.find((x) => {
      if (x.rows !== out.rows || x.cols !== out.cols || later.some((t) => touches(t, x))) return false;
      const at: { row: Ix; col: Ix }[] = [];
      if (!readPositions(s.body, x, at) || at.length === 0) return false;
      return at.every((p) => p.row === row && p.col === col);
    });
    if (!candidate) continue;
    list = [...renameBuffer(list.slice(0, m + 1), candidate, out, f), ...later];
    left = left.filter((x) => x !== candidate);
  }
  return { steps: list, scratch: left };
}
