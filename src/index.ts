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
export { cancel, check, compile, diff, evaluate, expand, generate, grad, gradients, hessian, hessianBlocks, jacobian, jvp, parse, simplify, toLatex, toText, vjp } from "./api.js";
export type {
  CheckReport,
  CompileOptions,
  DerivativeOptions,
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
  PrintOptions,
  ProgramLike,
  ValueLike,
  WasmKernelFunction,
} from "./api.js";
export { JacobiError } from "./core/errors.js";
export type { Expr } from "./core/expr.js";
export type { Program } from "./core/program.js";
