/**
 * The sources import one way, layer by layer, and no module imports itself through
 * others (type-only imports count: they tie modules together at compile time). The
 * layers, lowest first (README, Development); a directory imports only lower layers and
 * itself, never a neighbour in its own layer.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseSync } from "vite";
import { describe, expect, it } from "vitest";
import { importsOf, resolveImport, sourceFiles, sourceGraph } from "../support/imports.js";

const src = new URL("../../src/", import.meta.url).pathname;

const LAYERS: readonly (readonly string[])[] = [
  ["core"], // expressions, builders, shapes, programs, the function table, errors, limits
  ["parse", "print"], // text to program; expressions to text and LaTeX
  ["diff"], // scalar and index-form differentiation (its rules print their laws)
  ["simplify"], // the rewrite engine and its simplification rules, polynomials
  ["indexform"], // lower, matricize; the contraction, recognition and distribution rule sets
  ["reverse"], // reverse and forward mode at matrix level: the sweeps and their rules
  ["calculus"], // derive(): the passes in order
  ["eval"], // numbers
  ["check"], // finite differences
  ["codegen", "derive"], // kernels; derivation documents
  ["notebook"],
  ["files.ts"], // bounded file reads (Node), for the command line and the Vite plugin
  ["cli"],
  ["api-kernels.ts"], // compile and generate, which api.ts re-exports
  ["api.ts", "vite.ts"], // the library and the Vite plugin
  ["index.ts"], // the package's entry
];

/** The unit a file belongs to: its directory under src, or its own name at the top. */
const unitOf = (file: string): string => relative(src, file).split("/")[0]!;

/** The layer of a unit, or -1 for one the list does not place. */
const layerOf = (unit: string): number => LAYERS.findIndex((l) => l.includes(unit));

/** Imports that go up a layer, sideways within one, or from/to a unit the list does not place. */
function misplacedImports(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    const from = unitOf(file);
    for (const target of targets) {
      const to = unitOf(target);
      if (to === from) continue;
      const [lf, lt] = [layerOf(from), layerOf(to)];
      if (lf < 0 || lt < 0 || lt >= lf) out.push(`${relative(src, file)} imports ${relative(src, target)} (${from} is layer ${lf}, ${to} is layer ${lt})`);
    }
  }
  return out;
}

/** Every import circle, as its files in order (one per strongly connected group, Tarjan's algorithm, iterative). */
function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, k] = top;
      const targets = (graph.get(v) ?? []).filter((t) => graph.has(t));
      if (k < targets.length) {
        top[1]++;
        const w = targets[k]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]![0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          group.push(w);
        } while (w !== v);
        if (group.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(group.reverse());
      }
    }
  }
  return circles;
}

/** The relative specifiers of a file as oxc (Vite's parser) reads its module record. */
function parsedImports(file: string): string[] {
  const { module } = parseSync(file, readFileSync(file, "utf8"), { lang: file.endsWith(".js") ? "js" : "ts" });
  const text = readFileSync(file, "utf8");
  const specs = [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) => e.entries.flatMap((x) => (x.moduleRequest ? [x.moduleRequest.value] : []))),
    ...module.dynamicImports.map((d) => text.slice(d.moduleRequest.start + 1, d.moduleRequest.end - 1)),
  ];
  return [...new Set(specs.filter((s) => s.startsWith(".")))].sort();
}

describe("the import graph of src", () => {
  const graph = sourceGraph(src);

  it("is read the way a parser reads it (the text walker against oxc's module records)", () => {
    expect(graph.size).toBeGreaterThan(100);
    for (const file of sourceFiles(src)) {
      const walked = [...new Set(importsOf(readFileSync(file, "utf8"), { types: true }).filter((s) => s.startsWith(".")))].sort();
      expect(walked, relative(src, file)).toEqual(parsedImports(file));
    }
  });

  it("places every directory and top-level file of src in a layer", () => {
    const units = new Set([...graph.keys()].map(unitOf));
    expect([...units].filter((u) => layerOf(u) < 0)).toEqual([]);
    expect(LAYERS.flat().filter((u) => !units.has(u))).toEqual([]);
  });

  it("has no import up a layer or sideways", () => {
    expect(misplacedImports(graph)).toEqual([]);
  });

  it("has no import circle", () => {
    expect(importCircles(graph).map((c) => c.map((f) => relative(src, f)))).toEqual([]);
  });

  it("the checks would catch a circle, an upward import and a sideways one", () => {
    const f = (p: string): string => join(src, p);
    const fake = new Map<string, string[]>([
      [f("core/a.ts"), [f("core/b.ts")]],
      [f("core/b.ts"), [f("core/c.ts")]],
      [f("core/c.ts"), [f("core/a.ts"), f("parse/p.ts")]],
      [f("parse/p.ts"), [f("core/a.ts")]],
      [f("codegen/k.ts"), [f("derive/d.ts"), f("core/a.ts")]],
      [f("derive/d.ts"), [f("derive/d.ts")]],
    ]);
    expect(importCircles(fake).map((c) => c.map((x) => relative(src, x)))).toEqual([["core/a.ts", "core/b.ts", "core/c.ts", "parse/p.ts"], ["derive/d.ts"]]);
    expect(misplacedImports(fake)).toEqual([
      "core/c.ts imports parse/p.ts (core is layer 0, parse is layer 1)",
      "codegen/k.ts imports derive/d.ts (codegen is layer 9, derive is layer 9)",
    ]);
    expect(resolveImport(f("codegen/k.ts"), "../core/build.js")).toBe(f("core/build.ts"));
  });
});
