/**
 * Reading program and spec files in Node hosts (the CLI and the Vite plugin) with a bound:
 * at most {@link MAX_INPUT_BYTES} + 1 bytes are read, so `-f /dev/zero`, a huge file or a
 * FIFO that never ends is refused after a bounded read instead of filling memory. The
 * character limit of the tokenizer applies to what is read.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { JacobiError } from "./core/errors.js";
import { LIMITS } from "./core/limits.js";

/** Bytes a program of the character limit may take in UTF-8 (3 bytes per UTF-16 unit at most). */
export const MAX_INPUT_BYTES = 3 * LIMITS.maxInputChars;

const tooLarge = (what: string): JacobiError =>
  new JacobiError("limit", `${what} is too large (over ${MAX_INPUT_BYTES} bytes; the limit is ${LIMITS.maxInputChars} characters)`);

const decode = (chunks: Buffer[], total: number): string => Buffer.concat(chunks, total).toString("utf8");

/** Reads a file (or an open descriptor, e.g. 0 for standard input) synchronously, at most the limit + 1 bytes. */
export function readBoundedSync(path: string | number, what: string): string {
  const fd = typeof path === "number" ? path : openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, MAX_INPUT_BYTES + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as { code?: string }).code === "EAGAIN") continue; // a non-blocking standard input not ready yet
        throw e;
      }
      if (n === 0) return decode(chunks, total);
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > MAX_INPUT_BYTES) throw tooLarge(what);
    }
  } finally {
    if (typeof path !== "number") closeSync(fd);
  }
}

/**
 * Reads a regular file asynchronously, at most the limit + 1 bytes. Anything else (a FIFO,
 * a device) is refused before it is opened: opening a FIFO waits for a writer.
 */
export async function readBounded(path: string, what: string): Promise<string> {
  const info = await stat(path);
  if (!info.isFile()) throw new JacobiError("io", `cannot read ${what}: it is not a regular file`);
  const handle = await open(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, MAX_INPUT_BYTES + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return decode(chunks, total);
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw tooLarge(what);
    }
  } finally {
    await handle.close();
  }
}
