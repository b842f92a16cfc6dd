/**
 * Generated modules typecheck under the project's compiler options (strict, no unused
 * locals or parameters): f64 and f32, batched kernels, mangled names, random specs; the
 * wasm target's modules of the examples and the specs below.
 * (The committed generated/ is covered by `npx tsc -p tsconfig.json` itself.)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/codegen/index.js";
import { JacobiError } from "../../src/core/errors.js";
import { randomSpec } from "./random-spec.js";
import { rng } from "./support.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), "utf8");

const SPECS: Record<string, string> = {
  names: [
    "constructor: vector(n)",
    "__proto__: vector(n)",
    "Math: vector(n)",
    "i: scalar",
    "out: vector(n)",
    "kernel new = grad(sum(exp(constructor) .* __proto__) * i + sum(Math .* out), constructor, __proto__, Math)",
    "kernel typeof = batch(new, constructor)",
  ].join("\n"),
  shapes: [
    "W: matrix(m, n); A: matrix(n, n); x: vector(n); g: vector(m); a: scalar",
    "kernel chain = A*A'*x",
    "kernel lit = [[1, 2], [3, a]]*[x'*x, sum(g)]",
    "kernel rows = W*A",
    "kernel sizes = sum(W) * m",
    "kernel hess = hessian(x'*A*x + sum(exp(x)), x)",
    "kernel jv = jvp(tanh(W*x), x, x)",
    "kernel stack = batch(jv, x)",
  ].join("\n"),
  linalg: [
    "X: matrix(n, n); A: matrix(n, n); a: vector(n); b: vector(n); lu: scalar; perm: vector(n); pivot: scalar",
    "kernel values = det(X) + logdet(A) + a'*inv(X)*b + lu*sum(perm)*pivot",
    "kernel inverse = inv(X)",
    "kernel solves = grad(a'*inv(X)*b + logdet(X), X, a)",
    "kernel left = a'*inv(X)*inv(A)",
  ].join("\n"),
  // loop nests over index notation (a Hessian without a matrix form), by an undeclared scalar too
  loops: [
    "x: vector(n); W1: matrix(n,n); W2: matrix(n,n); z = tanh(W1*x); L = sum(tanh(W2*z).^2)",
    "kernel nested = hessian(L, x)",
    "kernel literal = jacobian([sum(x), 1], x)",
    "kernel scalars = grad(c^3*sum(x), c)",
  ].join("\n"),
  // the wasm target's imports (Math functions, arrow functions of kernel forms), per-sample scalars, inputs views
  functions: [
    "W: matrix(m, n); x: vector(n); a: scalar",
    "kernel waves = sec(W*x) .* sin(x'*x) + softplus(a) + (1 + x'*x)^a",
    "kernel normed = grad(norm2(W*x) * a + sum(cos(W*x)), W, a)",
    "kernel normedBatch = batch(normed, x, a)",
    "kernel values = batch(waves, x, a)",
  ].join("\n"),
};

describe("generated TypeScript typechecks under the project's tsconfig", () => {
  it("examples, name mangling, shapes and random specs, f64 and f32", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jacobi-typecheck-"));
    try {
      const files: string[] = [];
      const add = async (name: string, text: string, targets: readonly ("js" | "wasm")[] = ["js"]): Promise<void> => {
        for (const dtype of ["f64", "f32"] as const) {
          for (const target of targets) {
            const file = `${name}_${dtype}_${target}.ts`;
            writeFileSync(join(dir, file), await generateModule(text, { dtype, label: `${name}.jacobi`, target }));
            files.push(file);
          }
        }
      };
      for (const name of ["softmax", "matvec", "mlp"]) await add(name, read(`examples/${name}.jacobi`), ["js", "wasm"]);
      for (const [name, text] of Object.entries(SPECS)) await add(name, text, ["js", "wasm"]);
      const random = rng(42);
      for (let k = 0; files.length < 60; k++) {
        const r = randomSpec(random);
        try {
          await add(`random${k}`, r.text);
        } catch (e) {
          if (!(e instanceof JacobiError)) throw e;
        }
      }
      const base = JSON.parse(read("tsconfig.json")) as { compilerOptions: Record<string, unknown> };
      const config = { compilerOptions: { ...base.compilerOptions, types: [], noEmit: true, skipLibCheck: true }, files };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
      let output = "";
      try {
        execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(dir, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
      } catch (e) {
        output = `${(e as { stdout?: string }).stdout ?? ""}${(e as { stderr?: string }).stderr ?? ""}`;
      }
      expect(output).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
