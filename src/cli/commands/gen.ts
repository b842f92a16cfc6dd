/** `gen`: TypeScript kernels from spec files (`kernel NAME = …` statements), one module per file. */
import { genFlags, generateModule, parseSpec, regenerateCommand, type Dtype } from "../../codegen/index.js";
import { single, choice, UsageError } from "../args.js";
import type { Command } from "../command.js";

/** `dir/name.jacobi` -> `name`. */
function stem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.endsWith(".jacobi") ? base.slice(0, -".jacobi".length) : base.replace(/\.[^.]*$/, "");
}

/** The command that writes a module printed on standard output again. */
const stdoutCommand = (file: string, dtype: Dtype, target: "js" | "wasm"): string =>
  `jacobi gen ${file === "-" ? "- < SPEC.jacobi" : `${file} --out -`}${genFlags(dtype, target)} > MODULE.ts`;

const hasKernels = (text: string, label: string): boolean => parseSpec(text, label).kernels.length > 0;

export const genCommand: Command = {
  name: "gen",
  summary: "generate TypeScript kernels from spec files (kernel NAME = …)",
  usage: "jacobi gen FILE… --out DIR [--dtype f64|f32] [--target js|wasm]    (jacobi gen - reads standard input and writes standard output)",
  options: [
    { name: "out", short: "o", value: "DIR", help: "the directory to write NAME.ts into (one module per FILE); '-' writes one module to standard output" },
    { name: "dtype", value: "f64|f32", help: "Float64Array (default) or Float32Array inputs and outputs" },
    { name: "target", value: "js|wasm", help: "JavaScript loops (default), or WebAssembly SIMD loops with JavaScript where SIMD is missing" },
  ],
  examples: ["jacobi gen examples/softmax.jacobi --out generated", "jacobi gen examples/*.jacobi --out generated --dtype f32", "jacobi gen examples/matvec.jacobi --out wasm --target wasm", "jacobi gen - < softmax.jacobi > softmax.ts"],
  details: [
    "A spec file is a program with kernel statements:",
    "  x: vector(n); g: vector(n); s = exp(x)/sum(exp(x))",
    "  kernel softmax = s",
    "  kernel softmaxVjp = vjp(s, x, g)            (also jacobian, jvp, grad, hessian)",
    "  kernel lossGrads = grad(L, W, b)            several names: returns { loss, W, b }",
    "  kernel lossGradsBatch = batch(lossGrads, x, y)   x, y given one row per sample",
    "Each kernel is an exported function taking an object of named inputs and an optional",
    "preallocated output. The output is formatted with prettier and the same spec gives the",
    "same bytes. --target wasm embeds each kernel's WebAssembly SIMD module (built with",
    "binaryen) in the same function; it takes products, sums and arithmetic, and says which",
    "kernel it does not take (functions such as exp, batches, scalar outputs) and why.",
  ].join("\n"),
  async run(args, io) {
    const files = args.positional;
    if (files.length === 0) throw new UsageError("no spec files given");
    const toStdout = single(args, "out") === "-" || (files.length === 1 && files[0] === "-" && single(args, "out") === undefined);
    const out = toStdout ? "-" : single(args, "out");
    if (out === undefined) throw new UsageError("gen needs --out DIR");
    if (out.trim() === "") throw new UsageError("--out needs a directory name, not an empty text"); // '' would write to the filesystem root
    if (toStdout && files.length > 1) throw new UsageError("--out - writes one module to standard output; give one spec file");
    if (files.includes("-") && !toStdout) throw new UsageError("a spec read from standard input ('-') is written to standard output; leave out --out or give --out -");
    const dtype = choice(args, "dtype", ["f64", "f32"] as const, "f64");
    const target = choice(args, "target", ["js", "wasm"] as const, "js");
    const seen = new Map<string, string>();
    for (const file of files) {
      const name = stem(file);
      const earlier = seen.get(name);
      if (earlier !== undefined) throw new UsageError(`${earlier} and ${file} would both be written to ${name}.ts`);
      seen.set(name, file);
    }
    let written = 0;
    for (const file of files) {
      const text = io.readFile(file);
      // a program without kernel statements (an example for the other commands) is not a spec
      if (files.length > 1 && !hasKernels(text, file)) {
        io.err(`note: skipped ${file}: it has no kernel statements`);
        continue;
      }
      const dir = out.replace(/[\\/]+$/, "");
      const label = file === "-" ? "<stdin>" : file;
      const code = await generateModule(text, { dtype, label, target, command: toStdout ? stdoutCommand(file, dtype, target) : regenerateCommand(file, dir, dtype, target) });
      if (toStdout) {
        io.out(code);
        return;
      }
      const path = `${dir}/${stem(file)}.ts`;
      io.writeFile(path, code);
      io.out(`wrote ${path}`);
      written++;
    }
    if (written === 0) throw new UsageError("none of the files has kernel statements (kernel NAME = …)");
  },
};
