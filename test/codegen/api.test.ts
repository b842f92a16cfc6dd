/**
 * The generator's contract: deterministic bytes (and generated/ up to date), compile()
 * equal to the generated files, names validated and mangled consistently, comments
 * that cannot be closed by the text they quote, the `gen` command, batched variants.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as matvecModule from "../../generated/matvec.js";
import * as mlpModule from "../../generated/mlp.js";
import * as softmaxModule from "../../generated/softmax.js";
import { compile, compileAll, compiledSource, generateModule, parseSpec } from "../../src/codegen/index.js";
import { safeName, commentText, NameTable } from "../../src/codegen/names.js";
import { JacobiError } from "../../src/core/errors.js";
import { runCli } from "../../src/cli/run.js";
import type { Io } from "../../src/cli/io.js";
import { envOf, inputsOf, magnitude, oracleOf, randomCase, relativeError, resultsOf, rng } from "./support.js";

type AnyKernel = (inputs: Record<string, unknown>, out?: unknown) => unknown;
const EXAMPLES = ["softmax", "matvec", "mlp"] as const;
const MODULES: Record<(typeof EXAMPLES)[number], Record<string, unknown>> = { softmax: softmaxModule, matvec: matvecModule, mlp: mlpModule };
const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("generated files", () => {
  for (const name of EXAMPLES) {
    it(`generated/${name}.ts is what the generator makes of examples/${name}.jacobi (not stale), byte for byte, every time`, async () => {
      const text = read(`examples/${name}.jacobi`);
      const first = await generateModule(text, { label: `examples/${name}.jacobi` });
      const second = await generateModule(text, { label: `./examples/${name}.jacobi` });
      expect(second).toBe(first);
      // the header names the command that wrote the file (npm run generate)
      const written = await generateModule(text, { label: `examples/${name}.jacobi`, command: `jacobi gen examples/${name}.jacobi --out generated` });
      expect(read(`generated/${name}.ts`)).toBe(written);
    });
  }

  it("compile() returns the same code as a function: results equal bit for bit", () => {
    for (const name of EXAMPLES) {
      const text = read(`examples/${name}.jacobi`);
      const compiled = compileAll(text);
      for (const spec of parseSpec(text).kernels) {
        const random = rng(3);
        const c = randomCase(spec.program, random, { sizes: { n: 6, m: 5, n0: 4, n1: 5, n2: 3 } });
        const inputs = inputsOf(spec.program, c);
        if (spec.batch) {
          inputs["x"] = Float64Array.from({ length: 3 * 4 }, () => random());
          inputs["y"] = Float64Array.from({ length: 3 * 3 }, () => random());
        }
        const fromFile = resultsOf(spec, (MODULES[name][spec.name] as AnyKernel)(inputs));
        const fromCompile = resultsOf(spec, compiled[spec.name]!(inputs as never));
        for (const [key, v] of fromFile) expect(Array.from(fromCompile.get(key)!), `${spec.name}.${key}`).toEqual(Array.from(v));
      }
    }
  });
});

describe("the shape of the generated code", () => {
  const sources = EXAMPLES.map((name) => read(`generated/${name}.ts`));

  it("allocates only outputs (when none is given) and scratch (when it must grow): never in a loop", () => {
    for (const src of sources) {
      for (const line of src.split("\n")) {
        if (!line.includes("new Float")) continue;
        const allowed =
          /^\s*(let \w+: Float64Array = new Float64Array\(0\);|if \(\w+ === undefined\) \w+ = (new Float64Array\(|\{)|if \(\w+\.length < [^)]+\) \w+ = new Float64Array\()/.test(line) ||
          /^\s*\w+: new Float64Array\([^)]*\),?$/.test(line);
        expect(allowed, line).toBe(true);
      }
    }
  });

  it("has no closures: no arrow functions and no nested functions", () => {
    for (const src of sources) {
      expect(src).not.toContain("=>");
      expect(src.match(/function /g)!.length).toBe(src.match(/^export function /gm)!.length);
    }
  });

  it("a VJP or JVP never forms an n×n Jacobian", () => {
    const text = read("examples/softmax.jacobi") + "\nv: vector(n)\nkernel softmaxJvp = jvp(s, x, v)";
    const kernels = parseSpec(text).kernels.filter((k) => k.name === "softmaxVjp" || k.name === "softmaxJvp");
    const src = compiledSource(kernels, "f64");
    expect(src).not.toMatch(/n \* n/);
    expect(src).toContain("Float64Array(n)");
  });
});

describe("compile", () => {
  it("compiles an expression (a program without kernel statements)", () => {
    const f = compile("x: vector(n); s = exp(x)/sum(exp(x))");
    const out = f({ x: Float64Array.of(1, 2, 3) }) as Float64Array;
    const e = [1, 2, 3].map(Math.exp);
    const z = e[0]! + e[1]! + e[2]!;
    expect(Array.from(out).map((v, k) => Math.abs(v - e[k]! / z))).toSatisfy((d: number[]) => d.every((x) => x < 1e-15));
  });

  it("picks a kernel by name, and says which there are", () => {
    const text = read("examples/softmax.jacobi");
    expect(typeof compile(text, { kernel: "softmaxVjp" })).toBe("function");
    expect(() => compile(text)).toThrow(/3 kernels \(softmax, softmaxJacobian, softmaxVjp\)/);
    expect(() => compile(text, { kernel: "nope" })).toThrow(JacobiError);
  });

  it("a scalar kernel returns a number; sizes no input determines are given by name", () => {
    const loss = compile("x: vector(n); y: vector(n); kernel loss = -sum(y .* log(exp(x)/sum(exp(x))))");
    const v = loss({ x: Float64Array.of(1000, 0, -1000), y: Float64Array.of(0, 1, 0) });
    expect(v).toBeCloseTo(1000, 9);
    const ones = compile("x: vector(n); kernel k = grad(sum(x), x)");
    expect(Array.from(ones({ x: new Float64Array(4) }) as Float64Array)).toEqual([1, 1, 1, 1]);
    const square = compile("A: matrix(n, n); kernel k = diag(A)");
    expect(Array.from(square({ A: Float64Array.of(1, 2, 3, 4) }) as Float64Array)).toEqual([1, 4]);
    expect(() => square({ A: new Float64Array(3) })).toThrow(/A has length 3, which is not the square/);
    const wide = compile("W: matrix(m, n); kernel k = sum(W)");
    expect(wide({ W: Float64Array.of(1, 2, 3, 4, 5, 6), m: 2, n: 3 })).toBe(21);
    expect(() => wide({ W: new Float64Array(6), m: 0, n: 3 })).toThrow(/size m must be a positive whole number/);
    expect(() => wide({ W: new Float64Array(6), m: 4, n: 3 })).toThrow(RangeError);
  });

  it("Float32Array kernels take and return Float32Array", () => {
    const f = compile(read("examples/softmax.jacobi"), { kernel: "softmaxVjp", dtype: "f32" });
    const out = f({ x: Float32Array.of(1, 2, 3), g: Float32Array.of(1, 0, 0) });
    expect(out).toBeInstanceOf(Float32Array);
  });

  it("the code handed to new Function has no comments and no user text beyond names and numbers", () => {
    const spec = parseSpec("weird_Name: vector(n); kernel k = sum(exp(weird_Name)) * 0.25");
    const src = compiledSource(spec.kernels, "f64");
    expect(src).not.toMatch(/\/\*|\/\//);
    expect(src).toContain("weird_Name");
    expect(src).toContain("0.25");
  });
});

describe("names", () => {
  it("reserved words and special names are mangled consistently, in inputs, outputs and code", () => {
    const text = [
      "constructor: vector(n)",
      "__proto__: vector(n)",
      "Math: vector(n)",
      "toString: scalar",
      "kernel new = grad(sum(exp(constructor) .* __proto__) * toString + sum(Math), constructor, __proto__, Math)",
    ].join("\n");
    expect(safeName("constructor")).toBe("constructor$");
    expect(safeName("new")).toBe("new$");
    const f = compile(text);
    const inputs = { constructor$: Float64Array.of(0, 1), __proto__$: Float64Array.of(2, 3), Math$: Float64Array.of(5, 5), toString$: 2 };
    const out = f(inputs) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["loss", "constructor$", "__proto__$", "Math$"]);
    expect(out["loss"]).toBeCloseTo((1 * 2 + Math.E * 3) * 2 + 10, 12);
    expect(Array.from(out["__proto__$"] as Float64Array)).toEqual([2, 2 * Math.E]);
    expect(Array.from(out["Math$"] as Float64Array)).toEqual([1, 1]);
  });

  it("internal names never capture a user's name", () => {
    const t = new NameTable(["i", "out", "t"]);
    expect(t.fresh("i")).toBe("i1");
    expect(t.fresh("t")).toBe("t1");
    expect(t.fresh("j")).toBe("j");
    const f = compile("i: vector(n); j: vector(n); out: vector(n); kernel k = i .* j + out");
    expect(Array.from(f({ i: Float64Array.of(2), j: Float64Array.of(3), out: Float64Array.of(1) }) as Float64Array)).toEqual([7]);
  });

  it("names that are not identifiers are refused; comment text cannot close the comment", () => {
    expect(() => safeName("a-b")).toThrow(JacobiError);
    expect(() => safeName("1x")).toThrow(JacobiError);
    expect(commentText("a */ b")).not.toContain("*/");
    expect(commentText("line\nbreak\u2028x")).not.toMatch(/[\n\u2028]/);
  });
});

describe("batched kernels", () => {
  it("values are returned per sample; pullbacks of shared values are summed", () => {
    const text = [
      "x: vector(n); W: matrix(m, n); g: vector(m)",
      "s = exp(W*x)/sum(exp(W*x))",
      "kernel f = s",
      "kernel fb = batch(f, x)",
      "kernel pb = vjp(s, W, x, g)",
      "kernel pbb = batch(pb, x, g)",
    ].join("\n");
    const ks = compileAll(text);
    const spec = parseSpec(text);
    const random = rng(8);
    const [B, m, n] = [5, 3, 4];
    const W = Float64Array.from({ length: m * n }, () => random() * 2 - 1);
    const xs = Float64Array.from({ length: B * n }, () => random() * 2 - 1);
    const gs = Float64Array.from({ length: B * m }, () => random() * 2 - 1);
    // nothing but n fixes n here (x holds B rows of n): it is given by name
    const rows = ks["fb"]!({ x: xs, W, n }) as Float64Array;
    expect(rows.length).toBe(B * m);
    const sumW = new Float64Array(m * n);
    const sumX = new Float64Array(B * n);
    for (let b = 0; b < B; b++) {
      const x = xs.slice(b * n, (b + 1) * n);
      const g = gs.slice(b * m, (b + 1) * m);
      expect(relativeError(rows.slice(b * m, (b + 1) * m), ks["f"]!({ x, W }) as Float64Array)).toBeLessThan(1e-14);
      const one = ks["pb"]!({ x, W, g }) as { W: Float64Array; x: Float64Array };
      one.W.forEach((v, k) => (sumW[k] = sumW[k]! + v));
      sumX.set(one.x, b * n);
    }
    const both = ks["pbb"]!({ x: xs, W, g: gs, n }) as { W: Float64Array; x: Float64Array };
    expect(relativeError(both.W, sumW)).toBeLessThan(1e-13);
    expect(relativeError(both.x, sumX)).toBeLessThan(1e-13);
    expect(spec.kernels.map((k) => k.name)).toEqual(["f", "fb", "pb", "pbb"]);
  });

  it("Float32Array batched network: sums accumulate in f64", () => {
    const text = read("examples/mlp.jacobi");
    const f32 = compile(text, { kernel: "mlpGradsBatch", dtype: "f32" });
    const spec = parseSpec(text).kernels.find((k) => k.name === "mlpGrads")!;
    const random = rng(4);
    const c = randomCase(spec.program, random, { sizes: { n0: 6, n1: 5, n2: 4 } });
    const B = 40;
    c.values.set("x", Float64Array.from(Float32Array.from({ length: B * 6 }, () => random() * 2 - 1)));
    c.values.set("y", Float64Array.from(Float32Array.from({ length: B * 4 }, () => random())));
    for (const [k, v] of c.values) c.values.set(k, Float64Array.from(Float32Array.from(v)));
    const want = resultsOf(spec, (mlpModule.mlpGradsBatch as unknown as AnyKernel)(inputsOf(spec.program, c)));
    const got = resultsOf(spec, f32(inputsOf(spec.program, c, (a) => Float32Array.from(a))));
    for (const [key, w] of want) expect(relativeError(got.get(key)!, w) / (1 + magnitude(w)), key).toBeLessThan(2e-6);
  });

  it("batch statements are checked", () => {
    expect(() => parseSpec("x: vector(n); kernel f = x; kernel b = batch(g, x)")).toThrow(/no kernel named 'g'/);
    expect(() => parseSpec("W: matrix(m, n); kernel f = W; kernel b = batch(f, W)")).toThrow(/only vectors and scalars/);
    expect(() => parseSpec("x: vector(n); kernel f = x; kernel b = batch(f)")).toThrow(/batch needs the names/);
  });
});

describe("the gen command", () => {
  function memoryIo(files: Record<string, string>): { io: Io; written: Map<string, string>; out: string[]; err: string[] } {
    const written = new Map<string, string>();
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      readFile: (p) => {
        const t = files[p];
        if (t === undefined) throw new JacobiError("io", `cannot read ${p}: no such file`);
        return t;
      },
      writeFile: (p, t) => written.set(p, t),
    };
    return { io, written, out, err };
  }

  it("writes one formatted module per spec, f64 or f32", async () => {
    const m = memoryIo({ "specs/a.jacobi": "x: vector(n); kernel double = 2*x", "specs/plain.jacobi": "x: vector(n); sum(x)" });
    expect(await runCli(["gen", "specs/a.jacobi", "specs/plain.jacobi", "--out", "gen/"], m.io)).toBe(0);
    expect([...m.written.keys()]).toEqual(["gen/a.ts"]);
    expect(m.written.get("gen/a.ts")).toContain("export function double(inputs: DoubleInputs, out?: Float64Array): Float64Array {");
    expect(m.err.join("\n")).toContain("skipped specs/plain.jacobi");
    const f32 = memoryIo({ "a.jacobi": "x: vector(n); kernel double = 2*x" });
    expect(await runCli(["gen", "a.jacobi", "--out", "o", "--dtype", "f32"], f32.io)).toBe(0);
    expect(f32.written.get("o/a.ts")).toContain("Float32Array");
  });

  it("reports usage errors and spec errors with positions", async () => {
    // a gradient of a matrix is a spec error (the kernel's line, with a caret)
    const m = memoryIo({ "a.jacobi": "X: matrix(n,k)\nkernel k = grad(X, X)" });
    expect(await runCli(["gen", "a.jacobi"], m.io)).toBe(2);
    expect(await runCli(["gen", "--out", "o"], m.io)).toBe(2);
    expect(await runCli(["gen", "a.jacobi", "--out", "o"], m.io)).toBe(1);
    expect(m.err.join("\n")).toMatch(/a\.jacobi: 2:1: grad needs a scalar value, not matrix\(n,k\)/);
    expect(m.err.join("\n")).toMatch(/\n  kernel k = grad\(X, X\)\n  \^+/);
  });
});

describe("the network of the notebook", () => {
  it("reproduces the notebook's loss and output-layer gradients; dL/dW1 with W2' applied (the notebook omits it)", () => {
    const out = (mlpModule.mlpGrads as unknown as AnyKernel)({
      x: Float64Array.of(0.2, -0.3),
      y: Float64Array.of(0, 0, 1),
      W1: Float64Array.of(1, 0.2, -1, 3, 0.5, 0.5),
      b1: Float64Array.of(0.1, 0.2, 0),
      W2: Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.2, -0.2, 0.1),
      b2: Float64Array.of(0, 0.5, 0),
    }) as { loss: number; W1: Float64Array; W2: Float64Array; b2: Float64Array };
    expect(out.loss).toBeCloseTo(1.6195585, 6);
    const g2 = [0.2316775, 0.57033634, -0.8020139];
    g2.forEach((v, k) => expect(out.b2[k]).toBeCloseTo(v, 6));
    const z1 = [0.55971366, 0.2890505, 0.48750263];
    const dW2 = [0.12967306, 0.0669665, 0.1129434, 0.31922504, 0.164856, 0.27804047, -0.44889814, -0.2318225, -0.39098388];
    dW2.forEach((v, k) => expect(out.W2[k]).toBeCloseTo(v, 6));
    // backprop through W2: g3 = z1 .* (1 - z1) .* (W2' * g2); dL/dW1 = g3 * x'
    const W2 = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.2, -0.2, 0.1];
    const x = [0.2, -0.3];
    const g3 = z1.map((z, a) => z * (1 - z) * [0, 1, 2].reduce((s, i) => s + W2[i * 3 + a]! * g2[i]!, 0));
    g3.forEach((g, a) => x.forEach((xv, b) => expect(out.W1[a * 2 + b]).toBeCloseTo(g * xv, 6)));
    // the notebook's own dL/dW1 skips W2' (g3 = z1 .* (1 - z1) .* g2): not what the network's gradient is
    expect(out.W1[0]).not.toBeCloseTo(0.01141866, 4);
  });

  it("agrees with the evaluator for the notebook's sizes", () => {
    const spec = parseSpec(read("examples/mlp.jacobi")).kernels[0]!;
    const c = randomCase(spec.program, rng(2), { sizes: { n0: 2, n1: 3, n2: 3 } });
    const got = resultsOf(spec, (mlpModule.mlpGrads as unknown as AnyKernel)(inputsOf(spec.program, c)));
    const want = oracleOf(spec, envOf(spec.program, c));
    for (const o of spec.outputs) expect(relativeError(got.get(o.key)!, want.get(o.key)!)).toBeLessThan(1e-13);
  });
});
