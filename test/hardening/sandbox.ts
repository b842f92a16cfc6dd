/**
 * The `jacobi` command as a real process, for inputs that might hang or overflow the
 * stack: src/ is compiled once (tsc, into a temporary directory, so the test runs the
 * code under test and not a stale dist/), and each run is a `node` child process that is
 * killed when it exceeds its time cap. A cap is a hang detector, not a speed requirement:
 * the measured times are reported, and a killed run means "did not finish".
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface Sandbox {
  /** The temporary directory holding everything (remove it with `removeSandbox`). */
  readonly root: string;
  /** The compiled CLI entry point. */
  readonly main: string;
  /** A directory for input files. */
  readonly dir: string;
}

/** Compiles src/ (a few seconds) into a temporary directory that resolves the repo's node_modules. */
export function buildSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "jacobi-sandbox-"));
  const out = join(root, "dist");
  const tsc = join(REPO, "node_modules", ".bin", "tsc");
  const r = spawnSync(tsc, ["-p", join(REPO, "tsconfig.build.json"), "--outDir", out], { cwd: REPO, encoding: "utf8" });
  const main = join(out, "cli", "main.js");
  if (!existsSync(main)) throw new Error(`compiling src/ for the sandbox failed:\n${r.stdout}\n${r.stderr}`);
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"), "dir");
  const dir = join(root, "inputs");
  mkdirSync(dir);
  return { root, main, dir };
}

export function removeSandbox(sandbox: Sandbox): void {
  rmSync(sandbox.root, { recursive: true, force: true });
}

export interface ProcessRun {
  readonly argv: readonly string[];
  /** Exit status, or undefined when killed. */
  readonly code: number | undefined;
  /** True when the run was killed at its time cap. */
  readonly killed: boolean;
  readonly ms: number;
  /** The first 20,000 characters of each stream, and their full lengths. */
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutLength: number;
  readonly stderrLength: number;
}

const KEEP = 20_000;

/** Runs `node main ARGV`, killing it after `capMs`. */
export function runProcess(sandbox: Sandbox, argv: readonly string[], capMs: number): Promise<ProcessRun> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [sandbox.main, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let stdoutLength = 0;
    let stderrLength = 0;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      stdoutLength += d.length;
      if (stdout.length < KEEP) stdout += d.slice(0, KEEP - stdout.length);
    });
    child.stderr.on("data", (d: string) => {
      stderrLength += d.length;
      if (stderr.length < KEEP) stderr += d.slice(0, KEEP - stderr.length);
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, capMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ argv, code: killed ? undefined : (code ?? undefined), killed, ms: performance.now() - t0, stdout, stderr, stdoutLength, stderrLength });
    });
  });
}

/** Writes an input file into the sandbox and returns its path. */
export function inputFile(sandbox: Sandbox, name: string, text: string): string {
  const path = join(sandbox.dir, name);
  writeFileSync(path, text);
  return path;
}
