/**
 * jacobi as npm packs it: one tarball (`npm pack` of the current source, built with
 * tsconfig.build.json), unpacked into node_modules/jacobi of temporary projects, and
 * reused by every test here:
 * - what the tarball holds: the license, the changelog, source maps, the CommonJS types;
 * - `require("jacobi")` and `require("jacobi/vite")` (Node loads the ES module through
 *   require), and a `.cts` file under TypeScript's node16 resolution;
 * - examples/node runs and prints what the library computes;
 * - examples/vite builds with jacobi/vite, its kernels run, and its TypeScript checks.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, grad, parse, toText } from "../../src/index.js";

const repo = new URL("../../", import.meta.url).pathname;
const tsc = join(repo, "node_modules/typescript/bin/tsc");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

let tmp: string;
/** The unpacked tarball (what `npm install` puts in node_modules/jacobi). */
let installed: string;
/** The tarball's file list. */
let files: string[];

/** A project folder whose node_modules has the packed jacobi (and, when asked, the repository's vite and typescript). */
function project(name: string, from?: string, tools: readonly string[] = []): string {
  const dir = join(tmp, name);
  if (from) cpSync(from, dir, { recursive: true, filter: (f) => !/node_modules|[\\/]dist$|\.jacobi\.d\.ts$/.test(f) });
  else mkdirSync(dir);
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(installed, join(dir, "node_modules/jacobi"), "dir");
  for (const t of tools) symlinkSync(join(repo, "node_modules", t), join(dir, "node_modules", t), "dir");
  return dir;
}

const node = (cwd: string, ...args: string[]): string => execFileSync(process.execPath, args, { cwd, encoding: "utf8" });

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "jacobi-packed-"));
  const stage = join(tmp, "stage");
  mkdirSync(stage);
  if (!readdirSync(join(repo, "src/parse")).includes("grammar.generated.js")) execFileSync(npm, ["run", "build:grammar"], { cwd: repo, stdio: "pipe" });
  execFileSync(process.execPath, [tsc, "-p", join(repo, "tsconfig.build.json"), "--outDir", join(stage, "dist")], { cwd: repo, stdio: "pipe" });
  for (const f of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin", "grammar", "types"]) cpSync(join(repo, f), join(stage, f), { recursive: true });
  const packed = JSON.parse(execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], { cwd: stage, encoding: "utf8" })) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path).sort();
  installed = join(tmp, "installed");
  mkdirSync(installed);
  execFileSync("tar", ["xzf", join(tmp, packed[0]!.filename), "-C", installed, "--strip-components=1"]);
  symlinkSync(join(repo, "node_modules"), join(installed, "node_modules"), "dir"); // its dependencies
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the tarball", () => {
  it("holds the license, the changelog, the built code with source maps, and the CommonJS types; no sources or tests", () => {
    for (const f of ["LICENSE", "CHANGELOG.md", "README.md", "package.json", "bin/jacobi.js", "dist/index.js", "dist/index.js.map", "dist/vite.js.map", "types/index.d.cts", "types/vite.d.cts"]) expect(files).toContain(f);
    expect(files.filter((f) => /^(src|test|examples|generated)\//.test(f))).toEqual([]);
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    const map = JSON.parse(readFileSync(join(installed, "dist/api.js.map"), "utf8")) as { sources: string[]; sourcesContent?: string[] };
    expect(map.sources).toHaveLength(1);
    expect(map.sources[0]).toMatch(/(^|\/)src\/api\.ts$/);
    expect(map.sourcesContent?.[0]).toContain("export function jacobian"); // the source travels inside the map
  });

  it("its jacobi command prints its version", () => {
    const version = (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string }).version;
    expect(node(installed, "bin/jacobi.js", "--version")).toBe(`jacobi ${version}\n`);
  });
});

describe("require", () => {
  it("require('jacobi') and require('jacobi/vite') load the library and the plugin", () => {
    const dir = project("cjs");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cjs", private: true }));
    writeFileSync(
      join(dir, "main.cjs"),
      `const { grad, toText } = require("jacobi");
const vite = require("jacobi/vite");
console.log(JSON.stringify([toText(grad("x^2*y", "x")), typeof vite.default, vite.default === vite.jacobi, vite.jacobi().name]));
`,
    );
    expect(JSON.parse(node(dir, "main.cjs"))).toEqual(["2*x*y", "function", true, "jacobi"]);
  });

  it("a .cts file typechecks under module node16, with real types (a wrong use is an error)", () => {
    const dir = project("cts", undefined, ["vite"]);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cts", private: true }));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", target: "ES2022", strict: true, skipLibCheck: true, types: [], outDir: "out" }, include: ["*.cts"] }));
    const good = `import { grad, toText, type Expr } from "jacobi";
import vite = require("jacobi/vite");
const g: Expr = grad("x^2*y", "x");
console.log(JSON.stringify([toText(g), vite.default().name]));
`;
    writeFileSync(join(dir, "use.cts"), good);
    execFileSync(process.execPath, [tsc, "-p", "."], { cwd: dir, stdio: "pipe" });
    expect(JSON.parse(node(dir, "out/use.cjs"))).toEqual(["2*x*y", "jacobi"]);
    writeFileSync(join(dir, "use.cts"), `${good}grad("x", 1);\n`);
    const r = (() => {
      try {
        execFileSync(process.execPath, [tsc, "-p", "."], { cwd: dir, stdio: "pipe" });
        return "";
      } catch (e) {
        return String((e as { stdout: Buffer }).stdout);
      }
    })();
    expect(r).toMatch(/use\.cts\(5,\d+\): error TS2345/);
  });
});

describe("examples/", () => {
  it("examples/node runs and prints what the library computes", () => {
    const dir = project("node", join(repo, "examples/node"));
    const lines = node(dir, "main.js").trimEnd().split("\n");
    expect(lines.slice(0, 2)).toEqual(["softmax:  s = exp(x)/sum(exp(x))", "jacobian: diag(s) - s*s'"]);
    const layer = parse("x: vector(n); y: vector(m); W: matrix(m, n); b: vector(m)\ns = exp(W*x + b)/sum(exp(W*x + b))\nL = -sum(y .* log(s))");
    expect(lines).toContain(`dL/db = ${toText(grad(layer, "b"))}`);
    expect(lines).toContain(`dL/dW = ${toText(grad(layer, "W"))}`);
    const db = evaluate(layer, { x: [0.2, -0.3], y: [0, 1], W: [[1, 0.2], [-1, 3]], b: [0.1, 0.2] }, grad(layer, "b")) as number[];
    expect(lines).toContain(`dL/db at the values: ${JSON.stringify(db)}`);
    expect(lines.at(-1)).toMatch(new RegExp(`^kernel: loss \\d\\.\\d{6}, b \\[${db.map((v) => Number(v.toFixed(6))).join(",").replace(/[.-]/g, "\\$&")}\\]$`));
  });

  it("examples/vite builds with jacobi/vite; its kernels run and nothing of jacobi is bundled; its TypeScript checks", async () => {
    const dir = project("vite", join(repo, "examples/vite"), ["vite", "typescript"]);
    node(dir, "node_modules/vite/bin/vite.js", "build", "--logLevel", "error");
    const assets = readdirSync(join(dir, "dist/assets")).filter((f) => f.endsWith(".js"));
    expect(assets).toHaveLength(1);
    const bundle = readFileSync(join(dir, "dist/assets", assets[0]!), "utf8");
    expect(bundle).not.toMatch(/nearley|katex|prettier/);
    // run the bundle against a stand-in for the page
    const out = { textContent: "" };
    const page = globalThis as unknown as { document?: unknown };
    // (Vite's modulepreload check asks for a link element that supports it)
    page.document = { querySelector: (q: string) => (q === "#out" ? out : null), createElement: () => ({ relList: { supports: () => true } }) };
    try {
      await import(join(dir, "dist/assets", assets[0]!));
    } finally {
      delete page.document;
    }
    const x = [0.2, -1.3, 0.7];
    const s = evaluate("x: vector(n); s = exp(x)/sum(exp(x))", { x }) as number[];
    expect(out.textContent.split("\n")[0]).toBe(`softmax: ${s.map((e) => e.toFixed(6)).join(", ")}`);
    expect(out.textContent.split("\n")[1]).toMatch(/^vjp: -?\d\.\d{6}, -?\d\.\d{6}, -?\d\.\d{6}$/);
    // the plugin wrote softmax.jacobi.d.ts: the app typechecks against it
    node(dir, "node_modules/typescript/bin/tsc", "--noEmit", "-p", ".");
  });
});
