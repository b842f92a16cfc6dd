/**
 * Lowering det, logdet, inv and products with inverses to LU steps (emit-linalg.ts):
 * each matrix is factored once (P A = L U) and every inverse in a product is a solve,
 * never an explicit inverse times a matrix:
 *   det(A), log(det(A))   luDet from A's factors (logdet never forms det)
 *   L*inv(A)*R            L*X with A X = R (R stored first; the rightmost inverse first)
 *   L*inv(A)              (inv(A)'*L')' = X' with A' X = L'
 *   inv(A) alone          A X = I
 * An inverse's place in a product is taken by a stand-in name whose value is the solve's
 * buffer, so the rest of the product is lowered as any other.
 */
import * as B from "../core/build.js";
import type { Expr } from "../core/expr.js";
import { shape as makeShape } from "../core/shape.js";
import type { ElFactory } from "./elements.js";
import type { Buf, BufView, El, Scal, Step } from "./ir.js";

/** What the LU lowering needs from the kernel's lowering. */
export interface LinalgHost {
  readonly f: ElFactory;
  push(step: Step): void;
  scratch(rows: Expr["shape"]["rows"], cols: Expr["shape"]["cols"], hint: string): Buf;
  newScal(hint: string): Scal;
  /** Stores a node (once) and returns where. */
  store(n: Expr): BufView;
  markStored(n: Expr, view: BufView): void;
}

interface Factors {
  readonly factors: Buf;
  readonly perm: Buf;
  readonly sign: Scal;
}

/** The matrix an inverse factor inverts, and whether it is transposed (inv(A)'). */
export function inverseFactor(f: Expr): { readonly a: Expr; readonly t: boolean } | undefined {
  if (f.kind === "matfn" && f.fn === "inv") return { a: f.arg, t: false };
  if (f.kind === "transpose" && f.arg.kind === "matfn" && f.arg.fn === "inv") return { a: f.arg.arg, t: true };
  return undefined;
}

export const hasInverse = (n: Expr): boolean => n.kind === "matmul" && n.factors.some((f) => inverseFactor(f) !== undefined);

export class Linalg {
  private readonly lus = new Map<Expr, Factors>();
  private readonly done = new Map<Expr, Expr>();
  private stands = 0;

  constructor(private readonly host: LinalgHost) {}

  /** The LU factors of A (of A' when `t`), computed once. */
  private lu(a: Expr, t: boolean): Factors {
    const key = t ? B.transpose(a) : a;
    let known = this.lus.get(key);
    if (!known) {
      const view = this.host.store(a);
      const n = a.shape.rows;
      known = { factors: this.host.scratch(n, n, "lu"), perm: this.host.scratch(n, 1, "perm"), sign: this.host.newScal("sign") };
      this.host.push({ k: "lu", a: t ? { buf: view.buf, t: !view.t } : view, ...known });
      this.lus.set(key, known);
    }
    return known;
  }

  /** det(A), or log(det(A)) from the same factors. */
  det(a: Expr, log: boolean): El {
    const lu = this.lu(a, false);
    const target = this.host.newScal(log ? "logdet" : "det");
    this.host.push({ k: "luDet", target, factors: lu.factors, sign: lu.sign, log });
    return this.host.f.scal(target);
  }

  /** A stand-in name for X = inv(A)*b (inv(A)'*b when t; b the identity when undefined). */
  private solve(a: Expr, t: boolean, b: Expr | undefined): Expr {
    const lu = this.lu(a, t);
    const cols = b ? b.shape.cols : a.shape.rows;
    const target = this.host.scratch(a.shape.rows, cols, "solve");
    this.host.push({ k: "solve", target, ...lu, b: b ? this.host.store(b) : undefined });
    // '#' is no name's letter in the language: the stand-in cannot meet a program's name
    const stand = B.sym(`solve#${++this.stands}`, makeShape(a.shape.rows, cols));
    this.host.markStored(stand, { buf: target, t: false });
    return stand;
  }

  /** inv(A) by itself (an inverse that is the value asked for), or a product with its rightmost inverse solved. */
  solved(n: Expr): Expr {
    let out = this.done.get(n);
    if (out) return out;
    if (n.kind === "matfn") out = this.solve(n.arg, false, undefined);
    else if (n.kind === "matmul") {
      const fs = n.factors;
      let k = fs.length - 1;
      while (k >= 0 && !inverseFactor(fs[k]!)) k--;
      const inv = inverseFactor(fs[k]!)!;
      if (k === fs.length - 1 && k > 0) {
        // L*inv(A) = (inv(A)'*L')': solved from the left
        out = B.transpose(this.solve(inv.a, !inv.t, B.transpose(B.matmul(...fs.slice(0, k)))));
      } else {
        const right = k === fs.length - 1 ? undefined : B.matmul(...fs.slice(k + 1));
        out = B.matmul(...fs.slice(0, k), this.solve(inv.a, inv.t, right));
      }
    } else throw new Error(`internal: no inverse to solve in ${n.kind}`);
    this.done.set(n, out);
    return out;
  }
}
