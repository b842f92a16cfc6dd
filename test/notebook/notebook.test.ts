/**
 * The main job (src/notebook): the backprop notebook reproduced from formula strings.
 * Oracles: a plain-JavaScript forward and backward pass written here by hand (the
 * textbook backprop of a 2-3-3 sigmoid/softmax/cross-entropy network), finite
 * differences (test/support/fd.ts, at the notebook's values and at random ones), and
 * the numbers the notebook printed.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { derive } from "../../src/calculus/derive.js";
import * as B from "../../src/core/build.js";
import { maxRelativeError } from "../../src/check/fd.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { parseValue, type Value } from "../../src/eval/value.js";
import { agrees, confirmed, formatNotebookReport } from "../../src/notebook/format.js";
import { DEFINITIONS, INPUTS, NEW_OUTPUT_PRINTED, QUANTITIES } from "../../src/notebook/reference.js";
import { AGREEMENT_TOLERANCE, networkProgram, runNotebook, type Comparison } from "../../src/notebook/run.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { cli } from "../support/cli.js";
import { envOf, expectedByFd, judgeValue } from "../support/derivatives.js";
import { randomBindings, rngFrom } from "../support/random.js";

const report = runNotebook();
const rows = [...report.network.rows, report.network.newOutput];
const row = (label: string): Comparison => rows.find((r) => r.label === label)!;
const numbers = (text: string): number[] => Array.from(parseValue(text, { text }).data);

// ---------------------------------------------------------------------------
// The oracle: backprop by hand, in plain arrays.

type Vec = number[];
type Mat = number[][];
const matvec = (M: Mat, v: Vec): Vec => M.map((r) => r.reduce((s, w, k) => s + w * v[k]!, 0));
const tmatvec = (M: Mat, v: Vec): Vec => M[0]!.map((_, c) => M.reduce((s, r, k) => s + r[c]! * v[k]!, 0));
const outer = (u: Vec, v: Vec): Mat => u.map((a) => v.map((b) => a * b));
const plus = (u: Vec, v: Vec): Vec => u.map((a, k) => a + v[k]!);
const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));
const softmax = (v: Vec): Vec => {
  const e = v.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

const input = (name: string): Value => parseValue(INPUTS.find((i) => i.name === name)!.value, { text: "" });
const asVec = (v: Value): Vec => Array.from(v.data);
const asMat = (v: Value): Mat => Array.from({ length: v.rows }, (_, r) => Array.from(v.data.subarray(r * v.cols, (r + 1) * v.cols)));

interface Pass {
  z1: Vec;
  s: Vec;
  g2: Vec;
  dz1: Vec;
  g3: Vec;
  dW1: Mat;
  dW2: Mat;
}

function backprop(W1: Mat, b1: Vec, W2: Mat, b2: Vec, x: Vec, y: Vec): Pass {
  const z1 = matvec(W1, x).map((t, k) => sigmoid(t + b1[k]!));
  const s = softmax(plus(matvec(W2, z1), b2));
  const g2 = s.map((p, k) => p - y[k]!); // dL/dnet2 for a one-hot y
  const dz1 = tmatvec(W2, g2); // dL/dz1 = W2' g2
  const g3 = dz1.map((d, k) => d * z1[k]! * (1 - z1[k]!)); // through the sigmoid
  return { z1, s, g2, dz1, g3, dW1: outer(g3, x), dW2: outer(g2, z1) };
}

const x = asVec(input("x"));
const y = asVec(input("y"));
const W1 = asMat(input("W1"));
const b1 = asVec(input("b1"));
const W2 = asMat(input("W2"));
const b2 = asVec(input("b2"));
const pass = backprop(W1, b1, W2, b2, x, y);
/** One gradient step with learning rate 1 (the notebook's alpha). */
const stepVec = (p: Vec, g: Vec): Vec => p.map((v, k) => v - g[k]!);
const stepMat = (p: Mat, g: Mat): Mat => p.map((row, k) => stepVec(row, g[k]!));
const forward = (w1: Mat, c1: Vec, w2: Mat, c2: Vec): Vec =>
  softmax(
    plus(
      matvec(
        w2,
        matvec(w1, x).map((t, k) => sigmoid(t + c1[k]!)),
      ),
      c2,
    ),
  );

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void =>
  expect(maxRelativeError(a, b), `${JSON.stringify(Array.from(a))} vs ${JSON.stringify(Array.from(b))}`).toBeLessThan(tol);

describe("the notebook's network", () => {
  it("jacobi's numbers are the hand-written backprop's", () => {
    close(row("z_1").value.data, pass.z1);
    close(row("y_hat").value.data, pass.s);
    close(row("g_2 = dL/dnet_2").value.data, pass.g2);
    close(row("dL/db_2").value.data, pass.g2);
    close(row("dL/dW_2").value.data, pass.dW2.flat());
    close(row("dL/dz_1").value.data, pass.dz1);
    close(row("g_3 = dL/dnet_1").value.data, pass.g3);
    close(row("dL/db_1").value.data, pass.g3);
    close(row("dL/dW_1").value.data, pass.dW1.flat());
    close(report.network.newOutput.value.data, forward(stepMat(W1, pass.dW1), stepVec(b1, pass.g3), stepMat(W2, pass.dW2), stepVec(b2, pass.g2)));
  });

  it("flags exactly the wrong printed numbers: g_3, dL/db_1, dL/dW_1 and the new output", () => {
    const wrong = rows.filter((r) => r.printed && !agrees(r)).map((r) => r.label);
    expect(wrong).toEqual(["g_3 = dL/dnet_1", "dL/db_1", "dL/dW_1", "new output"]);
    // Every other printed number is confirmed.
    for (const r of rows) if (r.printed && !wrong.includes(r.label)) expect(r.difference!, r.label).toBeLessThanOrEqual(AGREEMENT_TOLERANCE);
    // And the flagged ones are far off, not rounding.
    for (const label of wrong) expect(row(label).difference!, label).toBeGreaterThan(1e-2);
  });

  it("finite differences confirm every derivative row", () => {
    const derivatives = report.network.rows.filter((r) => r.fdError !== undefined);
    expect(derivatives.map((r) => r.label)).toEqual(QUANTITIES.filter((q) => q.kind !== "value").map((q) => q.label));
    for (const r of derivatives) expect(confirmed(r), `${r.label}: ${r.fdError}`).toBe(true);
  });

  it("the replay of the notebook's g_3 formula reproduces its number (the formula is wrong, not the arithmetic)", () => {
    const g3 = row("g_3 = dL/dnet_1");
    expect(g3.replayed).toBeDefined();
    expect(g3.replayed!.formula).toBe("z1 .* (1 - z1) .* g2");
    expect(g3.replayed!.difference!).toBeLessThanOrEqual(AGREEMENT_TOLERANCE);
    // The same by hand: z1 ⊙ (1 − z1) ⊙ g2, skipping W2' — what the notebook computed.
    const notebooks = pass.z1.map((z, k) => z * (1 - z) * pass.g2[k]!);
    expect(maxRelativeError(notebooks, numbers(QUANTITIES.find((q) => q.label === g3.label)!.printed!))).toBeLessThan(2e-6);
  });

  it("the notebook's new output follows from its wrong g_3 and a misplaced parenthesis (b_2new inside the product)", () => {
    // Cell 33: softmax(np.dot(W_2new, sigmoid(np.dot(W_1new, x) + b_1new) + b_2new)) adds
    // b_2new to the hidden layer before W_2new multiplies it; the network is W2*z1 + b2.
    const wrongG3 = pass.z1.map((z, k) => z * (1 - z) * pass.g2[k]!);
    const [w1, c1, w2, c2] = [stepMat(W1, outer(wrongG3, x)), stepVec(b1, wrongG3), stepMat(W2, pass.dW2), stepVec(b2, pass.g2)];
    const notebooksFormula = softmax(
      matvec(
        w2,
        plus(
          matvec(w1, x).map((t, k) => sigmoid(t + c1[k]!)),
          c2,
        ),
      ),
    );
    expect(maxRelativeError(notebooksFormula, numbers(NEW_OUTPUT_PRINTED))).toBeLessThan(2e-6);
    // The wrong g_3 alone does not explain it…
    expect(maxRelativeError(forward(w1, c1, w2, c2), numbers(NEW_OUTPUT_PRINTED))).toBeGreaterThan(1e-2);
    // …nor the parenthesis alone (with the right gradients).
    const right = [stepMat(W1, pass.dW1), stepVec(b1, pass.g3), stepMat(W2, pass.dW2), stepVec(b2, pass.g2)] as const;
    const parenthesisOnly = softmax(
      matvec(
        right[2],
        plus(
          matvec(right[0], x).map((t, k) => sigmoid(t + right[1][k]!)),
          right[3],
        ),
      ),
    );
    expect(maxRelativeError(parenthesisOnly, numbers(NEW_OUTPUT_PRINTED))).toBeGreaterThan(1e-3);
    // jacobi's new output is the right one.
    close(report.network.newOutput.value.data, forward(...right));
  });

  // Cell 33 has an error of its own (it adds b_2new inside np.dot(W_2new, …)); replaying it
  // with the notebook's printed gradients must give the notebook's printed new output.
  it("the report replays the notebook's new-output formula and reproduces its number", () => {
    const replayed = report.network.newOutput.replayed;
    expect(replayed).toBeDefined();
    expect(replayed!.difference!).toBeLessThanOrEqual(AGREEMENT_TOLERANCE);
  });

  it("the gradients by W1, b1, W2, b2 are matrix forms in terms of s and z1", () => {
    const program = parseProgram(networkProgram());
    const L = B.sym("L");
    for (const wrt of ["W1", "b1", "W2", "b2"]) {
      const r = derive(program, L, { kind: "grad", wrt });
      expect(r.matrix, wrt).toBeDefined();
      const text = toText(r.matrix!);
      expect(text, wrt).toMatch(/\bs\b/);
      if (wrt !== "b2") expect(text, wrt).toMatch(/\bz1\b/);
      // The definitions are recognized, not expanded.
      expect(text, wrt).not.toMatch(/exp\(|sigmoid\(|log\(/);
    }
  });

  it("every gradient agrees with finite differences at random values (5 draws)", () => {
    const program = parseProgram(networkProgram());
    const onehot = (k: number): Value => ({ rows: 3, cols: 1, data: Float64Array.from([0, 1, 2], (i) => (i === k ? 1 : 0)) });
    for (let trial = 0; trial < 5; trial++) {
      const bindings = randomBindings(program, new Map(), rngFrom(900 + trial), { lo: -2, hi: 2, fixed: new Map([["y", onehot(trial % 3)]]) });
      for (const wrt of ["W1", "b1", "W2", "b2", "x"]) {
        const spec = { kind: "grad", wrt } as const;
        const r = derive(program, B.sym("L"), spec);
        const got = evaluate(r.matrix!, envOf(program, bindings));
        const verdict = judgeValue(got, expectedByFd(program, spec, bindings, B.sym("L")), true);
        expect(verdict.kind, `${wrt}: ${toText(r.matrix!)} ${JSON.stringify(verdict)}`).toBe("ok");
      }
    }
  });

  it("the network program is the notebook's definitions, in order", () => {
    const program = parseProgram(networkProgram());
    expect([...program.defs.keys()]).toEqual(DEFINITIONS.map((d) => d.name));
    expect([...program.decls.keys()]).toEqual(INPUTS.map((i) => i.name));
  });
});

describe("the notebook's softmax Jacobian and matrix-vector VJP", () => {
  it("the softmax Jacobian is diag(s) - s*s', and the element-wise view agrees with it", () => {
    expect(toText(report.softmax.matrix)).toBe("diag(s) - s*s'");
    expect(report.softmax.difference).toBeLessThan(1e-12);
    expect(report.softmax.elementwise.shape.rows).toBe(3);
    expect(report.softmax.elementwise.shape.cols).toBe(3);
  });

  it("the VJP of W*x by W is g*x', and the notebook's flattened view reshapes to its entries", () => {
    expect(toText(report.matvec.vjp)).toBe("g*x'");
    expect(report.matvec.same).toBe(true);
    expect(toText(report.matvec.reshaped)).toBe("[[g1*x1, g1*x2, g1*x3], [g2*x1, g2*x2, g2*x3], [g3*x1, g3*x2, g3*x3]]");
  });
});

describe("the report (npm start)", () => {
  it("names the wrong numbers and explains the first", () => {
    const text = formatNotebookReport(report);
    expect(text).toContain("4 printed results of the notebook are wrong: g_3 = dL/dnet_1; dL/db_1; dL/dW_1; new output.");
    expect(text).toContain("z_1 * (1 - z_1) * g_2");
    expect(text).toContain("exactly the notebook's number");
    expect(text).toContain("matrix form: diag(s) - s*s'");
    expect(text).not.toContain("DO NOT confirm");
  });

  it("jacobi notebook prints it, writes the derivations and seed kernels, and exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-notebook-"));
    try {
      const r = await cli("notebook", "--out", dir);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.out.startsWith(formatNotebookReport(runNotebook()))).toBe(true);
      const written = ["softmax-jacobian.tex", "softmax-jacobian.html", "network-gradients.tex", "network-gradients.html", "matvec-vjp.tex", "matvec-vjp.html", "softmax.ts", "matvec.ts", "mlp.ts"];
      for (const f of written) {
        expect(r.out).toContain(`${dir}/${f}`);
        // the same bytes as the committed generated/ files, but for the folder a kernel's header names
        const header = (d: string): string => `run \`jacobi gen examples/${f.replace(/\.ts$/, ".jacobi")} --out ${d}\``;
        const committed = readFileSync(join("generated", f), "utf8");
        if (f.endsWith(".ts")) expect(committed).toContain(header("generated"));
        expect(readFileSync(join(dir, f), "utf8") === committed.replace(header("generated"), header(dir)), f).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
