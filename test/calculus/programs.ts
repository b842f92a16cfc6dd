/** Programs at concrete sizes shared by the element-wise tests. */
export const SOFTMAX = "x: vector(3); s = exp(x)/sum(exp(x))";
export const QUADRATIC = "x: vector(3); A: matrix(3,3); x'*A*x";
export const LSE = "x: vector(3); log(sum(exp(x)))";
export const LEAST_SQUARES = "W: matrix(2,3); x: vector(3); t: vector(2); sum((W*x - t).^2)";
export const LAYER = "W: matrix(2,3); x: vector(3); b: vector(2); g: vector(2); V: matrix(2,3); v: vector(3); sigmoid(W*x + b)";
export const SCALED = "a: scalar; x: vector(3); exp(a*x)";
export const SOFT_NORM = "x: vector(3); c: scalar; sqrt(x'*x + c^2)";
export const PRODUCT = "x: vector(3); y: vector(3); x .* y";
export const MATRIX_VALUE = "W: matrix(2,3); A: matrix(3,3); G: matrix(2,3); T: matrix(2,3); tanh(W*A)";
