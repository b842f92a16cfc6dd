/**
 * Small files and short functions: no source file over 400 lines, no function over 80
 * (from its first line to its closing brace, nested functions included). Functions are
 * found by a real parser (oxc, as Vite ships it), so braces in strings, templates,
 * regular expressions and comments cannot confuse the count.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseSync } from "vite";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "../support/imports.js";

const src = new URL("../../src/", import.meta.url).pathname;
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

/** A function of a source: its name (or `anonymous`), first line and length in lines. */
interface Measured {
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

type Node = { readonly type?: string; readonly start?: number; readonly end?: number; readonly [key: string]: unknown };

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

const nameOf = (n: unknown): string | undefined => {
  const k = n as Node | undefined;
  if (!k) return undefined;
  if (typeof k["name"] === "string") return k["name"];
  if (typeof k["value"] === "string") return k["value"];
  return undefined;
};

/** Every function of a TypeScript source, with its length in lines. */
function measureFunctions(fileName: string, text: string): Measured[] {
  const { program, errors } = parseSync(fileName, text, { lang: "ts" });
  if (errors.length > 0) throw new Error(`${fileName}: ${errors[0]!.message}`);
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const out: Measured[] = [];
  const stack: { node: unknown; name: string | undefined }[] = [{ node: program, name: undefined }];
  while (stack.length > 0) {
    const { node, name } = stack.pop()!;
    if (Array.isArray(node)) {
      for (let k = node.length - 1; k >= 0; k--) stack.push({ node: node[k], name: undefined });
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    const n = node as Node;
    if (n.type && FUNCTION_TYPES.has(n.type)) {
      const first = lineOf(n.start!);
      out.push({ name: nameOf(n["id"]) ?? name ?? "anonymous", line: first, lines: lineOf(n.end! - 1) - first + 1 });
    }
    // a function's name is where it is bound: `const f = …`, a method, a property
    const bound = n.type === "VariableDeclarator" ? nameOf(n["id"]) : n.type === "MethodDefinition" || n.type === "Property" || n.type === "PropertyDefinition" ? nameOf(n["key"]) : undefined;
    const keys = Object.keys(n).filter((k) => k !== "type" && k !== "start" && k !== "end");
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      stack.push({ node: n[key], name: bound !== undefined && (key === "init" || key === "value") ? bound : undefined });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

const lineCount = (text: string): number => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

describe("file and function lengths in src", () => {
  it("measures functions by their syntax (checked on known ones)", () => {
    const text = [
      "/** { not code } */",
      "function three(a: number): string {",
      '  const s = "}}}" + `${"{"}` + /\\}/.source;',
      "  return s; // }",
      "}",
      "export const arrow = (x: number): number =>",
      "  x + 1;",
      "class K {",
      "  method(): void {",
      "    const inner = () => {",
      "      return;",
      "    };",
      "    inner();",
      "  }",
      "}",
      "const o = { f() { return 1; }, g: function () {} };",
    ].join("\n");
    expect(measureFunctions("known.ts", text)).toEqual([
      { name: "three", line: 2, lines: 4 },
      { name: "arrow", line: 6, lines: 2 },
      { name: "method", line: 9, lines: 6 },
      { name: "inner", line: 10, lines: 3 },
      { name: "f", line: 16, lines: 1 },
      { name: "g", line: 16, lines: 1 },
    ]);
    expect(lineCount("a\nb\n")).toBe(2);
    expect(lineCount("a\nb")).toBe(2);
  });

  it("finds the functions of the sources (the walk reaches them)", () => {
    const text = readFileSync(`${src}parse/syntax.ts`, "utf8");
    const names = measureFunctions("syntax.ts", text).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["listToArray", "checkBrackets", "parseStatements", "checkNesting", "span"]));
  });

  const files = sourceFiles(src).filter((f) => f.endsWith(".ts"));

  it(`no source file is over ${MAX_FILE_LINES} lines`, () => {
    expect(files.length).toBeGreaterThan(100);
    const long = files.map((f) => ({ file: relative(src, f), lines: lineCount(readFileSync(f, "utf8")) })).filter((f) => f.lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`no function in src is over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap((f) =>
      measureFunctions(f, readFileSync(f, "utf8"))
        .filter((m) => m.lines > MAX_FUNCTION_LINES)
        .map((m) => `${relative(src, f)}:${m.line} ${m.name} (${m.lines} lines)`),
    );
    expect(long).toEqual([]);
  });
});
