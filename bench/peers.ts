/**
 * The peers: TensorFlow.js (cpu and wasm backends; float32, as tfjs computes) with
 * tensors made from the arrays on every call and results read back with dataSync()
 * outside `tf.tidy` (inside it, tidy walks the returned typed array element by element,
 * which would charge tfjs ~1 µs per entry it does not otherwise spend), and mathjs for
 * symbolic derivatives (derivative + compile).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { derivative } from "mathjs";

export type Backend = "cpu" | "wasm";

let wasmPathSet = false;

/** Switches tfjs to a backend; the wasm binary is loaded from node_modules (no network). */
export async function useBackend(name: Backend): Promise<void> {
  if (name === "wasm" && !wasmPathSet) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
    setWasmPaths(`${dir}/`);
    wasmPathSet = true;
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend ${name} did not initialize`);
  await tf.ready();
}

export const backendName = (): string => tf.getBackend();

/** The tensor that `build` makes inside tidy, read back outside it and freed. */
function read(build: () => tf.Tensor): Float32Array {
  const t = tf.tidy(build);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

export function tfSoftmax(x: Float32Array): Float32Array {
  return read(() => tf.softmax(tf.tensor1d(x)));
}

export function tfSoftmaxVjp(x: Float32Array, g: Float32Array): Float32Array {
  return read(() => tf.grad((v: tf.Tensor) => tf.softmax(v))(tf.tensor1d(x), tf.tensor1d(g)));
}

export function tfSoftmaxJacobian(x: Float32Array): Float32Array {
  return read(() => {
    const s = tf.softmax(tf.tensor1d(x)) as tf.Tensor1D;
    return tf.sub(tf.diag(s), tf.outerProduct(s, s));
  });
}

export function tfOuter(g: Float32Array, x: Float32Array): Float32Array {
  return read(() => tf.outerProduct(tf.tensor1d(g), tf.tensor1d(x)));
}

export function tfMatTvec(W: Float32Array, g: Float32Array, m: number, n: number): Float32Array {
  return read(() => tf.matMul(tf.tensor2d(W, [m, n]), tf.tensor2d(g, [m, 1]), true, false));
}

export interface TfNetInputs {
  readonly n0: number;
  readonly n1: number;
  readonly n2: number;
  readonly batch: number;
  readonly X: Float32Array;
  readonly Y: Float32Array;
  readonly W1: Float32Array;
  readonly b1: Float32Array;
  readonly W2: Float32Array;
  readonly b2: Float32Array;
}

/** The summed cross-entropy loss of the batch and its gradients (tf.valueAndGrads). */
export function tfNet(p: TfNetInputs): { loss: number; grads: Float32Array[] } {
  const { value, grads } = tf.tidy(() => {
    const X = tf.tensor2d(p.X, [p.batch, p.n0]);
    const Y = tf.tensor2d(p.Y, [p.batch, p.n2]);
    const f = (W1: tf.Tensor, b1: tf.Tensor, W2: tf.Tensor, b2: tf.Tensor): tf.Scalar => {
      const z1 = tf.sigmoid(tf.add(tf.matMul(X, W1 as tf.Tensor2D, false, true), b1));
      const u = tf.add(tf.matMul(z1 as tf.Tensor2D, W2 as tf.Tensor2D, false, true), b2);
      return tf.neg(tf.sum(tf.mul(Y, tf.logSoftmax(u)))) as tf.Scalar;
    };
    return tf.valueAndGrads(f as (...args: tf.Tensor[]) => tf.Scalar)([
      tf.tensor2d(p.W1, [p.n1, p.n0]),
      tf.tensor1d(p.b1),
      tf.tensor2d(p.W2, [p.n2, p.n1]),
      tf.tensor1d(p.b2),
    ]);
  });
  const result = { loss: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync() as Float32Array) };
  tf.dispose([value, ...grads]);
  return result;
}

/** mathjs: the n×n softmax Jacobian entries, derived symbolically and compiled. */
export function mathjsSoftmaxJacobian(n: number): { evaluate: (scope: Record<string, number>) => number }[] {
  const names = Array.from({ length: n }, (_, k) => `x${k + 1}`);
  const denominator = names.map((v) => `exp(${v})`).join(" + ");
  const out: { evaluate: (scope: Record<string, number>) => number }[] = [];
  for (const xi of names) {
    const entry = `exp(${xi}) / (${denominator})`;
    for (const xj of names) out.push(derivative(entry, xj).compile());
  }
  return out;
}
