/** The shape of a CLI command: its help text and what it does. */
import type { OptionSpec, ParsedArgs } from "./args.js";
import type { Io } from "./io.js";

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
  /** Extra help paragraphs. */
  readonly details?: string;
  readonly run: (args: ParsedArgs, io: Io) => void | Promise<void>;
}

/** `jacobi COMMAND --help`. */
export function commandHelp(c: Command): string {
  const width = Math.max(...c.options.map((o) => optionLabel(o).length), 10);
  const lines = [`jacobi ${c.name}: ${c.summary}`, "", `usage: ${c.usage}`, "", "options:"];
  for (const o of c.options) lines.push(`  ${optionLabel(o).padEnd(width)}  ${o.help}`);
  lines.push(`  ${"-h, --help".padEnd(width)}  show this help`);
  lines.push(`  ${"--".padEnd(width)}  end of the options: what follows is the program or files (for a program that starts with '-')`);
  if (c.details) lines.push("", c.details);
  if (c.examples.length > 0) lines.push("", "examples:", ...c.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

function optionLabel(o: OptionSpec): string {
  const name = o.short ? `-${o.short}, --${o.name}` : `--${o.name}`;
  return o.value ? `${name} ${o.value}` : name;
}
