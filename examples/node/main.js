// jacobi from Node: `npm install && npm start` in this folder (the package is ../.., built).
import { compile, evaluate, grad, jacobian, parse, toLatex, toText } from "jacobi";

// The softmax Jacobian, for any size, as text and as LaTeX.
const softmax = parse("x: vector(n); s = exp(x)/sum(exp(x))");
console.log(`softmax:  ${toText(softmax, { definition: true })}`);
console.log(`jacobian: ${toText(jacobian(softmax, "x"))}`);
console.log(`latex:    ${toLatex(jacobian(softmax, "x"))}`);

// One layer and a cross-entropy loss; the gradients by every parameter, then their values.
const layer = parse(`
  x: vector(n); y: vector(m); W: matrix(m, n); b: vector(m)
  s = exp(W*x + b)/sum(exp(W*x + b))
  L = -sum(y .* log(s))
`);
const grads = grad(layer, ["W", "b"], { each: true });
for (const [name, g] of Object.entries(grads)) console.log(`dL/d${name} = ${toText(g)}`);
const values = { x: [0.2, -0.3], y: [0, 1], W: [[1, 0.2], [-1, 3]], b: [0.1, 0.2] };
console.log(`dL/db at the values: ${JSON.stringify(evaluate(layer, values, grads.b))}`);

// The same gradient as a kernel, compiled at run time: named Float64Arrays in, out.
const kernel = compile(`
  x: vector(n); y: vector(m); W: matrix(m, n); b: vector(m)
  L = -sum(y .* log(exp(W*x + b)/sum(exp(W*x + b))))
  kernel layerGrads = grad(L, W, b)
`);
const out = kernel({ x: Float64Array.of(0.2, -0.3), y: Float64Array.of(0, 1), W: Float64Array.of(1, 0.2, -1, 3), b: Float64Array.of(0.1, 0.2) });
console.log(`kernel: loss ${out.loss.toFixed(6)}, b ${JSON.stringify(Array.from(out.b, (v) => Number(v.toFixed(6))))}`);
