/**
 * A table of identities of The Matrix Cookbook (Petersen & Pedersen, 2012) and of
 * everyday ML backprop, as jacobi programs with their accepted matrix forms. Used by the
 * cookbook test and the fixed-size test.
 */
import type { DerivativeKind, DerivativeSpec } from "../../src/calculus/derive.js";

/** Every name the identities use; a program declares them all (unused ones are harmless). */
export const DECLS =
  "a: vector(n); x: vector(n); y: vector(n); A: matrix(n,n); X: matrix(n,n); " +
  "W: matrix(m,n); V: matrix(m,n); Y: matrix(m,n); b: vector(m); t: vector(m); g: vector(m); u: vector(m); c: scalar";

export interface Identity {
  /** The cookbook's statement. */
  readonly law: string;
  /** The value (and definitions), after the declarations. */
  readonly body: string;
  readonly kind: DerivativeKind;
  readonly wrt: string;
  readonly tangent?: string;
  readonly cotangent?: string;
  /** Accepted matrix forms (text, in the program's names). */
  readonly forms: readonly string[];
  /** Names drawn positive (log, sqrt arguments). */
  readonly positive?: readonly string[];
  /** Square matrices drawn well conditioned, n*I plus entries in [-1, 1] (arguments of det, logdet, inv). */
  readonly wellConditioned?: readonly string[];
}

export const IDENTITIES: readonly Identity[] = [
  { law: "∂(aᵀx)/∂x = a", body: "a'*x", kind: "grad", wrt: "x", forms: ["a"] },
  { law: "∂(xᵀa)/∂x = a", body: "x'*a", kind: "grad", wrt: "x", forms: ["a"] },
  { law: "∂(xᵀx)/∂x = 2x", body: "x'*x", kind: "grad", wrt: "x", forms: ["2*x"] },
  { law: "∂²(xᵀx)/∂x² = 2I", body: "x'*x", kind: "hessian", wrt: "x", forms: ["2*eye(n)"] },
  { law: "∂(xᵀAx)/∂x = (A + Aᵀ)x", body: "x'*A*x", kind: "grad", wrt: "x", forms: ["(A + A')*x", "A*x + A'*x"] },
  { law: "∂²(xᵀAx)/∂x² = A + Aᵀ", body: "x'*A*x", kind: "hessian", wrt: "x", forms: ["A + A'"] },
  { law: "∂(xᵀAy)/∂x = Ay", body: "x'*A*y", kind: "grad", wrt: "x", forms: ["A*y"] },
  { law: "∂(xᵀAy)/∂y = Aᵀx", body: "x'*A*y", kind: "grad", wrt: "y", forms: ["A'*x"] },
  { law: "∂(uᵀYx)/∂Y = u xᵀ", body: "u'*Y*x", kind: "grad", wrt: "Y", forms: ["u*x'"] },
  { law: "∂(tᵀWx)/∂W = t xᵀ", body: "t'*W*x", kind: "grad", wrt: "W", forms: ["t*x'"] },
  { law: "∂‖Wx − t‖²/∂x = 2Wᵀ(Wx − t)", body: "sum((W*x - t).^2)", kind: "grad", wrt: "x", forms: ["2*(W'*(W*x - t))", "2*W'*(W*x - t)"] },
  { law: "∂‖Wx − t‖²/∂W = 2(Wx − t)xᵀ", body: "sum((W*x - t).^2)", kind: "grad", wrt: "W", forms: ["2*((W*x - t)*x')", "2*(W*x - t)*x'"] },
  { law: "∂(xᵀWᵀWx)/∂x = 2WᵀWx", body: "x'*W'*W*x", kind: "grad", wrt: "x", forms: ["2*(W'*W*x)", "2*W'*W*x"] },
  { law: "∂ log Σ exp(x) / ∂x = softmax(x)", body: "log(sum(exp(x)))", kind: "grad", wrt: "x", forms: ["exp(x)/sum(exp(x))"] },
  {
    law: "∂² log Σ exp(x) / ∂x² = diag(softmax) − softmax softmaxᵀ",
    body: "log(sum(exp(x)))",
    kind: "hessian",
    wrt: "x",
    forms: ["(diag(exp(x)) - (exp(x)*exp(x'))/sum(exp(x)))/sum(exp(x))"],
  },
  { law: "∂softmax(x)/∂x = diag(s) − s sᵀ", body: "s = exp(x)/sum(exp(x))", kind: "jacobian", wrt: "x", forms: ["diag(s) - s*s'"] },
  {
    law: "softmax VJP: gᵀ(diag(s) − s sᵀ) = s ⊙ (g − gᵀs)",
    body: "s = exp(t)/sum(exp(t))",
    kind: "vjp",
    wrt: "t",
    cotangent: "g",
    forms: ["s .* (g - g'*s)", "s .* g - (g'*s)*s"],
  },
  { law: "∂(x ⊙ y)/∂x = diag(y)", body: "x .* y", kind: "jacobian", wrt: "x", forms: ["diag(y)"] },
  { law: "∂ tanh(x)/∂x = diag(1 − tanh²(x))", body: "tanh(x)", kind: "jacobian", wrt: "x", forms: ["diag(1 - tanh(x).^2)"] },
  { law: "∂ exp(x)/∂x = diag(exp(x))", body: "exp(x)", kind: "jacobian", wrt: "x", forms: ["diag(exp(x))"] },
  { law: "∂σ(Wx + b)/∂x = diag(h ⊙ (1 − h)) W", body: "h = sigmoid(W*x + b)", kind: "jacobian", wrt: "x", forms: ["diag(h .* (1 - h))*W"] },
  { law: "∂σ(Wx + b)/∂b = diag(h ⊙ (1 − h))", body: "h = sigmoid(W*x + b)", kind: "jacobian", wrt: "b", forms: ["diag(h .* (1 - h))"] },
  { law: "∂(Wx)/∂x = W", body: "W*x", kind: "jacobian", wrt: "x", forms: ["W"] },
  { law: "∂(Ax + a)/∂x = A", body: "A*x + a", kind: "jacobian", wrt: "x", forms: ["A"] },
  { law: "VJP of Wx by W: g xᵀ", body: "W*x", kind: "vjp", wrt: "W", cotangent: "g", forms: ["g*x'"] },
  { law: "VJP of Wx by x: Wᵀg", body: "W*x", kind: "vjp", wrt: "x", cotangent: "g", forms: ["W'*g"] },
  { law: "JVP of Wx by W: V x", body: "W*x", kind: "jvp", wrt: "W", tangent: "V", forms: ["V*x"] },
  { law: "JVP of Wx by x: W a", body: "W*x", kind: "jvp", wrt: "x", tangent: "a", forms: ["W*a"] },
  { law: "∂ tr(AX)/∂X = Aᵀ", body: "sum(diag(A*X))", kind: "grad", wrt: "X", forms: ["A'"] },
  { law: "∂ tr(X)/∂X = I", body: "sum(diag(X))", kind: "grad", wrt: "X", forms: ["eye(n)"] },
  { law: "∂ tr(XᵀAX)/∂X = (A + Aᵀ)X", body: "sum(diag(X'*A*X))", kind: "grad", wrt: "X", forms: ["(A + A')*X", "A*X + A'*X"] },
  { law: "∂ ‖X‖²_F/∂X = 2X", body: "sum(X.^2)", kind: "grad", wrt: "X", forms: ["2*X"] },
  { law: "∂ ‖x‖₂/∂x = x/‖x‖₂", body: "sqrt(x'*x)", kind: "grad", wrt: "x", forms: ["x/sqrt(x'*x)"] },
  { law: "∂(x/‖x‖)/∂x = (I − x xᵀ/xᵀx)/‖x‖", body: "x/sqrt(x'*x)", kind: "jacobian", wrt: "x", forms: ["(eye(n) - (x*x')/(x'*x))/sqrt(x'*x)"] },
  { law: "∂(aᵀx)²/∂x = 2(aᵀx)a", body: "(a'*x)^2", kind: "grad", wrt: "x", forms: ["2*(a'*x)*a"] },
  { law: "∂ Σ log(x)/∂x = 1 ⊘ x", body: "sum(log(x))", kind: "grad", wrt: "x", forms: ["1 ./ x", "x.^-1"], positive: ["x"] },
  { law: "∂ Σ |x| /∂x = sign(x)", body: "sum(abs(x))", kind: "grad", wrt: "x", forms: ["sign(x)"] },
  { law: "∂ Σ W /∂W = 1 1ᵀ", body: "sum(W)", kind: "grad", wrt: "W", forms: ["ones(m,n)"] },
  { law: "∂ Σ Wx /∂x = Wᵀ1", body: "sum(W*x)", kind: "grad", wrt: "x", forms: ["W'*ones(m)"] },
  { law: "∂ uᵀσ(Wx)/∂W = (u ⊙ σ ⊙ (1 − σ)) xᵀ", body: "u'*sigmoid(W*x)", kind: "grad", wrt: "W", forms: ["(u .* sigmoid(W*x) .* (1 - sigmoid(W*x)))*x'"] },
  {
    law: "cross-entropy of softmax: ∂/∂t −Σ g ⊙ log s = s Σg − g",
    body: "s = exp(t)/sum(exp(t)); L = -sum(g .* log(s))",
    kind: "grad",
    wrt: "t",
    forms: ["s*sum(g) - g"],
  },
  { law: "∂ exp(c·aᵀx)/∂c = aᵀx exp(c aᵀx)", body: "exp(a'*x*c)", kind: "diff", wrt: "c", forms: ["(a'*x)*exp((a'*x)*c)"] },
  { law: "∂ tr(AXB)/∂X = AᵀBᵀ (tr)", body: "tr(W*X*W')", kind: "grad", wrt: "X", forms: ["W'*W"] },
  { law: "∂ tr(X)/∂X = I (tr)", body: "tr(X)", kind: "grad", wrt: "X", forms: ["eye(n)"] },
  { law: "∂ tr(AXᵀBXC)/∂X = BXCA + BᵀXAᵀCᵀ (tr)", body: "tr(A*X'*(A + A')*X*A')", kind: "grad", wrt: "X", forms: ["(A + A')*X*A'*A + (A + A')*X*A'*A", "2*((A + A')*X*A'*A)", "2*(A*X*A'*A) + 2*(A'*X*A'*A)"] },
  { law: "∂ ‖x‖₂/∂x = x/‖x‖₂ (norm2)", body: "norm2(x)", kind: "grad", wrt: "x", forms: ["x/norm2(x)"] },
  { law: "∂ ‖Wx − b‖₁/∂x = Wᵀ sign(Wx − b) (norm1)", body: "norm1(W*x - b)", kind: "grad", wrt: "x", forms: ["W'*sign(W*x - b)"] },
  { law: "∂ ‖Wx − b‖₂/∂x = Wᵀ(Wx − b)/‖Wx − b‖₂ (norm2)", body: "norm2(W*x - b)", kind: "grad", wrt: "x", forms: ["(W'*(W*x - b))/norm2(W*x - b)"] },
  { law: "∂ ‖X‖_F/∂X = X/‖X‖_F (norm2)", body: "norm2(X)", kind: "grad", wrt: "X", forms: ["X/norm2(X)", "X/sqrt(sum(X'.^2*ones(n)))"] },
  { law: "∂ det(X)/∂X = det(X) X⁻ᵀ (det)", body: "det(X)", kind: "grad", wrt: "X", forms: ["det(X)*inv(X)'"], wellConditioned: ["X"] },
  { law: "∂ log det(X)/∂X = X⁻ᵀ (logdet)", body: "logdet(X)", kind: "grad", wrt: "X", forms: ["inv(X)'"], wellConditioned: ["X"] },
  { law: "∂ aᵀX⁻¹x/∂X = −X⁻ᵀaxᵀX⁻ᵀ (inv)", body: "a'*inv(X)*x", kind: "grad", wrt: "X", forms: ["-(inv(X)'*a)*(inv(X)*x)'"], wellConditioned: ["X"] },
  { law: "∂ log det(X⁻¹)/∂X = −X⁻ᵀ (logdet, inv)", body: "log(det(inv(X)))", kind: "grad", wrt: "X", forms: ["-inv(X)'"], wellConditioned: ["X"] },
  { law: "∂ tr(AX⁻¹)/∂X = −X⁻ᵀAᵀX⁻ᵀ (tr, inv)", body: "tr(A*inv(X))", kind: "grad", wrt: "X", forms: ["-(inv(X)'*A'*inv(X)')"], wellConditioned: ["X"] },
  { law: "∂ det(AX)/∂X = det(AX) Aᵀ(AX)⁻ᵀ (det)", body: "det(A*X)", kind: "grad", wrt: "X", forms: ["det(A*X)*A'*inv(A*X)'"], wellConditioned: ["X", "A"] },
];

export const specOf = (i: Identity): DerivativeSpec => ({
  kind: i.kind,
  wrt: i.wrt,
  ...(i.tangent ? { tangent: i.tangent } : {}),
  ...(i.cotangent ? { cotangent: i.cotangent } : {}),
});

export const label = (i: Identity): string =>
  `${i.kind} of ${i.body} by ${i.wrt}${i.tangent ? ` along ${i.tangent}` : ""}${i.cotangent ? ` with ${i.cotangent}` : ""}`;
