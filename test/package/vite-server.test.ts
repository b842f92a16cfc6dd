/**
 * jacobi/vite in a real Vite dev server (an ephemeral port, no network beyond 127.0.0.1):
 * the plugin obeys Vite's `server.fs` rules. With the root at app/, every way of asking
 * for a spec outside it — /@fs/ with an absolute path, the absolute path itself, /../ and
 * /%2e%2e/ sent as they are — gets 403 as Vite gives for any other file, a broken spec
 * outside leaks none of its text, and no .d.ts is written outside the root. A FIFO named
 * x.jacobi is refused without blocking the server (specs are read asynchronously and
 * bounded), and a spec inside still compiles and gets its declarations.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jacobi } from "../../src/vite.js";

const OK = "x: vector(n)\nkernel okKernel = exp(x)\n";
const SECRET = "x: vector(n)\n# the secret line\nkernel secretKernel = x*41\n";
const BROKEN = "x: vector(n)\nkernel leak = (x * topSecretName\n";

let dir: string;
let app: string;
let outside: string;
let server: ViteDevServer;
let port: number;

/** A GET with the path sent exactly as written (no client-side normalization of /../). */
function get(path: string, timeoutMs = 20_000): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to ${path} within ${timeoutMs} ms`)));
    req.on("error", fail);
    req.end();
  });
}

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "jacobi-vite-server-")));
  app = join(dir, "app");
  outside = join(dir, "outside");
  mkdirSync(app);
  mkdirSync(outside);
  writeFileSync(join(app, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(app, "ok.jacobi"), OK);
  writeFileSync(join(outside, "secret.jacobi"), SECRET);
  writeFileSync(join(outside, "broken.jacobi"), BROKEN);
  server = await createServer({
    root: app,
    configFile: false,
    logLevel: "silent",
    plugins: [jacobi()],
    server: { host: "127.0.0.1", port: 0, strictPort: false, fs: { allow: [app] }, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  port = (server.httpServer!.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("jacobi/vite in the dev server", () => {
  it("compiles a spec inside the root and writes its declarations beside it", async () => {
    const r = await get("/ok.jacobi?import");
    expect(r.status).toBe(200);
    expect(r.body).toContain("okKernel");
    expect(existsSync(join(app, "ok.jacobi.d.ts"))).toBe(true);
  });

  const traversals = (): string[] => [
    `/@fs${outside}/secret.jacobi?import`,
    `/@fs${outside}/secret.jacobi`,
    `/@fs${outside}/broken.jacobi?import`,
    `${outside}/secret.jacobi?import`,
    `${outside}/broken.jacobi?import`,
    "/../outside/secret.jacobi?import",
    "/../outside/broken.jacobi?import",
    "/%2e%2e/outside/secret.jacobi?import",
    "/%2E%2E/outside/secret.jacobi?import",
    `/@fs${app}/../outside/secret.jacobi?import`,
    `/@fs${app}/%2e%2e/outside/secret.jacobi?import`,
  ];
  it("answers 403 to every way of asking for a spec outside the root, and leaks nothing of it", async () => {
    for (const path of traversals()) {
      const r = await get(path);
      expect([403, 404], `${path}: ${r.status} ${r.body.slice(0, 200)}`).toContain(r.status);
      for (const secret of ["secretKernel", "the secret line", "topSecretName", "leak"]) expect(r.body, path).not.toContain(secret);
    }
    // the plain /@fs/ and absolute requests are the ones that reached the file before: those are 403 exactly
    for (const path of traversals().slice(0, 5)) expect((await get(path)).status, path).toBe(403);
  });

  it("writes no declarations outside the root", () => {
    expect(existsSync(join(outside, "secret.jacobi.d.ts"))).toBe(false);
    expect(existsSync(join(outside, "broken.jacobi.d.ts"))).toBe(false);
  });

  it.skipIf(process.platform === "win32")("a FIFO named x.jacobi is refused without blocking the server", async () => {
    execFileSync("mkfifo", [join(app, "x.jacobi")]);
    const [fifo, ok] = await Promise.all([get("/x.jacobi?import"), get("/ok.jacobi?import")]);
    expect(fifo.status).toBe(500);
    expect(fifo.body).toMatch(/cannot read .*x\.jacobi: (it is not a regular file|no such file)/);
    expect(ok.status).toBe(200);
    // and again (the reload handler and a second request do not hang either)
    expect((await get("/x.jacobi?import")).status).toBe(500);
  });
});
