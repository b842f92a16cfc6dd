/** `eval`, `simplify` and `latex`: a program's value, its simplified form, its LaTeX. */
import * as B from "../../core/build.js";
import { subjectOf } from "../../core/program.js";
import { evaluateProgram } from "../../eval/evaluate.js";
import { toLatex } from "../../print/latex.js";
import { simplify } from "../../simplify/simplify.js";
import type { Command } from "../command.js";
import { cliBinding, FORMAT_OPTION, formatOf, loadBindings, loadProgram, precisionOf, PROGRAM_OPTIONS, showValue, VALUE_OPTIONS } from "../common.js";
import { showExpr } from "../show.js";

/** The subject's expression: a definition's right-hand side when the subject is its name. */
function subjectExpr(program: ReturnType<typeof loadProgram>) {
  const s = subjectOf(program);
  return program.subjectName ? program.defs.get(program.subjectName)!.expr : s;
}

export const evalCommand: Command = {
  name: "eval",
  summary: "evaluate a program at values given with --at",
  usage: "jacobi eval PROGRAM --at NAME=VALUE… [--format text|json|latex]",
  options: [...PROGRAM_OPTIONS, ...VALUE_OPTIONS, FORMAT_OPTION],
  examples: [
    "jacobi eval 'W*x + b' --decl 'W: matrix(3,2)' --decl 'x: vector(2)' --decl 'b: vector(3)' --at 'W=[[1,0.2],[-1,3],[0.5,0.5]]' --at 'x=[0.2,-0.3]' --at 'b=[0.1,0.2,0]' --format json",
    "jacobi eval \"x: vector(n); x'*x\" --at 'x=[1,2,3]'",
  ],
  run(args, io) {
    const program = loadProgram(args, io);
    const value = evaluateProgram(program, loadBindings(args), cliBinding(io));
    io.out(showValue(value, formatOf(args), precisionOf(args)));
  },
};

export const simplifyCommand: Command = {
  name: "simplify",
  summary: "print a program's value simplified",
  usage: "jacobi simplify PROGRAM [--format text|latex|json]",
  options: [...PROGRAM_OPTIONS, FORMAT_OPTION],
  examples: ["jacobi simplify 'x*y + y*x'", "jacobi simplify 'exp(log(a)) + sin(t)^2 + cos(t)^2'"],
  run(args, io) {
    const program = loadProgram(args, io);
    io.out(showExpr(simplify(subjectExpr(program)), formatOf(args)));
  },
};

export const latexCommand: Command = {
  name: "latex",
  summary: "print a program's value as LaTeX (definitions as s = …)",
  usage: "jacobi latex PROGRAM",
  options: [...PROGRAM_OPTIONS],
  examples: ["jacobi latex 'x: vector(n); s = exp(x)/sum(exp(x))'"],
  run(args, io) {
    const program = loadProgram(args, io);
    const body = toLatex(subjectExpr(program));
    io.out(program.subjectName ? `${toLatex(B.sym(program.subjectName))} = ${body}` : body);
  },
};
