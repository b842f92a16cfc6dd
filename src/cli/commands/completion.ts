/**
 * `completion bash|zsh`: a shell completion script for jacobi, written from the commands'
 * own option tables (so it never drifts from them). `source <(jacobi completion bash)`.
 */
import { UsageError, type OptionSpec } from "../args.js";
import type { Command } from "../command.js";

/** The values an option takes when they are a fixed set (`text|latex|json`). */
const choicesOf = (o: OptionSpec): string[] | undefined => (o.value && /^[a-z0-9]+(\|[a-z0-9]+)+$/.test(o.value) ? o.value.split("|") : undefined);
const takesPath = (o: OptionSpec): boolean => o.value === "FILE" || o.value === "DIR";
const words = (o: OptionSpec): string[] => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])];

function bashScript(commands: readonly Command[]): string {
  const all = commands.flatMap((c) => c.options);
  const paths = [...new Set(all.filter(takesPath).flatMap(words))];
  const choices = new Map<string, string[]>();
  for (const o of all) for (const w of words(o)) if (choicesOf(o)) choices.set(w, [...new Set([...(choices.get(w) ?? []), ...choicesOf(o)!])]);
  const names = commands.map((c) => c.name).join(" ");
  return [
    "# bash completion for jacobi: source <(jacobi completion bash)",
    "_jacobi() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" opts',
    "  if [ \"$COMP_CWORD\" -eq 1 ]; then",
    `    COMPREPLY=($(compgen -W "${names} help --help --version" -- "$cur")); return`,
    "  fi",
    '  case "$prev" in',
    `    ${paths.join("|")}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`,
    ...[...choices].map(([w, vs]) => `    ${w}) COMPREPLY=($(compgen -W "${vs.join(" ")}" -- "$cur")); return ;;`),
    "  esac",
    '  case "${COMP_WORDS[1]}" in',
    ...commands.map((c) => `    ${c.name}) opts="${[...c.options.flatMap(words), "--help"].join(" ")}" ;;`),
    `    help) COMPREPLY=($(compgen -W "${names}" -- "$cur")); return ;;`,
    "  esac",
    '  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi',
    "}",
    "complete -F _jacobi jacobi",
    "",
  ].join("\n");
}

/** Text inside a zsh `_arguments` description: no brackets, colons or quotes. */
const zshText = (t: string): string => t.replace(/\[/g, "(").replace(/\]/g, ")").replace(/[:']/g, " ").replace(/\\/g, "");

function zshOption(o: OptionSpec): string {
  const help = zshText(o.help);
  const action = !o.value ? "" : takesPath(o) ? `:${o.value}:_files` : choicesOf(o) ? `:${o.value}:(${choicesOf(o)!.join(" ")})` : `:${zshText(o.value)}:`;
  const repeat = o.repeat ? "*" : "";
  if (!o.short) return `'${repeat}--${o.name}[${help}]${action}'`;
  return `'${repeat}(-${o.short} --${o.name})'{-${o.short},--${o.name}}'[${help}]${action}'`;
}

function zshScript(commands: readonly Command[]): string {
  return [
    "#compdef jacobi",
    "# zsh completion for jacobi: source <(jacobi completion zsh), or save as _jacobi on $fpath",
    "_jacobi() {",
    "  local -a commands",
    `  commands=(${commands.map((c) => `'${c.name}:${zshText(c.summary)}'`).join(" ")})`,
    "  if (( CURRENT == 2 )); then _describe command commands; return; fi",
    "  case $words[2] in",
    ...commands.map((c) => `    ${c.name}) _arguments ${[...c.options.map(zshOption), "'(-h --help)'{-h,--help}'[show the help]'", "'*:program or file:_files'"].join(" ")} ;;`),
    "    help) _describe command commands ;;",
    "  esac",
    "}",
    'if [ "$funcstack[1]" = "_jacobi" ]; then _jacobi "$@"; else compdef _jacobi jacobi; fi',
    "",
  ].join("\n");
}

export const completionCommand = (commands: () => readonly Command[]): Command => ({
  name: "completion",
  summary: "print a shell completion script (bash or zsh)",
  usage: "jacobi completion bash|zsh",
  options: [],
  examples: ["source <(jacobi completion bash)      # in ~/.bashrc", "source <(jacobi completion zsh)       # in ~/.zshrc"],
  run(args, io) {
    const [shell, ...extra] = args.positional;
    if (extra.length > 0 || (shell !== "bash" && shell !== "zsh")) throw new UsageError("completion needs the shell: jacobi completion bash, or jacobi completion zsh");
    io.out(shell === "bash" ? bashScript(commands()) : zshScript(commands()));
  },
});
