/**
 * `jacobi derive`: a derivative recorded step by step — definitions, the index form,
 * each differentiation rule, each simplification, the matrix form — printed as text
 * or as `align*` LaTeX, or written as a LaTeX document (--tex) and a self-contained
 * HTML page rendered with KaTeX (--html).
 */
import { shapeOfName, type DerivativeSpec } from "../../calculus/derive.js";
import { DERIVATIVE_KINDS, type DerivativeKind } from "../../core/derivative-kinds.js";
import { type Program, subjectOf } from "../../core/program.js";
import { describeShape, SCALAR } from "../../core/shape.js";
import { recordDerivation } from "../../derive/derivation.js";
import { derivationPage } from "../../derive/html.js";
import { derivationDocument } from "../../derive/tex.js";
import { derivationLatex, derivationText } from "../../derive/text.js";
import { all, choice, single, UsageError, type OptionSpec, type ParsedArgs } from "../args.js";
import type { Command } from "../command.js";
import { withDirections, loadProgram, PROGRAM_OPTIONS, wrtNames } from "../common.js";

const OPTIONS: readonly OptionSpec[] = [
  ...PROGRAM_OPTIONS,
  { name: "wrt", value: "NAME[,NAME…]", help: "the values to differentiate by (one part of the derivation each)" },
  { name: "kind", value: "KIND", help: `the derivative: ${DERIVATIVE_KINDS.join(", ")} (default: vjp with --cotangent, jvp with --tangent, grad of a scalar, else jacobian)` },
  { name: "tangent", value: "NAME", help: "jvp: the tangent (shaped like the --wrt value)" },
  { name: "cotangent", value: "NAME", help: "vjp: the cotangent (shaped like the program's value)" },
  { name: "tex", value: "FILE", help: "write a standalone LaTeX document (amsmath align*) to FILE" },
  { name: "html", value: "FILE", help: "write a self-contained HTML page (KaTeX, fonts inlined; opens offline) to FILE" },
  { name: "format", value: "text|latex", help: "what to print without --tex/--html: lines 'rule: lhs = rhs' (default), or the align* LaTeX" },
];

/** The derivative asked for, or the one that fits the shapes. */
function kindOf(args: ParsedArgs, program: Program, wrt: string): DerivativeKind {
  const tangent = single(args, "tangent");
  const cotangent = single(args, "cotangent");
  const explicit = single(args, "kind");
  if (explicit !== undefined) {
    const kind = choice(args, "kind", DERIVATIVE_KINDS, "grad");
    if (kind === "jvp" && !tangent) throw new UsageError("--kind jvp needs --tangent NAME (a value shaped like the --wrt value)");
    if (kind === "vjp" && !cotangent) throw new UsageError("--kind vjp needs --cotangent NAME (a value shaped like the program's value)");
    return kind;
  }
  if (tangent && cotangent) throw new UsageError("give --tangent (jvp) or --cotangent (vjp), not both");
  if (cotangent) return "vjp";
  if (tangent) return "jvp";
  const value = subjectOf(program).shape;
  const x = shapeOfName(program, wrt, "--wrt");
  if (value === SCALAR) return "grad";
  if (value.cols === 1 && x.cols === 1) return "jacobian";
  if (x === SCALAR) return "diff";
  throw new UsageError(
    `the program's value is ${describeShape(value)} and ${wrt} is ${describeShape(x)}: there is no Jacobian matrix; give --cotangent NAME (vjp) or --tangent NAME (jvp)`,
  );
}

/** The specs, and the program with an undeclared tangent or cotangent declared. */
function specsOf(args: ParsedArgs, program: Program): { specs: DerivativeSpec[]; program: Program } {
  const wrt = single(args, "wrt");
  if (!wrt) throw new UsageError("derive needs --wrt NAME");
  const names = wrtNames(args, program);
  const tangent = single(args, "tangent");
  const cotangent = single(args, "cotangent");
  const specs = names.map((w) => ({ kind: kindOf(args, program, w), wrt: w, ...(tangent ? { tangent } : {}), ...(cotangent ? { cotangent } : {}) }));
  return { specs, program: withDirections(args, program, specs) };
}

export const deriveCommand: Command = {
  name: "derive",
  summary: "the derivation step by step, each step named by its rule (text, LaTeX, or --tex/--html files)",
  usage: "jacobi derive PROGRAM --wrt NAME[,NAME…] [--kind KIND] [--tangent V | --cotangent G] [--tex FILE] [--html FILE] [--format text|latex]",
  options: OPTIONS,
  examples: [
    "jacobi derive 'x: vector(n); s = exp(x)/sum(exp(x))' --wrt x",
    "jacobi derive 'x: vector(n); s = exp(x)/sum(exp(x))' --wrt x --format latex",
    "jacobi derive -f examples/network.jacobi --wrt W1,b1,W2,b2 --tex network.tex --html network.html",
    "jacobi derive 'W: matrix(m,n); x: vector(n); g: vector(m); W*x' --wrt W --cotangent g --html vjp.html",
  ],
  details:
    "Steps: the definitions and the index form, each differentiation rule that teaches something (the first ∂x[i]/∂x[a] = δ(i,a), the chain, product and quotient rules, linearity of Σ), each δ contraction with the identity it uses, the definitions recognized again (recognize s), and the matrix form. With --tex or --html the files are written and their paths printed.",
  run(args, io) {
    const { specs, program } = specsOf(args, loadProgram(args, io));
    const format = choice(args, "format", ["text", "latex"] as const, "text");
    const source = [...all(args, "decl"), program.source.text].join("\n");
    const derivation = recordDerivation(program, specs, { source });
    const tex = single(args, "tex");
    const html = single(args, "html");
    if (tex === undefined && html === undefined) {
      io.out(format === "latex" ? derivationLatex(derivation) : derivationText(derivation));
      return;
    }
    if (tex !== undefined) {
      io.writeFile(tex, derivationDocument(derivation));
      io.out(`wrote ${tex} (LaTeX)`);
    }
    if (html !== undefined) {
      io.writeFile(html, derivationPage(derivation));
      io.out(`wrote ${html} (HTML)`);
    }
  },
};
