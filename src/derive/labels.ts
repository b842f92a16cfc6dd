/**
 * The left-hand sides of a derivation's whole-value equations, by kind of derivative:
 *   jacobian  ∂s[i]/∂x[a]            matrix form ∂s/∂x
 *   grad      ∂L/∂W[a,b]             ∂L/∂W
 *   diff      ∂f[i]/∂t               ∂f/∂t
 *   hessian   ∂L/∂x[a], then ∂²L/∂x[a]∂x[b]      ∂²L/∂x∂x'
 *   jvp       (∂f/∂W·V)[i] = Σ_a Σ_b ∂f[i]/∂W[a,b] V[a,b]      ∂f/∂W·V
 *   vjp       (g'·∂f/∂W)[a,b] = Σ_i g[i] ∂f[i]/∂W[a,b]         g'·∂f/∂W
 */
import type { DerivativeKind } from "../core/derivative-kinds.js";
import { assertNever, type Index } from "../core/expr.js";
import type { Size } from "../core/shape.js";
import { latexName } from "../print/latex.js";
import { formula, type Formula } from "./model.js";
import { equation, named, partial, productOf, secondPartial, sumOf } from "./notation.js";

export interface LabelInput {
  readonly kind: DerivativeKind;
  /** The value's name (the subject's, or the name the derivation gives it). */
  readonly value: string;
  readonly valueIndices: readonly Index[];
  readonly wrt: string;
  /** The variable's indices; for a Hessian, the first and then the second differentiation's. */
  readonly wrtIndices: readonly Index[];
  readonly secondIndices: readonly Index[];
  /** The tangent (jvp) or cotangent (vjp). */
  readonly vector: string | undefined;
  readonly sizes: ReadonlyMap<Index, Size>;
}

export interface Labels {
  /** The left-hand side after differentiation number `phase` (1, or 2 for a Hessian's second). */
  readonly phase: (phase: number) => Formula;
  /** jvp and vjp: the product's left-hand side and what it is, written with ∂. */
  readonly product: { readonly rule: string; readonly lhs: Formula; readonly law: Formula } | undefined;
  /** The left-hand side of the result in matrix form. */
  readonly matrix: Formula;
}

/** (f)[a,b] and \left(f\right)_{a b}. */
function subscripted(f: Formula, at: readonly Index[]): Formula {
  if (at.length === 0) return f;
  return formula(`(${f.text})[${at.join(",")}]`, `\\left(${f.latex}\\right)_{${at.map(latexName).join(" ")}}`);
}

const sizeOf = (sizes: ReadonlyMap<Index, Size>, i: Index): Size => sizes.get(i) ?? 1;

export function labelsFor(l: LabelInput): Labels {
  const f = named(l.value, []);
  const x = named(l.wrt, []);
  const entryOfF = named(l.value, l.valueIndices);
  const entryOfX = named(l.wrt, l.wrtIndices);
  const jacobianEntry = partial(entryOfF, true, entryOfX);
  const matrixPartial = partial(f, true, x);
  const phase = (k: number): Formula => (k >= 2 ? secondPartial(f, entryOfX, named(l.wrt, l.secondIndices)) : jacobianEntry);
  switch (l.kind) {
    case "diff":
    case "grad":
    case "jacobian":
      return { phase, product: undefined, matrix: matrixPartial };
    case "hessian":
      return { phase, product: undefined, matrix: formula(`∂²${f.text}/∂${x.text}∂${x.text}'`, `\\frac{\\partial^{2} ${f.latex}}{\\partial ${x.latex} \\, \\partial ${x.latex}^{\\top}}`) };
    case "jvp": {
      const v = named(l.vector ?? "v", []);
      const matrix = formula(`${matrixPartial.text}·${v.text}`, `${matrixPartial.latex} \\cdot ${v.latex}`);
      // (∂f/∂W·V)[i] = Σ_a Σ_b ∂f[i]/∂W[a,b] V[a,b]
      let sum = productOf(jacobianEntry, named(l.vector ?? "v", l.wrtIndices));
      for (const i of [...l.wrtIndices].reverse()) sum = sumOf(i, sizeOf(l.sizes, i), sum);
      const lhs = subscripted(matrix, l.valueIndices);
      return { phase, product: { rule: "Jacobian-vector product", lhs, law: equation(lhs, sum) }, matrix };
    }
    case "vjp": {
      const g = named(l.vector ?? "g", []);
      const matrix = formula(`${g.text}'·${matrixPartial.text}`, `${g.latex}^{\\top} ${matrixPartial.latex}`);
      // (g'·∂f/∂W)[a,b] = Σ_i g[i] ∂f[i]/∂W[a,b]
      let sum = productOf(named(l.vector ?? "g", l.valueIndices), jacobianEntry);
      for (const i of [...l.valueIndices].reverse()) sum = sumOf(i, sizeOf(l.sizes, i), sum);
      const lhs = subscripted(matrix, l.wrtIndices);
      return { phase, product: { rule: "vector-Jacobian product", lhs, law: equation(lhs, sum) }, matrix };
    }
    default:
      return assertNever(l.kind);
  }
}

/** How a derivation names its part: "Jacobian of s by x". */
export function titleOf(kind: DerivativeKind, value: string, wrt: string, vector: string | undefined): string {
  switch (kind) {
    case "diff":
      return `derivative of ${value} by ${wrt}`;
    case "grad":
      return `gradient of ${value} by ${wrt}`;
    case "jacobian":
      return `Jacobian of ${value} by ${wrt}`;
    case "hessian":
      return `Hessian of ${value} by ${wrt}`;
    case "jvp":
      return `JVP of ${value} by ${wrt} with tangent ${vector ?? "?"}`;
    case "vjp":
      return `VJP of ${value} by ${wrt} with cotangent ${vector ?? "?"}`;
    default:
      return assertNever(kind);
  }
}
