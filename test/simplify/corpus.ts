/**
 * The simplify corpus: cases from the public simplification tests of SymPy and mathjs,
 * translated into jacobi's language (`**` is `^`, `A` of SymPy's non-commutative tests is
 * the scalar `a`), each with the form that test expects, and where it came from. The
 * sources (read from the projects' repositories):
 *   sympy/simplify/tests/test_trigsimp.py, test_simplify.py, test_radsimp.py (SymPy, BSD)
 *   test/unit-tests/function/algebra/simplify.test.js (mathjs, Apache-2.0)
 * and the scalar forms of jacobi's issue 18 ("textbook forms"; its matrix forms are corpus-matrix.ts).
 * Left out: cases with I, coth, Subs, integrals, assumptions (integer n, positive x),
 * non-commutative products, and inverse-function cases that do not hold on all reals
 * (asin(sin(a)) = a only for |a| ≤ π/2).
 * corpus.test.ts checks every result against its expected form at random points and
 * measures how many are at most as large (src/print/size.ts).
 */
import { MATHJS_CASES } from "./corpus-mathjs.js";

export interface CorpusCase {
  readonly input: string;
  readonly expected: string;
  /** The file and test function the case comes from. */
  readonly from: string;
}

const TRIG = "sympy/simplify/tests/test_trigsimp.py";
const SIMP = "sympy/simplify/tests/test_simplify.py";
const RAD = "sympy/simplify/tests/test_radsimp.py";

/** Cases of one source test, from [input, expected] rows (a declaration: corpus-mathjs.ts uses it while this module loads). */
export function cases(from: string, rows: readonly (readonly [string, string])[]): CorpusCase[] {
  return rows.map(([input, expected]) => ({ input, expected, from }));
}

/** The corpus's groups, by source: the README's table has a row for each. */
export const CORPUS: Readonly<Record<"sympy trigsimp" | "sympy simplify, radsimp" | "mathjs simplify" | "issue 18, scalar forms", readonly CorpusCase[]>> = {
  "sympy trigsimp": [
    ...cases(`${TRIG} test_trigsimp1`, [
      ["1 - sin(x)^2", "cos(x)^2"],
      ["1 - cos(x)^2", "sin(x)^2"],
      ["sin(x)^2 + cos(x)^2", "1"],
      ["1 + tan(x)^2", "1/cos(x)^2"],
      ["1/cos(x)^2 - 1", "tan(x)^2"],
      ["1/cos(x)^2 - tan(x)^2", "1"],
      ["1 + cot(x)^2", "1/sin(x)^2"],
      ["1/sin(x)^2 - 1", "1/tan(x)^2"],
      ["1/sin(x)^2 - cot(x)^2", "1"],
      ["5*cos(x)^2 + 5*sin(x)^2", "5"],
      ["5*cos(x/2)^2 + 2*sin(x/2)^2", "3*cos(x)/2 + 7/2"],
      ["sin(x)/cos(x)", "tan(x)"],
      ["2*tan(x)*cos(x)", "2*sin(x)"],
      ["cot(x)^3*sin(x)^3", "cos(x)^3"],
      ["y*tan(x)^2/sin(x)^2", "y/cos(x)^2"],
      ["cot(x)/cos(x)", "1/sin(x)"],
      ["sin(x + y) + sin(x - y)", "2*sin(x)*cos(y)"],
      ["sin(x + y) - sin(x - y)", "2*sin(y)*cos(x)"],
      ["cos(x + y) + cos(x - y)", "2*cos(x)*cos(y)"],
      ["cos(x + y) - cos(x - y)", "-2*sin(x)*sin(y)"],
      ["tan(x + y) - tan(x)/(1 - tan(x)*tan(y))", "sin(y)/(-sin(y)*tan(x) + cos(y))"],
      ["sinh(x + y) + sinh(x - y)", "2*sinh(x)*cosh(y)"],
      ["sinh(x + y) - sinh(x - y)", "2*sinh(y)*cosh(x)"],
      ["cosh(x + y) + cosh(x - y)", "2*cosh(x)*cosh(y)"],
      ["cosh(x + y) - cosh(x - y)", "2*sinh(x)*sinh(y)"],
      ["tanh(x + y) - tanh(x)/(1 + tanh(x)*tanh(y))", "sinh(y)/(sinh(y)*tanh(x) + cosh(y))"],
      ["cos(0.12345)^2 + sin(0.12345)^2", "1"],
      ["log(2*sin(x)^2 + 2*cos(x)^2)", "log(2)"],
    ]),
    ...cases(`${TRIG} test_trigsimp1a`, [
      ["sin(2)^2*cos(3)*exp(2)/cos(2)^2", "tan(2)^2*cos(3)*exp(2)"],
      ["tan(2)^2*cos(3)*exp(2)*cos(2)^2", "sin(2)^2*cos(3)*exp(2)"],
      ["cot(2)*cos(3)*exp(2)*sin(2)", "cos(3)*exp(2)*cos(2)"],
      ["tan(2)*cos(3)*exp(2)/sin(2)", "cos(3)*exp(2)/cos(2)"],
      ["cot(2)*cos(3)*exp(2)/cos(2)", "cos(3)*exp(2)/sin(2)"],
      ["cot(2)*cos(3)*exp(2)*tan(2)", "cos(3)*exp(2)"],
      ["sinh(2)*cos(3)*exp(2)/cosh(2)", "tanh(2)*cos(3)*exp(2)"],
      ["tanh(2)*cos(3)*exp(2)*cosh(2)", "sinh(2)*cos(3)*exp(2)"],
      ["tanh(2)*cos(3)*exp(2)/sinh(2)", "cos(3)*exp(2)/cosh(2)"],
    ]),
    ...cases(`${TRIG} test_trigsimp2`, [
      ["cos(x)^2*sin(y)^2 + cos(x)^2*cos(y)^2 + sin(x)^2", "1"],
      ["sin(x)^2*sin(y)^2 + sin(x)^2*cos(y)^2 + cos(x)^2", "1"],
    ]),
    ...cases(`${TRIG} test_issue_4373`, [["2*sin(x)^2 + 2*cos(x)^2", "2"]]),
    ...cases(`${TRIG} test_trigsimp3`, [
      ["sin(x)^2/cos(x)^2", "tan(x)^2"],
      ["sin(x)^3/cos(x)^3", "tan(x)^3"],
      ["sin(x)^10/cos(x)^10", "tan(x)^10"],
      ["cos(x)/sin(x)", "1/tan(x)"],
      ["cos(x)^2/sin(x)^2", "1/tan(x)^2"],
      ["cos(x)^10/sin(x)^10", "1/tan(x)^10"],
      ["tan(x)", "tan(x)"],
    ]),
    ...cases(`${TRIG} test_issue_4661`, [
      ["-4*sin(x)^4 + 4*cos(x)^4 - 8*cos(x)^2", "-4"],
      ["(sin(x)^6 + 4*sin(x)^4*cos(x)^2 + 5*sin(x)^2*cos(x)^4 + 2*cos(x)^6)/(-sin(x)^2 - 2*cos(x)^2)", "-1"],
      ["-2*cos(x)^2 + cos(x)^4 - sin(x)^4", "-1"],
      ["(-sin(x)^3/4)*cos(x) + (cos(x)^3/4)*sin(x) - sin(2*x)*cos(2*x)/8", "0"],
    ]),
    ...cases(`${TRIG} test_issue_4494`, [["sin(a)^2*sin(b)^2 + cos(a)^2*cos(b)^2*tan(a)^2 + cos(a)^2", "1"]]),
    ...cases(`${TRIG} test_issue_4775`, [
      ["sin(x)*cos(y) + cos(x)*sin(y)", "sin(x + y)"],
      ["sin(x)*cos(y) + cos(x)*sin(y) + 3", "sin(x + y) + 3"],
    ]),
    ...cases(`${TRIG} test_issue_4280`, [
      ["cos(x)^2 + cos(y)^2*sin(x)^2 + sin(y)^2*sin(x)^2", "1"],
      ["a^2*sin(x)^2 + a^2*cos(y)^2*cos(x)^2 + a^2*cos(x)^2*sin(y)^2", "a^2"],
      ["a^2*cos(y)^2*sin(x)^2 + a^2*sin(y)^2*sin(x)^2", "a^2*sin(x)^2"],
    ]),
    ...cases(`${TRIG} test_issue_3210`, [
      ["sin(2)*cos(3) + sin(3)*cos(2)", "sin(5)"],
      ["-sin(2)*sin(3) + cos(2)*cos(3)", "cos(5)"],
      ["sin(2)*cos(3) - sin(3)*cos(2)", "-sin(1)"],
      ["sin(2)*sin(3) + cos(2)*cos(3)", "cos(1)"],
      ["sin(2)*sin(3) + cos(2)*cos(3) + cos(2)", "cos(1) + cos(2)"],
      ["sinh(2)*cosh(3) + sinh(3)*cosh(2)", "sinh(5)"],
      ["sinh(2)*sinh(3) + cosh(2)*cosh(3)", "cosh(5)"],
    ]),
    ...cases(`${TRIG} test_trigsimp_issues`, [
      ["sin(x)^3 + cos(x)^2*sin(x)", "sin(x)"],
      ["sin(x)^y/cos(x)^y", "sin(x)^y/cos(x)^y"],
      ["sin(x)^2/cos(x)^2", "tan(x)^2"],
      ["sin(1)^y/cos(1)^y", "tan(1)^y"],
      ["cos(x)^2/sin(x)^2*cos(y)^2/sin(y)^2", "1/tan(x)^2/tan(y)^2"],
      ["cos(x)/sin(x)*cos(x + y)/sin(x + y)", "1/(tan(x)*tan(x + y))"],
      ["cos(2)*(cos(3) + 1)^2*(cos(3) - 1)^2", "cos(2)*sin(3)^4"],
      ["-sin(x)^4 - 2*sin(x)^2*cos(x)^2 - cos(x)^4", "-1"],
    ]),
    ...cases(`${TRIG} test_trigsimp_issue_2515`, [
      ["x*cos(x)*tan(x)", "x*sin(x)"],
      ["-sin(x) + cos(x)*tan(x)", "0"],
    ]),
    ...cases(`${TRIG} test_trigsimp_issue_3826`, [["2*tan(x)/(1 - tan(x)^2)", "tan(2*x)"]]),
    ...cases(`${TRIG} test_trigsimp_noncommutative`, [
      ["a - a*sin(x)^2", "a*cos(x)^2"],
      ["a - a*cos(x)^2", "a*sin(x)^2"],
      ["a*sin(x)^2 + a*cos(x)^2", "a"],
      ["a + a*tan(x)^2", "a/cos(x)^2"],
      ["a/cos(x)^2 - a", "a*tan(x)^2"],
      ["a/cos(x)^2 - a*tan(x)^2", "a"],
      ["a + a*cot(x)^2", "a/sin(x)^2"],
      ["a/sin(x)^2 - a", "a/tan(x)^2"],
      ["a/sin(x)^2 - a*cot(x)^2", "a"],
      ["y*a*cos(x)^2 + y*a*sin(x)^2", "y*a"],
      ["a*sin(x)/cos(x)", "a*tan(x)"],
      ["a*tan(x)*cos(x)", "a*sin(x)"],
      ["a*cot(x)^3*sin(x)^3", "a*cos(x)^3"],
      ["y*a*tan(x)^2/sin(x)^2", "y*a/cos(x)^2"],
      ["a*cot(x)/cos(x)", "a/sin(x)"],
      ["a*sin(x + y) + a*sin(x - y)", "2*a*sin(x)*cos(y)"],
      ["a*sin(x + y) - a*sin(x - y)", "2*a*sin(y)*cos(x)"],
      ["a*cos(x + y) + a*cos(x - y)", "2*a*cos(x)*cos(y)"],
      ["a*cos(x + y) - a*cos(x - y)", "-2*a*sin(x)*sin(y)"],
      ["a*sinh(x + y) + a*sinh(x - y)", "2*a*sinh(x)*cosh(y)"],
      ["a*sinh(x + y) - a*sinh(x - y)", "2*a*sinh(y)*cosh(x)"],
      ["a*cosh(x + y) + a*cosh(x - y)", "2*a*cosh(x)*cosh(y)"],
      ["a*cosh(x + y) - a*cosh(x - y)", "2*a*sinh(x)*sinh(y)"],
      ["a*cos(0.12345)^2 + a*sin(0.12345)^2", "a"],
    ]),
    ...cases(`${TRIG} test_hyperbolic_simp`, [
      ["sinh(x)^2 + 1", "cosh(x)^2"],
      ["cosh(x)^2 - 1", "sinh(x)^2"],
      ["cosh(x)^2 - sinh(x)^2", "1"],
      ["1 - tanh(x)^2", "1/cosh(x)^2"],
      ["1 - 1/cosh(x)^2", "tanh(x)^2"],
      ["tanh(x)^2 + 1/cosh(x)^2", "1"],
      ["1/sinh(x)^2 + 1", "1/tanh(x)^2"],
      ["5*cosh(x)^2 - 5*sinh(x)^2", "5"],
      ["5*cosh(x/2)^2 - 2*sinh(x/2)^2", "3*cosh(x)/2 + 7/2"],
      ["sinh(x)/cosh(x)", "tanh(x)"],
      ["tanh(x)", "tanh(x)"],
      ["cosh(x)/sinh(x)", "1/tanh(x)"],
      ["2*tanh(x)*cosh(x)", "2*sinh(x)"],
      ["y*tanh(x)^2/sinh(x)^2", "y/cosh(x)^2"],
      ["log(2*cosh(x)^2 - 2*sinh(x)^2)", "log(2)"],
      ["sqrt(cosh(x)^2 - 1)", "sqrt(sinh(x)^2)"],
      ["cosh(x)^2*cosh(y)^2 - cosh(x)^2*sinh(y)^2 - sinh(x)^2", "1"],
      ["sinh(x)^2*sinh(y)^2 - sinh(x)^2*cosh(y)^2 + cosh(x)^2", "1"],
      ["2*cosh(x)^2 - 2*sinh(x)^2", "2"],
      ["sinh(x)^2/cosh(x)^2", "tanh(x)^2"],
      ["sinh(x)^3/cosh(x)^3", "tanh(x)^3"],
      ["sinh(x)^10/cosh(x)^10", "tanh(x)^10"],
      ["cosh(x)^3/sinh(x)^3", "1/tanh(x)^3"],
      ["cosh(x)^2/sinh(x)^2", "1/tanh(x)^2"],
      ["cosh(x)^10/sinh(x)^10", "1/tanh(x)^10"],
      ["x*cosh(x)*tanh(x)", "x*sinh(x)"],
      ["-sinh(x) + cosh(x)*tanh(x)", "0"],
      ["tan(x) - 1/cot(x)", "0"],
    ]),
    ...cases(`${TRIG} test_trigsimp_groebner`, [
      ["(4*sin(x)*cos(x) + 12*sin(x) + 5*cos(x)^3 + 21*cos(x)^2 + 23*cos(x) + 15)/(-sin(x)*cos(x)^2 + 2*sin(x)*cos(x) + 15*sin(x) + 7*cos(x)^3 + 31*cos(x)^2 + 37*cos(x) + 21)", "(5*sin(x) - 5*cos(x) + 1)/(8*sin(x) - 6*cos(x))"],
      ["sin(x)/cos(x)", "tan(x)"],
      ["cos(x)*sin(x)", "cos(x)*sin(x)"],
      ["(-sin(x) + 1)/cos(x) + cos(x)/(-sin(x) + 1)", "2/cos(x)"],
      ["(tanh(x) + tanh(y))/(1 + tanh(x)*tanh(y))", "tanh(x + y)"],
    ]),
    ...cases(`${TRIG} test_issue_2827_trigsimp_methods`, [["(x + 1)/(x + sin(x)^2 + cos(x)^2)", "1"]]),
    ...cases(`${TRIG} test_issue_15129_trigsimp_methods`, [
      ["sin(1/50)*sin(1/25) + cos(1/50)*cos(1/25)", "cos(1/50)"],
      ["sin(1/50)*cos(1/25) + cos(1/50)*sin(1/25)", "sin(3/50)"],
    ]),
    ...cases(`${TRIG} test_exptrigsimp`, [
      ["exp(x) + exp(-x)", "2*cosh(x)"],
      ["exp(x) - exp(-x)", "2*sinh(x)"],
      ["(2*exp(x) - 2*exp(-x))/(exp(x) + exp(-x))", "2*tanh(x)"],
      ["(2*exp(2*x) - 2)/(exp(2*x) + 1)", "2*tanh(x)"],
      ["cosh(x) - sinh(x)", "exp(-x)"],
      ["cosh(x) + sinh(x)", "exp(x)"],
      ["y*(exp(x) - exp(-x))/(exp(x) + exp(-x))", "y*tanh(x)"],
      ["(exp(x) + exp(-x))/(y*(exp(x) - exp(-x)))", "1/(y*tanh(x))"],
      ["exp(1) + exp(-1)", "2*cosh(1)"],
      ["exp(2) - exp(-2)", "2*sinh(2)"],
    ]),
    ...cases(`${TRIG} test_issue_21594`, [["exp(1/2) + exp(-1/2)", "2*cosh(1/2)"]]),
    ...cases(`${TRIG} test_trigsimp_issue_7761`, [["cosh(pi/4)", "cosh(pi/4)"]]),
  ],
  "sympy simplify, radsimp": [
    ...cases(`${SIMP} test_simplify_expr`, [
      ["1/x + 1/y", "(x + y)/(x*y)"],
      ["(4 + 4*x - 2*(2 + 2*x))/(2 + 2*x)", "0"],
      ["(-4*x*y^2 - 2*y^3 - 2*x^2*y)/(x + y)^2", "-2*y"],
      ["-x - y - (x + y)^(-1)*y^2 + (x + y)^(-1)*x^2", "-2*y"],
      ["(x + x*y)/x", "1 + y"],
      ["(exp(x) + y*exp(x))/exp(x)", "1 + y"],
      ["-x + y/(z + t) + z*x/(z + t) + z*a/(z + t) + t*x/(z + t)", "(y + a*z)/(z + t)"],
      ["a/(1 + y/x)", "x*a/(x + y)"],
      ["a*(1/x + 1/y)", "a/x + a/y"],
      ["log(2) + log(3)", "log(6)"],
      ["sin(x)^2 + cos(x)^2", "1"],
      ["x + x*y", "x*(1 + y)"],
      ["2^(2 + x)/4", "2^x"],
    ]),
    ...cases(`${SIMP} test_simplify_fail1`, [["(x + y)^2/(-4*x*y^2 - 2*y^3 - 2*x^2*y)", "1/(-2*y)"]]),
    ...cases(`${SIMP} test_issue_3557 (signs)`, [
      ["-x/-y", "x/y"],
      ["-x/y", "-x/y"],
      ["x/y", "x/y"],
      ["x/-y", "-x/y"],
      ["-a*x/(-y - b)", "a*x/(b + y)"],
    ]),
    ...cases(`${SIMP} test_issue_5652`, [["(4*x + 6*exp(y))/(2*x + 3*exp(y))", "2"]]),
    ...cases(`${SIMP} test_issue_7263`, [["x^2 - x^2", "0"]]),
    ...cases(`${SIMP} test_inverse`, [
      ["exp(log(x))", "x"],
      ["log(exp(x))", "x"],
    ]),
    ...cases(`${SIMP} test_abs`, [
      ["abs(x)/abs(x^2)", "1/abs(x)"],
      ["5*abs((x^2 - 1)/(x - 1))", "5*abs(x + 1)"],
      ["sign(x)*abs(x)", "x"],
    ]),
    ...cases(`${RAD} test_radsimp`, [
      ["1/(1 + sqrt(2))", "-1 + sqrt(2)"],
      ["1/(sqrt(2) + sqrt(3))", "-sqrt(2) + sqrt(3)"],
      ["(y^2 - x)/(y - sqrt(x))", "sqrt(x) + y"],
      ["-(y^2 - x)/(y - sqrt(x))", "-(sqrt(x) + y)"],
      ["1/sqrt(5 + 2*sqrt(6))", "-sqrt(2) + sqrt(3)"],
    ]),
  ],
  "mathjs simplify": MATHJS_CASES,
  "issue 18, scalar forms": cases("jacobi issue 18, scalar forms", [
    ["x^2*y^3*z - y*z*x^2*y", "x^2*y^2*z*(y - 1)"],
    ["y*x^2 + 2*x^2", "x^2*(y + 2)"],
    ["(-1)/(-(y + z))", "1/(y + z)"],
    ["(1 + x)/(-y)", "-(x + 1)/y"],
    ["(x + y)^2/(-2*x^2*y - 4*x*y^2 - 2*y^3)", "-1/(2*y)"],
    ["sqrt(1/sqrt((1/2)^x))", "2^(x/4)"],
    ["sin(asin(u))", "u"],
    ["cos(asin(u))", "sqrt(1 - u^2)"],
    ["cos(acos(u))", "u"],
    ["cos(pi)", "-1"],
    ["sin(x)^2 + cos(x)^2", "1"],
  ]),
};
