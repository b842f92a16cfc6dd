/** The wasm target's shared types: binaryen's module and expression references, and what a function under construction lends the math (exp.ts). */
export type Binaryen = typeof import("binaryen").default;
export type Module = InstanceType<Binaryen["Module"]>;
export type Ref = number;
export type Dtype = "f64" | "f32";

/** What the vectorized exp, tanh and log need of a function under construction (values.ts's Fn): its module and a fresh local. */
export interface Locals {
  readonly m: Module;
  readonly b: Binaryen;
  readonly dtype: Dtype;
  local(type: number): number;
}
