import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JacobiError } from "../../src/core/errors.js";
import { columnValue, formatValue, matrixValue, parseBinding, parseValue, scalarValue, type Value } from "../../src/eval/value.js";

const parse = (text: string): Value => parseValue(text, { label: "--at W", text });
const plain = (v: Value): { rows: number; cols: number; data: number[] } => ({ rows: v.rows, cols: v.cols, data: Array.from(v.data) });

/** The error a parse throws: kind, message, 1-based column, and the formatted label. */
function errorOf(run: () => unknown): { kind: string; message: string; col: number | undefined; text: string } {
  try {
    run();
  } catch (e) {
    if (!(e instanceof JacobiError)) throw e;
    return { kind: e.kind, message: e.message, col: e.position?.col, text: e.format() };
  }
  throw new Error("expected an error");
}

describe("parseValue: valid forms", () => {
  it("reads numbers in every form the program accepts, with a sign", () => {
    for (const [text, x] of [
      ["0.7", 0.7],
      ["-3", -3],
      ["1e-3", 0.001],
      [".5", 0.5],
      ["+2", 2],
      ["5.", 5],
      ["2.5E+4", 25000],
      ["  -0.25\n", -0.25],
    ] as const)
      expect(plain(parse(text)), text).toEqual({ rows: 1, cols: 1, data: [x] });
  });
  it("reads a flat list as a column vector", () => {
    expect(plain(parse("[0.2, -0.3]"))).toEqual({ rows: 2, cols: 1, data: [0.2, -0.3] });
    expect(plain(parse(" [ 1 ,2,\n3 ] "))).toEqual({ rows: 3, cols: 1, data: [1, 2, 3] });
    expect(plain(parse("[4]"))).toEqual({ rows: 1, cols: 1, data: [4] });
  });
  it("reads nested rows as a row-major matrix", () => {
    expect(plain(parse("[[1, 0.2], [-1, 3]]"))).toEqual({ rows: 2, cols: 2, data: [1, 0.2, -1, 3] });
    expect(plain(parse("[[1, 0.2], [-1, 3], [0.5, 0.5]]"))).toEqual({ rows: 3, cols: 2, data: [1, 0.2, -1, 3, 0.5, 0.5] });
    expect(plain(parse("[[1,2,3]]"))).toEqual({ rows: 1, cols: 3, data: [1, 2, 3] });
    expect(plain(parse("[[1],[2]]"))).toEqual({ rows: 2, cols: 1, data: [1, 2] });
  });
});

describe("parseValue: malformed input gets a positioned value error", () => {
  const cases: [text: string, message: string, col: number][] = [
    ["", "empty value; give a number like 0.5, a list like [1, 2] or rows like [[1, 2], [3, 4]]", 1],
    ["   ", "empty value; give a number like 0.5, a list like [1, 2] or rows like [[1, 2], [3, 4]]", 1],
    ["[]", "empty list", 1],
    ["[[1, 2], []]", "empty row", 10],
    ["[[1, 2], [3]]", "row 2 has 1 entry but row 1 has 2", 10],
    ["[[1], [2, 3], [4]]", "row 2 has 2 entries but row 1 has 1", 7],
    ["[[[1]]]", "nesting deeper than a matrix: a row holds numbers", 3],
    ["[[1, [2]]]", "nesting deeper than a matrix: a row holds numbers", 6],
    ["1 2", "unexpected '2' after the value", 3],
    ["[1, 2]]", "unexpected ']' after the value", 7],
    ["1, 2", "unexpected ',' after the value", 2],
    ["[1, x]", "expected a number, not 'x'", 5],
    ["nan", "expected a number, not 'nan'", 1],
    ["--1", "expected a number, not '--1'", 1],
    ["[1,,2]", "expected a number, not ','", 4],
    ["[1,]", "expected a number, not ']'", 4],
    ["]", "expected a number, not ']'", 1],
    ["[1 2]", "expected ',' or ']', not '2'", 4],
    ["[1, 2", "'[' is never closed", 1],
    ["[[1, 2], [3, 4]", "'[' is never closed", 1],
    ["[[1, 2], [3, 4", "'[' is never closed", 10],
    ["[1, [2]]", "a list cannot mix numbers and rows", 5],
    ["[[1], 2]", "a list cannot mix rows and numbers", 7],
    ["[[1], ]", "expected '[' to start row 2, not ']'", 7],
    ["1.2.3", "malformed number '1.2.3'", 1],
    ["[0.5, 1e]", "malformed number '1e'", 7],
    ["0x10", "malformed number '0x10'", 1],
    ["1e999", "number 1e999 is out of range", 1],
  ];
  for (const [text, message, col] of cases) {
    it(`${JSON.stringify(text)} → ${message} (column ${col})`, () => {
      const e = errorOf(() => parse(text));
      expect(e).toMatchObject({ kind: "value", message, col });
      expect(e.text.startsWith(`error: --at W: 1:${col}: ${message}`)).toBe(true);
    });
  }
  it("reports a ragged row on its own line and column in multi-line text", () => {
    const e = errorOf(() => parse("[[1, 2],\n [3]]"));
    expect(e.message).toBe("row 2 has 1 entry but row 1 has 2");
    expect(e.text.split("\n")[0]).toBe("error: --at W: 2:2: row 2 has 1 entry but row 1 has 2");
  });
  it("never recurses: ten thousand brackets are one error, not a stack overflow", () => {
    const e = errorOf(() => parse("[".repeat(10_000) + "1" + "]".repeat(10_000)));
    expect(e).toMatchObject({ message: "nesting deeper than a matrix: a row holds numbers", col: 3 });
  });
});

describe("parseBinding", () => {
  it("splits NAME=VALUE; __proto__ and constructor are ordinary names", () => {
    expect(parseBinding("x=[0.2, -0.3]").name).toBe("x");
    expect(plain(parseBinding("x=[0.2, -0.3]").value)).toEqual({ rows: 2, cols: 1, data: [0.2, -0.3] });
    expect(parseBinding(" W_1 = [[1, 2]]").name).toBe("W_1");
    expect(parseBinding("__proto__=1").name).toBe("__proto__");
    expect(plain(parseBinding("constructor=-2").value)).toEqual({ rows: 1, cols: 1, data: [-2] });
  });
  const cases: [arg: string, message: string, col: number][] = [
    ["x", "expected NAME=VALUE, like x=[0.1, 0.2]", 1],
    ["=3", "expected a name before '='", 1],
    ["  =3", "expected a name before '='", 3],
    ["1x=2", "'1x' is not a name; a name is letters, digits and _, starting with a letter or _", 1],
    ["x y=2", "'x y' is not a name; a name is letters, digits and _, starting with a letter or _", 1],
    ["x=", "empty value; give a number like 0.5, a list like [1, 2] or rows like [[1, 2], [3, 4]]", 3],
    ["x=[1, 2", "'[' is never closed", 3],
    ["W=[[1, 2], [3]]", "row 2 has 1 entry but row 1 has 2", 12],
    ["x=1=2", "malformed number '1=2'", 3],
  ];
  for (const [arg, message, col] of cases) {
    it(`${JSON.stringify(arg)} → ${message} (column ${col})`, () => {
      const e = errorOf(() => parseBinding(arg));
      expect(e).toMatchObject({ kind: "value", message, col });
      expect(e.text.startsWith(`error: --at: 1:${col}: `)).toBe(true);
    });
  }
});

describe("formatValue", () => {
  it("prints the notebook's forward pass exactly, despite float rounding", () => {
    const net = columnValue([1 * 0.2 + 0.2 * -0.3 + 0.1, -1 * 0.2 + 3 * -0.3 + 0.2, 0.5 * 0.2 + 0.5 * -0.3 + 0]);
    expect(Array.from(net.data)).not.toEqual([0.24, -0.9, -0.05]); // the floats are not the decimals
    expect(formatValue(net, "json")).toBe("[0.24,-0.9,-0.05]");
    expect(formatValue(net, "text")).toBe("[0.24, -0.9, -0.05]");
  });
  it("prints scalars as numbers, matrices as rows (row-major)", () => {
    expect(formatValue(scalarValue(14), "json")).toBe("14");
    expect(formatValue(scalarValue(-0), "text")).toBe("0");
    const m = matrixValue([
      [1, 0.2],
      [-1, 3],
    ]);
    expect(formatValue(m, "json")).toBe("[[1,0.2],[-1,3]]");
    expect(formatValue(m, "text")).toBe("[[1, 0.2],\n [-1, 3]]");
    expect(formatValue(matrixValue([[1, 2, 3]]), "json")).toBe("[[1,2,3]]");
  });
  it("rounds to the precision in shortest form", () => {
    expect(formatValue(scalarValue(Math.PI), "text", 3)).toBe("3.14");
    expect(formatValue(scalarValue(1 / 3), "json")).toBe("0.333333333333333");
    expect(formatValue(scalarValue(123456789), "text", 2)).toBe("120000000");
    expect(formatValue(scalarValue(1e-30), "json")).toBe("1e-30");
    expect(() => formatValue(scalarValue(1), "text", 0)).toThrow(/precision/);
  });
  it("prints non-finite numbers as null in JSON and by name in text", () => {
    const v = columnValue([NaN, Infinity, -Infinity]);
    expect(formatValue(v, "json")).toBe("[null,null,null]");
    expect(formatValue(v, "text")).toBe("[NaN, Infinity, -Infinity]");
    expect(JSON.parse(formatValue(v, "json"))).toEqual([null, null, null]);
  });
  it("JSON is one JSON value, and text at 17 digits parses back to the same value", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const shapes = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }));
    const values = shapes.chain(([rows, cols]) =>
      fc.array(finite, { minLength: rows * cols, maxLength: rows * cols }).map((xs): Value => ({ rows, cols, data: Float64Array.from(xs) })),
    );
    fc.assert(
      fc.property(values, (v) => {
        const json = JSON.parse(formatValue(v, "json", 17)) as unknown;
        const flat = v.rows === 1 && v.cols === 1 ? [json] : v.cols === 1 ? (json as number[]) : (json as number[][]).flat();
        expect(flat).toEqual(Array.from(v.data, (x) => (x === 0 ? 0 : x)));
        const back = parse(formatValue(v, "text", 17));
        expect(plain(back)).toEqual(plain({ ...v, data: v.data.map((x) => (x === 0 ? 0 : x)) }));
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });
});
