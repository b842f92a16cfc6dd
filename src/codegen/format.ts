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

/**
 * Binary operators one statement may have for prettier (its printer recurses once per
 * operator of a chain and overflows the stack near 1,000). A longer statement is left as
 * generated: valid code, one statement a line.
 */
export const MAX_FORMATTED_OPERATORS = 400;

/** The most binary operators ` + `, ` - `, ` * `, ` / ` on one line. */
function longestChain(code: string): number {
  let most = 0;
  for (const line of code.split("\n")) {
    const n = line.match(/ [-+*/] /g)?.length ?? 0;
    if (n > most) most = n;
  }
  return most;
}

const UNFORMATTED = `// Left as generated, not formatted: a statement has more than ${MAX_FORMATTED_OPERATORS} operators.\n`;

/** The code, formatted (or, for statements too long for the formatter, as it is). */
export async function formatTypeScript(code: string): Promise<string> {
  if (longestChain(code) > MAX_FORMATTED_OPERATORS) return UNFORMATTED + code;
  try {
    return await format(code, { ...PRETTIER_OPTIONS, plugins: [typescript, estree] });
  } catch (e) {
    if (e instanceof RangeError) return UNFORMATTED + code; // the formatter's own stack overflow: never what fails
    throw e;
  }
}
