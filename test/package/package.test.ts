/**
 * jacobi as an installed package: the current source is built (tsc -p tsconfig.build.json)
 * into a temporary package with this package.json, a temporary project depends on it
 * (node_modules/jacobi), and from there:
 * - Node resolves `jacobi` and `jacobi/vite` through the `exports` map, and `jacobi`
 *   exports the issue's names (JAX's and SymPy's);
 * - tsc typechecks a consumer against the declarations the exports map points to;
 * - every ```ts example of README.md that imports from "jacobi" runs, and each line
 *   `EXPRESSION; // VALUE` evaluates to VALUE.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transformWithOxc } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = new URL("../../", import.meta.url).pathname;
const tsc = join(repo, "node_modules/typescript/bin/tsc");
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { exports: Record<string, unknown> };

/** The names the library promises (the list), all functions. */
const API = ["parse", "diff", "grad", "jacobian", "jvp", "vjp", "hessian", "simplify", "evaluate", "toText", "toLatex", "compile", "generate"];

let tmp: string;
let consumer: string;

/** Runs an ES module in the consumer project with Node, and returns what it prints. */
function runModule(name: string, code: string): string {
  const file = join(consumer, name);
  writeFileSync(file, code);
  return execFileSync(process.execPath, [file], { cwd: consumer, encoding: "utf8" });
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "jacobi-package-"));
  const pkg = join(tmp, "jacobi");
  mkdirSync(pkg);
  if (!existsSync(join(repo, "src/parse/grammar.generated.js"))) execFileSync("npm", ["run", "build:grammar"], { cwd: repo, stdio: "pipe" });
  execFileSync(process.execPath, [tsc, "-p", join(repo, "tsconfig.build.json"), "--outDir", join(pkg, "dist")], { cwd: repo, stdio: "pipe" });
  writeFileSync(join(pkg, "package.json"), readFileSync(join(repo, "package.json")));
  symlinkSync(join(repo, "node_modules"), join(pkg, "node_modules"), "dir"); // its dependencies
  consumer = join(tmp, "consumer");
  mkdirSync(join(consumer, "node_modules"), { recursive: true });
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  symlinkSync(pkg, join(consumer, "node_modules/jacobi"), "dir");
  symlinkSync(join(repo, "node_modules/vite"), join(consumer, "node_modules/vite"), "dir"); // the plugin's types refer to vite
}, 60_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the package", () => {
  it("maps `jacobi` and `jacobi/vite` to ES modules with declarations", () => {
    for (const entry of [".", "./vite"]) {
      const e = manifest.exports[entry] as { types: string; import: string };
      expect(e.types).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(e.import).toMatch(/^\.\/dist\/.*\.js$/);
      expect(existsSync(join(tmp, "jacobi", e.types)), e.types).toBe(true);
      expect(existsSync(join(tmp, "jacobi", e.import)), e.import).toBe(true);
    }
  });

  it("exports the library's names through the exports map, and they work", () => {
    const out = runModule(
      "names.mjs",
      `import * as jacobi from "jacobi";
import plugin, { jacobi as named } from "jacobi/vite";
const { parse, jacobian, toText, compile } = jacobi;
const k = compile("x: vector(n); g: vector(n); s = exp(x)/sum(exp(x)); kernel softmaxVjp = vjp(s, x, g)");
console.log(JSON.stringify({
  types: Object.fromEntries(Object.entries(jacobi).map(([k, v]) => [k, typeof v])),
  softmax: toText(jacobian(parse("x: vector(n); s = exp(x)/sum(exp(x))"), "x")),
  kernel: Array.from(k({ x: Float64Array.of(0, 0), g: Float64Array.of(1, 0) })),
  module: (await jacobi.generate("x: vector(n); kernel twice = 2*x")).includes("export function twice("),
  plugin: [typeof plugin, plugin === named, plugin().name],
}));
`,
    );
    const r = JSON.parse(out) as { types: Record<string, string>; softmax: string; kernel: number[]; module: boolean; plugin: unknown[] };
    for (const name of API) expect(r.types[name], name).toBe("function");
    expect(r.types["JacobiError"]).toBe("function");
    expect(r.softmax).toBe("diag(s) - s*s'");
    // s = [1/2, 1/2]: the vjp with g = e1 is s .* (g - g's) = [1/4, -1/4]
    expect(r.kernel).toEqual([0.25, -0.25]);
    expect(r.module).toBe(true);
    expect(r.plugin).toEqual(["function", true, "jacobi"]);
  });

  it("typechecks a consumer against the declarations (and rejects a wrong use)", () => {
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }),
    );
    writeFileSync(
      join(consumer, "use.ts"),
      `import { compile, generate, jacobian, parse, toText, type Expr, type KernelFunction, type Program } from "jacobi";
import jacobi from "jacobi/vite";
import type { Plugin } from "vite";
const p: Program = parse("x: vector(n); s = exp(x)/sum(exp(x))");
const j: Expr = jacobian(p, "x");
export const text: string = toText(j);
export const k: KernelFunction = compile("x: vector(n); 2*x");
export const code: Promise<string> = generate("x: vector(n); kernel twice = 2*x", { dtype: "f32" });
export const plugin: Plugin = jacobi({ dtype: "f64" });
// @ts-expect-error wrt is a name
jacobian(p, 1);
// @ts-expect-error definition is a flag (toText takes expressions, programs and text)
toText(p, { definition: "yes" });
`,
    );
    execFileSync(process.execPath, [tsc, "-p", join(consumer, "tsconfig.json")], { stdio: "pipe" });
  });
});

/** The ```ts blocks of a Markdown text that import from "jacobi" and nothing else. */
function libraryExamples(markdown: string): string[] {
  const blocks = markdown.split("```ts\n").slice(1).map((b) => b.slice(0, b.indexOf("```")));
  return blocks.filter((b) => {
    const sources = [...b.matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1]);
    return sources.length > 0 && sources.every((s) => s === "jacobi");
  });
}

/** A comment that states a value: a string, array, object, number or boolean literal. */
const VALUE_COMMENT = /^(.*?);\s*\/\/\s*(["'[{\d-].*|true|false)\s*$/;

/** The example as a module that checks each `EXPRESSION; // VALUE` line. */
function checkedExample(block: string): string {
  const lines = block.split("\n").map((line, k) => {
    const m = VALUE_COMMENT.exec(line);
    if (!m) return line;
    return `__check(${JSON.stringify(m[1]!.trim())}, ${k + 1}, await (${m[1]}), ${m[2]});`;
  });
  return lines.join("\n");
}

const CHECK = `
import { isDeepStrictEqual } from "node:util";
const __failures = [];
function __check(code, line, actual, expected) {
  const plain = ArrayBuffer.isView(actual) ? Array.from(actual) : actual;
  if (!isDeepStrictEqual(plain, expected)) __failures.push({ line, code, actual: plain, expected });
}
`;

/** Runs an example in the consumer project: the lines whose values differ from what they state. */
async function failuresOf(block: string, name: string): Promise<unknown[]> {
  const js = (await transformWithOxc(checkedExample(block), `${name}.ts`, { lang: "ts" })).code;
  const out = runModule(`${name}.mjs`, `${CHECK}\n${js}\nconsole.log(JSON.stringify(__failures));\n`);
  return JSON.parse(out.trim().split("\n").pop()!) as unknown[];
}

describe("README.md's library examples", () => {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const examples = libraryExamples(readme);

  it("has examples that import from jacobi and state values", () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.flatMap((b) => b.split("\n")).filter((line) => VALUE_COMMENT.test(line)).length).toBeGreaterThan(2);
  });

  it("the check catches a wrong value", async () => {
    expect(await failuresOf('import { simplify, toText } from "jacobi";\ntoText(simplify("x + x")); // "3*x"\n', "wrong")).toEqual([
      { line: 2, code: 'toText(simplify("x + x"))', actual: "2*x", expected: "3*x" },
    ]);
  });

  examples.forEach((block, n) => {
    it(`example ${n + 1} (${block.split("\n").find((l) => VALUE_COMMENT.test(l))?.trim() ?? "no values"}) runs and gives the values it states`, async () => {
      expect(await failuresOf(block, `example-${n + 1}`)).toEqual([]);
    });
  });
});
