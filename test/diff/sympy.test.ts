/**
 * The derivative table against SymPy's: one python3 process differentiates every
 * expression and evaluates its derivative at several points; jacobi's derivatives are
 * evaluated at the same points. Without SymPy the test is skipped, and says so.
 */
import { describe, expect, it } from "vitest";
import type { Expr } from "../../src/core/expr.js";
import { Differentiator, symTarget } from "../../src/diff/derivative.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { scalarValue } from "../../src/eval/value.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { hasSympy, runSympy, SKIP_NOTE } from "../support/sympy.js";

/** [expression in x and y (jacobi syntax, which the SymPy side reads too), variable]. */
const TABLE: readonly [string, "x" | "y"][] = [
  ["exp(x)", "x"],
  ["log(x)", "x"],
  ["sqrt(x)", "x"],
  ["sin(x)", "x"],
  ["cos(x)", "x"],
  ["tan(x)", "x"],
  ["asin(x)", "x"],
  ["acos(x)", "x"],
  ["atan(x)", "x"],
  ["sinh(x)", "x"],
  ["cosh(x)", "x"],
  ["tanh(x)", "x"],
  ["sigmoid(x)", "x"],
  ["abs(x - y)", "x"],
  ["abs(x - y)", "y"],
  ["x^y", "x"],
  ["x^y", "y"],
  ["x^x", "x"],
  ["x^3 - 2*x^2 + 5", "x"],
  ["x^(-3/2)", "x"],
  ["x*y*sin(x)", "x"],
  ["x^2*sin(y)", "x"],
  ["x^2*sin(y)", "y"],
  ["(x + 1)/(x - 2)", "x"],
  ["sin(x)/(1 + cos(x)^2)", "x"],
  ["exp(sin(x^2))", "x"],
  ["log(1 + exp(-x))", "x"],
  ["sigmoid(x*y + 1)", "y"],
  ["tanh(log(x + y))", "x"],
  ["atan(y/x)", "x"],
  ["atan(y/x)", "y"],
  ["sqrt(x^2 + y^2)", "x"],
  ["asin(x*y)", "y"],
  ["acos(sqrt(x))", "x"],
  ["cosh(x)^2 - sinh(x)^2", "x"],
  ["exp(x)/(exp(x) + exp(y))", "x"],
  ["log(sigmoid(x))", "x"],
  ["x*log(x) - x", "x"],
  ["1/sqrt(1 + x^2*y)", "y"],
  ["tan(x*y)^2", "x"],
];

/** Points inside every entry's domain: 0 < x, y < 1 and x ≠ y (abs), x·y < 1 (asin). */
const POINTS: readonly { x: number; y: number }[] = [
  { x: 0.3, y: 0.6 },
  { x: 0.55, y: 0.45 },
  { x: 0.8, y: 0.9 },
  { x: 0.12, y: 0.71 },
];

const SCRIPT = `
data = json.load(sys.stdin)
out = []
for item in data["table"]:
    e = parse(item["expr"])
    d = sp.diff(e, var(item["wrt"]))
    out.append({"text": str(d), "values": [num(d, p) for p in data["points"]]})
print(json.dumps(out))
`;

function jacobiValues(e: Expr): number[] {
  return POINTS.map(
    (p) =>
      evaluate(e, {
        values: new Map([
          ["x", scalarValue(p.x)],
          ["y", scalarValue(p.y)],
        ]),
        sizes: new Map(),
      }).data[0]!,
  );
}

describe("derivatives against SymPy", () => {
  it("the table has every function of the language, powers, products, quotients and the chain rule", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    for (const fn of ["exp", "log", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "abs", "^"])
      expect(
        TABLE.some(([e]) => e.includes(fn)),
        fn,
      ).toBe(true);
  });

  it.skipIf(!hasSympy)(`${TABLE.length} derivatives agree with SymPy's at ${POINTS.length} points${SKIP_NOTE}`, () => {
    const sympy = runSympy<{ text: string; values: number[] }[]>(SCRIPT, { table: TABLE.map(([expr, wrt]) => ({ expr, wrt })), points: POINTS });
    expect(sympy).toHaveLength(TABLE.length);
    TABLE.forEach(([text, wrt], k) => {
      const d = new Differentiator(symTarget(wrt)).of(parseProgram(text).subject!);
      const ours = jacobiValues(d);
      ours.forEach((v, p) => {
        const theirs = sympy[k]!.values[p]!;
        expect(
          Math.abs(v - theirs),
          `d/d${wrt} ${text}: jacobi ${toText(d)} = ${v}, SymPy ${sympy[k]!.text} = ${theirs} at ${JSON.stringify(POINTS[p])}`,
        ).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(theirs)));
      });
    });
  });
});
