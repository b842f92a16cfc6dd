/**
 * Results at a fixed size are exactly as short as at a symbolic one: every identity of
 * the cookbook table, with `vector(n)` / `matrix(m,n)` declared as `vector(1000)` /
 * `matrix(700,1000)`, prints the same text with n and m replaced by the numbers — no
 * unrolling, no size-dependent growth.
 */
import { describe, expect, it } from "vitest";
import { derive } from "../../src/calculus/derive.js";
import { subjectOf } from "../../src/core/program.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { DECLS, IDENTITIES, label, specOf } from "./identities.js";

const FIXED: ReadonlyMap<string, string> = new Map([
  ["n", "1000"],
  ["m", "700"],
]);
const fix = (text: string): string => text.replace(/\b[nm]\b/g, (s) => FIXED.get(s)!);

describe("fixed sizes print exactly like symbolic ones", () => {
  for (const identity of IDENTITIES) {
    it(`${label(identity)} at n = 1000, m = 700`, () => {
      const symbolic = parseProgram(`${DECLS}\n${identity.body}`);
      const fixed = parseProgram(`${fix(DECLS)}\n${identity.body}`);
      const a = derive(symbolic, subjectOf(symbolic), specOf(identity)).matrix;
      const b = derive(fixed, subjectOf(fixed), specOf(identity)).matrix;
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      expect(toText(b!)).toBe(fix(toText(a!)));
    });
  }

  it("the softmax Jacobian of vector(1000) is diag(s) - s*s'", () => {
    const p = parseProgram("x: vector(1000); s = exp(x)/sum(exp(x))");
    expect(toText(derive(p, subjectOf(p), { kind: "jacobian", wrt: "x" }).matrix!)).toBe("diag(s) - s*s'");
  });
});
