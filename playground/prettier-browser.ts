/**
 * `prettier` for the browser build: prettier's standalone build with the TypeScript
 * parser and the ESTree printer, loaded when the first kernel is formatted. The Node
 * entry finds its plugins by itself; the standalone build must be given them. The
 * playground's Vite config maps the bare `prettier` import (src/codegen/format.ts) here.
 */
import type { Options } from "prettier";

export async function format(code: string, options: Options): Promise<string> {
  const [prettier, typescript, estree] = await Promise.all([import("prettier/standalone"), import("prettier/plugins/typescript"), import("prettier/plugins/estree")]);
  return prettier.format(code, { ...options, plugins: [typescript, estree] });
}
