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
export { cancel, check, derivativeValue, diff, evaluate, expand, formSize, grad, gradients, hessian, hessianBlocks, jacobian, jvp, parse, simplify, toLatex, toText, vjp } from "./api.js";
export { compile, generate } from "./api-kernels.js";
export type { CompileOptions, Dtype, GenerateOptions, KernelArray, KernelFunction, KernelInputs, KernelOutput, WasmKernelFunction } from "./api-kernels.js";
export type {
  CheckReport,
  DerivativeOptions,
  DerivativeRequest,
  Derivatives,
  EachOptions,
  Gradients,
  HessianBlock,
  NamedCotangent,
  NestedValue,
  PrintOptions,
  ProgramLike,
  ValueLike,
} from "./api.js";
export { JacobiError } from "./core/errors.js";
export type { Expr } from "./core/expr.js";
export type { Assumption, Program } from "./core/program.js";
