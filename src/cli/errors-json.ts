/**
 * Errors for editors and scripts: under `--format json` an error is one JSON object on
 * stderr, `{"error": {"kind", "line", "col", "message"}}` (line and col are null for an
 * error without a place; `source` names a text other than the program, like `--at x`).
 */

/** Does the command line ask for JSON output (`--format json` or `--format=json`, before `--`)? */
export function wantsJsonErrors(argv: readonly string[]): boolean {
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === "--") return false;
    if (a === "--format=json" || (a === "--format" && argv[k + 1] === "json")) return true;
  }
  return false;
}

/** One error as a line of JSON. */
export function errorJson(kind: string, message: string, position?: { line: number; col: number }, source?: string): string {
  const error = { kind, line: position?.line ?? null, col: position?.col ?? null, message, ...(source === undefined ? {} : { source }) };
  return JSON.stringify({ error });
}
