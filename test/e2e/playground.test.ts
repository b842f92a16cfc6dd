/**
 * The playground end to end in a real headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core): the page is built with Vite into a temporary folder and
 * served on 127.0.0.1; the test types the softmax program and checks that KaTeX rendered
 * diag(s) − s sᵀ (the TeX in KaTeX's MathML annotation, and the typeset text), that the
 * element-wise view, the derivation and the kernel are there, then types a broken program
 * and checks the error's position, message and caret; every panel of every example typesets
 * without a KaTeX error; the program lives in the URL, every panel copies, values give
 * numbers, dark mode follows the system, the sizes box fits, and the work runs in a Web
 * Worker. The check mode: the notebook's claims typed in show g3 as the first wrong claim,
 * claims that hold show all holds, a broken claim its positioned error, and a link keeps
 * the mode. It saves a screenshot of the page
 * (to docs/playground.png with JACOBI_SCREENSHOT=1). Without /usr/bin/chromium it is skipped, with a message
 * (.ci/run installs chromium).
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, jacobian, JacobiError, parse, toLatex } from "../../src/index.js";

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
/** The notebook's claims without their comments (typed key by key). */
const NOTEBOOK_CLAIMS = readFileSync(join(repo, "examples/notebook-claims.jacobi"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"))
  .join("\n");
const HOLDING = "x: vector(n)\nA: matrix(n,n)\nf = x'*A*x\nclaim grad(f, x) = (A + A')*x\nclaim hessian(f, x) = A + A'";
const BROKEN_CLAIM = "x: vector(n)\nclaim grad(sum(x), x) = x +";

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

  /** Runs an action and waits until the page shows the result of the request it made. */
  async function settled(action: () => Promise<unknown>): Promise<void> {
    const before = Number(await page.evaluate(() => document.body.dataset["revision"]));
    await action();
    await page.waitForFunction((r) => Number(document.body.dataset["revision"]) > r, before);
  }

  /** Sets a field and waits for the result (nothing to wait for when it holds the value already). */
  async function setField(selector: string, value: string): Promise<void> {
    if ((await page.inputValue(selector)) !== value) await settled(() => page.fill(selector, value));
  }

  /** KaTeX errors anywhere on the page: rendered error nodes, and formulas KaTeX refused. */
  const katexErrors = async (): Promise<string[]> => [
    ...(await page.locator(".katex-error").allTextContents()),
    ...(await page.locator(".problem").allTextContents()).filter((t) => t.startsWith("KaTeX")),
  ];

  it("typesets every panel of every example without a KaTeX error (the network by each parameter)", async () => {
    const labels = await page.locator("#examples option").allTextContents();
    expect(labels).toContain("network (backprop)");
    for (const [k, label] of labels.entries()) {
      // the network's sizes are fixed, so its views at the default sizes and at these are the same (the two reports)
      if (label.startsWith("network")) await setField("#sizes", "n0=2, n1=3, n2=3");
      await settled(() => page.selectOption("#examples", String(k)));
      expect(await page.isHidden("#error"), `${label}: ${await page.textContent("#error")}`).toBe(true);
      if (label.includes("(check)")) expect(await page.locator("#panel-check .claim.first-wrong annotation").count(), label).toBe(1);
      else expect(await page.locator("#panel-matrix annotation").count(), label).toBe(1);
      expect(await katexErrors(), label).toEqual([]);
      if (!label.startsWith("network")) continue;
      for (const name of ["W1", "b1", "W2", "b2"]) {
        await setField("#wrt", name);
        expect(await page.isHidden("#error"), `${name}: ${await page.textContent("#error")}`).toBe(true);
        expect(await page.locator("#panel-elementwise annotation").count(), name).toBe(1);
        expect(await katexErrors(), `network by ${name}`).toEqual([]);
      }
    }
  });

  it("keeps the program in the URL: a link restores the page", async () => {
    await settled(() => page.selectOption("#examples", "3")); // the quadratic form
    await setField("#sizes", "n=2");
    const url = page.url();
    expect(new URLSearchParams(new URL(url).hash.slice(1)).get("program")).toBe(await page.inputValue("#program"));
    const matrix = await page.textContent("#panel-matrix annotation");
    const other = await context!.newPage();
    try {
      await other.goto(url);
      await other.waitForSelector("body[data-revision]");
      expect(await other.inputValue("#program")).toBe(await page.inputValue("#program"));
      expect(await other.inputValue("#kind")).toBe("grad");
      expect(await other.inputValue("#sizes")).toBe("n=2");
      expect(await other.textContent("#panel-matrix annotation")).toBe(matrix);
    } finally {
      await other.close();
    }
  });

  it("copies every panel: the LaTeX of a formula, the kernel's code", async () => {
    await context!.grantPermissions(["clipboard-read", "clipboard-write"]);
    await settled(() => page.selectOption("#examples", "0"));
    const clipboard = (): Promise<string> => page.evaluate(() => navigator.clipboard.readText());
    await page.click("#panel-matrix button.copy");
    expect(await clipboard()).toBe(await page.textContent("#panel-matrix annotation"));
    await page.click("#panel-kernel button.copy");
    expect(await clipboard()).toBe(await page.textContent("#panel-kernel .out"));
    await page.click("#panel-elementwise button.copy");
    expect(await clipboard()).toContain("\\begin{bmatrix}");
    expect(await page.locator("button.copy").count()).toBe(7);
  });

  it("shows the numbers at given values (what --at does)", async () => {
    await settled(() => page.selectOption("#examples", "0")); // the softmax, with values
    await setField("#values", "x=[0.2, -1.3, 0.7]; unused=1");
    expect(await page.isVisible("#panel-values")).toBe(true);
    const lines = (await page.textContent("#panel-values .numbers"))!.split("\n");
    const numbers = (line: string): number[] => [...line.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)].map((m) => Number(m[0]));
    const x = [0.2, -1.3, 0.7];
    const p = parse(SOFTMAX);
    expect(lines[0]).toMatch(/^s = \[/);
    numbers(lines[0]!).forEach((v, k) => expect(v).toBeCloseTo((evaluate(p, { x }) as number[])[k]!, 5));
    const j = (evaluate(p, { x }, jacobian(p, "x")) as number[][]).flat();
    expect(numbers(lines.slice(1).join(" ").replace(/^.*?=/, "")).length).toBe(9);
    numbers(lines.slice(1).join(" ").replace(/^.*?=/, "")).forEach((v, k) => expect(v).toBeCloseTo(j[k]!, 5));
    await setField("#values", "");
    expect(await page.isHidden("#panel-values")).toBe(true);
  });

  it("follows prefers-color-scheme: dark", async () => {
    const background = (): Promise<number[]> => page.evaluate(() => getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number));
    await page.emulateMedia({ colorScheme: "dark" });
    expect(Math.max(...(await background()))).toBeLessThan(60);
    await page.emulateMedia({ colorScheme: "light" });
    expect(Math.min(...(await background()))).toBeGreaterThan(200);
  });

  it("has a sizes box wide enough for the network's sizes", async () => {
    await page.fill("#sizes", "n0=2, n1=3, n2=3");
    const fits = await page.evaluate(() => {
      const box = document.querySelector<HTMLInputElement>("#sizes")!;
      return box.scrollWidth <= box.clientWidth;
    });
    expect(fits).toBe(true);
  });

  it("does the work in a Web Worker, and the page's own script does not hold the library", async () => {
    const workers = page.workers().map((w) => w.url());
    expect(workers.some((u) => /\/assets\/worker-[\w-]+\.js$/.test(u)), workers.join(", ")).toBe(true);
    const scripts = await page.evaluate(() => [...document.querySelectorAll<HTMLScriptElement>("script[src]")].map((s) => s.src));
    const main = await (await fetch(scripts[0]!)).text();
    expect(main).not.toContain("kernel statements"); // the spec parser's words live in the worker
    expect(main).toContain("new Worker");
  });

  /** Check mode with the program typed in; resolves when the claims panel shows the whole program's result (its last line a claim). */
  async function typeClaims(text: string): Promise<void> {
    await page.selectOption("#kind", "check");
    await typeProgram(text);
    await page.waitForFunction(
      (last) =>
        document.querySelector<HTMLElement>("#error")!.hidden &&
        !document.querySelector("#panel-check")!.classList.contains("stale") &&
        [...document.querySelectorAll("#panel-check .claim-text")].at(-1)?.textContent === last,
      text.split("\n").at(-1)!,
    );
  }

  it("checks the notebook's claims typed in: g3 is the first wrong claim, and the claims after it use it", async () => {
    await typeClaims(NOTEBOOK_CLAIMS);
    for (const name of ["matrix", "elementwise", "steps", "kernel"]) expect(await page.isHidden(`#panel-${name}`), name).toBe(true);
    expect(await page.locator("#panel-check .claim").count()).toBe(8);
    expect(await page.locator("#panel-check .claim.holds").count()).toBe(5);
    const first = page.locator("#panel-check .claim.first-wrong");
    expect(await first.count()).toBe(1);
    expect(await first.locator(".claim-text").textContent()).toBe("claim grad(L, net1) = g3");
    const line = NOTEBOOK_CLAIMS.split("\n").indexOf("claim grad(L, net1) = g3") + 1;
    expect(await page.textContent("#panel-check .check-summary")).toBe(`first wrong claim: line ${line}`);
    expect(await first.locator(".numbers").textContent()).toMatch(/left side: +\[.*\]\nright side: +\[.*\]$/);
    expect(await first.locator("annotation").textContent()).toMatch(/^\\text\{correct\} = .*W_\{2\}/);
    const later = await page.locator("#panel-check .claim.wrong:not(.first-wrong) .summary").allTextContents();
    expect(later).toEqual([1, 2].map(() => `wrong: uses g3, see line ${line} (it holds with g3 corrected)`));
    expect(await katexErrors()).toEqual([]);
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get("kind")).toBe("check");
  });

  it("shows every claim holding when they do, and a broken claim's error with its place", async () => {
    await typeClaims(HOLDING);
    expect(await page.textContent("#panel-check .check-summary")).toBe("all 2 claims hold");
    expect(await page.locator("#panel-check .claim.holds").count()).toBe(2);
    expect(await page.locator("#panel-check .claim.wrong").count()).toBe(0);
    let error: JacobiError | undefined;
    try {
      parse(BROKEN_CLAIM);
    } catch (e) {
      error = e as JacobiError;
    }
    await typeProgram(BROKEN_CLAIM);
    await page.waitForFunction((msg) => document.querySelector("#error")?.textContent?.includes(msg) === true, error!.message);
    const shown = (await page.textContent("#error"))!;
    expect(shown).toBe(error!.format());
    const [first, , caret] = shown.split("\n");
    expect(first).toBe(`error: 2:${error!.position!.col}: ${error!.message}`);
    expect(caret!.indexOf("^")).toBe(2 + error!.position!.col - 1);
    expect(await page.locator("#panel-check.stale").count()).toBe(1);
  });

  it("keeps the check mode in the URL: a link opens on the same claims", async () => {
    const labels = await page.locator("#examples option").allTextContents();
    await settled(() => page.selectOption("#examples", String(labels.findIndex((l) => l.includes("(check)")))));
    const summary = await page.textContent("#panel-check .check-summary");
    expect(summary).toMatch(/^first wrong claim: line \d+$/);
    const other = await context!.newPage();
    try {
      await other.goto(page.url());
      await other.waitForSelector("body[data-revision]");
      expect(await other.inputValue("#kind")).toBe("check");
      expect(await other.isVisible("#panel-check")).toBe(true);
      expect(await other.textContent("#panel-check .check-summary")).toBe(summary);
    } finally {
      await other.close();
    }
  });

  it("logged no page or console errors", () => {
    expect(problems).toEqual([]);
  });
});
