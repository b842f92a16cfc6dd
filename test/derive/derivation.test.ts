import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DerivativeSpec } from "../../src/calculus/derive.js";
import { derive } from "../../src/calculus/derive.js";
import { recordDerivation } from "../../src/derive/derivation.js";
import type { Derivation, Step } from "../../src/derive/model.js";
import { derivationText, stepText } from "../../src/derive/text.js";
import * as B from "../../src/core/build.js";
import type { Expr } from "../../src/core/expr.js";
import { type Program, subjectOf } from "../../src/core/program.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { failingSteps, randomBindings } from "./claims.js";

const SOFTMAX = "x: vector(n); s = exp(x)/sum(exp(x))";
const NETWORK = readFileSync(new URL("../../examples/network.jacobi", import.meta.url), "utf8");
const MATVEC = "W: matrix(m,n); x: vector(n); g: vector(m); W*x";

const record = (program: string, specs: DerivativeSpec[]): Derivation => recordDerivation(parseProgram(program), specs, { source: program });
const rules = (steps: readonly Step[]): string[] => steps.map((s) => s.rule);

describe("the softmax Jacobian reads like a textbook", () => {
  const d = record(SOFTMAX, [{ kind: "jacobian", wrt: "x" }]);
  const steps = d.parts[0]!.steps;

  it("starts from the definition and its index form", () => {
    expect(d.setup.map(stepText)).toEqual(["definition: s = exp(x)/sum(exp(x))", "lower to index form: s[i] = exp(x[i])/sum_{k1=1..n}(exp(x[k1]))"]);
  });

  it("applies the rules in order: variable, chain rule, Σ, quotient rule, contract δ, recognize s, matrix form", () => {
    const order = ["variable", "chain rule", "linearity of Σ", "quotient rule", "contract δ", "recognize s", "matrix form"];
    const positions = order.map((r) => rules(steps).indexOf(r));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("begins with ∂x_i/∂x_a = δ_ia and ends with diag(s) - s s'", () => {
    expect(stepText(steps[0]!)).toBe("variable: ∂x[i]/∂x[a] = delta(a,i)");
    expect(steps[0]!.lhs.latex).toBe("\\frac{\\partial x_{i}}{\\partial x_{a}}");
    const last = steps[steps.length - 1]!;
    expect(stepText(last)).toBe("matrix form: ∂s/∂x = diag(s) - s*s'");
    expect(last.rhs.latex).toBe("\\operatorname{diag}\\left(s\\right) - s s^{\\top}");
    expect(d.parts[0]!.result.rhs.text).toBe("diag(s) - s*s'");
  });

  it("names the chain rule's law and shows the contraction's identity", () => {
    const chain = steps.find((s) => s.rule === "chain rule")!;
    expect(chain.law?.text).toBe("d/du exp(u) = exp(u)");
    expect(stepText(steps.find((s) => s.rule === "contract δ")!)).toBe(
      "contract δ [Σ_k δ(k,j) u(k) = u(j)]: sum_{k1=1..n}(delta(a,k1)*exp(x[k1])) = exp(x[a])",
    );
    const recognized = steps.find((s) => s.rule === "recognize s")!;
    expect(recognized.lhs.text).toBe("∂s[i]/∂x[a]");
    expect(recognized.law?.text).toBe("s[i] = exp(x[i])/sum_{k1=1..n}(exp(x[k1]))");
  });

  it("leaves out what teaches nothing: later variable steps, the repeated chain rule, the power rule inside the quotient rule", () => {
    expect(rules(steps).filter((r) => r === "variable")).toHaveLength(1);
    expect(rules(steps).filter((r) => r === "chain rule")).toHaveLength(1);
    expect(rules(steps)).not.toContain("power rule");
  });
});

/** Every derivation checked step by step at random values (sizes n = 3, m = 2). */
const CASES: { name: string; program: string; specs: DerivativeSpec[]; lo?: number; hi?: number }[] = [
  { name: "softmax Jacobian", program: SOFTMAX, specs: [{ kind: "jacobian", wrt: "x" }] },
  { name: "network gradients", program: NETWORK, specs: ["W1", "b1", "W2", "b2"].map((wrt) => ({ kind: "grad", wrt })) },
  { name: "matrix-vector VJP", program: MATVEC, specs: [{ kind: "vjp", wrt: "W", cotangent: "g" }] },
  { name: "matrix-vector JVP", program: "W: matrix(m,n); x: vector(n); V: matrix(m,n); W*x", specs: [{ kind: "jvp", wrt: "W", tangent: "V" }] },
  { name: "quadratic form: Hessian and gradient", program: "x: vector(n); A: matrix(n,n); x'*A*x", specs: [{ kind: "hessian", wrt: "x" }, { kind: "grad", wrt: "x" }] },
  { name: "diff of a vector literal (no matrix form)", program: "a: scalar; t: scalar; [a*t^2, sin(t)]", specs: [{ kind: "diff", wrt: "t" }] },
  { name: "elementwise product", program: "x: vector(n); y: vector(n); x .* y", specs: [{ kind: "jacobian", wrt: "x" }] },
  { name: "log-sum-exp", program: "x: vector(n); log(sum(exp(x)))", specs: [{ kind: "grad", wrt: "x" }] },
  { name: "tanh layer, by W and by x", program: "W: matrix(m,n); x: vector(n); b: vector(m); tanh(W*x + b)", specs: [{ kind: "jacobian", wrt: "x" }, { kind: "jacobian", wrt: "b" }] },
  { name: "norm", program: "x: vector(n); sqrt(x'*x)", specs: [{ kind: "grad", wrt: "x" }] },
  { name: "a value that does not depend on the variable", program: "x: vector(n); y: vector(n); sum(y)", specs: [{ kind: "grad", wrt: "x" }] },
  { name: "a matrix form simplified further (exp(log(x)) = x)", program: "x: vector(n); y: vector(n); sum(exp(log(x)) .* y)", specs: [{ kind: "grad", wrt: "x" }], lo: 0.5, hi: 2 },
];

/** The sizes of derive()'s named indices (i, j, a, b) for one derivative, at the bound sizes. */
function indexSizesOf(program: Program, spec: DerivativeSpec, sizes: ReadonlyMap<string, number>): Map<string, number> {
  const r = derive(program, subjectOf(program), spec);
  return new Map([...r.sizes].map(([i, s]) => [i, typeof s === "number" ? s : sizes.get(s)!]));
}

describe("every step of a derivation is a true equation (finite differences, evaluation)", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const program = parseProgram(c.program);
      const d = recordDerivation(program, c.specs, { source: c.program });
      const sizes = new Map([["n", 3], ["m", 2]]);
      const bindings = randomBindings(program, sizes, 7, c.lo, c.hi);
      const failures = failingSteps(d.setup, { program, bindings, knownSizes: indexSizesOf(program, c.specs[0]!, sizes) });
      d.parts.forEach((part, k) => {
        const knownSizes = indexSizesOf(program, c.specs[k]!, sizes);
        failures.push(...failingSteps([...part.steps, part.result], { program, bindings, knownSizes }));
      });
      expect(failures).toEqual([]);
      // The checks cover the derivation: only an unnamed value's definition (f is not a
      // name of the program) and a JVP's product (a directional derivative) claim nothing.
      const unclaimed = [...d.setup, ...d.parts.flatMap((p) => [...p.steps, p.result])].filter((s) => !s.claim);
      for (const s of unclaimed) expect([`definition: f = ${s.rhs.text}`, "Jacobian-vector product"]).toContain(s.rule === "definition" ? stepText(s) : s.rule);
    });
  }
});

describe("the numeric oracle", () => {
  it("catches a wrong step of each kind", () => {
    const program = parseProgram(SOFTMAX);
    const d = recordDerivation(program, [{ kind: "jacobian", wrt: "x" }], { source: SOFTMAX });
    const sizes = new Map([["n", 3]]);
    const ctx = { program, bindings: randomBindings(program, sizes, 3), knownSizes: indexSizesOf(program, { kind: "jacobian", wrt: "x" }, sizes) };
    const wrong = (s: Step): Step => {
      const c = s.claim!;
      const twice = (e: Expr): Expr => B.mul(B.num(2), e);
      switch (c.kind) {
        case "equal":
          return { ...s, claim: { ...c, rhs: twice(c.rhs) } };
        case "derivative":
          return { ...s, claim: { ...c, rhs: twice(c.rhs) } };
        case "entries":
          return { ...s, claim: { ...c, matrix: twice(c.matrix) } };
      }
    };
    const steps = [...d.setup, ...d.parts[0]!.steps].filter((s) => s.claim);
    expect(new Set(steps.map((s) => s.claim!.kind))).toEqual(new Set(["equal", "derivative", "entries"]));
    expect(failingSteps(steps, ctx)).toEqual([]);
    for (const s of steps) expect(failingSteps([wrong(s)], ctx), stepText(s)).toHaveLength(1);
  });
});

describe("the derivation agrees with derive()", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const program = parseProgram(c.program);
      const d = recordDerivation(program, c.specs, { source: c.program });
      c.specs.forEach((spec, k) => {
        const r = derive(program, subjectOf(program), spec);
        const result = d.parts[k]!.result;
        if (r.matrix) expect(result.rhs.text).toBe(toText(r.matrix));
        else expect(result.rule).toBe("result (no matrix form)");
      });
    });
  }
});

describe("step selection", () => {
  it("shows no step twice within a part", () => {
    for (const c of CASES) {
      const d = record(c.program, c.specs);
      for (const part of d.parts) {
        const texts = part.steps.map(stepText);
        expect(new Set(texts).size, `${c.name}: ${part.title}`).toBe(texts.length);
      }
    }
  });

  it("shows the first variable step of each differentiation only (a Hessian has two)", () => {
    const d = record("x: vector(n); A: matrix(n,n); x'*A*x", [{ kind: "hessian", wrt: "x" }]);
    const variables = d.parts[0]!.steps.filter((s) => s.rule === "variable").map(stepText);
    expect(variables).toEqual(["variable: ∂x[k1]/∂x[a] = delta(a,k1)", "variable: ∂x[k1]/∂x[b] = delta(b,k1)"]);
    expect(d.parts[0]!.steps.some((s) => s.lhs.text === "∂²f/∂x[a]∂x[b]")).toBe(true);
    expect(d.parts[0]!.result.rhs.text).toBe("A + A'");
  });

  it("calls a product with one dependent factor a constant factor, and keeps the product rule otherwise", () => {
    const d = record(MATVEC, [{ kind: "vjp", wrt: "W", cotangent: "g" }]);
    expect(d.parts[0]!.steps.map(stepText)).toContain("constant factor: ∂(W[i,k1]*x[k1])/∂W[a,b] = x[k1]*delta(a,i)*delta(b,k1)");
    const q = record("x: vector(n); A: matrix(n,n); x'*A*x", [{ kind: "grad", wrt: "x" }]);
    expect(rules(q.parts[0]!.steps)).toContain("product rule");
  });

  it("names an unnamed value f and writes the VJP with the cotangent", () => {
    const d = record(MATVEC, [{ kind: "vjp", wrt: "W", cotangent: "g" }]);
    expect(d.setup.map(stepText)).toEqual(["definition: f = W*x", "lower to index form: f[i] = sum_{k1=1..n}(W[i,k1]*x[k1])"]);
    const product = d.parts[0]!.steps.find((s) => s.rule === "vector-Jacobian product")!;
    expect(product.law?.text).toBe("(g'·∂f/∂W)[a,b] = sum_{i=1..m}(g[i]*∂f[i]/∂W[a,b])");
    expect(d.parts[0]!.result.rhs.text).toBe("g*x'");
    expect(record("f: scalar; x: vector(n); f*x", [{ kind: "jacobian", wrt: "x" }]).setup[0]!.lhs.text).toBe("f_1");
  });

  it("shows the network with z1 and s by name, and each gradient's matrix form", () => {
    const d = record(NETWORK, ["W1", "b1", "W2", "b2"].map((wrt) => ({ kind: "grad", wrt }) as DerivativeSpec));
    expect(d.setup.map(stepText)).toContain("lower to index form: L = -sum_{k1=1..3}(y[k1]*log(s[k1]))");
    expect(d.parts.map((p) => p.title)).toEqual(["gradient of L by W1", "gradient of L by b1", "gradient of L by W2", "gradient of L by b2"]);
    expect(d.parts[3]!.result.rhs.text).toBe("s*sum(y) - y");
    const text = derivationText(d);
    expect(text).toContain("chain rule [d/du sigmoid(u) = sigmoid(u)*(1 - sigmoid(u))]: ∂z1[k2]/∂W1[a,b]");
    expect(text).toContain("quotient rule: ∂s[k4]/∂W2[a,b]");
  });

  it("follows rewrites after the matrix form to derive()'s result", () => {
    const text = "x: vector(n); y: vector(n); sum(exp(log(x)) .* y)";
    const d = record(text, [{ kind: "grad", wrt: "x" }]);
    const steps = d.parts[0]!.steps;
    const program = parseProgram(text);
    const result = derive(program, subjectOf(program), { kind: "grad", wrt: "x" }).matrix!;
    const last = steps[steps.length - 1]!;
    expect(last.lhs.text).toBe("∂f/∂x");
    expect(last.rhs.text).toBe(toText(result));
    expect(steps.map((s) => s.rule)).toContain("matrix form");
  });

  it("says when the value does not depend on the variable", () => {
    const d = record("x: vector(n); y: vector(n); sum(y)", [{ kind: "grad", wrt: "x" }]);
    expect(d.parts[0]!.steps.map((s) => s.rule)).toContain("constant");
  });
});
