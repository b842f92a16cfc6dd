/**
 * What commands need from the outside world, passed in so that tests can run the CLI
 * in-process: output streams and file access.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { JacobiError } from "../core/errors.js";
import { readBoundedSync } from "../files.js";

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
}

function describeFsError(e: unknown, path: string, verb: string): JacobiError {
  const code = (e as { code?: string }).code;
  const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message ?? e);
  return new JacobiError("io", `cannot ${verb} ${path}: ${why}`);
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
  readFile: (path) => {
    try {
      return readBoundedSync(path === "-" ? 0 : path, path === "-" ? "standard input" : path);
    } catch (e) {
      if (e instanceof JacobiError) throw e;
      throw describeFsError(e, path === "-" ? "standard input" : path, "read");
    }
  },
  writeFile: (path, text) => {
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    } catch (e) {
      throw describeFsError(e, path, "write");
    }
  },
};
