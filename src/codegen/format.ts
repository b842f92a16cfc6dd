/**
 * Formatting generated TypeScript with prettier, with one fixed configuration (no
 * configuration file is consulted), so the bytes depend on the code alone. Prettier's
 * standalone build with its TypeScript plugin works the same in Node and in the browser.
 */
import * as estree from "prettier/plugins/estree";
import * as typescript from "prettier/plugins/typescript";
import { format } from "prettier/standalone";

export const PRETTIER_OPTIONS = {
  parser: "typescript",
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
} as const;

/** The code, formatted. */
export async function formatTypeScript(code: string): Promise<string> {
  return format(code, { ...PRETTIER_OPTIONS, plugins: [typescript, estree] });
}
