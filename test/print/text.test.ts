import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import { JacobiError } from "../../src/core/errors.js";
import type { Expr } from "../../src/core/expr.js";
import { LIMITS } from "../../src/core/limits.js";
import { shape } from "../../src/core/shape.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { DECLS, indexExpr, malformed, matrixExpr, NAMES, SCALAR_DECLS, scalarExpr } from "../arbitrary.js";

const EXAMPLE_DECLS = "a: scalar\nb: scalar\nc: scalar\ns: vector(n)\ng: vector(n)\nx: vector(n)\ny: vector(n)\nz: vector(n)\nA: matrix(n,n)\nW: matrix(m,n)\n";
const parse = (text: string, decls = EXAMPLE_DECLS): Expr => parseProgram(decls + text).subject!;

/** Parsing the printed text gives the very same node (the oracle is the parser). */
function roundTrips(e: Expr, decls: string): boolean {
  return parseProgram(decls + toText(e)).subject === e;
}

describe("toText: exact forms", () => {
  // [what is parsed, how it prints]
  const cases: [string, string][] = [
    ["2*a*b", "2*a*b"],
    ["2*x.*y", "2*x .* y"],
    ["diag(s) - s*s'", "diag(s) - s*s'"],
    ["-s*s' + diag(s)", "diag(s) - s*s'"],
    ["g*x'", "g*x'"],
    ["1 + x", "x + 1"],
    ["-x + 1", "1 - x"],
    ["-1 - x", "-x - 1"],
    ["s*sum(y) - y", "s*sum(y) - y"],
    ["A'*x + A*x", "A*x + A'*x"],
    ["W'*W*x", "W'*W*x"],
    ["z*(x'*y)", "(x'*y)*z"],
    ["x.*(A*y)", "(A*y) .* x"],
    ["a - 2*x", "a - 2*x"],
    ["a + -2*x", "a - 2*x"],
    ["x./y", "x ./ y"],
    ["a./x", "a ./ x"],
    ["a/b/c", "a/(b*c)"],
    ["x/2", "x/2"],
    ["3*x/2", "3*x/2"],
    ["-x/2", "-x/2"],
    ["x/(a + b)/2", "x/(a + b)/2"],
    ["(a + b)/(2*c)", "(a + b)/(2*c)"],
    ["-1*(a + b)/c", "-(a + b)/c"],
    ["-(a + b)/c", "-(a + b)/c"],
    ["-(a + b)*(a - b)", "-(a + b)*(a - b)"],
    ["(-a - b)*(a - b)", "(a - b)*(-a - b)"],
    ["b*a^-2", "b/a^2"],
    ["a^-1", "1/a"],
    ["x.^-1", "1 ./ x"],
    ["sqrt(x)", "sqrt(x)"],
    ["a^0.5", "sqrt(a)"],
    ["a^(-1/2)", "1/sqrt(a)"],
    ["x./sqrt(y)", "x ./ sqrt(y)"],
    ["a^1.5", "a^(3/2)"],
    ["a^b^c", "a^(b^c)"],
    ["a^(-b)", "a^(-b)"],
    ["-a^2", "-a^2"],
    ["(-a)^b", "(-a)^b"],
    ["(-1)^a", "(-1)^a"],
    ["0.5^a", "(1/2)^a"],
    ["(a + b)^2", "(a + b)^2"],
    ["x.^2", "x.^2"],
    ["x'.^2", "x'.^2"],
    ["2.^x", "2.^x"],
    ["exp(x).^a", "exp(x).^a"],
    ["sum(x)^2", "sum(x)^2"],
    ["(x'*y)^2", "(x'*y)^2"],
    ["1/(x'*y)", "1/(x'*y)"],
    ["x'", "x'"],
    ["W'", "W'"],
    ["diag(A)'", "diag(A)'"],
    ["exp(x) + log(a)", "exp(x) + log(a)"],
    ["sum(x)", "sum(x)"],
    ["diag(x)", "diag(x)"],
    ["eye(n)", "eye(n)"],
    ["ones(n)", "ones(n)"],
    ["ones(m,n)", "ones(m,n)"],
    ["ones(n)'", "ones(1,n)"],
    ["zeros(n)", "zeros(n)"],
    ["zeros(m,n)", "zeros(m,n)"],
    ["3*ones(n)", "3*ones(n)"],
    ["-ones(n)/2", "-ones(n)/2"],
    ["a + ones(n)", "ones(n)*(a + 1)"],
    ["[a, b, c]", "[a, b, c]"],
    ["[[a, b], [c, 1]]", "[[a, b], [c, 1]]"],
    ["[[a, b, c]]", "[[a, b, c]]"],
    ["[a, b]'", "[[a, b]]"],
    ["0.2", "1/5"],
    ["-3", "-3"],
    ["-0.2", "-1/5"],
    ["2^-1 * a", "a/2"],
  ];
  for (const [input, expected] of cases) {
    it(`${input}  ->  ${expected}`, () => {
      const e = parse(input);
      expect(toText(e)).toBe(expected);
      expect(parse(expected)).toBe(e);
    });
  }

  it("builder-made forms print as a person writes them", () => {
    const { a, b, x, y } = NAMES;
    expect(toText(B.pow(a, B.MINUS_ONE))).toBe("1/a");
    expect(toText(B.mul(B.num(2), x, y))).toBe("2*x .* y");
    expect(toText(B.mul(B.num(2), a, b))).toBe("2*a*b");
    expect(toText(B.div(x, y))).toBe("x ./ y");
    expect(toText(B.sqrt(x))).toBe("sqrt(x)");
    expect(toText(B.neg(B.pow(a, B.num(2))))).toBe("-a^2");
    expect(toText(B.matmul(x, B.transpose(y)))).toBe("x*y'");
  });

  it("a name T in an exponent keeps its parentheses (x^T is a transpose)", () => {
    const e = B.pow(NAMES.a, B.sym("T"));
    expect(toText(e)).toBe("a^(T)");
    expect(parse(toText(e), SCALAR_DECLS)).toBe(e);
  });

  it("index-level nodes print readably", () => {
    const body = B.mul(B.entry("W", ["i", "k"]), B.entry("x", ["k"]));
    expect(toText(B.entry("x", ["i"]))).toBe("x[i]");
    expect(toText(B.entry("W", ["i", "k1"]))).toBe("W[i,k1]");
    expect(toText(B.delta("j", "i"))).toBe("delta(i,j)");
    expect(toText(B.series("k", "n", body))).toBe("sum_{k1=1..n}(W[i,k1]*x[k1])");
    expect(toText(B.add(B.entry("y", ["i"]), B.series("k", "n", body)))).toBe("y[i] + sum_{k1=1..n}(W[i,k1]*x[k1])");
  });
});

describe("toText: round trip through the parser", () => {
  it("matrix level: parse(DECLS + toText(e)) is e (depth 4)", () => {
    fc.assert(
      fc.property(matrixExpr(), (e) => {
        expect(malformed(e)).toBeUndefined();
        expect(parseProgram(DECLS + toText(e)).subject).toBe(e);
      }),
      { seed: 20261129, numRuns: 4000 },
    );
  });

  it("matrix level, deeper expressions (depth 6)", () => {
    fc.assert(
      fc.property(matrixExpr({ maxDepth: 6 }), (e) => {
        expect(malformed(e)).toBeUndefined();
        expect(roundTrips(e, DECLS)).toBe(true);
      }),
      { seed: 7, numRuns: 1500 },
    );
  });

  it("scalar level", () => {
    fc.assert(
      fc.property(scalarExpr({ maxDepth: 5 }), (e) => {
        expect(roundTrips(e, SCALAR_DECLS)).toBe(true);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it("index-level expressions print without throwing", () => {
    fc.assert(
      fc.property(indexExpr(), (e) => {
        expect(toText(e).length).toBeGreaterThan(0);
      }),
      { seed: 3, numRuns: 1000 },
    );
  });
});

/** Spans of parentheses that group (not the ones of a call `f(…)`), as [open, close]. */
function groupingParens(text: string): [number, number][] {
  const out: [number, number][] = [];
  const open: number[] = [];
  for (let k = 0; k < text.length; k++) {
    if (text[k] === "(") open.push(k);
    else if (text[k] === ")") {
      const o = open.pop()!;
      const before = text[o - 1] ?? " ";
      if (!/[A-Za-z0-9_]/.test(before)) out.push([o, k]);
    }
  }
  return out;
}

describe("toText: parentheses only where needed", () => {
  it("removing any grouping parentheses of a scalar expression changes its meaning", () => {
    fc.assert(
      fc.property(scalarExpr({ maxDepth: 5 }), (e) => {
        const text = toText(e);
        for (const [o, c] of groupingParens(text)) {
          // exponents are parenthesized unless they are atoms (`a^(b^c)`, `a^(-b)`), by choice
          if (text[o - 1] === "^") continue;
          const without = text.slice(0, o) + text.slice(o + 1, c) + text.slice(c + 1);
          let same = false;
          try {
            same = parseProgram(SCALAR_DECLS + without).subject === e;
          } catch {
            same = false;
          }
          expect(same, `${text}: the parentheses at ${o} are not needed`).toBe(false);
        }
      }),
      { seed: 11, numRuns: 1500 },
    );
  });
});

describe("toText: limits", () => {
  it("refuses an expression deeper than the limit with a JacobiError", () => {
    let e: Expr = NAMES.a;
    for (let k = 0; k <= LIMITS.maxExprDepth; k++) e = B.call("exp", e);
    expect(() => toText(e)).toThrow(JacobiError);
  });

  it("prints an expression just under the limit without exhausting the stack", () => {
    let e: Expr = NAMES.x;
    let sines = 0;
    for (let k = 0; e.depth < LIMITS.maxExprDepth - 4; k++) {
      if (k % 2 === 0) {
        e = B.pow(B.add(e, NAMES.a), NAMES.b);
      } else {
        e = B.call("sin", e);
        sines++;
      }
    }
    const text = toText(e);
    expect(text.split("sin((a + ").length - 1).toBe(sines);
  });

  it("prints a long sum without recursion (a list, not a chain)", () => {
    const terms = Array.from({ length: 20000 }, (_, k) => B.sym(`v${k}`, shape("n", 1)));
    const text = toText(B.addAll(terms));
    expect(text.split(" + ").length).toBe(20000);
  });
});
