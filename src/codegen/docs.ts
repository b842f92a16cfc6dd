/**
 * JSDoc of generated kernels: what the kernel computes (text and LaTeX), the
 * definitions it uses, the inputs' and outputs' sizes, the stable forms used. All text
 * comes from jacobi's printers and passes through `commentText`, so it cannot end the
 * comment.
 */
import { children, type Expr } from "../core/expr.js";
import type { Program } from "../core/program.js";
import { describeShape, SCALAR, type Shape } from "../core/shape.js";
import { toLatex } from "../print/latex.js";
import { toText } from "../print/text.js";
import type { Dtype } from "./dtype.js";
import { commentText } from "./names.js";
import type { KernelSpec } from "./spec.js";
import type { StableKind } from "./stable.js";

/** What each stable form is called in the documentation. */
const STABLE_TEXT: { readonly [K in StableKind]: string } = {
  softmax: "softmax with the maximum subtracted first",
  lse: "log(sum(exp(u))) as log-sum-exp, max(u) + log(sum(exp(u - max(u))))",
  logsoftmax: "log(softmax(u)) as u - logsumexp(u)",
  logsigmoid: "log(sigmoid(u)) as -(max(-u, 0) + log1p(exp(-|u|)))",
  norm2: "norm2(u) = sqrt(sum(u.^2)) scaled by m = max |u|, as m * sqrt(sum((u/m).^2))",
  rowmax: "softmax and log-sum-exp of each row with the row's maximum subtracted first",
  colmax: "softmax and log-sum-exp of each column with the column's maximum subtracted first",
};

/** The definitions an expression uses, directly or through other definitions, in program order. */
export function definitionsUsed(program: Program, roots: readonly Expr[]): string[] {
  const used = new Set<string>();
  const seen = new Set<Expr>();
  const stack = [...roots];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    if (e.kind === "sym") {
      const def = program.defs.get(e.name);
      if (def && !used.has(e.name)) {
        used.add(e.name);
        stack.push(def.expr);
      }
    }
    for (const c of children(e)) stack.push(c);
  }
  return [...program.defs.keys()].filter((n) => used.has(n));
}

const shapeText = (s: Shape): string => (s === SCALAR ? "scalar" : describeShape(s));

export interface DocInput {
  readonly key: string;
  readonly shape: Shape;
  readonly batched: boolean;
}

export interface DocOptions {
  readonly dtype: Dtype;
  readonly inputs: readonly DocInput[];
  /** Sizes read from the inputs object. */
  readonly givenSizes: readonly string[];
  readonly stable: ReadonlySet<StableKind>;
  readonly outName: string | undefined;
}

/** The JSDoc block of a kernel (lines, without indentation). */
export function kernelDoc(spec: KernelSpec, o: DocOptions): string[] {
  const arrayType = o.dtype === "f32" ? "Float32Array" : "Float64Array";
  const lines: string[] = [];
  const add = (text = ""): void => {
    lines.push(text === "" ? " *" : ` * ${commentText(text)}`);
  };
  const program = spec.program;
  add(`${spec.name}: ${summary(spec)}`);
  if (spec.batch) {
    add("");
    add(`Batched: ${spec.batch.names.join(", ")} hold one row per sample (B rows, row-major); the other inputs are shared.`);
    add("Gradients and pullbacks of shared values, and a grad kernel's loss, are summed over the batch; other outputs have one row per sample.");
  }
  for (const out of spec.outputs) {
    add("");
    const label = spec.multi ? `${out.key} (${out.title}) = ` : "";
    add(`${label}${toText(out.expr)}`);
    add(`LaTeX: ${toLatex(out.expr)}`);
    if (out.index && out.index.indices.length > 0) {
      const ix = out.index.indices;
      add(`No matrix form: computed from the index notation by loop nests; the output is row-major over the free indices ${ix.join(", ")} (entry [${ix.join("][")}]).`);
    }
  }
  const defs = definitionsUsed(program, spec.outputs.map((x) => x.expr));
  if (defs.length > 0) {
    add("");
    add("where");
    for (const name of defs) {
      const def = program.defs.get(name)!;
      add(`  ${name} = ${toText(def.expr)}`);
      add(`  LaTeX: ${toLatex(def.expr)}`);
    }
  }
  // the program's `assume` statements: the outputs are written under them, and the kernel does not check them
  if (program.assumptions.length > 0) {
    add("");
    add(`Assuming ${program.assumptions.map((a) => `${toText(a.lhs)} = ${toText(a.rhs)}`).join(", ")} (the outputs are written under it; the kernel does not check it).`);
  }
  add("");
  const inputs = o.inputs.map((i) => `${i.key}: ${shapeText(i.shape)}${i.batched ? " per sample" : ""}`);
  add(`Sizes: ${inputs.length > 0 ? inputs.join(", ") : "no inputs"}${o.givenSizes.length > 0 ? `; sizes given by name: ${o.givenSizes.join(", ")}` : ""}.`);
  for (const out of spec.outputs) add(`Returns ${spec.multi ? `${out.key}: ` : ""}${returnsText(out, arrayType)}.`);
  if (o.stable.size > 0) add(`Numerically stable forms: ${[...o.stable].sort().map((k) => STABLE_TEXT[k]).join("; ")}.`);
  add("");
  add(`@param inputs the named inputs (${arrayType}s, matrices row-major; numbers for scalars)`);
  if (o.outName) add(`@param ${o.outName} optional preallocated output${spec.multi ? "s" : ""}, written and returned`);
  add(`@throws {RangeError} when an input's length does not fit the sizes (the message names the input)`);
  return ["/**", ...lines, " */"];
}

/** What an output is: a shape, or for more than two indices its dimensions and layout ("an m×k×n×k array (… row-major over i, j, a, b)"). */
function returnsText(out: KernelSpec["outputs"][number], arrayType: string): string {
  const ix = out.index?.indices ?? [];
  if (ix.length > 2) {
    const dims = ix.map((i) => String(out.index!.sizes.get(i)!));
    // "an m×k…", "an 8×…", "an 11×…"; "a k×…", "a 2×…"
    const an = /^([aefhilmnorsx]|8|11$|18$)/i.test(dims[0]!) ? "an" : "a";
    return `${an} ${dims.join("×")} array (${arrayType} of ${dims.join("*")} entries, row-major over ${ix.join(", ")})`;
  }
  return `${shapeText(out.shape)}${out.shape === SCALAR ? " (a number)" : ` (${arrayType}, row-major)`}`;
}

function summary(spec: KernelSpec): string {
  const c = spec.call;
  const of = c.op === "expr" ? "" : c.of.kind === "sym" ? c.of.name : toText(c.of);
  switch (c.op) {
    case "expr":
      return "the value below.";
    case "grad":
      return spec.multi ? `the value of ${of} and its gradients by ${c.wrt.join(", ")}.` : `the gradient of ${of} by ${c.wrt[0]}.`;
    case "jacobian":
      return `the Jacobian of ${of} by ${c.wrt.join(", ")}.`;
    case "hessian":
      return `the Hessian of ${of} by ${c.wrt.join(", ")}.`;
    case "vjp":
      return `the vector-Jacobian product (pullback) of the cotangent ${c.cotangent} through ${of}, by ${c.wrt.join(", ")}.`;
    case "jvp":
      return `the Jacobian-vector product (pushforward) of the tangent ${c.tangent} through ${of}, by ${c.wrt.join(", ")}.`;
  }
}
