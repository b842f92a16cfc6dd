/**
 * `npm run bench`: the generated kernels against careful hand-written TypeScript
 * (bench/hand.ts), TensorFlow.js (cpu and wasm), numpy (f64, f32) and, for symbolic
 * derivatives, mathjs and SymPy; plus the machine's ceilings and the library's import
 * time. Writes bench/RESULTS.md and the summary table in README.md (between markers).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import { join } from "node:path";
import { compile } from "../src/codegen/index.js";
import { agree, checks, elapsed, log, mg, notes, numpyInfo, ONLY, QUICK, raw, ROOT, vec, wanted } from "./context.js";
/** The rows of the wasm target's per-call cost (the 4×4 product, and the inputs' copy): time against time, not a peer. */
const CALL_COST = "(the cost of a call)";
import { deepBenchmarks } from "./deep.js";
import * as hand from "./hand.js";
import { importTimes } from "./imports.js";
import { jacobianRows, matvecRows, networkFlops, networkRows, softmaxRows } from "./kernels.js";
import { mathjsSoftmaxJacobian } from "./peers.js";
import { cell, ratio, ratioValue, spread, table, time, type Row } from "./report.js";
import { symbolicBenchmarks } from "./symbolic.js";
import { measureOnce, sinkValue, type Timing } from "./timing.js";

const lines: string[] = [];
const out = (...l: string[]): void => void lines.push(...l);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(", ");

const PEERS = ["tfjs-cpu", "tfjs-wasm", "numpy f64", "numpy f32"];
const PEER_RATIOS: [string, string][] = [
  ["jacobi", "tfjs-wasm"],
  ["jacobi", "numpy f64"],
  ["jacobi f32", "numpy f32"],
];

function header(): void {
  out(
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/main.ts). Times are wall-clock medians per call over repeated samples (each sample times enough",
    "calls to last ≥ 10 ms; 15 samples, or fewer when one call is slow; a call slower than 0.25 s is timed 3 times alone); the quartiles",
    "and the CPU time per call (user + system of the whole process, so a peer that used more than one thread would show it) are in the",
    "raw table at the end. jacobi and the hand-written kernels of one row are timed in alternation (sample by sample), so load on the",
    "machine affects them alike; the peers are timed right after, in the same run. Ratios divide the first time by the second (below 1×",
    "the first is faster). Every implementation gets the same data, and its result is compared with jacobi's before it is timed (see",
    "Checks).",
    "",
    "- jacobi: the committed generated/*.ts (Float64Array); `jacobi f32`: the same specs compiled with `dtype: \"f32\"` (Float32Array in",
    "  and out, f64 accumulation). Inputs objects and outputs are made once, as a caller in a loop would.",
    "- hand: TypeScript written as a careful engineer would, with the same unrolling and blocking as jacobi's kernels (bench/hand.ts).",
    "- tfjs-cpu, tfjs-wasm: TensorFlow.js 4 in float32 (its only float type), tensors made from the arrays on every call, results read",
    "  back with `dataSync()` outside `tf.tidy`.",
    "- numpy f64, f32: numpy with OpenBLAS on one thread (OPENBLAS_NUM_THREADS=1; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed for",
    "  that process, so OpenBLAS chooses its kernel), into preallocated outputs (`out=`), timed inside Python (bench/numpy_peer.py).",
    "",
    "## Machine",
    "",
    `- CPU: ${cpus()[0]?.model ?? "unknown"} × ${cpus().length}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${platform()} ${arch()}; Node ${process.version}`,
    `- Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC${QUICK ? " (quick mode: few samples, numbers are rough)" : ""}`,
    `- Load average (1, 5, 15 min) at the start: ${load()}`,
    "",
  );
}

/** The ceilings: loops over n entries, and arithmetic with no memory traffic at all. */
function ceilings(): { add: Map<number, Timing>; exp: Map<number, Timing>; gflops: number } {
  const add = new Map<number, Timing>();
  const exp = new Map<number, Timing>();
  const rows: [string, Row][] = [];
  for (const n of [1e3, 1e5, 1e6, 128 * 784]) {
    const [a, b, c] = [vec(n), vec(n), new Float64Array(n)];
    const t = mg({ [`add loop n=${n}`]: () => hand.addLoop(a, b, c), [`TypedArray.set n=${n}`]: () => hand.copySet(a, c), [`Math.exp loop n=${n}`]: () => hand.expLoop(a, c) });
    add.set(n, t[`add loop n=${n}`]!);
    exp.set(n, t[`Math.exp loop n=${n}`]!);
    rows.push([`${n}`, { "add loop": t[`add loop n=${n}`], "TypedArray.set": t[`TypedArray.set n=${n}`], "Math.exp loop": t[`Math.exp loop n=${n}`] }]);
  }
  const iterations = 1e6;
  const reg = mg({ "register-only loop (1e6 × 8 multiply-adds)": () => hand.registerLoop(iterations) })["register-only loop (1e6 × 8 multiply-adds)"]!;
  const gflops = (hand.REGISTER_LOOP_FLOPS_PER_ITERATION * iterations) / reg.median / 1e9;
  out(
    "## Ceilings",
    "",
    "What a loop over n Float64Array entries costs at best: c = a + b, `c.set(a)`, c = exp(a).",
    "",
    ...table("n", rows, ["add loop", "TypedArray.set", "Math.exp loop"], []),
    "",
    `The scalar-JS arithmetic ceiling: a register-only loop (8 independent multiply-add chains, no loads or stores) runs at`,
    `**${gflops.toFixed(2)} GFLOP/s** (${time(reg.median)} for 1.6e7 flops) on one core of this machine.`,
    "",
  );
  return { add, exp, gflops };
}

function imports(): void {
  const t = importTimes(join(ROOT, "node_modules", ".cache", "jacobi-bench"), QUICK ? 3 : 9);
  raw.push(["import jacobi (fresh process)", t.library], ["import jacobi + prettier's formatter (the import before lazy loading)", t.eager], ["import jacobi + first generate()", t.firstGenerate]);
  log(`import: ${time(t.library.median)}, with prettier ${time(t.eager.median)}, first generate ${time(t.firstGenerate.median)}`);
  out(
    "## Import time",
    "",
    "`import` of the library (src/index.ts as compiled for the bench) in a fresh Node process, median of the runs. prettier (and its",
    "TypeScript plugin) is loaded only when `generate` first formats code, and katex only by the CLI's derivation pages; before, every",
    "import loaded prettier, which the second row reproduces by loading its formatter right after the library.",
    "",
    "| import | time |",
    "|---|---:|",
    `| \`import("jacobi")\` | ${cell(t.library)} |`,
    `| the same with prettier's formatter loaded (what every import cost before) | ${cell(t.eager)} |`,
    `| \`import("jacobi")\` and a first \`generate\` (loads prettier) | ${cell(t.firstGenerate)} |`,
    "",
  );
}

function symbolicVsMathjs(): void {
  const spec = "x: vector(n); s = exp(x)/sum(exp(x)); kernel j = jacobian(s, x)";
  const n = 3;
  const derive = measureOnce(() => compile(spec), QUICK ? 5 : 25);
  const mathDerive = measureOnce(() => mathjsSoftmaxJacobian(n), QUICK ? 5 : 25);
  raw.push(["jacobi derive + compile (softmax Jacobian, any n)", derive], ["mathjs derivative + compile (softmax Jacobian, n = 3)", mathDerive]);
  const kernel = compile(spec);
  const entries = mathjsSoftmaxJacobian(n);
  const x = vec(n);
  const o = new Float64Array(n * n);
  const scope = { x1: x[0]!, x2: x[1]!, x3: x[2]! };
  const xs = { x };
  const t = mg({
    "jacobi softmax Jacobian n=3 (evaluate)": () => kernel(xs, o),
    "mathjs softmax Jacobian n=3 (evaluate 9 entries)": () => {
      let sum = 0;
      for (const e of entries) sum += e.evaluate(scope);
      return sum;
    },
  });
  const evalGen = t["jacobi softmax Jacobian n=3 (evaluate)"]!;
  const evalMath = t["mathjs softmax Jacobian n=3 (evaluate 9 entries)"]!;
  out(
    "## Symbolic derivatives: jacobi vs mathjs",
    "",
    "The softmax Jacobian. jacobi derives it once for any n (`diag(s) - s*s'`) and generates the kernel (`compile`); mathjs",
    "differentiates each of the n² entries of the written-out softmax (`derivative`) and compiles them, here for n = 3.",
    "",
    "| step | jacobi | mathjs | jacobi / mathjs |",
    "|---|---:|---:|---:|",
    `| derive + compile | ${cell(derive)} | ${cell(mathDerive)} | ${ratio(derive, mathDerive)} |`,
    `| evaluate the Jacobian at n = 3 | ${cell(evalGen)} | ${cell(evalMath)} | ${ratio(evalGen, evalMath)} |`,
    "",
  );
}

/** "a–b×" over the rows (or one value). */
function range(rows: readonly [string, Row][], a: string, b: string, pick: (label: string) => boolean = () => true): string {
  const v = rows.filter(([l]) => pick(l)).map(([, r]) => ratioValue(r[a], r[b])).filter((x): x is number => x !== undefined);
  if (v.length === 0) return "—";
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  return lo.toFixed(2) === hi.toFixed(2) ? `${lo.toFixed(2)}×` : `${lo.toFixed(2)}–${hi.toFixed(2)}×`;
}

interface All {
  softmax: [string, Row][];
  vjp: [string, Row][];
  jacobian: [string, Row][];
  matvec: [string, Row][];
  network: [string, Row][];
}

/** The README's table: one line a kernel, ratios from this run. */
function summary(all: All): string[] {
  const at = (rows: [string, Row][], label: string): [string, Row][] => rows.filter(([l]) => l === label);
  const cols = (rows: [string, Row][], handKey = "hand"): string => [range(rows, "jacobi", handKey), range(rows, "jacobi", "tfjs-wasm"), range(rows, "jacobi", "numpy f64"), range(rows, "jacobi f32", "numpy f32")].join(" | ");
  const big = at(all.network, "(784, 128, 10), batch 64");
  const small = at(all.network, "(2, 3, 3), batch 1");
  return [
    "| kernel | jacobi / hand-written | jacobi / tfjs-wasm | jacobi / numpy f64 | jacobi f32 / numpy f32 |",
    "|---|---:|---:|---:|---:|",
    `| softmax, n = 1e3 … 1e6 | ${cols(all.softmax)} |`,
    `| softmax VJP, n = 1e3 … 1e6 | ${cols(all.vjp)} |`,
    `| softmax Jacobian, n = 10 … 4000 | ${cols(all.jacobian)} |`,
    ...all.matvec.filter(([label]) => !label.includes(CALL_COST)).map(([label, r]) => `| ${label.replace(/ \(.*\)$/, "")}, 128×784 | ${cols([[label, r]])} |`),
    `| network (784, 128, 10), batch 64 | ${cols(big, "hand blocked")} |`,
    `| network (2, 3, 3), one sample | ${cols(small, "hand idiomatic")} |`,
    "",
    "The wasm target (`--target wasm`) on the kernels it takes, in the same run (products at 128×784):",
    "",
    "| kernel | wasm / js | wasm f32 / wasm f64 | wasm / tfjs-wasm | wasm / numpy f64 | wasm f32 / numpy f32 |",
    "|---|---:|---:|---:|---:|---:|",
    ...[
      ["softmax, n = 1e5", all.softmax, "100000"],
      ["softmax VJP, n = 1e5", all.vjp, "100000"],
      ["network (784, 128, 10), batch 64", all.network, "(784, 128, 10), batch 64"],
      ["network (2, 3, 3), one sample", all.network, "(2, 3, 3), batch 1"],
    ].map(([label, rows, at]) => {
      const r = (rows as [string, Row][]).find(([l]) => l === at)?.[1] ?? {};
      return `| ${label as string} | ${ratio(r["jacobi wasm"], r["jacobi"])} | ${ratio(r["jacobi wasm f32"], r["jacobi wasm"])} | ${ratio(r["jacobi wasm"], r["tfjs-wasm"])} | ${ratio(r["jacobi wasm"], r["numpy f64"])} | ${ratio(r["jacobi wasm f32"], r["numpy f32"])} |`;
    }),
    ...all.matvec.map(([label, r]) =>
      label.includes(CALL_COST)
        ? `| ${label} | ${ratio(r["jacobi wasm"], r["jacobi"])} (${cell(r["jacobi wasm"])} vs ${cell(r["jacobi"])}) | — | — | — | — |`
        : `| ${label.replace(/ \(.*\)$/, "")} | ${ratio(r["jacobi wasm"], r["jacobi"])} | ${ratio(r["jacobi wasm f32"], r["jacobi wasm"])} | ${ratio(r["jacobi wasm"], r["tfjs-wasm"])} | ${ratio(r["jacobi wasm"], r["numpy f64"])} | ${ratio(r["jacobi wasm f32"], r["numpy f32"])} |`,
    ),
  ];
}

/** The ratio of CPU times per call (less sensitive than wall time to other work on the machine). */
const cpuRatio = (a: Timing | undefined, b: Timing | undefined): string => (a?.cpu !== undefined && b?.cpu !== undefined ? `${(a.cpu / b.cpu).toFixed(2)}×` : "—");

/** f64 wasm time / f32 wasm time on each product at 128×784. */
function f32Aim(rows: readonly [string, Row][]): string {
  const speedups = rows.filter(([l]) => !l.includes(CALL_COST)).map(([l, r]) => [l.replace(/ \(.*\)$/, ""), ratioValue(r["jacobi wasm"], r["jacobi wasm f32"])] as const);
  if (speedups.some(([, v]) => v === undefined)) return "not measured";
  const all = speedups.every(([, v]) => v! >= 1.7);
  const cpu = rows.filter(([l]) => !l.includes(CALL_COST)).map(([, r]) => cpuRatio(r["jacobi wasm"], r["jacobi wasm f32"]));
  return `${all ? "reached" : "not reached"}: ${speedups.map(([l, v]) => `${l} ${v!.toFixed(2)}×`).join(", ")} (CPU time: ${cpu.join(", ")})`;
}

function aims(all: All, gflops: number): void {
  const big = all.network.find(([l]) => l.startsWith("(784"))![1];
  const flops = networkFlops(784, 128, 10, 64);
  const rate = (t: Timing | undefined): string => (t ? `${(flops / t.median / 1e9).toFixed(2)} GFLOP/s` : "—");
  const np = big["numpy f64"];
  const r = ratioValue(big["jacobi"], np);
  const rw = ratioValue(big["jacobi wasm"], np);
  const n5 = (rows: [string, Row][]): Row => rows.find(([l]) => l === "100000")![1];
  const vs = (row: Row, key: string): string => {
    const v = ratioValue(row[key], row["tfjs-wasm"]);
    return v === undefined ? "not measured" : `${v < 1 ? "reached" : "not reached"} (${v.toFixed(2)}×; CPU time ${cpuRatio(row[key], row["tfjs-wasm"])})`;
  };
  out(
    "## Aims of issue 15, in this run",
    "",
    `The batch-64 step does ${(flops / 1e6).toFixed(1)} MFLOP: jacobi ${rate(big["jacobi"])}, jacobi f32 ${rate(big["jacobi f32"])}, jacobi wasm ${rate(big["jacobi wasm"])}, jacobi wasm f32 ${rate(big["jacobi wasm f32"])}, hand blocked ${rate(big["hand blocked"])},`,
    `numpy f64 ${rate(np)}, numpy f32 ${rate(big["numpy f32"])}; the register-only scalar-JS ceiling is ${gflops.toFixed(2)} GFLOP/s.`,
    "",
    "Ratios of wall-clock medians; CPU-time ratios beside them (this machine's other work inflates wall time; a peer using",
    "more than one thread would show more CPU time than wall time).",
    "",
    "| aim | result |",
    "|---|---|",
    `| batch-64 step ≤ 3× numpy f64 (stretch 2×) | ${rw === undefined || r === undefined ? "numpy not measured" : `wasm target: ${rw <= 3 ? "reached" : "not reached"}, ${rw.toFixed(2)}× (${rate(big["jacobi wasm"])}; CPU time ${cpuRatio(big["jacobi wasm"], np)}); JS target: ${r.toFixed(2)}× (3× would need ${(flops / (3 * (np?.median ?? 1)) / 1e9).toFixed(1)} GFLOP/s, above scalar JavaScript's ${gflops.toFixed(1)} GFLOP/s ceiling)`} |`,
    `| softmax at n = 1e5 faster than tfjs-wasm | wasm target: ${vs(n5(all.softmax), "jacobi wasm")}; wasm f32: ${vs(n5(all.softmax), "jacobi wasm f32")}; JS target: ${vs(n5(all.softmax), "jacobi")} |`,
    `| softmax VJP at n = 1e5 faster than tfjs-wasm | wasm target: ${vs(n5(all.vjp), "jacobi wasm")}; wasm f32: ${vs(n5(all.vjp), "jacobi wasm f32")}; JS target: ${vs(n5(all.vjp), "jacobi")} |`,
    `| f32 WASM ≥ 1.7× f64 WASM on the products | ${f32Aim(all.matvec)} |`,
    "",
  );
}

async function main(): Promise<void> {
  header();
  const { gflops } = wanted("ceilings") ? ceilings() : { gflops: NaN };
  if (wanted("imports")) imports();
  const all: All = {
    softmax: wanted("softmax") ? await softmaxRows("softmax") : [],
    vjp: wanted("softmax") ? await softmaxRows("softmaxVjp") : [],
    jacobian: wanted("jacobian") ? await jacobianRows() : [],
    matvec: wanted("matvec") ? await matvecRows() : [],
    network: wanted("network") ? await networkRows() : [],
  };
  const kernelImpls = ["jacobi", "jacobi f32", "jacobi wasm", "jacobi wasm f32", "hand", ...PEERS];
  const WASM_RATIOS: [string, string][] = [
    ["jacobi wasm", "jacobi"],
    ["jacobi wasm", "tfjs-wasm"],
    ["jacobi wasm", "numpy f64"],
    ["jacobi wasm f32", "numpy f32"],
  ];
  const wasmNote = [
    "`jacobi wasm`, `jacobi wasm f32`: the same kernels on the wasm target (`compile(text, { target: \"wasm\" })`, what `jacobi gen --target wasm`",
    "writes): WebAssembly SIMD loops (f64x2, f32x4), the inputs copied into linear memory and the outputs copied out on every call.",
    "",
  ];
  out("## softmax(x)", "", ...wasmNote, ...table("n", all.softmax, kernelImpls, [["jacobi", "hand"], ...PEER_RATIOS, ...WASM_RATIOS]), "");
  out("## softmax VJP: s .* (g - g'*s)", "", ...table("n", all.vjp, kernelImpls, [["jacobi", "hand"], ...PEER_RATIOS, ...WASM_RATIOS]), "");
  out(
    "## softmax Jacobian: diag(s) - s*s' (n×n)",
    "",
    ...table("n", all.jacobian, ["jacobi", "jacobi wasm", "hand", ...PEERS, "set of n²"], [["jacobi", "hand"], ["jacobi", "tfjs-wasm"], ["jacobi", "numpy f64"], ["jacobi wasm", "jacobi"], ["jacobi wasm", "tfjs-wasm"], ["jacobi", "set of n²"]]),
    "",
  );
  out(
    "## Matrix-vector pullbacks at W: 128×784",
    "",
    ...table("kernel", all.matvec, ["jacobi", "jacobi f32", "jacobi wasm", "jacobi wasm f32", "hand", ...PEERS], [
      ["jacobi", "hand"],
      ["jacobi wasm", "jacobi"],
      ["jacobi wasm f32", "jacobi wasm"],
      ["jacobi wasm", "tfjs-wasm"],
      ["jacobi wasm", "numpy f64"],
      ["jacobi wasm f32", "numpy f32"],
      ["jacobi", "numpy f64"],
    ]),
    "",
  );
  out(
    "## The network: loss and gradients (sigmoid layer, softmax, cross-entropy)",
    "",
    "`mlpGrads` for one sample; `mlpGradsBatch` sums loss and gradients over a batch. The idiomatic hand-written step loops over the samples;",
    "the blocked one computes the batch as matrix products in 2×4 register blocks, as jacobi does (X W1', Z1 W2', G2 W2, G2' Z1, G3' X).",
    "",
    ...table("sizes (n0, n1, n2), batch", all.network, ["jacobi", "jacobi f32", "jacobi wasm", "jacobi wasm f32", "hand idiomatic", "hand blocked", ...PEERS], [
      ["jacobi", "hand idiomatic"],
      ["jacobi", "hand blocked"],
      ["jacobi f32", "jacobi"],
      ...PEER_RATIOS,
      ...WASM_RATIOS,
      ["jacobi wasm f32", "jacobi wasm"],
    ]),
    "",
  );
  const blas = numpyInfo === undefined ? "numpy: not run" : typeof numpyInfo === "string" ? `numpy: skipped (${numpyInfo})` : `numpy ${numpyInfo.numpy}; OpenBLAS kernel: ${numpyInfo.openblas}`;
  out(`${blas}.`, "");
  if (ONLY === undefined) aims(all, gflops);
  if (wanted("deep")) {
    // deep networks: gradient kernels by depth against hand-written backprop, derivation time
    const deep = deepBenchmarks(time, log, vec, agree, QUICK);
    out(...deep.lines);
    raw.push(...deep.raw);
  }
  if (wanted("symbolic")) {
    symbolicVsMathjs();
    const symbolic = symbolicBenchmarks(time, log, QUICK);
    out(...symbolic.lines);
    raw.push(...symbolic.raw);
  }
  if (notes.length > 0) out("## Not run", "", ...notes.map((x) => `- ${x}`), "");
  out("## Checks", "", checks.length === 0 ? "Before timing, every implementation's result was compared with jacobi's: all agree (f64 to 1e-10, float32 to 1e-4; relative for the loss)." : checks.map((c) => `- ${c}`).join("\n"), "");
  out("## Raw timings", "", "| measurement | median | q1 | q3 | spread | CPU per call | samples × calls |", "|---|---:|---:|---:|---:|---:|---:|");
  for (const [label, t] of raw) out(`| ${label} | ${time(t.median)} | ${time(t.q1)} | ${time(t.q3)} | ${spread(t)} | ${t.cpu === undefined ? "—" : time(t.cpu)} | ${t.samples} × ${t.calls} |`);
  out("", `Load average at the end: ${load()} (on ${cpus().length} cores; other work was running on the machine when this is near or above the core count). Total bench time: ${elapsed().toFixed(0)} s.`, "");
  if (ONLY !== undefined) {
    const partial = join(ROOT, "node_modules", ".cache", "jacobi-bench", "RESULTS.md");
    writeFileSync(partial, lines.join("\n"));
    log(`wrote ${partial} (sections ${ONLY.join(", ")}; sink ${sinkValue() === 0 ? 0 : 1})`);
    return;
  }
  writeFileSync(join(ROOT, "bench", "RESULTS.md"), lines.join("\n"));
  writeReadme(summary(all));
  log(`wrote bench/RESULTS.md and README.md's table (sink ${sinkValue() === 0 ? 0 : 1})`);
}

/** Replaces the table between the README's bench markers. */
function writeReadme(tableLines: string[]): void {
  const path = join(ROOT, "README.md");
  const readme = readFileSync(path, "utf8");
  const begin = "<!-- bench:summary -->";
  const end = "<!-- /bench:summary -->";
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end);
  if (a < 0 || b < a || QUICK) return;
  writeFileSync(path, `${readme.slice(0, a + begin.length)}\n${tableLines.join("\n")}\n${readme.slice(b)}`);
}

await main();
