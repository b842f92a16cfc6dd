/**
 * Names that are special in JavaScript (`__proto__`, `constructor`, `toString`,
 * `hasOwnProperty`, `valueOf`, …) are ordinary names in jacobi: as declared values,
 * undeclared scalars, definitions, sizes, `--at` names, `--decl`, `--wrt`, tangents and
 * cotangents, in the element-wise view, in printing and in evaluation, and through the
 * library API with values given as a JSON object.
 *
 * The oracle is renaming: each command is run with the plain name `u` and with the
 * special name, and the outputs must agree after renaming `u` (for numbers: exactly).
 */
import { describe, expect, it } from "vitest";
import { evaluate, grad, jacobian } from "../../src/api.js";
import { parseProgram } from "../../src/parse/parse.js";
import { toText } from "../../src/print/text.js";
import { checkRun, runJacobi } from "./harness.js";
import { SPECIAL_NAMES } from "./programs.js";

/** Renames the plain name `u` (and element-wise names u1, u2, …) in a command line or an output. */
const rename = (text: string, name: string): string => text.replace(/(?<![A-Za-z0-9_])u(?![A-Za-z_])/g, name);

/** Command lines over the name `u`; `u` is the only name whose order among others could matter. */
const TEMPLATES: readonly (readonly string[])[] = [
  // declared values, --at, evaluation
  ["eval", "u: vector(2); sum(u .* u)", "--at", "u=[1,2]", "--format", "json"],
  ["eval", "u: matrix(2,2); sum(u'*u)", "--at", "u=[[1,2],[3,4]]"],
  // an undeclared scalar
  ["eval", "u*u + 1", "--at", "u=3"],
  ["simplify", "u*u + u*u - 2*u"],
  // a definition
  ["eval", "x: vector(2); u = exp(x)/sum(exp(x)); sum(u)", "--at", "x=[0.5,1]"],
  ["jacobian", "x: vector(n); u = exp(x)/sum(exp(x)); u", "--wrt", "x"],
  ["grad", "x: vector(n); u = exp(x); sum(u)", "--wrt", "x"],
  // a size
  ["eval", "x: vector(u); sum(x)", "--at", "x=[1,2,3]"],
  ["eval", "x: vector(u); sum(x)*u", "--at", "u=3", "--at", "x=[1,2,3]"],
  ["grad", "x: vector(u); sum(x .* x)", "--wrt", "x"],
  // --wrt, the element-wise view
  ["grad", "u: vector(n); sum(exp(u))", "--wrt", "u"],
  ["jacobian", "u: vector(2); exp(u)", "--wrt", "u", "--elementwise"],
  ["hessian", "u: vector(2); sum(u .* u .* u)", "--wrt", "u", "--elementwise"],
  ["diff", "u^3", "--wrt", "u", "--at", "u=2"],
  ["diff", "sin(u)*u", "--wrt", "u"],
  // tangents and cotangents (numbers: the order of names in a printed product may differ)
  ["jvp", "x: vector(2); u: vector(2); exp(x)", "--wrt", "x", "--tangent", "u", "--at", "x=[0,1]", "--at", "u=[1,2]"],
  ["vjp", "x: vector(2); u: vector(2); exp(x)", "--wrt", "x", "--cotangent", "u", "--at", "x=[0,1]", "--at", "u=[1,2]"],
  ["jvp", "u: vector(2); v: vector(2); exp(u)", "--wrt", "u", "--tangent", "v", "--elementwise", "--at", "u=[0,1]", "--at", "v=[1,2]"],
  // --decl
  ["eval", "sum(u)", "--decl", "u: vector(2)", "--at", "u=[1,2]"],
  // LaTeX (its text is compared after renaming too)
  ["latex", "u: vector(n); s = exp(u)/sum(exp(u))"],
];

describe("JavaScript's special names are ordinary names", () => {
  for (const name of SPECIAL_NAMES) {
    it(`${name}: every command gives what it gives for a plain name`, async () => {
      for (const template of TEMPLATES) {
        const plain = await runJacobi(template);
        checkRun(plain);
        expect(plain.code, `${template.join(" ")}\n${plain.stderr}`).toBe(0);
        const argv = template.map((a) => rename(a, name));
        const special = await runJacobi(argv);
        checkRun(special);
        expect(special.code, `${argv.join(" ")}\n${special.stderr}`).toBe(0);
        // LaTeX escapes underscores and sets long names upright or italic: compare after undoing that
        const expected = template[0] === "latex" ? undefined : rename(plain.stdout, name);
        if (expected !== undefined) expect(special.stdout, argv.join(" ")).toBe(expected);
        else expect(special.stdout.replace(/\\_/g, "_"), argv.join(" ")).toContain(name);
      }
    });

    it(`${name}: the library API reads values from a JSON object and differentiates by the name`, () => {
      const values = JSON.parse(`{"${name}": [1, 2]}`) as Record<string, number[]>;
      expect(Object.keys(values)).toEqual([name]);
      expect(evaluate(`${name}: vector(n); sum(${name} .* ${name})`, values)).toBe(5);
      expect(toText(grad(`${name}: vector(n); sum(exp(${name}))`, name))).toBe(`exp(${name})`);
      expect(toText(jacobian(`x: vector(n); ${name} = exp(x)/sum(exp(x)); ${name}`, "x"))).toBe(`diag(${name}) - ${name}*${name}'`);
      const program = parseProgram(`${name}: scalar\ny = ${name} + 1`);
      expect(program.decls.get(name)?.name).toBe(name);
      expect(program.defs.has("y")).toBe(true);
    });

    it(`${name}: errors name it like any other name`, async () => {
      const twice = await runJacobi(["eval", `${name} = 1; ${name} = 2; ${name}`]);
      expect(twice.stderr).toContain(`'${name}' is defined twice (first at 1:1)`);
      const missing = await runJacobi(["eval", `${name}: vector(n); sum(${name})`]);
      expect(missing.stderr).toContain(`no value for '${name}'; bind it with --at ${name}=…`);
      const stranger = await runJacobi(["eval", "1", "--at", `${name}=1`]);
      expect(stranger.stderr).toContain(`note: --at ${name}: the program does not use '${name}'`);
      const wrt = await runJacobi(["grad", "x^2", "--wrt", name]);
      expect(wrt.stderr).toBe(`error: --wrt '${name}' does not occur in the program\n`);
    });
  }
});
