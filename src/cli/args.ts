/**
 * Command-line arguments: `jacobi COMMAND [PROGRAM] [--option value]…`. Options take
 * `--name value` or `--name=value`; flags take no value; `--` ends the options (a program
 * that starts with `-` goes after it). Anything unknown is a usage error (exit status 2).
 */

/** A usage error: wrong command, option or arguments. Exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface OptionSpec {
  readonly name: string;
  /** A one-letter alias, like `f` for `-f`. */
  readonly short?: string;
  /** Takes a value (otherwise a flag). */
  readonly value?: string;
  readonly repeat?: boolean;
  readonly help: string;
}

export interface ParsedArgs {
  readonly positional: string[];
  /** Option values by option name; flags map to ["true"]. */
  readonly options: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  let k = 0;
  const take = (spec: OptionSpec, inline: string | undefined): void => {
    let v = inline;
    if (spec.value) {
      if (v === undefined) {
        if (k + 1 >= argv.length) throw new UsageError(`--${spec.name} needs a value (${spec.value})`);
        v = argv[++k]!;
      }
    } else if (v !== undefined) throw new UsageError(`--${spec.name} takes no value`);
    const list = options.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeat) throw new UsageError(`--${spec.name} is given twice`);
    list.push(v ?? "true");
    options.set(spec.name, list);
  };
  for (; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === "--") {
      positional.push(...argv.slice(k + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown option --${name} for '${command}'; see 'jacobi ${command} --help'`);
      take(spec, eq < 0 ? undefined : a.slice(eq + 1));
    } else if (a.length > 1 && a.startsWith("-") && !/^-[\d.]/.test(a)) {
      const spec = byShort.get(a.slice(1, 2));
      if (!spec) {
        // `-log(x)` is a program, not an option: say how to pass it
        const hint = /^-[A-Za-z]$/.test(a) ? "" : `; a program that starts with '-' goes after '--': jacobi ${command} [options] -- '${a}'`;
        throw new UsageError(`unknown option ${a} for '${command}'${hint}; see 'jacobi ${command} --help'`);
      }
      take(spec, a.length > 2 ? a.slice(2) : undefined);
    } else positional.push(a);
  }
  return { positional, options };
}

export const flag = (args: ParsedArgs, name: string): boolean => args.options.has(name);
export const single = (args: ParsedArgs, name: string): string | undefined => args.options.get(name)?.[0];
export const all = (args: ParsedArgs, name: string): string[] => args.options.get(name) ?? [];

/** A value from a fixed set. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = single(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, not '${v}'`);
  return v as T;
}
