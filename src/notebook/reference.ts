/**
 * The reference problem: the SymPy + numpy backprop notebook, transcribed here as
 * formula strings and the numbers it printed.
 * The printed numbers are what the notebook claims (float32); jacobi recomputes every
 * one and says where they disagree.
 */

export const NOTEBOOK_FILE = "the backprop notebook (SymPy + numpy, transcribed in src/notebook/reference.ts)";

/** The network's inputs, with the notebook's values (cells 9–11). */
export const INPUTS: readonly { readonly name: string; readonly type: string; readonly value: string }[] = [
  { name: "x", type: "vector(2)", value: "[0.2, -0.3]" },
  { name: "y", type: "vector(3)", value: "[0, 0, 1]" },
  { name: "W1", type: "matrix(3,2)", value: "[[1, 0.2], [-1, 3.0], [0.5, 0.5]]" },
  { name: "b1", type: "vector(3)", value: "[0.1, 0.2, 0]" },
  { name: "W2", type: "matrix(3,3)", value: "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.2, -0.2, 0.1]]" },
  { name: "b2", type: "vector(3)", value: "[0, 0.5, 0]" },
];

/** The forward pass as definitions, in order (cells 12–15). */
export const DEFINITIONS: readonly { readonly name: string; readonly type: string; readonly formula: string }[] = [
  { name: "net1", type: "vector(3)", formula: "W1*x + b1" },
  { name: "z1", type: "vector(3)", formula: "sigmoid(net1)" },
  { name: "net2", type: "vector(3)", formula: "W2*z1 + b2" },
  { name: "s", type: "vector(3)", formula: "exp(net2)/sum(exp(net2))" },
  { name: "L", type: "scalar", formula: "-sum(y .* log(s))" },
];

/** The learning rate of the update step (cell 31). */
export const ALPHA = 1.0;

/** What the notebook computes, how jacobi computes it, and the numbers the notebook printed. */
export type Quantity =
  | { readonly label: string; readonly kind: "value"; readonly name: string; readonly printed: string }
  | {
      readonly label: string;
      readonly kind: "grad" | "jacobian";
      /** The value differentiated (a definition). */
      readonly of: string;
      /** What it is differentiated by: an input, or a definition cut loose as an input. */
      readonly wrt: string;
      /** The notebook's own code for it. */
      readonly code: string;
      readonly printed: string | undefined;
      /**
       * The notebook's code as a jacobi formula over other rows' values, to replay what
       * the notebook computed (and so find where it went wrong).
       */
      readonly replay?: { readonly formula: string; readonly inputs: Readonly<Record<string, string>> };
    };

export const QUANTITIES: readonly Quantity[] = [
  { label: "net_1", kind: "value", name: "net1", printed: "[0.24000001, -0.90000004, -0.05]" },
  { label: "z_1", kind: "value", name: "z1", printed: "[0.55971366, 0.2890505, 0.48750263]" },
  { label: "net_2", kind: "value", name: "net2", printed: "[0.26003227, 1.1609123, 0.10288289]" },
  { label: "y_hat", kind: "value", name: "s", printed: "[0.23167749, 0.57033634, 0.19798611]" },
  { label: "L", kind: "value", name: "L", printed: "1.6195585" },
  { label: "g_1 = dL/dy_hat", kind: "grad", of: "L", wrt: "s", code: "(-y*(1/y_hat)).T", printed: "[-0, -0, -5.0508595]" },
  {
    label: "dy_hat/dnet_2",
    kind: "jacobian",
    of: "s",
    wrt: "net2",
    code: "np.diagflat(y_hat) - np.dot(y_hat, y_hat.T)",
    printed: "[[0.17800303, -0.1321341, -0.04586893], [-0.1321341, 0.24505278, -0.11291867], [-0.04586893, -0.11291867, 0.15878761]]",
  },
  { label: "g_2 = dL/dnet_2", kind: "grad", of: "L", wrt: "net2", code: "np.dot(dy_hat_dnet2.T, g_1)", printed: "[0.2316775, 0.57033634, -0.8020139]" },
  { label: "dL/db_2", kind: "grad", of: "L", wrt: "b2", code: "g_2", printed: "[0.2316775, 0.57033634, -0.8020139]" },
  {
    label: "dL/dW_2",
    kind: "grad",
    of: "L",
    wrt: "W2",
    code: "g_2 * z_1.T",
    printed: "[[0.12967306, 0.0669665, 0.1129434], [0.31922504, 0.164856, 0.27804047], [-0.44889814, -0.2318225, -0.39098388]]",
  },
  { label: "dL/dz_1", kind: "grad", of: "L", wrt: "z1", code: "np.dot(W_2.T, g_2)", printed: undefined },
  {
    label: "g_3 = dL/dnet_1",
    kind: "grad",
    of: "L",
    wrt: "net1",
    code: "z_1 * (1 - z_1) * g_2",
    printed: "[0.05709328, 0.1172043, -0.20037821]",
    replay: { formula: "z1 .* (1 - z1) .* g2", inputs: { z1: "z_1", g2: "g_2 = dL/dnet_2" } },
  },
  { label: "dL/db_1", kind: "grad", of: "L", wrt: "b1", code: "g_3", printed: "[0.05709328, 0.1172043, -0.20037821]" },
  {
    label: "dL/dW_1",
    kind: "grad",
    of: "L",
    wrt: "W1",
    code: "np.dot(g_3, x.T)",
    printed: "[[0.01141866, -0.01712798], [0.02344086, -0.03516129], [-0.04007564, 0.06011346]]",
  },
];

/** The output after one gradient step with the gradients above (cell 33). */
export const NEW_OUTPUT_PRINTED = "[0.24301268, 0.31357023, 0.4434171]";

/**
 * Cell 33 as the notebook wrote it, to replay with the notebook's own printed gradients:
 * each updated parameter is the input minus ALPHA times a printed row. Note where its
 * parenthesis closes: b_2new is added inside np.dot, before the product with W_2new.
 */
export const NEW_OUTPUT_REPLAY = {
  code: "softmax(np.dot(W_2new, sigmoid(np.dot(W_1new, x) + b_1new) + b_2new))",
  formula: "h = W2n*(sigmoid(W1n*x + b1n) + b2n); exp(h)/sum(exp(h))",
  updates: [
    { name: "W1n", from: "W1", gradient: "dL/dW_1" },
    { name: "b1n", from: "b1", gradient: "dL/db_1" },
    { name: "W2n", from: "W2", gradient: "dL/dW_2" },
    { name: "b2n", from: "b2", gradient: "dL/db_2" },
  ],
} as const;

/** Part 3: the matrix-vector product whose VJP the notebook derives by flattening W (cells 35–40). */
export const MATVEC = { program: "W: matrix(3,3); x: vector(3); g: vector(3); W*x", wrt: "W", cotangent: "g" } as const;

/** Part 1: the softmax whose Jacobian SymPy prints entry by entry (cells 1–7). */
export const SOFTMAX = { program: "x: vector(3); s = exp(x)/sum(exp(x))", wrt: "x" } as const;
