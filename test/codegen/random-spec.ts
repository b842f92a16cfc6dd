/**
 * Random kernel specs for property tests: random expressions of the language over
 *   a: scalar; x, y, v: vector(n); g: vector(m); W: matrix(m, n); A: matrix(n, n)
 * built from the constructs kernels meet: elementwise chains and functions, sums and
 * dot products, products with matrices (W*x, W'*g, A*A, outer products), diag, softmax
 * and log-softmax, log-sum-exp, definitions; then a kernel: the value, a VJP, a JVP, a
 * gradient or a Jacobian. Functions are chosen to be finite on [-2, 2] (log only of
 * positive things).
 */
export type Kind = "s" | "n" | "m" | "mn" | "nn";

export const DECLS = ["a: scalar", "x: vector(n)", "y: vector(n)", "v: vector(n)", "g: vector(m)", "W: matrix(m, n)", "A: matrix(n, n)"];

export interface RandomSpec {
  readonly text: string;
  readonly kernel: string;
  readonly op: string;
}

/** Builds random expression texts of each kind. */
export class ExprGen {
  readonly defs: { name: string; kind: Kind; text: string }[] = [];

  constructor(private readonly random: () => number) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private defsOf(kind: Kind): string[] {
    return this.defs.filter((d) => d.kind === kind).map((d) => d.name);
  }

  /** An expression of the kind, with operators nested up to `depth`. */
  expr(kind: Kind, depth: number): string {
    if (depth <= 0) return this.leaf(kind);
    const d = depth - 1;
    // every operand parenthesized: precedence never regroups what was generated
    const e = (k: Kind): string => `(${this.expr(k, d)})`;
    switch (kind) {
      case "s":
        return this.pick([
          () => `sum(${e("n")})`,
          () => `${e("n")}'*${e("n")}`,
          () => `log(sum(exp(${e("n")})))`,
          () => `${e("s")}*${e("s")}`,
          () => `${e("s")} + ${e("s")}`,
          () => `sigmoid(${e("s")})`,
          () => `${e("m")}'*W*${e("n")}`,
          () => `${e("n")}'*A*${e("n")}`,
          () => `sum(${e("mn")})`,
          () => `-sum(y .* log(exp(${e("n")})/sum(exp(${e("n")}))))`,
          () => this.leaf("s"),
        ])();
      case "n":
        return this.pick([
          () => `${e("n")} + ${e("n")}`,
          () => `${e("n")} - ${e("n")}`,
          () => `${e("n")} .* ${e("n")}`,
          () => `${e("s")}*${e("n")}`,
          () => `${this.pick(["exp", "sin", "cos", "tanh", "sigmoid", "atan"])}(${e("n")})`,
          () => `${e("n")} ./ (1 + ${e("n")}.^2)`,
          () => `exp(${e("n")})/sum(exp(${e("n")}))`,
          () => `log(exp(${e("n")})/sum(exp(${e("n")})))`,
          () => `W'*${e("m")}`,
          () => `A*${e("n")}`,
          () => `A'*${e("n")}`,
          () => `diag(${e("nn")})`,
          () => `(${e("n")}'*${e("n")})*${e("n")}`,
          () => `log(1 + ${e("n")}.^2)`,
          () => this.leaf("n"),
        ])();
      case "m":
        return this.pick([
          () => `W*${e("n")}`,
          () => `${e("m")} + ${e("m")}`,
          () => `${e("m")} .* ${e("m")}`,
          () => `sigmoid(${e("m")})`,
          () => `${e("s")}*${e("m")}`,
          () => this.leaf("m"),
        ])();
      case "mn":
        return this.pick([
          () => `${e("m")}*${e("n")}'`,
          () => `W .* ${e("mn")}`,
          () => `tanh(${e("mn")})`,
          () => `${e("mn")} + ${e("mn")}`,
          () => `W*A`,
          () => `W*diag(${e("n")})`,
          () => this.leaf("mn"),
        ])();
      case "nn":
        return this.pick([
          () => `diag(${e("n")}) - ${e("n")}*${e("n")}'`,
          () => `A*A'`,
          () => `A + A'`,
          () => `${e("n")}*${e("n")}'`,
          () => `A .* ${e("nn")}`,
          () => `W'*W`,
          () => this.leaf("nn"),
        ])();
    }
  }

  private leaf(kind: Kind): string {
    const own = this.defsOf(kind);
    const fixed: Record<Kind, string[]> = { s: ["a", "0.5", "2"], n: ["x", "y", "v"], m: ["g"], mn: ["W"], nn: ["A"] };
    return this.pick([...fixed[kind], ...own]);
  }
}

const VECTOR_NAMES: Record<Kind, string | undefined> = { s: undefined, n: "v", m: "g", mn: undefined, nn: undefined };

/** A random spec with one kernel. */
export function randomSpec(random: () => number): RandomSpec {
  const gen = new ExprGen(random);
  const lines = [...DECLS];
  const defCount = Math.floor(random() * 3);
  for (let k = 1; k <= defCount; k++) {
    const kind = (["s", "n", "n", "m", "mn"] as const)[Math.floor(random() * 5)]!;
    const text = gen.expr(kind, 2);
    lines.push(`d${k} = ${text}`);
    gen.defs.push({ name: `d${k}`, kind, text });
  }
  const ops = ["value", "vjp", "jvp", "grad", "jacobian", "gradW"] as const;
  const op = ops[Math.floor(random() * ops.length)]!;
  const kind: Kind = op === "grad" || op === "gradW" ? "s" : op === "jacobian" ? (["n", "m", "s"] as const)[Math.floor(random() * 3)]! : (["s", "n", "m", "mn", "nn"] as const)[Math.floor(random() * 5)]!;
  lines.push(`f = ${gen.expr(kind, 3)}`);
  const by = op === "gradW" ? "W" : "x";
  const kernel =
    op === "value"
      ? "kernel k = f"
      : op === "vjp"
        ? VECTOR_NAMES[kind]
          ? `kernel k = vjp(f, x, ${VECTOR_NAMES[kind]})`
          : "kernel k = f"
        : op === "jvp"
          ? "kernel k = jvp(f, x, v)"
          : op === "jacobian"
            ? "kernel k = jacobian(f, x)"
            : `kernel k = grad(f, ${by}, a)`;
  lines.push(kernel);
  return { text: lines.join("\n"), kernel: "k", op };
}
