import { it } from "vitest";
import { readFileSync } from "node:fs";
import { backprop } from "../../src/reverse/backprop.js";
import { parseProgram, subjectOf } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
it("scratch", () => {
  const p = parseProgram(readFileSync("/tmp/ln.jacobi", "utf8"));
  const bp = backprop(p, subjectOf(p), ["x"], { kind: "vjp", cotangent: "g" });
  console.log("RESULT", toText(bp.named.get("x")!), "|", toText(bp.inline.get("x")!));
  for (const b of bp.bindings) console.log("RESULT where", toText(b.name), "=", toText(b.expr));
});
