/**
 * The softmax Jacobian, gradients, Hessians and a VJP in the element-wise view have the
 * entries SymPy computes from its own statement of each function: numerically, and
 * SymPy's `simplify(ours - theirs)` is the zero matrix. Skipped without SymPy.
 */
import { describe, expect, it } from "vitest";
import type { DerivativeSpec } from "../../src/calculus/derive.js";
import { maxRelativeError } from "../../src/check/fd.js";
import { computeDerivative } from "../../src/cli/commands/calculus.js";
import type { Bindings } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { envOf } from "../support/derivatives.js";
import { randomBindings, rngFrom } from "../support/random.js";
import { hasSympy, runSympy, SKIP_NOTE } from "../support/sympy.js";
import { LAYER, LEAST_SQUARES, LSE, QUADRATIC, SOFTMAX } from "./programs.js";

/** SymPy's own statement of each function, over `vec(name, n)` and `mat(name, r, c)` of real symbols. */
interface SympyCase {
  readonly program: string;
  readonly spec: DerivativeSpec;
  /** Python: defines `result`, the derivative as SymPy computes it (a Matrix). */
  readonly python: string;
}

const SYMPY_CASES: readonly SympyCase[] = [
  {
    program: SOFTMAX,
    spec: { kind: "jacobian", wrt: "x" },
    python: "x = vec('x', 3); e = x.applyfunc(sp.exp); softmax = e / sum(e); result = softmax.jacobian(x)",
  },
  {
    program: QUADRATIC,
    spec: { kind: "grad", wrt: "x" },
    python: "x = vec('x', 3); A = mat('A', 3, 3); f = (x.T*A*x)[0]; result = sp.Matrix([f]).jacobian(x).T",
  },
  { program: QUADRATIC, spec: { kind: "hessian", wrt: "x" }, python: "x = vec('x', 3); A = mat('A', 3, 3); result = sp.hessian((x.T*A*x)[0], x)" },
  { program: LSE, spec: { kind: "grad", wrt: "x" }, python: "x = vec('x', 3); f = sp.log(sum(x.applyfunc(sp.exp))); result = sp.Matrix([f]).jacobian(x).T" },
  { program: LSE, spec: { kind: "hessian", wrt: "x" }, python: "x = vec('x', 3); result = sp.hessian(sp.log(sum(x.applyfunc(sp.exp))), x)" },
  {
    program: LEAST_SQUARES,
    spec: { kind: "grad", wrt: "W" },
    python: "W = mat('W', 2, 3); x = vec('x', 3); t = vec('t', 2); r = W*x - t; f = (r.T*r)[0]; result = sp.Matrix(2, 3, lambda i, j: sp.diff(f, W[i, j]))",
  },
  {
    program: LEAST_SQUARES,
    spec: { kind: "hessian", wrt: "x" },
    python: "W = mat('W', 2, 3); x = vec('x', 3); t = vec('t', 2); r = W*x - t; result = sp.hessian((r.T*r)[0], x)",
  },
  {
    program: LAYER,
    spec: { kind: "jacobian", wrt: "x" },
    python: "W = mat('W', 2, 3); x = vec('x', 3); b = vec('b', 2); h = (W*x + b).applyfunc(lambda u: 1/(1 + sp.exp(-u))); result = h.jacobian(x)",
  },
  {
    // The notebook's way: the Jacobian by W flattened, transposed, times g, reshaped.
    program: LAYER,
    spec: { kind: "vjp", wrt: "W", cotangent: "g" },
    python:
      "W = mat('W', 2, 3); x = vec('x', 3); b = vec('b', 2); g = vec('g', 2); h = (W*x + b).applyfunc(lambda u: 1/(1 + sp.exp(-u))); result = (h.jacobian(W.reshape(6, 1)).T * g).reshape(2, 3)",
  },
];

const SYMPY_SCRIPT = `
def vec(name, n):
    return sp.Matrix([var(f"{name}{i}") for i in range(1, n + 1)])

def mat(name, r, c):
    return sp.Matrix(r, c, lambda i, j: var(f"{name}{i + 1}_{j + 1}"))

out = []
for item in json.load(sys.stdin):
    scope = {"sp": sp, "vec": vec, "mat": mat}
    exec(item["python"], scope)
    theirs = sp.Matrix(scope["result"])
    ours = sp.Matrix(parse(item["ours"])).reshape(theirs.rows, theirs.cols)
    difference = (ours - theirs).applyfunc(lambda e: 0 if sp.expand(e) == 0 else sp.simplify(sp.together(e)))
    out.append({
        "zero": bool(difference.is_zero_matrix),
        "theirs": [num(e, item["point"]) for e in theirs],
        "ours": [num(e, item["point"]) for e in ours],
    })
print(json.dumps(out))
`;

/** The scalar names of the element-wise view (x1, W1_2) and their values, from bindings. */
function elementwisePoint(bindings: Bindings): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, b] of bindings) {
    const v = b.value;
    const sep = /\d$/.test(name) ? "_" : "";
    if (v.rows === 1 && v.cols === 1) out[name] = v.data[0]!;
    else if (v.cols === 1) v.data.forEach((x, i) => (out[`${name}${sep}${i + 1}`] = x));
    else for (let r = 0; r < v.rows; r++) for (let c = 0; c < v.cols; c++) out[`${name}${sep}${r + 1}_${c + 1}`] = v.data[r * v.cols + c]!;
  }
  return out;
}

describe("element-wise derivatives against SymPy", () => {
  it.skipIf(!hasSympy)(`softmax Jacobian, gradients, Hessians and a VJP have SymPy's entries${SKIP_NOTE}`, () => {
    const items = SYMPY_CASES.map((c, k) => {
      const program = parseProgram(c.program);
      const ours = computeDerivative(program, c.spec, true);
      const bindings = randomBindings(program, new Map(), rngFrom(7000 + k));
      return { c, ours, bindings, env: envOf(program, bindings), input: { python: c.python, ours: toText(ours.display), point: elementwisePoint(bindings) } };
    });
    const results = runSympy<{ zero: boolean; theirs: number[]; ours: number[] }[]>(
      SYMPY_SCRIPT,
      items.map((i) => i.input),
    );
    items.forEach((item, k) => {
      const r = results[k]!;
      const what = `${item.c.spec.kind} by ${item.c.spec.wrt} of ${item.c.program}: ${item.input.ours}`;
      expect(r.zero, `${what}\nSymPy: simplify(ours - theirs) is not zero`).toBe(true);
      expect(maxRelativeError(r.ours, r.theirs), what).toBeLessThan(1e-12);
      // jacobi's own evaluation of its entries agrees too.
      expect(maxRelativeError(item.ours.valueAt(item.env).data, r.theirs), what).toBeLessThan(1e-12);
    });
  });
});
