/**
 * The second hostile pass (issue 16), as tables: each row failed before its fix.
 * - undefined exact values (0/0, 1/0 - 1/0, 0*log(0) …) are NaN, never a quiet 0, through
 *   eval, simplify and the derivatives; a constant beyond floating point is refused by the
 *   kernels as by eval; a kernel used as a value is refused with its place;
 * - loose inputs to kernels and `evaluate` are RangeErrors / JacobiErrors naming the input;
 * - CLI edges: `--out ''`, invisible characters in error lines, JSON's nulls said, the
 *   output limit on numbers, bounded reads of endless files.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compile, evaluate, generate, JacobiError } from "../../src/index.js";
import { readBounded, readBoundedSync } from "../../src/files.js";
import { cli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "jacobi-second-pass-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// --- undefined exact values: NaN (IEEE), never 0
const UNDEFINED_VALUES: readonly { text: string; at?: string[] }[] = [
  { text: "0/0" },
  { text: "1/0 - 1/0" },
  { text: "(1/0)*0" },
  { text: "(x-x)/(x-x)", at: ["x=1"] },
  { text: "log(0)-log(0)" },
  { text: "0*log(0)" },
  { text: "0^(-2)*0^2" },
  { text: "2*(1/0) - 2/0" },
  { text: "(0*(1/0))^2" },
  { text: "0*(1/0 + 1)" },
  { text: "log(-1) - log(-1)" },
  { text: "0*sqrt(-1)" },
  { text: "0*asin(2)" },
  { text: "acos(-3)*0" },
  { text: "x/0 - x/0", at: ["x=1"] },
  { text: "0^(-1)*0^x", at: ["x=2"] },
  { text: "(1/0)/(1/0)" },
  { text: "exp(1/0)*0" },
  { text: "(x - x)*log(x - x)", at: ["x=3"] },
  { text: "x: vector(n); sum(zeros(n) ./ zeros(n))", at: ["x=[1,2]"] },
  { text: "x: vector(n); sum(x*(1/0) - x/0)", at: ["x=[1,2]"] },
];

describe("undefined exact values are NaN, never a quiet 0", () => {
  it.each(UNDEFINED_VALUES)("eval $text is NaN", async ({ text, at = [] }) => {
    const r = await cli("eval", text, ...at.flatMap((a) => ["--at", a]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatch(/^\[?NaN\]?$/);
  });
  it.each(UNDEFINED_VALUES)("simplify $text is not 0", async ({ text }) => {
    const r = await cli("simplify", text);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).not.toMatch(/^(0|zeros\(.*\))$/);
  });
  it("keeps IEEE infinities: 1/0 is Infinity, log(0) is -Infinity", async () => {
    expect((await cli("eval", "1/0")).out).toBe("Infinity");
    expect((await cli("eval", "log(0)")).out).toBe("-Infinity");
    expect((await cli("eval", "1/0 + 1")).out).toBe("Infinity");
  });
  it.each([
    ["0^x", "0.7", "0"],
    ["x*0^x", "0.7", "0"],
    ["0^(x^2)", "0.7", "0"],
    ["0^(2*x) + x", "0.7", "1"],
  ])("d/dx %s at x = %s is %s (no log(0))", async (text, x, want) => {
    const r = await cli("diff", text, "--wrt", "x", "--at", `x=${x}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toBe(want);
    expect((await cli("diff", text, "--wrt", "x")).out).not.toContain("log(0)");
  });
});

describe("kernels refuse what eval refuses", () => {
  it.each(["1e400", "-1e400", "1e-400", "2*1e400", "1e400/1e399*1e400"])("a constant beyond floating point, %s", (c) => {
    const text = `x: vector(n)\nkernel k = x*(${c})`;
    expect(() => compile(text)).toThrow(JacobiError);
    expect(() => compile(text)).toThrow(/outside the floating-point range/);
  });
  it("a huge constant that divides down to a float is fine", () => {
    const k = compile("x: vector(n)\nkernel k = x*(1e400/1e399)");
    expect(Array.from(k({ x: Float64Array.of(1, 2) }) as Float64Array)).toEqual([10, 20]);
  });
  it.each([
    ["jacobian(k, x)", 4, 21],
    ["grad(k, x)", 4, 17],
    ["vjp(k, x, g)", 4, 16],
    ["k + 1", 4, 12],
    ["jacobian(exp(k), x)", 4, 25],
  ])("a kernel used as a value, %s, is refused with its place", async (use, line, col) => {
    const file = join(dir, `kernel-as-value-${col}.jacobi`);
    writeFileSync(file, `x: vector(n)\ng: vector(n)\nkernel k = sum(exp(x))\nkernel j = ${use}\n`);
    const r = await cli("gen", file, "--out", dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(` ${line}:${col}: 'k' is a kernel, not a value`));
  });
  it("a definition and a kernel of the same name: the name is the definition", () => {
    const k = compile("x: vector(n)\ns = sum(exp(x))\nkernel s = s\nkernel j = grad(s, x)", { kernel: "j" });
    expect(Array.from(k({ x: Float64Array.of(0, 0) }) as Float64Array)).toEqual([1, 1]);
  });
});

// --- loose inputs
const KERNEL = compile("a: scalar\nx: vector(n)\nkernel k = a*x");
const LOOSE_KERNEL_INPUTS: readonly [string, Record<string, unknown>, RegExp][] = [
  ["a number for a vector", { a: 2, x: 5 }, /k: x must be an array of numbers \(vector\(n\)\), not number/],
  ["a missing vector", { a: 2 }, /k: x must be an array of numbers \(vector\(n\)\), not undefined/],
  ["null for a vector", { a: 2, x: null }, /k: x must be an array of numbers .*not null/],
  ["a string for a vector", { a: 2, x: "12" }, /k: x must be an array of numbers .*not string/],
  ["an object for a vector", { a: 2, x: {} }, /k: x must be an array of numbers .*not object/],
  ["a missing scalar", { x: Float64Array.of(1) }, /k: a must be a number, not undefined/],
  ["a string for a scalar", { a: "2", x: Float64Array.of(1) }, /k: a must be a number, not string/],
  ["an array for a scalar", { a: [2], x: Float64Array.of(1) }, /k: a must be a number, not object/],
  ["an empty vector", { a: 2, x: new Float64Array(0) }, /k: x is empty/],
];

describe("loose inputs to a kernel are RangeErrors naming the input", () => {
  it.each(LOOSE_KERNEL_INPUTS)("%s", (_what, inputs, message) => {
    expect(() => KERNEL(inputs as never)).toThrow(RangeError);
    expect(() => KERNEL(inputs as never)).toThrow(message);
  });
  it("a well-formed call still works", () => {
    expect(Array.from(KERNEL({ a: 2, x: Float64Array.of(1, 2) } as never) as Float64Array)).toEqual([2, 4]);
  });
  it("a missing size given by name is named too", () => {
    const k = compile("x: vector(n)\ny: vector(m)\nkernel z = sum(x)*ones(m)");
    expect(() => k({ x: Float64Array.of(1) } as never)).toThrow(/z: the size m must be a positive whole number, not undefined/);
  });
});

const LOOSE_VALUES: readonly [string, unknown, RegExp][] = [
  ["a string", "12", /x: expected a number, an array of numbers or an array of rows, not the string "12"/],
  ["a nested ragged list", [1, [2]], /x: entry 2 is an array, not a number/],
  ["an empty list", [], /x: an empty array has no entries/],
  ["null", null, /x: expected a number.*not null/],
  ["undefined", undefined, /x: expected a number.*not undefined/],
  ["a boolean", true, /x: expected a number.*not a boolean/],
  ["an object", { 0: 1 }, /x: expected a number.*not a object/],
  ["a string entry", [1, "2"], /x: entry 2 is the string "2", not a number/],
  ["a null entry", [1, null], /x: entry 2 is null, not a number/],
  ["a ragged matrix", [[1, 2], [3]], /x: row 2 has 1 entries but row 1 has 2/],
  ["a matrix with a string entry", [[1, 2], [3, "4"]], /x: entry \[2, 2\] is the string "4", not a number/],
  ["a row that is a number", [[1, 2], 3], /x: row 2 is a number, not a list of numbers/],
  ["an empty first row", [[]], /x: row 1 is empty/],
];

describe("evaluate refuses loose values instead of coercing them", () => {
  it.each(LOOSE_VALUES)("%s", (_what, value, message) => {
    const run = (): unknown => evaluate("x: vector(n); sum(x)", { x: value as never });
    expect(run).toThrow(JacobiError);
    expect(run).toThrow(message);
  });
  it("numbers, flat lists and rows still work", () => {
    expect(evaluate("x: vector(n); sum(x)", { x: [1, 2] })).toBe(3);
    expect(evaluate("x: vector(n); sum(x)", { x: Float64Array.of(1, 2) })).toBe(3);
    expect(evaluate("A: matrix(2,2); sum(A)", { A: [[1, 2], [3, 4]] })).toBe(10);
    expect(evaluate("a*2", { a: 3 })).toBe(6);
  });
});

// --- CLI edges
const INVISIBLE = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff", "\u0085"];

describe("CLI edges", () => {
  it.each(["", " ", "\t"])("gen --out %j is a usage error (it would write at the filesystem root)", async (out) => {
    const file = join(dir, "ok.jacobi");
    writeFileSync(file, "x: vector(n)\nkernel k = exp(x)\n");
    const r = await cli("gen", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toBe("usage error: --out needs a directory name, not an empty text");
  });
  it.each(INVISIBLE.map((c) => [`U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`, c]))("%s is masked in the error's message and source line", async (_name, c) => {
    for (const text of [`x${c} + `, `x + ${c}y`, `# ${c}\n1 +`]) {
      const r = await cli("eval", text);
      expect(r.code).toBe(1);
      expect(r.stderr.includes(c), JSON.stringify(r.stderr)).toBe(false);
    }
  });
  it.each([
    ["[0, 1]", "1 ./ x", "[null,1]", "note: JSON has no Infinity: 1 entry is printed as null"],
    ["[-1, 1]", "log(x)", "[null,0]", "note: JSON has no NaN: 1 entry is printed as null"],
    ["[0, -0, 1]", "1 ./ x", "[null,null,1]", "note: JSON has no -Infinity or Infinity: 2 entries are printed as null"],
  ])("--format json at x = %s of %s says which entries are null", async (x, text, out, note) => {
    const r = await cli("eval", `x: vector(n); ${text}`, "--at", `x=${x}`, "--format", "json");
    expect(r.code).toBe(0);
    expect(r.out).toBe(out);
    expect(r.err).toBe(note);
  });
  it("--format json of finite numbers says nothing more", async () => {
    const r = await cli("eval", "x: vector(n); 2*x", "--at", "x=[1,2]", "--format", "json");
    expect([r.out, r.err]).toEqual(["[2,4]", ""]);
  });
  it.each([
    ["ones(4000, 4000)", "text"],
    ["ones(4000, 4000)", "json"],
    ["ones(10000001)", "text"],
    ["ones(3000000)/3", "text"],
  ])("the output limit applies to numbers: eval %s (%s)", async (text, format) => {
    const r = await cli("eval", text, "--format", format);
    expect(r.code).toBe(1);
    const message = "the result is too large to print (over 20000000 characters) for its entries";
    // under --format json an error is one JSON object on stderr
    if (format === "json") expect(JSON.parse(r.err)).toEqual({ error: { kind: "limit", line: null, col: null, message } });
    else expect(r.err).toBe(`error: ${message}`);
  });
});

describe("bounded reads", () => {
  it.each(["/dev/zero", "/dev/urandom"])("eval -f %s is refused after a bounded read", async (path) => {
    const r = await cli("eval", "-f", path);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: ${path} is too large (over 12000000 bytes; the limit is 4000000 characters)`);
  });
  it("gen /dev/zero is refused after a bounded read", async () => {
    const r = await cli("gen", "/dev/zero", "--out", dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: \/dev\/zero is too large/);
  });
  it("a file one byte over the byte bound is refused; at the bound it is read", async () => {
    const over = join(dir, "over.jacobi");
    writeFileSync(over, Buffer.alloc(12_000_001, 0x20));
    expect(() => readBoundedSync(over, "over")).toThrow("over is too large");
    await expect(readBounded(over, "over")).rejects.toThrow("over is too large");
    const at = join(dir, "at.jacobi");
    writeFileSync(at, Buffer.alloc(12_000_000, 0x20));
    expect(readBoundedSync(at, "at").length).toBe(12_000_000);
    expect((await readBounded(at, "at")).length).toBe(12_000_000);
  });
  it("reads multi-byte text whole", async () => {
    const path = join(dir, "utf8.jacobi");
    const text = "# ∂ é 😀\n1 + 1\n".repeat(50_000);
    writeFileSync(path, text);
    expect(readBoundedSync(path, "utf8")).toBe(text);
    expect(await readBounded(path, "utf8")).toBe(text);
  });
  it("a directory and a missing file are still plain errors", async () => {
    expect((await cli("eval", "-f", dir)).err).toBe(`error: cannot read ${dir}: it is a directory`);
    expect((await cli("eval", "-f", join(dir, "none"))).err).toBe(`error: cannot read ${join(dir, "none")}: no such file`);
  });
});

describe("a full disk", () => {
  const bin = fileURLToPath(new URL("../../bin/jacobi.js", import.meta.url));
  it.skipIf(!existsSync("/dev/full")).each([
    ["eval", "1+1"],
    ["jacobian", "x: vector(40); s = exp(x)/sum(exp(x))", "--wrt", "x", "--elementwise"],
  ])("jacobi %s … > /dev/full ends with one line and exit 1, no stack trace", async (...argv) => {
    const full = openSync("/dev/full", "w");
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ["ignore", full, "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    closeSync(full);
    expect(stderr).toBe("error: cannot write the output: no space left on the device\n");
    expect(code).toBe(1);
  });
});

describe("formatting is never what fails", () => {
  it.each([1_000, 3_000])("generate() of a %i-term kernel gives the module (left unformatted) that compile() also makes", async (n) => {
    const text = `x: vector(n)\nkernel k = ${Array.from({ length: n }, (_, k) => `exp(${k + 1}*x)`).join(" + ")}`;
    const code = await generate(text);
    expect(code.split("\n")[0]).toBe("// Left as generated, not formatted: a statement has more than 400 operators.");
    expect(code).toContain("export function k(");
    const x = Float64Array.of(-3, -4);
    const want = Array.from(x, (v) => Array.from({ length: n }, (_, k) => Math.exp((k + 1) * v)).reduce((a, b) => a + b, 0));
    Array.from(compile(text)({ x } as never) as Float64Array).forEach((got, i) => expect(Math.abs(got - want[i]!)).toBeLessThan(1e-12 * want[i]!));
  });
  it("a 100-term kernel is still formatted", async () => {
    const code = await generate(`x: vector(n)\nkernel k = ${Array.from({ length: 100 }, (_, k) => `exp(${k + 1}*x)`).join(" + ")}`);
    expect(code.startsWith("// Generated by jacobi")).toBe(true);
  });
});
