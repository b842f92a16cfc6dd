/**
 * jacobi: symbolic matrix calculus for TypeScript.
 *
 * ```ts
 * import { parse, jacobian, toText } from "jacobi";
 * toText(jacobian(parse("x: vector(n); s = exp(x)/sum(exp(x))"), "x")); // "diag(s) - s*s'"
 * ```
 *
 * Kernels: `compile(text)` at run time, `generate(text)` as a TypeScript module, and
 * `jacobi/vite` at build time (`import { softmaxVjp } from "./softmax.jacobi"`).
 */
export { cancel, check, compile, derivativeValue, diff, evaluate, expand, formSize, generate, grad, gradients, hessian, hessianBlocks, jacobian, jvp, parse, simplify, toLatex, toText, vjp } from "./api.js";
export type {
  CheckReport,
  CompileOptions,
  DerivativeOptions,
  DerivativeRequest,
  Derivatives,
  Dtype,
  EachOptions,
  GenerateOptions,
  Gradients,
  HessianBlock,
  KernelArray,
  KernelFunction,
  KernelInputs,
  KernelOutput,
  NamedCotangent,
  NestedValue,
  PrintOptions,
  ProgramLike,
  ValueLike,
} from "./api.js";
export { JacobiError } from "./core/errors.js";
export type { Expr } from "./core/expr.js";
export type { Assumption, Program } from "./core/program.js";
