/**
 * The programs whose derivatives the CLI prints, gathered from the README's examples and
 * the test suite's tables, and every derivative of each (grad, jacobian, hessian, jvp,
 * vjp by each name) that `derive` gives: what `jacobi gen` must make a kernel of.
 */
import { readFileSync } from "node:fs";
import { derive, type DerivativeResult, type DerivativeSpec } from "../../src/calculus/derive.js";
import type { DerivativeKind } from "../../src/core/derivative-kinds.js";
import { JacobiError } from "../../src/core/errors.js";
import { subjectOf, type Program } from "../../src/core/program.js";
import type { Shape } from "../../src/core/shape.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { DECLS as COOKBOOK_DECLS, IDENTITIES } from "../calculus/identities.js";
import * as P from "../calculus/programs.js";
import { randomSpec } from "./random-spec.js";
import { rng } from "./support.js";

/** A tangent and a cotangent name no corpus program uses. */
export const TANGENT = "tng9";
export const COTANGENT = "cot9";

const ROW_DECLS = "x: vector(n); u: vector(m); W: matrix(m,n); A: matrix(n,n); r: matrix(1,n); a: scalar";

/** Programs (declarations, definitions, a value) without kernel statements. */
export function corpusPrograms(): string[] {
  const out: string[] = [];
  // the README's derivative examples
  out.push(
    "x: vector(n); s = exp(x)/sum(exp(x))",
    "W: matrix(m,n); x: vector(n); g: vector(m); W*x",
    "x: vector(n); A: matrix(n,n); x'*A*x",
    "x: vector(n); y: vector(m); A: matrix(n,n); B: matrix(n,m); x'*A*x + x'*B*y + sum(exp(y))",
    "x: vector(n); y: vector(n); W1: matrix(n,n); b1: vector(n); W2: matrix(n,n); b2: vector(n); z1 = tanh(W1*x + b1); z2 = z1 + tanh(W2*z1 + b2); L = sum((W1*z2 - y).^2)",
    "Q: matrix(t,d); K: matrix(t,d); V: matrix(t,d); E = exp(Q*K'/sqrt(d)); P = E ./ (E*ones(t,t)); P*V",
    "x: scalar; y: scalar; [x*y, x + y^2]",
    "x^3*y",
    "A: matrix(n,n); B: matrix(n,n); C: matrix(n,n); X: matrix(n,n); tr(A*X'*B*X*C)",
    "A: matrix(m,n); x: vector(n); y: vector(m); norm2(A*x - y)",
    "A: matrix(m,n); x: vector(n); y: vector(m); norm1(A*x - y)",
    "X: matrix(m,n); w: vector(n); y: vector(m); sum(log(exp(-y.*(X*w)) + vector(1)))",
    "x: vector(n); sum(softplus(x))",
    "W: matrix(m,n); x: vector(n); sum(relu(W*x))",
  );
  // the examples' programs (their kernel and claim statements dropped)
  for (const name of ["network", "mlp", "softmax", "deep"]) {
    const text = readFileSync(new URL(`../../examples/${name}.jacobi`, import.meta.url), "utf8");
    out.push(
      text
        .split("\n")
        .filter((l) => !/^\s*(kernel|claim)\b/.test(l))
        .join("\n"),
    );
  }
  // the Matrix Cookbook table, the element-wise tests' programs, row vectors, literals
  for (const i of IDENTITIES) out.push(`${COOKBOOK_DECLS}\n${i.body}`);
  out.push(...Object.values(P));
  for (const body of ["u'*W", "x'*A", "x'", "a*x'", "sum(exp(x))", "r*x", "sum(exp(r))"]) out.push(`${ROW_DECLS}\n${body}`);
  out.push("a: scalar; t: scalar; [a*t^2, sin(t)]", "a: scalar; [a, 2*a]", "b: scalar; c: scalar; -[[-c/3, 6], [b - 9/2, 2]]", "x: vector(2); [sum(x), 1]");
  // products of three or more indices: the index-form-only results
  out.push(
    "x: vector(n); sum(x.^3)",
    "x: vector(n); A: matrix(n,n); (x'*A*x)*x",
    "x: vector(n); W: matrix(m,n); tanh(W*x)",
    "x: vector(n); y: vector(n); (x'*y)*exp(x)",
    "X: matrix(m,n); w: vector(n); sum(log(1 + exp(X*w)))",
    "x: vector(n); W1: matrix(n,n); W2: matrix(n,n); z = tanh(W1*x); L = sum(tanh(W2*z).^2)",
  );
  // random kernel specs' programs (the property tests' language)
  const random = rng(20261207);
  for (let k = 0; k < 40; k++) {
    const spec = randomSpec(random);
    out.push(
      spec.text
        .split("\n")
        .filter((l) => !l.startsWith("kernel"))
        .join("\n"),
    );
  }
  return out;
}

const shapeText = (s: Shape): string => (s.rows === 1 && s.cols === 1 ? "scalar" : s.cols === 1 ? `vector(${s.rows})` : `matrix(${s.rows},${s.cols})`);

export interface CorpusDerivative {
  /** The spec file: the program, a tangent and a cotangent, and `kernel k = …`. */
  readonly spec: string;
  readonly program: Program;
  readonly derivative: DerivativeSpec;
  readonly result: DerivativeResult;
}

const KINDS: readonly DerivativeKind[] = ["grad", "jacobian", "hessian", "jvp", "vjp"];

/** The names a program can be differentiated by: the declared values it uses and its undeclared scalars. */
function variablesOf(p: Program): string[] {
  const out = [...p.decls.keys()].filter((n) => n !== TANGENT && n !== COTANGENT && p.uses.has(n));
  for (const n of p.uses.keys()) if (!p.decls.has(n) && !p.defs.has(n) && !p.sizes.has(n) && !out.includes(n)) out.push(n);
  return out;
}

/** Every derivative of the corpus that `derive` gives (what the CLI prints), as spec files. */
export function corpusDerivatives(): CorpusDerivative[] {
  const out: CorpusDerivative[] = [];
  for (const text of corpusPrograms()) {
    const base = parseProgram(text);
    const value = subjectOf(base);
    const subject = toText(value);
    // grad and vjp also by a definition (the derivative by that intermediate value), as the CLI takes them
    for (const w of [...variablesOf(base), ...base.defs.keys()]) {
      const isDefinition = base.defs.has(w);
      const wShape = base.decls.get(w)?.shape ?? base.defs.get(w)?.expr.shape;
      const decls = `${TANGENT}: ${wShape ? shapeText(wShape) : "scalar"}; ${COTANGENT}: ${shapeText(value.shape)}`;
      const full = `${decls}\n${text}`;
      const program = parseProgram(full);
      for (const kind of isDefinition ? (["grad", "vjp"] as const) : KINDS) {
        const derivative: DerivativeSpec = { kind, wrt: w, ...(kind === "jvp" ? { tangent: TANGENT } : {}), ...(kind === "vjp" ? { cotangent: COTANGENT } : {}) };
        let result: DerivativeResult;
        try {
          result = derive(program, subjectOf(program), derivative);
        } catch (e) {
          if (e instanceof JacobiError) continue; // the CLI refuses it too
          throw e;
        }
        const extra = kind === "jvp" ? `, ${TANGENT}` : kind === "vjp" ? `, ${COTANGENT}` : "";
        out.push({ spec: `${full}\nkernel k = ${kind}(${subject}, ${w}${extra})`, program, derivative, result });
      }
    }
  }
  return out;
}
