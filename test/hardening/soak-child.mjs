// The soak test's child process (run with --expose-gc by soak.test.ts): ROUNDS different
// derivations through the library, of every kind, each program distinct (its own
// constants and names), and the heap after a full collection at round 1,000 and at the end.
// Prints one JSON line: { heapAt1000, heapAtEnd, rounds, nodesAt1000, nodesAtEnd }.
const [, , indexPath, exprPath, roundsText] = process.argv;
const jacobi = await import(indexPath);
const { internedCount } = await import(exprPath);
const rounds = Number(roundsText);

const KINDS = [
  (k) => jacobi.toText(jacobi.grad(`x: vector(n); sum(log(1 + exp(${k + 1}*x)))`, "x")),
  (k) => jacobi.toText(jacobi.jacobian(`x: vector(n); W: matrix(n,n); s = exp(W*x + ${k})/sum(exp(W*x + ${k})); s`, "x")),
  (k) => jacobi.toText(jacobi.diff(`a: scalar; sin(a*${k + 2})*exp(a^2/${k + 3})`, "a")),
  (k) => jacobi.toLatex(jacobi.hessian(`x: vector(n); A: matrix(n,n); x'*A*x*${k + 1} + sum(x)`, "x")),
  (k) => jacobi.toText(jacobi.jacobian(`x: vector(4); tanh(x*${k + 1}) .* x`, "x", { elementwise: true })),
  (k) => jacobi.toText(jacobi.vjp(`x: vector(n); g: vector(n); v${k} = sigmoid(x/${k + 1}); v${k}`, "x", "g")),
  (k) => String(jacobi.evaluate(`x: vector(n); sum(x.*x)*${k}`, { x: [1, 2, 3] })),
];

const settle = async () => {
  for (let pass = 0; pass < 3; pass++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 10)); // lets finalizers run
  }
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

let heapAt1000 = 0;
let nodesAt1000 = 0;
let printed = 0;
for (let k = 0; k < rounds; k++) {
  printed += KINDS[k % KINDS.length](k).length;
  if (k + 1 === 1000) {
    heapAt1000 = await settle();
    nodesAt1000 = internedCount();
  }
}
const heapAtEnd = await settle();
process.stdout.write(`${JSON.stringify({ heapAt1000, heapAtEnd, rounds, nodesAt1000, nodesAtEnd: internedCount(), printed })}\n`);
