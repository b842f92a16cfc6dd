/** The main job's report as text: what was computed, beside what the notebook printed. */
import { formatValue, type Value } from "../eval/value.js";
import { exprText } from "../print/text-lines.js";
import { toText } from "../print/text.js";
import { NOTEBOOK_FILE } from "./reference.js";
import { AGREEMENT_TOLERANCE, FD_TOLERANCE, type Comparison, type NotebookReport } from "./run.js";

const num = (v: Value): string => formatValue(v, "text", 8).replace(/\n/g, "\n" + " ".repeat(16));
const sci = (x: number): string => (x === 0 ? "0" : x.toExponential(1));
const indent = (text: string, pad: string): string => text.split("\n").map((l) => pad + l).join("\n");

export const agrees = (c: Comparison): boolean => c.difference !== undefined && c.difference <= AGREEMENT_TOLERANCE;
export const confirmed = (c: Comparison): boolean => c.fdError === undefined || c.fdError <= FD_TOLERANCE;

function row(c: Comparison): string[] {
  const lines = [`  ${c.label} = ${c.formula}`, `      jacobi    ${num(c.value)}`];
  if (c.printed) {
    const verdict = agrees(c) ? "agrees" : `DIFFERS (relative difference ${sci(c.difference!)})`;
    lines.push(`      notebook  ${num(c.printed)}   ${verdict}`);
  } else lines.push("      notebook  (computed, not printed)");
  if (c.fdError !== undefined) lines.push(`      finite differences ${confirmed(c) ? "confirm" : "DO NOT confirm"} jacobi (max relative error ${sci(c.fdError)})`);
  return lines;
}

function wrongSection(r: NotebookReport): string[] {
  const wrong = [...r.network.rows, r.network.newOutput].filter((c) => c.printed && !agrees(c));
  if (wrong.length === 0) return ["  Every number the notebook printed agrees with jacobi."];
  const lines = [`  ${wrong.length} printed result${wrong.length === 1 ? "" : "s"} of the notebook ${wrong.length === 1 ? "is" : "are"} wrong: ${wrong.map((c) => c.label).join("; ")}.`];
  const replays = (c: Comparison): boolean => c.replayed?.difference !== undefined && c.replayed.difference <= AGREEMENT_TOLERANCE;
  const first = wrong.find((w) => w.replayed && w !== r.network.newOutput);
  if (first) {
    const rep = first.replayed!;
    lines.push(
      `  The first is ${first.label}: the notebook computes it as \`${first.code}\`.`,
      `  Replayed with jacobi's values, ${rep.formula} = ${num(rep.value)}${replays(first) ? " — exactly the notebook's number," : ","}`,
      `  so the arithmetic is right and the formula is wrong. jacobi derives ${first.label} = ${first.formula},`,
      "  and finite differences confirm it. dL/db_1 and dL/dW_1 are computed from it.",
    );
  }
  const out = r.network.newOutput;
  if (out.replayed && !agrees(out)) {
    lines.push(
      `  The new output has a second error of its own: cell 33 is \`${out.code}\`, where the`,
      "  parenthesis closes after b_2new, so b_2new is added before the product with W_2new.",
      `  Replayed with the notebook's printed gradients, ${out.replayed.formula}`,
      `  gives ${num(out.replayed.value)}${replays(out) ? " — exactly the notebook's number" : " (not the notebook's number)"}; jacobi's`,
      "  new output above uses its own gradients and the parenthesis in its place.",
    );
  }
  return lines;
}

export function formatNotebookReport(r: NotebookReport): string {
  const out: string[] = [`jacobi reproduces ${NOTEBOOK_FILE} from formula strings.`, ""];
  out.push("1. The softmax Jacobian for x1, x2, x3", "", indent(r.softmax.program, "  program: "), "", "  element-wise (SymPy's softmax.jacobian(x_m)):");
  out.push(indent(exprText(r.softmax.elementwise), "    "), "", `  matrix form: ${toText(r.softmax.matrix)}`);
  out.push(`  the two agree at x = net_2 (max relative difference ${sci(r.softmax.difference)})`, "");
  out.push("2. One step of backprop with the notebook's values", "", "  program:", indent(r.network.program, "    "), "");
  for (const c of r.network.rows) out.push(...row(c));
  out.push(...row(r.network.newOutput), "", "  What the notebook got wrong:", ...wrongSection(r), "");
  out.push("3. The VJP of the matrix-vector product", "", `  program: ${r.matvec.program}`, `  vjp by W with cotangent g: ${toText(r.matvec.vjp)}`);
  out.push("  the notebook's view, (W*x).jacobian(W.reshape(9, 1)).T * g:", indent(exprText(r.matvec.flattened).replace(/, /g, ",\n "), "    "));
  out.push("  reshaped to 3×3:", indent(exprText(r.matvec.reshaped), "    "));
  out.push(`  ${r.matvec.same ? "the same entries as" : "DIFFERENT from"} the element-wise g*x'`);
  return out.join("\n");
}
