/**
 * The wasm target in a browser: an app that imports kernels from .jacobi specs, built by
 * Vite with jacobi({ target: "wasm" }), runs in headless Chromium (Debian's
 * /usr/bin/chromium; skipped with a message without it); its results agree with the
 * evaluator, and the embedded modules validate there (so the WebAssembly loops ran, not
 * the fallback). The same build is also run in Node.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { build, type Rolldown } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, parse, vjp } from "../../src/index.js";
import jacobi from "../../src/vite.js";

const CHROMIUM = "/usr/bin/chromium";
const repo = new URL("../../", import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the wasm target's browser test: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);

const MAIN = `
import { softmaxVjp } from "./softmax.jacobi";
import { matvecVjpX } from "./matvec.jacobi";
export function run(x: number[], g: number[], W: number[]): number[][] {
  const dx = softmaxVjp({ x: Float64Array.from(x), g: Float64Array.from(g) });
  const wg = matvecVjpX({ W: Float64Array.from(W), g: Float64Array.from(g) });
  return [Array.from(dx), Array.from(wg)];
}
`;

let dir: string;
let code: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "jacobi-wasm-"));
  for (const name of ["softmax", "matvec"]) writeFileSync(join(dir, `${name}.jacobi`), readFileSync(join(repo, "examples", `${name}.jacobi`), "utf8"));
  writeFileSync(join(dir, "main.ts"), MAIN);
  const result = (await build({
    configFile: false,
    root: dir,
    logLevel: "silent",
    plugins: [jacobi({ target: "wasm", declarations: false })],
    build: { write: false, minify: false, lib: { entry: join(dir, "main.ts"), formats: ["es"], fileName: "bundle" } },
  })) as Rolldown.RolldownOutput[] | Rolldown.RolldownOutput;
  const output = Array.isArray(result) ? result[0]!.output : result.output;
  code = (output.find((o) => o.type === "chunk") as Rolldown.OutputChunk).code;
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const x = [0.2, -1.3, 0.7, 2.1, -0.4];
const g = [1, -0.5, 0.25, 3, 0.125];
const W = Array.from({ length: 5 * 3 }, (_, k) => Math.sin(k + 1));

function expectAgrees(result: number[][]): void {
  const softmax = parse("x: vector(n); g: vector(n); s = exp(x)/sum(exp(x))");
  const want = evaluate(softmax, { x, g }, vjp(softmax, "x", "g")) as number[];
  const wantWg = Array.from({ length: 3 }, (_, j) => g.reduce((s, gi, i) => s + W[i * 3 + j]! * gi, 0));
  for (const [got, exp] of [
    [result[0]!, want],
    [result[1]!, wantWg],
  ] as const) {
    expect(got.length).toBe(exp.length);
    got.forEach((v, k) => expect(Math.abs(v - exp[k]!)).toBeLessThan(1e-12 * (1 + Math.abs(exp[k]!))));
  }
}

const moduleBytes = (): string[] => [...code.matchAll(/atob\(\s*"([A-Za-z0-9+/=]+)"/g)].map((m) => m[1]!);

describe("the wasm target built by Vite", () => {
  it("embeds a module per kernel (the specs' six) and no jacobi or binaryen at run time", () => {
    expect(moduleBytes().length).toBe(6);
    expect(code).not.toMatch(/binaryen|from ["']jacobi/);
  });

  it("runs in Node", async () => {
    const url = `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
    const { run } = (await import(/* @vite-ignore */ url)) as { run: (x: number[], g: number[], W: number[]) => number[][] };
    expectAgrees(run(x, g, W));
  });

  it.skipIf(!hasChromium)(
    "runs in headless Chromium, where its modules validate (the SIMD loops ran)",
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
      try {
        const page = await browser.newPage();
        const out = await page.evaluate(
          async ({ source, bytes, x, g, W }) => {
            const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
            // import() written as code the page runs (the test's own import() is rewritten by vitest)
            const load = new Function("u", "return import(u)") as (u: string) => Promise<{ run: (x: number[], g: number[], W: number[]) => number[][] }>;
            const mod = await load(url);
            const valid = bytes.map((b) => WebAssembly.validate(Uint8Array.from(atob(b), (ch) => ch.charCodeAt(0))));
            return { result: mod.run(x, g, W), valid };
          },
          { source: code, bytes: moduleBytes(), x, g, W },
        );
        expect(out.valid).toEqual(moduleBytes().map(() => true));
        expectAgrees(out.result);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
