/** The version of jacobi, read (when asked) from its package.json, beside src/ and dist/. */
import { readFileSync } from "node:fs";

export function version(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}
