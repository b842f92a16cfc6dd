/**
 * Random feed-forward networks as jacobi programs, for the reverse-mode tests and the
 * bench: depth, widths, an activation per layer (tanh or sigmoid), residual layers
 * (`z2 = z1 + tanh(W2*z1 + b2)`, where the widths agree), a weight used in two layers,
 * and softmax + cross-entropy or squared-error loss.
 */

export interface NetworkShape {
  /** Widths of the input and of each layer's output (depth + 1 numbers). */
  readonly widths: readonly number[];
  readonly activations: readonly ("tanh" | "sigmoid")[];
  /** Layer k (1-based, not the last) adds its input: z_k = z_{k-1} + f(W_k*z_{k-1} + b_k). */
  readonly residual: readonly boolean[];
  /** Layer k uses the weight of layer shared[k] (an earlier layer of equal shape), or its own. */
  readonly shared: readonly (number | undefined)[];
  readonly loss: "crossentropy" | "squared";
}

export interface Network {
  readonly text: string;
  /** The parameters, in order: W1, b1, W2, … (shared weights once). */
  readonly params: readonly string[];
}

/** The program of a network; the last layer is linear (softmax or squared error on it). */
export function networkProgram(net: NetworkShape): Network {
  const depth = net.widths.length - 1;
  const lines = [`x: vector(${net.widths[0]})`, `y: vector(${net.widths[depth]})`];
  const params: string[] = [];
  const weight = (k: number): string => `W${net.shared[k - 1] ?? k}`;
  for (let k = 1; k <= depth; k++) {
    if (net.shared[k - 1] === undefined) {
      lines.push(`W${k}: matrix(${net.widths[k]}, ${net.widths[k - 1]})`);
      params.push(`W${k}`);
    }
    lines.push(`b${k}: vector(${net.widths[k]})`);
    params.push(`b${k}`);
  }
  let prev = "x";
  for (let k = 1; k < depth; k++) {
    const layer = `${net.activations[k - 1]}(${weight(k)}*${prev} + b${k})`;
    lines.push(`z${k} = ${net.residual[k - 1] && prev !== "x" ? `${prev} + ${layer}` : layer}`);
    prev = `z${k}`;
  }
  const out = `${weight(depth)}*${prev} + b${depth}`;
  if (net.loss === "crossentropy") lines.push(`s = exp(${out})/sum(exp(${out}))`, "L = -sum(y .* log(s))");
  else lines.push(`L = sum((${out} - y).^2)`);
  return { text: lines.join("\n"), params };
}

/** A plain MLP: `depth` tanh layers of one width, softmax + cross-entropy. */
export function mlp(depth: number, width: number | string, activation: "tanh" | "sigmoid" = "tanh"): Network {
  const lines = [`x: vector(${width})`, `y: vector(${width})`];
  const params: string[] = [];
  for (let k = 1; k <= depth; k++) {
    lines.push(`W${k}: matrix(${width}, ${width})`, `b${k}: vector(${width})`);
    params.push(`W${k}`, `b${k}`);
  }
  let prev = "x";
  for (let k = 1; k < depth; k++) {
    lines.push(`z${k} = ${activation}(W${k}*${prev} + b${k})`);
    prev = `z${k}`;
  }
  const out = `W${depth}*${prev} + b${depth}`;
  lines.push(`s = exp(${out})/sum(exp(${out}))`, "L = -sum(y .* log(s))");
  return { text: lines.join("\n"), params };
}
