/**
 * The matrix half of the simplify corpus: the derivative requests of jacobi's issue 18
 * ("textbook forms"), each with the form the issue expects. What is measured is what the
 * library prints for the request (src/api.ts grad / jacobian / hessian, then toText);
 * corpus.test.ts checks that result against the expected form at random sizes and points
 * and counts the results at most as large (src/print/size.ts). The literal-vector case's
 * expected form is SymPy 1.14's `simplify` of the derivative (the issue names none).
 */
import { grad, hessian, jacobian, parse } from "../../src/api.js";
import type { Expr } from "../../src/core/expr.js";
import { probability, type ValueRanges } from "../support/random.js";

export interface MatrixCase {
  readonly program: string;
  readonly kind: "grad" | "jacobian" | "hessian";
  readonly wrt: string;
  /** The textbook form, in the program's names. */
  readonly expected: string;
  /** Where the case and its expected form come from. */
  readonly from: string;
  /** Where values are drawn from, at the drawn sizes (default: [−1, 1]). */
  readonly ranges?: (sizes: ReadonlyMap<string, number>) => ValueRanges;
}

const ISSUE = "jacobi issue 18, matrix forms";
const LOGISTIC = "X: matrix(m,n); w: vector(n); y: vector(m); p = sigmoid(X*w); -sum(y .* log(p) + (1 - y) .* log(1 - p))";

export const MATRIX_CASES: readonly MatrixCase[] = [
  { program: LOGISTIC, kind: "grad", wrt: "w", expected: "X'*(p - y)", from: `${ISSUE}: logistic regression's gradient` },
  { program: LOGISTIC, kind: "hessian", wrt: "w", expected: "X'*diag(p .* (1 - p))*X", from: `${ISSUE}: logistic regression's Hessian` },
  {
    program: "X: matrix(m,n); w: vector(n); y: vector(m); sum(log(exp(-y.*(X*w)) + 1))",
    kind: "grad",
    wrt: "w",
    expected: "-X'*(y .* sigmoid(-y .* (X*w)))",
    from: `${ISSUE}: the logistic loss with labels ±1`,
  },
  { program: "x: vector(n); log(1 + exp(x))", kind: "jacobian", wrt: "x", expected: "diag(sigmoid(x))", from: `${ISSUE}: softplus's Jacobian` },
  { program: "X: matrix(m,n); sqrt(sum(X.^2))", kind: "grad", wrt: "X", expected: "X/sqrt(sum(X.^2))", from: `${ISSUE}: the Frobenius norm's gradient` },
  {
    program: "x: vector(n); mu: vector(n); Pm: matrix(n,n); -(x-mu)'*Pm*(x-mu)/2",
    kind: "grad",
    wrt: "mu",
    expected: "(Pm + Pm')*(x - mu)/2",
    from: `${ISSUE}: a Gaussian's log density by its mean`,
  },
  { program: "x: vector(n); b: vector(n); A: matrix(n,n); 0.5*x'*A*x - b'*x", kind: "grad", wrt: "x", expected: "(A + A')*x/2 - b", from: `${ISSUE}: a quadratic form minus a linear one` },
  {
    program: "u = [a, c]; M = [[a, b],[c, a*b]]; u'*M*u",
    kind: "grad",
    wrt: "a",
    expected: "3*a^2 + b*c*(c + 1) + c^2",
    from: `${ISSUE}: literal vectors (expected form: SymPy 1.14 simplify(diff(u.T*M*u, a)))`,
  },
  {
    program: "z: vector(n); y: vector(n); assume sum(y) = 1; s = exp(z)/sum(exp(z)); -sum(y .* log(s))",
    kind: "grad",
    wrt: "z",
    expected: "s - y",
    from: `${ISSUE}: softmax and cross-entropy, assuming sum(y) = 1`,
    ranges: probability("y", "n"),
  },
];

const BY_KIND = { grad, jacobian, hessian } as const;

/** What the library gives for the request (the measured result: corpus.test.ts prints it and counts it). */
export const derivativeOf = (c: MatrixCase): Expr => BY_KIND[c.kind](parse(c.program), c.wrt);
