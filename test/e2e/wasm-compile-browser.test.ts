/**
 * `compile(text, { target: "wasm" })` in a browser: a page that bundles the library
 * (Vite, as an app would) compiles kernels for the wasm target at run time in headless
 * Chromium (Debian's /usr/bin/chromium; skipped with a message without it). binaryen is
 * a chunk of its own, fetched only when the first wasm kernel is compiled; the kernels'
 * results agree with the evaluator, their modules run there (the zero-copy views are
 * views of a WebAssembly memory, not the JavaScript fallback's arrays) and the views work. The pages are served from the build's output
 * through Playwright's request routing (no port is opened).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, grad, parse } from "../../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const repo = new URL("../../", import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping compile({ target: "wasm" }) in a browser: ${CHROMIUM} is missing (apt-get install chromium)`);

const MAIN = `
import { compile } from ${JSON.stringify(join(repo, "src/index.ts"))};
const w = window as unknown as Record<string, unknown>;
w["jacobiReady"] = true;
w["compileAndRun"] = async (text: string, kernel: string, inputs: Record<string, number[] | number>, viaViews: boolean) => {
  const k = await compile(text, { kernel, target: "wasm" });
  const arrays = Object.fromEntries(Object.entries(inputs).map(([key, v]) => [key, typeof v === "number" ? v : Float64Array.from(v)]));
  const views = k.inputs({ n: (inputs["x"] as number[]).length });
  // views of a WebAssembly memory (whole 64 KiB pages), not the plain arrays of the JavaScript fallback
  const inMemory = views["x"]!.buffer.byteLength % 65536 === 0 && views["x"]!.buffer.byteLength > views["x"]!.byteLength;
  if (!viaViews) return { values: Array.from(k(arrays) as Float64Array), inMemory };
  for (const [key, v] of Object.entries(views)) v.set(arrays[key] as Float64Array);
  return { values: Array.from(k({ ...arrays, ...views }) as Float64Array), inMemory };
};
`;

const ORIGIN = "http://jacobi.invalid";
let dir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  dir = mkdtempSync(join(tmpdir(), "jacobi-wasm-compile-"));
  writeFileSync(join(dir, "main.ts"), MAIN);
  writeFileSync(join(dir, "index.html"), '<!doctype html><html><body><script type="module" src="./main.ts"></script></body></html>');
  await build({
    configFile: false,
    root: dir,
    base: "./",
    logLevel: "silent",
    resolve: { alias: [{ find: /^prettier$/, replacement: join(repo, "playground/prettier-browser.ts") }] },
    build: { outDir: join(dir, "dist"), emptyOutDir: true, target: "es2022", minify: false, chunkSizeWarningLimit: 100_000 },
  });
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const TEXT = "x: vector(n); a: scalar\nkernel waves = sin(x) .* exp(-a * x .^ 2) / norm2(x)\nkernel slope = grad(log(sum(exp(x))) + cosh(a) * sum(x .^ 3), x)";
const x = [0.2, -1.3, 0.7, 2.1, -0.4];
const a = 0.5;

function expected(): { waves: number[]; slope: number[] } {
  const norm = Math.hypot(...x);
  const waves = x.map((v) => (Math.sin(v) * Math.exp(-a * v * v)) / norm);
  const p = parse("x: vector(n); a: scalar\nlog(sum(exp(x))) + cosh(a) * sum(x .^ 3)");
  const slope = evaluate(p, { x, a }, grad(p, "x")) as number[];
  return { waves, slope };
}

describe("compile({ target: \"wasm\" }) in headless Chromium", () => {
  it.skipIf(!hasChromium)(
    "loads binaryen as its own chunk on the first wasm compile; the kernels agree with the evaluator; zero-copy views",
    async () => {
      const dist = join(dir, "dist");
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
      try {
        const page = await browser.newPage();
        const fetched: string[] = [];
        await page.route(`${ORIGIN}/**`, async (route) => {
          const path = normalize(new URL(route.request().url()).pathname);
          const file = join(dist, path === "/" ? "index.html" : path);
          if (!file.startsWith(dist) || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
          fetched.push(path);
          const type = file.endsWith(".html") ? "text/html" : "text/javascript";
          return route.fulfill({ status: 200, contentType: type, body: readFileSync(file) });
        });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(`${ORIGIN}/index.html`);
        await page.waitForFunction(() => (window as unknown as Record<string, unknown>)["jacobiReady"] === true);
        const chunkWithBinaryen = (): boolean => fetched.some((f) => readFileSync(join(dist, f), "utf8").includes("Binaryen Authors"));
        expect(chunkWithBinaryen(), "binaryen is not loaded before a wasm compile").toBe(false);
        type Result = { values: number[]; inMemory: boolean };
        type Run = (text: string, kernel: string, inputs: Record<string, number[] | number>, viaViews: boolean) => Promise<Result>;
        const run = (kernel: string, viaViews: boolean): Promise<Result> =>
          page.evaluate(({ text, kernel, x, a, viaViews }) => ((window as unknown as Record<string, Run>)["compileAndRun"]!)(text, kernel, { x, a }, viaViews), { text: TEXT, kernel, x, a, viaViews });
        const want = expected();
        for (const viaViews of [false, true]) {
          for (const [kernel, values] of [["waves", want.waves], ["slope", want.slope]] as const) {
            const { values: got, inMemory } = await run(kernel, viaViews);
            expect(inMemory, "the WebAssembly module runs (SIMD validated)").toBe(true);
            expect(got.length).toBe(values.length);
            got.forEach((v, k) => expect(Math.abs(v - values[k]!), `${kernel}[${k}]`).toBeLessThan(1e-12 * (1 + Math.abs(values[k]!))));
          }
        }
        expect(chunkWithBinaryen(), "binaryen came as a chunk of its own").toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
