/**
 * Formatting generated TypeScript with prettier, with one fixed configuration (no
 * configuration file is consulted), so the bytes depend on the code alone.
 */
import { format } from "prettier";

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
  return format(code, PRETTIER_OPTIONS);
}
