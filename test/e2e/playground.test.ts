/**
 * The playground end to end in a real headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core): the page is built with Vite into a temporary folder and
 * served on 127.0.0.1; the test types the softmax program and checks that KaTeX rendered
 * diag(s) − s sᵀ (the TeX in KaTeX's MathML annotation, and the typeset text), that the
 * element-wise view, the derivation and the kernel are there, then types a broken program
 * and checks the error's position, message and caret. It saves a screenshot of the page
 * (to docs/playground.png with JACOBI_SCREENSHOT=1). Without /usr/bin/chromium it is skipped, with a message
 * (.ci/run installs chromium).
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jacobian, JacobiError, parse, toLatex } from "../../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const repo = new URL("../../", import.meta.url).pathname;
/**
 * The README's screenshot is rewritten only on request (JACOBI_SCREENSHOT=1 npx vitest run
 * test/e2e), so a test run leaves the tree as it was; otherwise it goes to a temporary file.
 */
const SCREENSHOT = process.env["JACOBI_SCREENSHOT"] ? join(repo, "docs/playground.png") : join(tmpdir(), `jacobi-playground-${process.pid}.png`);
const SOFTMAX = "x: vector(n)\ns = exp(x)/sum(exp(x))";
const BROKEN = "x: vector(n); s = exp(x)/sum(exp(x)";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the playground's browser test: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);

const TYPES = new Map([
  [".html", "text/html; charset=utf-8"],
  [".js", "text/javascript"],
  [".css", "text/css"],
  [".woff2", "font/woff2"],
  [".woff", "font/woff"],
  [".ttf", "font/ttf"],
  [".svg", "image/svg+xml"],
]);

/** A static file server for one folder, on 127.0.0.1 and a free port. */
async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES.get(extname(file)) ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the server has no port");
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

describe.skipIf(!hasChromium)("the playground in Chromium", () => {
  let tmp: string;
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "jacobi-playground-"));
    const out = join(tmp, "site");
    await build({ configFile: join(repo, "playground/vite.config.ts"), logLevel: "warn", build: { outDir: out, emptyOutDir: true } });
    const served = await serve(out);
    server = served.server;
    context = await chromium.launchPersistentContext(join(tmp, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    await page.goto(served.url);
    await page.waitForSelector("body[data-revision]"); // the first program is computed
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Replaces the program by typing it, key by key. */
  async function typeProgram(text: string): Promise<void> {
    const box = page.locator("#program");
    await box.fill("");
    await page.waitForSelector("#error:not([hidden])"); // an empty program computes nothing
    await box.pressSequentially(text);
  }

  it("renders the softmax Jacobian as diag(s) − s sᵀ, element-wise, step by step, and as a kernel", async () => {
    await page.selectOption("#kind", "jacobian");
    await page.fill("#wrt", "x");
    await page.fill("#sizes", "n=3");
    await typeProgram(SOFTMAX);
    const expected = toLatex(jacobian(parse(SOFTMAX), "x")); // \operatorname{diag}\left(s\right) - s s^{\top}
    // the new result: the panel is current (not the last result, dimmed) and the error is gone
    await page.waitForFunction(
      (tex) =>
        document.querySelector<HTMLElement>("#error")!.hidden &&
        !document.querySelector("#panel-matrix")!.classList.contains("stale") &&
        document.querySelector("#panel-matrix annotation")?.textContent?.endsWith(`= ${tex}`) === true,
      expected,
    );
    expect(await page.isHidden("#error")).toBe(true);
    const tex = await page.textContent("#panel-matrix annotation");
    expect(tex).toBe(`\\frac{\\partial s}{\\partial x} = ${expected}`);
    // what KaTeX typeset: diag(s) − s s⊤ (a minus sign, and ⊤ for the transpose)
    const typeset = (await page.textContent("#panel-matrix .katex-html"))!.replace(/\s+/g, "");
    expect(typeset).toContain("diag(s)−ss⊤");

    const entries = await page.textContent("#panel-elementwise annotation");
    expect(entries).toContain("\\begin{bmatrix}");
    expect(entries!.split("\\\\").length).toBe(3); // 3 rows at n = 3
    const steps = await page.locator("#panel-steps annotation").allTextContents();
    expect(steps.join("\n")).toContain("\\text{quotient rule}");
    expect(steps.join("\n")).toContain("\\text{matrix form}");
    await page.waitForFunction(() => document.querySelector("#panel-kernel .out")?.textContent?.includes("export function sJacobian(") === true);
    expect(await page.locator(".katex-error, .problem").count()).toBe(0);

    mkdirSync(join(repo, "docs"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it("shows an error with its line, column, message and a caret under the place", async () => {
    let error: JacobiError | undefined;
    try {
      parse(BROKEN);
    } catch (e) {
      error = e as JacobiError;
    }
    const pos = error!.position!;
    await typeProgram(BROKEN);
    await page.waitForFunction((msg) => document.querySelector("#error")?.textContent?.includes(msg) === true, error!.message);
    const shown = (await page.textContent("#error"))!;
    expect(shown).toBe(error!.format());
    const [first, line, caret] = shown.split("\n");
    expect(first).toBe(`error: ${pos.line}:${pos.col}: ${error!.message}`);
    expect(line).toBe(`  ${BROKEN}`);
    expect(caret!.indexOf("^")).toBe(2 + pos.col - 1);
    // the panels keep the last good result, dimmed
    expect(await page.locator("#panel-matrix.stale").count()).toBe(1);
  });

  it("logged no page or console errors", () => {
    expect(problems).toEqual([]);
  });
});
