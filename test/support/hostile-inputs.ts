/**
 * Hostile inputs and the exact answer each must get from the `jacobi` command: exit
 * status, error kind, where the error points (`LINE:COL`, with its source's label when
 * that is not the program) and the message text — or, for exit 0, the exact output.
 * A message or output may be a RegExp where the exact text depends on the machine.
 */
import type { ErrorKind } from "../../src/core/errors.js";

export interface HostileCase {
  /** What the input is. */
  readonly what: string;
  /** The arguments after `jacobi`. `$FILE` stands for the path of `file`, written to a temp dir. */
  readonly argv: readonly string[];
  /** Contents of a file to pass with -f. */
  readonly file?: string;
  /** Standard input (read by `-f -`). */
  readonly stdin?: string;
  readonly exit: 0 | 1 | 2;
  /** The JacobiError's kind (exit 1), or "usage" (exit 2). */
  readonly kind?: ErrorKind;
  /** `LINE:COL` (or `LABEL: LINE:COL`) of an error with a position; absent for errors without one. */
  readonly at?: string | RegExp;
  /** The error message (after `error: [LABEL: ]LINE:COL: ` or `usage error: `). */
  readonly message?: string | RegExp;
  /** Exit 0: standard output without its final newline. */
  readonly output?: string | RegExp;
}

const EXPECTED = "expected '(' or '+' or '-' or '[' or a name or a number";
const TEN_THOUSAND_NINES = "9".repeat(10_000);

export const HOSTILE_CASES: readonly HostileCase[] = [
  // --- unbalanced brackets
  { what: "an unclosed parenthesis", argv: ["eval", "(1 + 2"], exit: 1, kind: "syntax", at: "1:1", message: "'(' is never closed" },
  { what: "a stray closing parenthesis", argv: ["eval", "1 + 2)"], exit: 1, kind: "syntax", at: "1:6", message: "unmatched ')'" },
  { what: "an unclosed bracket", argv: ["eval", "[1, 2"], exit: 1, kind: "syntax", at: "1:1", message: "'[' is never closed" },
  { what: "mismatched brackets", argv: ["eval", "(1, 2]"], exit: 1, kind: "syntax", at: "1:6", message: "']' does not close '(' (expected ')')" },
  { what: "indexing, which the language does not have", argv: ["eval", "x: vector(2); x[1]"], exit: 1, kind: "syntax", at: "1:16", message: "unexpected '['" },
  { what: "';' inside brackets", argv: ["eval", "[1; 2]"], exit: 1, kind: "syntax", at: "1:3", message: "';' inside brackets: separate entries with ',' (rows of a matrix are [[…], […]])" },
  // --- stray operators
  { what: "a trailing operator", argv: ["eval", "1 +"], exit: 1, kind: "syntax", at: "1:3", message: `unexpected end of input after '+'; ${EXPECTED}` },
  { what: "a leading binary operator", argv: ["eval", "* 2"], exit: 1, kind: "syntax", at: "1:1", message: `unexpected '*'; ${EXPECTED}` },
  { what: "a doubled operator", argv: ["eval", "1 ** 2"], exit: 1, kind: "syntax", at: "1:4", message: `unexpected '*'; ${EXPECTED}` },
  { what: "a power with no exponent", argv: ["eval", "2 ^"], exit: 1, kind: "syntax", at: "1:3", message: `unexpected end of input after '^'; ${EXPECTED}` },
  { what: "a transposed name defined", argv: ["eval", "x''' = 1"], exit: 1, kind: "syntax", at: "1:6", message: "unexpected '='" },
  { what: "an operator at a line end", argv: ["eval", "x +\ny"], exit: 1, kind: "syntax", at: "1:4", message: `unexpected end of line; ${EXPECTED}` },
  {
    what: "an operator at a CRLF line end: the caret stands under the reported column",
    argv: ["eval", "1 +\r\n2"],
    exit: 1,
    kind: "syntax",
    at: "1:5",
    message: `unexpected end of line; ${EXPECTED}`,
  },
  // --- empty input, only comments
  { what: "empty input", argv: ["eval", ""], exit: 1, kind: "syntax", at: "1:1", message: "empty program" },
  { what: "only blank lines", argv: ["eval", "   \n\n  "], exit: 1, kind: "syntax", at: "1:1", message: "empty program" },
  { what: "only a comment", argv: ["eval", "# only a comment"], exit: 1, kind: "syntax", at: "1:1", message: "empty program" },
  { what: "only separators", argv: ["eval", ";;;"], exit: 1, kind: "syntax", at: "1:1", message: "empty program" },
  { what: "only declarations", argv: ["eval", "x: vector(n)"], exit: 1, kind: "syntax", at: "1:1", message: "the program declares values but computes nothing: end it with an expression or a definition" },
  // --- unknown functions, wrong arity
  { what: "an unknown function", argv: ["eval", "foo(1)"], exit: 1, kind: "name", at: "1:1", message: "unknown function 'foo'; did you mean 'log'?" },
  { what: "a function in the wrong case", argv: ["eval", "Exp(1)"], exit: 1, kind: "name", at: "1:1", message: "unknown function 'Exp'; did you mean 'exp'?" },
  { what: "a declared value called", argv: ["eval", "x: scalar; x(2)"], exit: 1, kind: "name", at: "1:12", message: "'x' is not a function" },
  { what: "two arguments to exp", argv: ["eval", "exp(1, 2)"], exit: 1, kind: "arity", at: "1:1", message: "exp takes 1 argument, not 2" },
  { what: "no argument to exp", argv: ["eval", "exp()"], exit: 1, kind: "arity", at: "1:1", message: "exp takes 1 argument, not 0" },
  { what: "three arguments to ones", argv: ["eval", "ones(1,2,3)"], exit: 1, kind: "arity", at: "1:1", message: "ones takes 1 or 2 arguments, not 3" },
  { what: "a kernel operator in an expression", argv: ["eval", "x: vector(n); grad(sum(x), x)"], exit: 1, kind: "unsupported", at: "1:15", message: "grad(…) is a kernel operator: write 'kernel NAME = grad(…)', or use the 'grad' command" },
  // --- shape mismatches
  { what: "a matrix product of the wrong sizes", argv: ["eval", "x: vector(2); W: matrix(3,3); W*x"], exit: 1, kind: "shape", at: "1:32", message: "'*' (matrix product) cannot multiply matrix(3,3) by vector(2): the left has 3 columns, the right has 2 rows" },
  { what: "a sum of vectors of different sizes", argv: ["eval", "x: vector(n); y: vector(m); x + y"], exit: 1, kind: "shape", at: "1:31", message: "'+' cannot combine vector(n) and vector(m)" },
  { what: "division by a vector", argv: ["eval", "x: vector(n); x/x"], exit: 1, kind: "shape", at: "1:16", message: "'/' divides by scalars only; vector(n) is not one (use './' to divide elementwise)" },
  { what: "'^' of a vector", argv: ["eval", "x: vector(n); x^2"], exit: 1, kind: "shape", at: "1:16", message: "'^' needs scalars, not vector(n); use '.^' for elementwise powers" },
  { what: "diag of a non-square matrix", argv: ["eval", "A: matrix(2,3); diag(A)"], exit: 1, kind: "shape", at: "1:22", message: "diag takes a vector or a square matrix, not matrix(2,3)" },
  { what: "a ragged matrix literal", argv: ["eval", "[[1, 2], [3]]"], exit: 1, kind: "shape", at: "1:10", message: "row 2 has 1 entry but row 1 has 2" },
  { what: "an empty literal", argv: ["eval", "[]"], exit: 1, kind: "shape", at: "1:1", message: "an empty vector has no shape" },
  { what: "a vector inside a vector literal", argv: ["eval", "[[1,2],3]"], exit: 1, kind: "shape", at: "1:2", message: "entries of a vector or matrix literal must be scalars, not vector(2)" },
  // --- bad sizes
  { what: "vector(-1)", argv: ["eval", "x: vector(-1); x"], exit: 1, kind: "shape", at: "1:11", message: "a size must be a positive integer" },
  { what: "vector(0)", argv: ["eval", "x: vector(0); x"], exit: 1, kind: "shape", at: "1:11", message: "a size must be a positive integer, not 0" },
  { what: "vector(2.5)", argv: ["eval", "x: vector(2.5); x"], exit: 1, kind: "shape", at: "1:11", message: "a size must be a positive integer, not 2.5" },
  { what: "matrix(2)", argv: ["eval", "x: matrix(2); x"], exit: 1, kind: "arity", at: "1:4", message: "matrix takes two sizes (rows, columns), not 1" },
  { what: "vector(2, 3)", argv: ["eval", "x: vector(2, 3); x"], exit: 1, kind: "arity", at: "1:4", message: "vector takes one size, not 2" },
  { what: "a size over the limit", argv: ["eval", "x: vector(1000000001); x"], exit: 1, kind: "shape", at: "1:11", message: "size 1000000001 is too large (the limit is 1000000000)" },
  { what: "a size that is an expression", argv: ["eval", "x: vector(n+1); x"], exit: 1, kind: "shape", at: "1:11", message: "a size is a positive integer or a size name" },
  { what: "an unknown type", argv: ["eval", "x: tensor(2); x"], exit: 1, kind: "syntax", at: "1:4", message: "unknown type 'tensor'; a declaration's type is scalar, vector(n) or matrix(m, n)" },
  { what: "eye(0)", argv: ["eval", "eye(0)"], exit: 1, kind: "shape", at: "1:5", message: "a size must be a positive integer, not 0" },
  { what: "zeros of a name that is not a size", argv: ["eval", "zeros(n)"], exit: 1, kind: "name", at: "1:7", message: "'n' is not a size; sizes are named in declarations such as x: vector(n)" },
  // --- duplicate, cyclic and self-referent definitions; use before definition
  { what: "a name defined twice", argv: ["eval", "a = 1; a = 2; a"], exit: 1, kind: "name", at: "1:8", message: "'a' is defined twice (first at 1:1)" },
  { what: "a name declared twice", argv: ["eval", "x: scalar; x: vector(2); x"], exit: 1, kind: "name", at: "1:12", message: "'x' is declared twice (first at 1:1)" },
  { what: "a name declared and defined", argv: ["eval", "x: scalar; x = 2; x"], exit: 1, kind: "name", at: "1:12", message: "'x' is declared and also defined (first at 1:1)" },
  { what: "a cycle of two definitions", argv: ["eval", "a = b; b = a; a"], exit: 1, kind: "name", at: "1:5", message: "'b' is used before its definition (first at 1:8)" },
  { what: "a definition of itself", argv: ["eval", "a = a + 1; a"], exit: 1, kind: "name", at: "1:5", message: "'a' refers to itself in its own definition" },
  { what: "use before definition", argv: ["eval", "a = b + 1; b = 2; a"], exit: 1, kind: "name", at: "1:5", message: "'b' is used before its definition (first at 1:12)" },
  // --- function names as values
  { what: "declaring a function name", argv: ["eval", "exp: scalar; exp"], exit: 1, kind: "name", at: "1:1", message: "cannot declare 'exp': it is a function name" },
  { what: "defining a function name", argv: ["eval", "sum = 1; sum"], exit: 1, kind: "name", at: "1:1", message: "cannot define 'sum': it is a function name" },
  { what: "a function name as a value", argv: ["eval", "exp + 1"], exit: 1, kind: "name", at: "1:1", message: "'exp' is a function; call it as exp(…)" },
  { what: "a declared value used as a size", argv: ["eval", "n: scalar; x: vector(n); x"], exit: 1, kind: "name", at: "1:22", message: "'n' is a declared value and cannot be a size" },
  { what: "a size defined", argv: ["eval", "x: vector(n); n = 3; x"], exit: 1, kind: "name", at: "1:15", message: "'n' is a size and cannot be defined" },
  // --- unicode look-alikes and other characters
  { what: "a minus sign (U+2212)", argv: ["eval", "1 \u2212 2"], exit: 1, kind: "syntax", at: "1:3", message: "unexpected character '\u2212' (U+2212); did you mean '-'?" },
  { what: "a multiplication sign", argv: ["eval", "2 \u00d7 3"], exit: 1, kind: "syntax", at: "1:3", message: "unexpected character '\u00d7' (U+00D7); did you mean '*'?" },
  { what: "a typographic apostrophe", argv: ["eval", "x: vector(2); x\u2019"], exit: 1, kind: "syntax", at: "1:16", message: "unexpected character '\u2019' (U+2019); did you mean '''?" },
  { what: "a middle dot", argv: ["eval", "2 \u00b7 3"], exit: 1, kind: "syntax", at: "1:3", message: "unexpected character '\u00b7' (U+00B7); did you mean '*'?" },
  { what: "a Greek letter", argv: ["eval", "\u03b1 + 1"], exit: 1, kind: "syntax", at: "1:1", message: "unexpected character '\u03b1' (U+03B1)" },
  { what: "a Cyrillic х that looks like x", argv: ["eval", "\u0445 + 1"], exit: 1, kind: "syntax", at: "1:1", message: "unexpected character '\u0445' (U+0445)" },
  { what: "a no-break space", argv: ["eval", "1\u00a0+ 2"], exit: 1, kind: "syntax", at: "1:2", message: "unexpected character '\u00a0' (U+00A0); did you mean a space?" },
  { what: "an emoji (a surrogate pair)", argv: ["eval", "1 + \u{1F600}"], exit: 1, kind: "syntax", at: "1:5", message: "unexpected character '\u{1F600}' (U+1F600)" },
  // --- control characters (shown as '?': nothing is sent to the terminal)
  { what: "a bell character", argv: ["eval", "1 + \u0007 2"], exit: 1, kind: "syntax", at: "1:5", message: "unexpected control character U+0007" },
  { what: "a NUL character", argv: ["eval", "1 + 2\u0000"], exit: 1, kind: "syntax", at: "1:6", message: "unexpected control character U+0000" },
  { what: "an ANSI escape sequence", argv: ["eval", "\u001b[31m1"], exit: 1, kind: "syntax", at: "1:1", message: "unexpected control character U+001B" },
  // --- numbers
  { what: "a malformed number", argv: ["eval", "2x"], exit: 1, kind: "syntax", at: "1:1", message: "malformed number '2x'" },
  { what: "a hexadecimal number", argv: ["eval", "0x10"], exit: 1, kind: "syntax", at: "1:1", message: "malformed number '0x'" },
  { what: "an exponent without digits", argv: ["eval", "1e"], exit: 1, kind: "syntax", at: "1:1", message: "malformed number '1e'" },
  { what: "1e10000, exactly", argv: ["simplify", "1e10000"], exit: 0, output: /^10{10000}$/ },
  {
    what: "1e999999: an exponent beyond the documented ±10000",
    argv: ["simplify", "1e999999"],
    exit: 1,
    kind: "limit",
    at: "1:1",
    message: "the number 1e999999 has an exponent beyond ±10000, too large to keep exactly",
  },
  { what: "a 10,000-digit integer, exactly", argv: ["simplify", `${TEN_THOUSAND_NINES} + 1`], exit: 0, output: `1${"0".repeat(10_000)}` },
  { what: "a 10,000-digit integer minus itself", argv: ["simplify", `${TEN_THOUSAND_NINES} - ${TEN_THOUSAND_NINES}`], exit: 0, output: "0" },
  { what: "a huge number divided exactly", argv: ["eval", "1e400 / 1e399"], exit: 0, output: "10" },
  {
    what: "1e400 evaluated: beyond floating point, a clear error rather than Infinity",
    argv: ["eval", "1e400"],
    exit: 1,
    kind: "value",
    message: "the number 1.000e+400 is outside the floating-point range (about 1e-308 to 1.8e308), so it cannot be evaluated",
  },
  {
    what: "a 10,000-digit integer evaluated: a clear error rather than Infinity",
    argv: ["eval", TEN_THOUSAND_NINES],
    exit: 1,
    kind: "value",
    message: "the number 9.999e+9999 is outside the floating-point range (about 1e-308 to 1.8e308), so it cannot be evaluated",
  },
  {
    what: "sqrt(1e309) evaluated: its argument is beyond floating point (the exact form stays with simplify)",
    argv: ["eval", "sqrt(1e309)"],
    exit: 1,
    kind: "value",
    message: "the number 1.000e+309 is outside the floating-point range (about 1e-308 to 1.8e308), so it cannot be evaluated",
  },
  {
    what: "an exponent with 11 digits: a limit error at the number, not an internal error",
    argv: ["eval", "1e99999999999"],
    exit: 1,
    kind: "limit",
    at: "1:1",
    message: "the number 1e99999999999 has an exponent beyond ±10000, too large to keep exactly",
  },
  {
    what: "a negative exponent with 11 digits",
    argv: ["eval", "1e-99999999999"],
    exit: 1,
    kind: "limit",
    at: "1:1",
    message: "the number 1e-99999999999 has an exponent beyond ±10000, too large to keep exactly",
  },
  // --- values too large to evaluate
  {
    what: "a constant of 10^18 entries evaluated: a limit error, not an internal error",
    argv: ["eval", "sum(exp(ones(1000000000, 1000000000)))"],
    exit: 1,
    kind: "limit",
    message: /^a value of \d+ entries is too large to evaluate \(the limit is 20000000\)$/,
  },
  {
    what: "an identity of 10^10 entries evaluated",
    argv: ["eval", "sum(exp(eye(100000)))"],
    exit: 1,
    kind: "limit",
    message: /^a value of \d+ entries is too large to evaluate \(the limit is 20000000\)$/,
  },
  // --- malformed --at values and wrong lengths
  { what: "--at without '='", argv: ["eval", "1", "--at", "x"], exit: 1, kind: "value", at: "--at: 1:1", message: "expected NAME=VALUE, like x=[0.1, 0.2]" },
  { what: "--at with an empty value", argv: ["eval", "x", "--at", "x="], exit: 1, kind: "value", at: "--at: 1:3", message: "empty value; give a number like 0.5, a list like [1, 2] or rows like [[1, 2], [3, 4]]" },
  { what: "--at with an unclosed list", argv: ["eval", "x", "--at", "x=["], exit: 1, kind: "value", at: "--at: 1:4", message: "expected a number, not the end of the value" },
  { what: "--at without a name", argv: ["eval", "x", "--at", "=1"], exit: 1, kind: "value", at: "--at: 1:1", message: "expected a name before '='" },
  { what: "--at with a trailing comma", argv: ["eval", "x", "--at", "x=[1,2,]"], exit: 1, kind: "value", at: "--at: 1:8", message: "expected a number, not ']'" },
  { what: "--at with ragged rows", argv: ["eval", "x", "--at", "x=[[1],[2,3]]"], exit: 1, kind: "value", at: "--at: 1:8", message: "row 2 has 2 entries but row 1 has 1" },
  { what: "--at beyond floating point", argv: ["eval", "x", "--at", "x=1e999"], exit: 1, kind: "value", at: "--at: 1:3", message: "number 1e999 is out of range" },
  { what: "--at NaN", argv: ["eval", "x", "--at", "x=NaN"], exit: 1, kind: "value", at: "--at: 1:3", message: "expected a number, not 'NaN'" },
  { what: "--at with a space for a comma", argv: ["eval", "x", "--at", "x=[1 2]"], exit: 1, kind: "value", at: "--at: 1:6", message: "expected ',' or ']', not '2'" },
  { what: "--at with a minus sign (U+2212)", argv: ["eval", "x", "--at", "x=\u22121"], exit: 1, kind: "value", at: "--at: 1:3", message: "expected a number, not '\u22121'" },
  { what: "--at with a bad name", argv: ["eval", "x", "--at", "1x=2"], exit: 1, kind: "value", at: "--at: 1:1", message: "'1x' is not a name; a name is letters, digits and _, starting with a letter or _" },
  { what: "--at twice for one name", argv: ["eval", "x", "--at", "x=1", "--at", "x=2"], exit: 1, kind: "value", at: "--at: 1:1", message: "'x' is given twice with --at" },
  { what: "a value of the wrong length", argv: ["eval", "x: vector(3); x", "--at", "x=[1,2]"], exit: 1, kind: "shape", at: "--at x: 1:1", message: "x has 2 entries but its declaration says vector(3)" },
  { what: "values that disagree on a size", argv: ["eval", "x: vector(n); y: vector(n); x+y", "--at", "x=[1,2]", "--at", "y=[1,2,3]"], exit: 1, kind: "shape", at: "--at y: 1:1", message: "y has 3 entries but n is 2 (from x)" },
  { what: "a list for a matrix", argv: ["eval", "W: matrix(2,2); W", "--at", "W=[1,2]"], exit: 1, kind: "shape", at: "--at W: 1:1", message: "W has 1 column but its declaration says matrix(2,2)" },
  { what: "a row for a vector", argv: ["eval", "x: vector(2); x", "--at", "x=[[1,2]]"], exit: 1, kind: "shape", at: "--at x: 1:1", message: "x is a vector(2) but its value is a 1×2 matrix (a row); give a flat list like [1, 2]" },
  // (one set of values serves several programs: a value the program does not use is a note on stderr)
  { what: "a value for a name the program lacks", argv: ["eval", "x", "--at", "x=1", "--at", "y=1"], exit: 0, output: "1" },
  { what: "a size of 0", argv: ["eval", "x: vector(n); sum(x)", "--at", "n=0"], exit: 1, kind: "value", at: "--at n: 1:1", message: "n is a size; give a positive whole number, not 0" },
  { what: "a value for a definition", argv: ["eval", "s = 1; s", "--at", "s=2"], exit: 1, kind: "name", at: "--at s: 1:1", message: "'s' is defined by the program and cannot be given a value" },
  { what: "a missing value", argv: ["eval", "x: vector(n); sum(x)"], exit: 1, kind: "name", at: "1:19", message: "no value for 'x'; bind it with --at x=…" },
  // --- --wrt naming nothing, and other derivative requests that cannot be met
  { what: "--wrt a name that does not occur", argv: ["grad", "x^2", "--wrt", "y"], exit: 1, kind: "name", message: "--wrt 'y' does not occur in the program" },
  { what: "--wrt a definition (jacobian, as grad and vjp: the definition is the variable)", argv: ["jacobian", "s = x^2; s", "--wrt", "s"], exit: 0, output: "1" },
  { what: "--wrt a size", argv: ["grad", "x: vector(n); sum(x)", "--wrt", "n"], exit: 1, kind: "name", message: "--wrt 'n' does not occur in the program" },
  { what: "no --wrt", argv: ["grad", "x^2"], exit: 2, kind: "usage", message: "grad needs --wrt NAME" },
  { what: "an empty --wrt", argv: ["grad", "x^2", "--wrt", ""], exit: 2, kind: "usage", message: "grad needs --wrt NAME" },
  { what: "--wrt that is not a name", argv: ["grad", "x^2", "--wrt", "1x"], exit: 2, kind: "usage", message: "--wrt: '1x' is not a name" },
  { what: "--wrt with an empty item", argv: ["grad", "x^2", "--wrt", "x,,y"], exit: 2, kind: "usage", message: "--wrt: '' is not a name" },
  { what: "the gradient of a vector", argv: ["grad", "x: vector(n); x", "--wrt", "x"], exit: 1, kind: "shape", message: "grad needs a scalar value, not vector(n); use jacobian or vjp" },
  { what: "jvp without a tangent", argv: ["jvp", "x^2", "--wrt", "x"], exit: 2, kind: "usage", message: "jvp needs --tangent NAME (a value shaped like the --wrt value)" },
  { what: "a tangent that does not occur takes the --wrt value's shape", argv: ["jvp", "x: vector(n); x", "--wrt", "x", "--tangent", "q"], exit: 0, output: "q" },
  { what: "--elementwise at a symbolic size", argv: ["jacobian", "x: vector(n); exp(x)", "--wrt", "x", "--elementwise"], exit: 1, kind: "unsupported", message: "the element-wise view needs concrete sizes, but the value is vector(n)" },
  {
    what: "--elementwise names that collide with the program's: x[1] printed as x1 beside a scalar x1",
    argv: ["grad", "x: vector(2); x1: scalar; sum(x .* x) * x1", "--wrt", "x", "--elementwise"],
    exit: 1,
    kind: "name",
    message: "the element-wise view writes x[1] as 'x1', but the program already has a value named 'x1'; rename that value",
  },
  {
    what: "a derivative that sends recognition into endless recursion (a stack overflow)",
    argv: ["diff", "s = 2/(a - b); s", "--wrt", "b"],
    exit: 0,
    output: "s^2/2",
  },
  // --- the reductions (parse/reductions.ts)
  { what: "a reduction with two arguments", argv: ["eval", "x: vector(n); softmax(x, 1)"], exit: 1, kind: "arity", at: "1:15", message: "softmax takes 1 argument, not 2" },
  { what: "a misspelt reduction", argv: ["eval", "x: vector(n); logsumxp(x)"], exit: 1, kind: "name", at: "1:15", message: "unknown function 'logsumxp'; did you mean 'logsumexp'?" },
  { what: "a reduction's name declared", argv: ["eval", "var: scalar; var"], exit: 1, kind: "name", at: "1:1", message: "cannot declare 'var': it is a function name" },
  { what: "row means added to a vector of another size", argv: ["eval", "X: matrix(m,n); x: vector(n); mean(X) + x"], exit: 1, kind: "shape", at: "1:39", message: "'+' cannot combine vector(m) and vector(n)" },
  {
    what: "the Jacobian of a maximum (no index form)",
    argv: ["jacobian", "x: vector(n); max(x)", "--wrt", "x"],
    exit: 1,
    kind: "unsupported",
    message: "max(…) is differentiated by grad, vjp and jvp, not in index form (jacobian, hessian, --elementwise)",
  },
  // --- unknown commands and flags, files
  { what: "an unknown command", argv: ["frobnicate", "x"], exit: 2, kind: "usage", message: /^unknown command 'frobnicate'; the commands are notebook, eval, / },
  { what: "no program", argv: ["eval"], exit: 2, kind: "usage", message: "no program given (an argument, or -f FILE)" },
  { what: "two programs", argv: ["eval", "x", "y"], exit: 2, kind: "usage", message: "expected one program argument, got 2 (quote the program)" },
  { what: "an unknown option", argv: ["eval", "x", "--bogus"], exit: 2, kind: "usage", message: "unknown option --bogus for 'eval'; see 'jacobi eval --help'" },
  { what: "an unknown short option", argv: ["eval", "x", "-q"], exit: 2, kind: "usage", message: "unknown option -q for 'eval'; see 'jacobi eval --help'" },
  { what: "an option without its value", argv: ["eval", "x", "--format"], exit: 2, kind: "usage", message: "--format needs a value (text|latex|json)" },
  { what: "an unknown format", argv: ["eval", "1", "--format", "yaml"], exit: 2, kind: "usage", message: "--format must be one of text, latex, json, not 'yaml'" },
  { what: "precision 0", argv: ["eval", "1", "--precision", "0"], exit: 2, kind: "usage", message: "--precision must be a whole number from 1 to 17, not '0'" },
  { what: "--wrt twice", argv: ["grad", "x", "--wrt", "x", "--wrt", "y"], exit: 2, kind: "usage", message: "--wrt is given twice" },
  { what: "a flag with a value", argv: ["grad", "x", "--wrt", "x", "--elementwise=yes"], exit: 2, kind: "usage", message: "--elementwise takes no value" },
  { what: "-f of a missing file", argv: ["eval", "-f", "/nonexistent/jacobi-hardening.jacobi"], exit: 1, kind: "io", message: "cannot read /nonexistent/jacobi-hardening.jacobi: no such file" },
  { what: "-f of a directory", argv: ["eval", "-f", "/"], exit: 1, kind: "io", message: "cannot read /: it is a directory" },
  { what: "-f and a program", argv: ["eval", "x", "-f", "/nonexistent"], exit: 2, kind: "usage", message: "give the program either as an argument or with -f FILE, not both" },
  { what: "an error in a file: its name labels the place", argv: ["eval", "-f", "$FILE"], file: "x: vector(2)\nx +\n", exit: 1, kind: "syntax", at: "$FILE: 2:4", message: `unexpected end of line; ${EXPECTED}` },
  { what: "an error on standard input", argv: ["eval", "-f", "-"], stdin: "x: vector(2)\nsum(x) +", exit: 1, kind: "syntax", at: "<stdin>: 2:8", message: `unexpected end of input after '+'; ${EXPECTED}` },
  // --- --decl
  { what: "a bad size in --decl", argv: ["eval", "x", "--decl", "x: vector(-1)"], exit: 1, kind: "shape", at: "--decl 1: 1:11", message: "a size must be a positive integer" },
  { what: "an expression in --decl", argv: ["eval", "x", "--decl", "q"], exit: 1, kind: "syntax", at: "--decl 1: 1:1", message: "--decl takes declarations only (name: type)" },
  { what: "an empty --decl", argv: ["eval", "1", "--decl", ""], exit: 1, kind: "syntax", at: "--decl 1: 1:1", message: "empty program" },
  {
    what: "a --decl that makes a size a value: the error points into the --decl",
    argv: ["eval", "x", "--decl", "n: vector(n)"],
    exit: 1,
    kind: "name",
    at: "--decl 1: 1:11",
    message: "'n' is both a size and a declared value",
  },
  // --- det, logdet, inv
  { what: "det of a non-square matrix", argv: ["grad", "M: matrix(m,n); det(M)", "--wrt", "M"], exit: 1, kind: "shape", at: "1:21", message: "det takes a square matrix, not matrix(m,n)" },
  { what: "inv of a vector", argv: ["eval", "x: vector(n); inv(x)"], exit: 1, kind: "shape", at: "1:19", message: "inv takes a square matrix, not vector(n)" },
  { what: "logdet of a row", argv: ["eval", "x: vector(n); logdet(x')"], exit: 1, kind: "shape", at: "1:22", message: "logdet takes a square matrix, not row vector(n)" },
  { what: "inv with two arguments", argv: ["eval", "X: matrix(n,n); inv(X, X)"], exit: 1, kind: "arity", at: "1:17", message: "inv takes 1 argument, not 2" },
  {
    what: "the inverse of a singular matrix",
    argv: ["eval", "X: matrix(2,2); inv(X)", "--at", "X=[[1,2],[2,4]]"],
    exit: 1,
    kind: "value",
    message: "inv(X): the matrix is singular (LU with partial pivoting finds a zero pivot), so it has no inverse",
  },
  {
    what: "a solve with a singular matrix (no explicit inverse)",
    argv: ["eval", "X: matrix(2,2); a: vector(2); a'*inv(X)*a", "--at", "X=[[0,0],[0,0]]", "--at", "a=[1,2]"],
    exit: 1,
    kind: "value",
    message: "inv(X): the matrix is singular (LU with partial pivoting finds a zero pivot), so it has no inverse",
  },
  {
    what: "det in the element-wise view",
    argv: ["grad", "X: matrix(2,2); det(X)", "--wrt", "X", "--elementwise"],
    exit: 1,
    kind: "unsupported",
    message: "the element-wise view does not expand det (a function of a whole matrix); without --elementwise the derivative has its matrix form",
  },
  // --- results with more than two indices, undeclared tangents and cotangents (issue 13)
  {
    what: "the element-wise Jacobian of a matrix by a matrix (index notation without --elementwise)",
    argv: ["jacobian", "A*X", "--wrt", "X", "--decl", "A: matrix(2,2); X: matrix(2,2)", "--elementwise"],
    exit: 1,
    kind: "shape",
    message: "the element-wise jacobian is of vectors and scalars by vectors and scalars; without --elementwise, a matrix's is in index notation",
  },
  {
    what: "an undeclared cotangent given a value of the wrong shape: the error points into its --at",
    argv: ["vjp", "A*x", "--wrt", "x", "--cotangent", "c", "--decl", "x: vector(2); A: matrix(3,2)", "--at", "c=[1,2]", "--at", "A=[[1,2],[3,4],[5,6]]", "--at", "x=[0,0]"],
    exit: 1,
    kind: "shape",
    at: "--at c: 1:1",
    message: "c has 2 entries but its declaration says vector(3)",
  },
  {
    what: "a 4-index Jacobian of 60^4 entries at values is refused before it is computed (it cannot print)",
    argv: ["jacobian", "X.^2", "--wrt", "X", "--decl", "X: matrix(60,60)", "--at", `X=[${Array(60).fill(`[${Array(60).fill(0.5).join(",")}]`).join(",")}]`],
    exit: 1,
    kind: "limit",
    message: "the result is too large to print (over 20000000 characters) for its entries",
  },
  // --- assume (issue 18)
  {
    what: "an assumption with no value on its left",
    argv: ["grad", "x: vector(n); assume 1 = sum(x); sum(x)", "--wrt", "x"],
    exit: 1,
    kind: "syntax",
    at: "1:22",
    message: "an assumption's left side must be an expression of the program's values, like sum(y)",
  },
  {
    what: "an assumption whose sides differ in shape",
    argv: ["grad", "x: vector(n); assume sum(x) = x; sum(x)", "--wrt", "x"],
    exit: 1,
    kind: "shape",
    at: "1:31",
    message: "an assumption's sides must have one shape: the left is scalar, the right vector(n)",
  },
  {
    what: "values at which an assumption does not hold",
    argv: ["eval", "y: vector(n); assume sum(y) = 1; 2*y", "--at", "y=[0.5,0.6]"],
    exit: 1,
    kind: "value",
    at: "1:15",
    message: "the assumption sum(y) = 1 does not hold at the given values: the left side is 1.1, the right 1",
  },
  {
    what: "an assumption with nothing after '='",
    argv: ["grad", "y: vector(n); assume sum(y) =; sum(y)", "--wrt", "y"],
    exit: 1,
    kind: "syntax",
    at: "1:30",
    message: `unexpected ';'; ${EXPECTED}`,
  },
  // --- loop-nest kernels (derivatives without a matrix form)
  {
    what: "a batch of a kernel computed in index notation",
    argv: ["gen", "-"],
    stdin: "x: vector(n); W: matrix(n,n); z = tanh(W*x); L = sum(tanh(W*z).^2)\nkernel h = hessian(L, x)\nkernel hb = batch(h, x)\n",
    exit: 1,
    kind: "unsupported",
    at: "<stdin>: 3:1",
    message: "kernel hb: h is computed in index notation (loop nests), which is not batched yet; call h once per sample",
  },
];
