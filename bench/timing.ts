/**
 * Timing: a warm-up, then repeated samples of K calls each (K grown until a sample
 * takes long enough to time well); the result is the median time per call over the
 * samples, with the quartiles. Results feed a sink so no call is optimized away.
 */

export interface Timing {
  /** Seconds per call: median over the samples. */
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly samples: number;
  /** Calls per sample. */
  readonly calls: number;
  /** CPU seconds (user + system, all threads of the process) per call: median over the samples. */
  readonly cpu?: number;
}

export interface TimingOptions {
  readonly warmupMs?: number;
  /** The shortest sample worth timing. */
  readonly sampleMs?: number;
  readonly samples?: number;
  /** Stop adding samples after this long (but take at least 5). */
  readonly budgetMs?: number;
}

let sink = 0;
/** Keeps results observable. */
export function consume(v: unknown): void {
  if (typeof v === "number") sink += v;
  else if (v instanceof Float64Array || v instanceof Float32Array) sink += v[0] ?? 0;
  else if (v && typeof v === "object" && "loss" in v) sink += (v as { loss: number }).loss;
}
export const sinkValue = (): number => sink;

const now = (): number => Number(process.hrtime.bigint()) / 1e9;
/** CPU seconds used by the process so far. */
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** A call slower than this is timed alone: 3 samples of one call each, no more warm-up. */
const SLOW = 0.25;

export function measure(fn: () => unknown, options: TimingOptions = {}): Timing {
  const first = now();
  consume(fn());
  const once = now() - first;
  if (once > SLOW) {
    const times: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < 3; r++) {
      const c0 = cpuNow();
      const t0 = now();
      consume(fn());
      times.push(now() - t0);
      cpu.push(cpuNow() - c0);
    }
    return summary(times, cpu, 1);
  }
  const warmup = (options.warmupMs ?? 150) / 1000;
  const sampleTime = (options.sampleMs ?? 10) / 1000;
  const wanted = options.samples ?? 15;
  const budget = (options.budgetMs ?? 4000) / 1000;
  const start = now();
  let calls = 0;
  while (now() - start < warmup || calls < 3) {
    consume(fn());
    calls++;
  }
  let k = 1;
  for (;;) {
    const t0 = now();
    for (let c = 0; c < k; c++) consume(fn());
    if (now() - t0 >= sampleTime || k >= 1 << 24) break;
    k *= 2;
  }
  const times: number[] = [];
  const cpu: number[] = [];
  const began = now();
  while (times.length < wanted && (times.length < 5 || now() - began < budget)) {
    const c0 = cpuNow();
    const t0 = now();
    for (let c = 0; c < k; c++) consume(fn());
    times.push((now() - t0) / k);
    cpu.push((cpuNow() - c0) / k);
  }
  return summary(times, cpu, k);
}

function summary(times: number[], cpu: number[], calls: number): Timing {
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), q1: quantile(times, 0.25), q3: quantile(times, 0.75), samples: times.length, calls, cpu: quantile(cpu, 0.5) };
}

/**
 * Several implementations timed in alternation (sample 1 of each, then sample 2 of
 * each, …), so that changing load on the machine affects them alike.
 */
export function measureGroup(fns: Readonly<Record<string, () => unknown>>, options: TimingOptions = {}): Record<string, Timing> {
  const warmup = (options.warmupMs ?? 150) / 1000;
  const sampleTime = (options.sampleMs ?? 10) / 1000;
  const wanted = options.samples ?? 15;
  const budget = (options.budgetMs ?? 4000) / 1000;
  const names = Object.keys(fns);
  const calls = new Map<string, number>();
  for (const name of names) {
    const fn = fns[name]!;
    const start = now();
    let c = 0;
    while (now() - start < warmup || c < 3) {
      consume(fn());
      c++;
    }
    let k = 1;
    for (;;) {
      const t0 = now();
      for (let i = 0; i < k; i++) consume(fn());
      if (now() - t0 >= sampleTime || k >= 1 << 24) break;
      k *= 2;
    }
    calls.set(name, k);
  }
  const times = new Map<string, number[]>(names.map((n) => [n, []]));
  const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
  const began = now();
  for (let round = 0; round < wanted && (round < 5 || now() - began < budget * names.length); round++) {
    for (const name of names) {
      const fn = fns[name]!;
      const k = calls.get(name)!;
      const c0 = cpuNow();
      const t0 = now();
      for (let i = 0; i < k; i++) consume(fn());
      times.get(name)!.push((now() - t0) / k);
      cpu.get(name)!.push((cpuNow() - c0) / k);
    }
  }
  const out: Record<string, Timing> = {};
  for (const name of names) out[name] = summary(times.get(name)!, cpu.get(name)!, calls.get(name)!);
  return out;
}

/** Median seconds of a one-off operation (each run fresh), for costs that are not per call of a kernel. */
export function measureOnce(fn: () => unknown, runs = 15): Timing {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs + 2; r++) {
    const c0 = cpuNow();
    const t0 = now();
    consume(fn());
    if (r >= 2) {
      times.push(now() - t0);
      cpu.push(cpuNow() - c0);
    }
  }
  return summary(times, cpu, 1);
}
