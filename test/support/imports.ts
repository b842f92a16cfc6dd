/**
 * The import graph of the sources, read from their text: each file's module specifiers
 * (static imports, re-exports, dynamic imports), and the files they lead to.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The module specifiers a TypeScript or JavaScript source imports (static, re-exports,
 * dynamic); type-only imports too when `types` is set (they tie modules together at
 * compile time, but not at run time).
 */
export function importsOf(source: string, { types = false }: { types?: boolean } = {}): string[] {
  const out: string[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (const m of code.matchAll(/(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"']+)["']/g)) {
    const isTypeOnly = /^\s*(?:[;\s])?(?:import|export)\s+type\s/.test(m[0]);
    if (types || !isTypeOnly) out.push(m[1]!);
  }
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]!);
  return out;
}

/** The file a relative specifier names: sources import `./x.js` for `./x.ts`; a generated file is `.js` itself. */
export function resolveImport(from: string, spec: string): string {
  const target = join(dirname(from), spec);
  const ts = target.replace(/\.js$/, ".ts");
  return existsSync(ts) ? ts : target;
}

/** Every source file reachable from an entry by relative imports, with the bare specifiers each imports. */
export function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (graph.has(file)) continue;
    const specs = importsOf(readFileSync(file, "utf8"));
    graph.set(file, specs.filter((s) => !s.startsWith(".")));
    for (const s of specs.filter((x) => x.startsWith("."))) todo.push(resolveImport(file, s));
  }
  return graph;
}

/** The .ts and .js files under a directory. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.(ts|js)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
    });
}

/** Every source file under a directory, with the files its relative imports (type-only ones included) name. */
export function sourceGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const specs = importsOf(readFileSync(file, "utf8"), { types: true }).filter((s) => s.startsWith("."));
    graph.set(file, specs.map((s) => resolveImport(file, s)));
  }
  return graph;
}
