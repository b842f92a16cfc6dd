/**
 * Backprop at any depth: the forms the CLI and the library print for MLPs of depth 1–16
 * (textbook style, shared cotangents named), the gradient by a definition (`--wrt net1`),
 * and kernels whose backward work grows linearly with depth.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gradients, grad, parse } from "../../src/api.js";
import { toText } from "../../src/print/text.js";
import { derive } from "../../src/calculus/derive.js";
import { compileAll, compiledSource } from "../../src/codegen/compile.js";
import { parseSpec } from "../../src/codegen/spec.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { parseProgram } from "../../src/parse/parse.js";
import { subjectOf } from "../../src/core/program.js";
import { cli, cliOut, tempFile } from "../support/cli.js";
import { envOf, inputsOf, oracleOf, randomCase, relativeError, resultsOf, rng } from "../codegen/support.js";
import { mlp, networkProgram } from "../support/networks.js";

const NETWORK = readFileSync("examples/network.jacobi", "utf8");
const WITH_NET1 = NETWORK.replace("z1 = sigmoid(W1*x + b1)", "net1 = W1*x + b1\nz1 = sigmoid(net1)");
const AT = ["x=[0.2,-0.3]", "y=[0,0,1]", "W1=[[1,0.2],[-1,3],[0.5,0.5]]", "b1=[0.1,0.2,0]", "W2=[[0.1,0.2,0.3],[0.4,0.5,0.6],[0.2,-0.2,0.1]]", "b2=[0,0.5,0]"].flatMap((a) => ["--at", a]);

describe("MLPs of depth 1 to 16", () => {
  for (const depth of [1, 2, 3, 4, 8, 16]) {
    it(`depth ${depth}: every parameter has a matrix form`, () => {
      const net = mlp(depth, "n");
      const program = parseProgram(net.text);
      for (const wrt of net.params) expect(derive(program, subjectOf(program), { kind: "grad", wrt }).matrix, wrt).toBeDefined();
    });
  }

  it("depth 16 prints textbook backprop: dL/dW1 = d1*x' where d1 = (W2'*d2) .* (1 - z1.^2)", async () => {
    const net = mlp(16, "n");
    const out = await cliOut("grad", "-f", tempFile("mlp16.jacobi", net.text), "--wrt", net.params.join(","));
    const lines = out.split("\n");
    expect(lines[0]).toBe("dL/dW1 = d1*x'");
    expect(lines[1]).toBe("dL/db1 = d1");
    expect(lines).toContain("dL/dW16 = d16*z15'");
    expect(lines).toContain("where d16 = s*sum(y) - y");
    expect(lines).toContain("      d15 = (W16'*d16) .* (1 - z15.^2)");
    expect(lines[lines.length - 1]).toBe("      d1 = (W2'*d2) .* (1 - z1.^2)");
    expect(lines).toHaveLength(32 + 16);
  });

  it("JSON carries the named cotangents under \"where\"", async () => {
    const net = mlp(5, "n");
    const json = JSON.parse(await cliOut("grad", "-f", tempFile("mlp5.jacobi", net.text), "--wrt", "W1,b1", "--format", "json")) as Record<string, { text: string }> & { where: Record<string, { text: string; latex: string }> };
    expect(json.W1!.text).toBe("d1*x'");
    expect(Object.keys(json.where)).toEqual(["d1"]);
    expect(json.where.d1!.text).toBe("(W2'*((W3'*((W4'*((W5'*(s*sum(y) - y)) .* (1 - z4.^2))) .* (1 - z3.^2))) .* (1 - z2.^2))) .* (1 - z1.^2)");
  });

  it("depth 3, written out, fits a line and agrees with the index form", async () => {
    const net = mlp(3, "n");
    const out = await cliOut("grad", "-f", tempFile("mlp3.jacobi", net.text), "--wrt", net.params.join(","));
    expect(out.split("\n")[0]).toBe("dL/dW1 = ((W2'*((W3'*(s*sum(y) - y)) .* (1 - z2.^2))) .* (1 - z1.^2))*x'");
    expect(out).not.toContain("where");
  });

  it("--at gives the values of named results", async () => {
    const net = mlp(6, 2, "sigmoid");
    const file = tempFile("mlp6.jacobi", net.text);
    const at = net.params.flatMap((p, k) => ["--at", `${p}=${p.startsWith("W") ? `[[0.${k},0.3],[-0.2,0.${k + 1}]]` : `[0.1,-0.${k}]`}`]);
    const json = JSON.parse(await cliOut("grad", "-f", file, "--wrt", net.params.join(","), "--at", "x=[0.5,-1]", "--at", "y=[0,1]", ...at, "--format", "json")) as Record<string, unknown>;
    const b1 = JSON.parse(await cliOut("grad", "-f", file, "--wrt", "b1", "--at", "x=[0.5,-1]", "--at", "y=[0,1]", ...at, "--format", "json")) as number[];
    expect(relativeError(json.b1 as number[], b1)).toBeLessThan(1e-12);
    expect(Object.keys(json)).toEqual(net.params);
  });
});

describe("the gradient by a definition", () => {
  it("grad --wrt net1 prints the notebook's dL/dnet1", async () => {
    expect(await cliOut("grad", WITH_NET1, "--wrt", "net1")).toBe("(W2'*(s*sum(y) - y)) .* z1 .* (1 - z1)");
  });

  it("--at gives its value (the correct dL/db1 of the notebook)", async () => {
    expect(await cliOut("grad", WITH_NET1, "--wrt", "net1", ...AT, "--format", "json", "--precision", "8")).toBe("[0.022400759,0.10108693,0.082824146]");
  });

  it("by a definition and by what it is made of, together", async () => {
    const out = await cliOut("grad", WITH_NET1, "--wrt", "net1,W1,b1");
    expect(out).toBe(["dL/dnet1 = (W2'*(s*sum(y) - y)) .* z1 .* (1 - z1)", "dL/dW1 = ((W2'*(s*sum(y) - y)) .* z1 .* (1 - z1))*x'", "dL/db1 = (W2'*(s*sum(y) - y)) .* z1 .* (1 - z1)"].join("\n"));
  });

  it("jacobian by a definition: the definition is the variable (∂s/∂net1 = (diag(s) - s*s')*W2*diag(σ'(net1)))", async () => {
    const out = await cliOut("jacobian", WITH_NET1.replace("L = -sum(y .* log(s))", "s"), "--wrt", "net1");
    expect(out).toBe("diag(s)*W2*diag(z1 .* (1 - z1)) - s*((s'*W2) .* z1' .* (1 - z1'))");
  });
});

describe("the library", () => {
  it("gradients names the shared cotangents", () => {
    const net = mlp(12, "n");
    const g = gradients(net.text, net.params);
    expect(toText(g.results.W1!)).toBe("d1*x'");
    expect(g.where.map((w) => w.name)).toEqual(Array.from({ length: 12 }, (_, k) => `d${12 - k}`));
    expect(toText(g.where[11]!.expr)).toBe("(W2'*d2) .* (1 - z1.^2)");
  });

  it("grad by a definition", () => {
    expect(toText(grad(parse(WITH_NET1), "net1"))).toBe("(W2'*(s*sum(y) - y)) .* z1 .* (1 - z1)");
  });
});

describe("kernels", () => {
  const spec = (depth: number, width: number | string): string => {
    const net = mlp(depth, width);
    return `${net.text}\nkernel grads = grad(L, ${net.params.join(", ")})\nkernel gradsBatch = batch(grads, x, y)`;
  };

  for (const depth of [4, 8, 16]) {
    it(`depth ${depth}: the grad kernel and its batch agree with the evaluator`, () => {
      const text = spec(depth, 3);
      const kernels = parseSpec(text).kernels;
      const made = compileAll(text) as Record<string, (inputs: Record<string, unknown>) => unknown>;
      const one = kernels.find((k) => k.name === "grads")!;
      const c = randomCase(one.program, rng(depth));
      const want = oracleOf(one, envOf(one.program, c));
      const got = resultsOf(one, made.grads!(inputsOf(one.program, c)));
      for (const o of one.outputs) expect(relativeError(got.get(o.key)!, want.get(o.key)!), o.key).toBeLessThan(1e-10);
      // a batch of two copies of the sample: twice the gradients
      const inputs = inputsOf(one.program, c);
      const x = inputs.x as Float64Array;
      const y = inputs.y as Float64Array;
      const batched = made.gradsBatch!({ ...inputs, x: Float64Array.from([...x, ...x]), y: Float64Array.from([...y, ...y]) }) as Record<string, Float64Array>;
      for (const o of one.outputs) {
        const v = batched[o.key] as number | ArrayLike<number>;
        expect(relativeError(typeof v === "number" ? [v] : Float64Array.from(v), want.get(o.key)!.map((e) => 2 * e)), `batch ${o.key}`).toBeLessThan(1e-10);
      }
    });
  }

  it("backward work grows linearly with depth: each cotangent is computed once", () => {
    const loops = (depth: number): number => (compiledSource(parseSpec(spec(depth, "n")).kernels.slice(0, 1), "f64").match(/\bfor \(/g) ?? []).length;
    const [a, b, c] = [loops(4), loops(8), loops(12)];
    expect(b - a).toBe(c - b);
    expect(b - a).toBeGreaterThan(0);
  });

  it("gen writes the kernel of a depth-16 network", async () => {
    const file = tempFile("deep.jacobi", spec(16, "n"));
    const outDir = tempFile("deep-out", "").replace(/deep-out$/, "deep-gen");
    const r = await cli("gen", file, "--out", outDir);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(`${outDir}/deep.ts`, "utf8")).toContain("export function gradsBatch(");
  });

  it("the values of a named result equal the written-out ones", () => {
    const net = mlp(5, 2);
    const program = parseProgram(net.text);
    const f = subjectOf(program);
    const b1 = derive(program, f, { kind: "grad", wrt: "b1" });
    const c = randomCase(program, rng(5));
    expect(relativeError(evaluate(b1.matrix!, envOf(program, c)).data, evaluate(derive(program, f, { kind: "grad", wrt: "b1" }, { record: true }).matrix!, envOf(program, c)).data)).toBeLessThan(1e-12);
  });
});

describe("gen takes every derivative grad, vjp and jvp print", () => {
  const RESIDUAL = networkProgram({ widths: [3, 3, 3, 3, 3], activations: ["tanh", "sigmoid", "tanh", "tanh"], residual: [false, true, true, false], shared: [undefined, undefined, 2, undefined], loss: "squared" });

  it("grad, vjp and jvp kernels of a residual network with a shared weight agree with the evaluator", () => {
    const text = [
      RESIDUAL.text,
      "g: vector(3)",
      "V: matrix(3, 3)",
      `kernel grads = grad(L, ${RESIDUAL.params.join(", ")})`,
      "kernel pullback = vjp(z3, W1, b2, g)",
      "kernel pushforward = jvp(L, W2, V)",
    ].join("\n");
    const made = compileAll(text) as Record<string, (inputs: Record<string, unknown>) => unknown>;
    for (const k of parseSpec(text).kernels) {
      const c = randomCase(k.program, rng(11));
      const want = oracleOf(k, envOf(k.program, c));
      const got = resultsOf(k, made[k.name]!(inputsOf(k.program, c)));
      for (const o of k.outputs) expect(relativeError(got.get(o.key)!, want.get(o.key)!), `${k.name} ${o.key}`).toBeLessThan(1e-10);
    }
  });
});
