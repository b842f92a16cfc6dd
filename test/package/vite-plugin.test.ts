/**
 * jacobi/vite in a real Vite build: a temporary project imports kernels from a `.jacobi`
 * spec, Vite builds it (a Node-side SSR build to an .mjs file) with the plugin, and the
 * built kernels run on numbers, checked against the library's `evaluate` of the same
 * derivatives. The project also typechecks with the repo's tsc against the declarations
 * the plugin writes (and a wrong call does not). Errors in a spec name the file, line and
 * column; in watch mode a changed spec is compiled again. No network.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type InlineConfig } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, jacobian, JacobiError, parse, vjp } from "../../src/index.js";
import { jacobi, specModule } from "../../src/vite.js";

const SPEC = `# softmax and its derivatives
x: vector(n)
g: vector(n)
s = exp(x)/sum(exp(x))

kernel softmax = s
kernel softmaxJacobian = jacobian(s, x)
kernel softmaxVjp = vjp(s, x, g)
`;

const MAIN = `import { softmax, softmaxJacobian, softmaxVjp } from "./softmax.jacobi";

export function run(x: number[], g: number[]): { value: Float64Array; jacobian: Float64Array; vjp: Float64Array } {
  const xs = Float64Array.from(x);
  return { value: softmax({ x: xs }), jacobian: softmaxJacobian({ x: xs }), vjp: softmaxVjp({ x: xs, g: Float64Array.from(g) }) };
}
`;

// if the declarations were missing or loose (any), these expected errors would not happen and tsc would fail
const MISUSE = `import { softmaxVjp } from "./softmax.jacobi";

// @ts-expect-error the cotangent g is missing
softmaxVjp({ x: new Float64Array(3) });
// @ts-expect-error x is a Float64Array, not a number
softmaxVjp({ x: 1, g: new Float64Array(3) });
// @ts-expect-error the result is a Float64Array
export const wrong: string = softmaxVjp({ x: new Float64Array(3), g: new Float64Array(3) });
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "bundler",
    lib: ["ES2022"],
    strict: true,
    noEmit: true,
    types: [],
  },
  include: ["*.ts"],
};

const repo = new URL("../../", import.meta.url);
const tsc = join(repo.pathname, "node_modules/typescript/bin/tsc");

let dir: string;

function config(entry: string, outDir: string, extra: Partial<InlineConfig["build"]> = {}): InlineConfig {
  return {
    root: dir,
    configFile: false,
    logLevel: "silent",
    plugins: [jacobi()],
    build: { ssr: join(dir, entry), outDir: join(dir, outDir), emptyOutDir: true, minify: false, rolldownOptions: { output: { entryFileNames: "[name].mjs" } }, ...extra },
  };
}

const close = (a: ArrayLike<number>, b: readonly number[]): void => {
  expect(a.length).toBe(b.length);
  for (let k = 0; k < b.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-12 * (1 + Math.abs(b[k]!)));
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "jacobi-vite-"));
  writeFileSync(join(dir, "softmax.jacobi"), SPEC);
  writeFileSync(join(dir, "main.ts"), MAIN);
  writeFileSync(join(dir, "misuse.ts"), MISUSE);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("jacobi/vite", () => {
  it("builds a project that imports kernels from a .jacobi spec, and the kernels compute the derivatives", async () => {
    await build(config("main.ts", "dist"));
    const built = join(dir, "dist/main.mjs");
    const code = readFileSync(built, "utf8");
    expect(code).not.toMatch(/from ["']jacobi|src\/codegen/); // nothing of jacobi at run time
    const { run } = (await import(pathToFileURL(built).href)) as { run: (x: number[], g: number[]) => Record<string, Float64Array> };
    const x = [0.2, -1.3, 0.7, 2.1];
    const g = [1, -0.5, 0.25, 3];
    const r = run(x, g);
    const program = parse(SPEC.split("\nkernel")[0]!);
    close(r["value"]!, evaluate(program, { x, g }) as number[]);
    close(r["jacobian"]!, (evaluate(program, { x, g }, jacobian(program, "x")) as number[][]).flat());
    close(r["vjp"]!, evaluate(program, { x, g }, vjp(program, "x", "g")) as number[]);
  });

  it("writes declarations beside the spec, so the project typechecks under tsc (and misuse does not)", async () => {
    await build(config("main.ts", "dist-types"));
    const dts = readFileSync(join(dir, "softmax.jacobi.d.ts"), "utf8");
    expect(dts).toContain("export declare function softmaxVjp(inputs: SoftmaxVjpInputs, out?: Float64Array): Float64Array;");
    expect(dts).not.toMatch(/\blet\b|\{\s*const /); // no bodies, no module scratch
    if (!existsSync(tsc)) throw new Error(`no tsc at ${tsc}`);
    execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { stdio: "pipe" });
    // the same check fails without the declarations: the import has no types
    rmSync(join(dir, "softmax.jacobi.d.ts"));
    expect(() => execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { stdio: "pipe" })).toThrow();
    writeFileSync(join(dir, "softmax.jacobi.d.ts"), dts);
  });

  it("reports an error in a spec as a Vite error with the file, line and column", async () => {
    const broken = "x: vector(n)\ns = exp(x)/sum(exp(x)\nkernel k = s\n";
    writeFileSync(join(dir, "broken.jacobi"), broken);
    writeFileSync(join(dir, "uses-broken.ts"), 'export { k } from "./broken.jacobi";\n');
    let expected: JacobiError | undefined;
    try {
      parse(broken);
    } catch (e) {
      expected = e as JacobiError;
    }
    const pos = expected!.position!;
    const error = await build(config("uses-broken.ts", "dist-broken")).then(
      () => undefined,
      (e: unknown) => e as Error & { loc?: { file?: string; line: number; column: number }; frame?: string },
    );
    expect(error, "the build must fail").toBeDefined();
    expect(error!.message).toContain(`broken.jacobi:${pos.line}:${pos.col}: ${expected!.message}`);
    // the caret line under the place, and Vite's own "file:line:column" (columns counted from 1, as editors do)
    expect(error!.message).toContain(expected!.format().split("\n").slice(1).join("\n"));
    expect(error!.message).toContain(`broken.jacobi:${pos.line}:${pos.col}\n`);
  });

  it("compiles a changed spec again in watch mode", async () => {
    writeFileSync(join(dir, "watched.jacobi"), "x: vector(n)\nkernel doubled = 2*x\n");
    writeFileSync(join(dir, "watch-main.ts"), 'export { doubled } from "./watched.jacobi";\n');
    const watcher = (await build(config("watch-main.ts", "dist-watch", { watch: {} }))) as unknown as {
      on: (event: "event", listener: (e: { code: string; result?: { close(): Promise<void> | void } }) => void) => void;
      close(): Promise<void>;
    };
    const ends: (() => void)[] = [];
    const errors: unknown[] = [];
    watcher.on("event", (e) => {
      if (e.code === "BUNDLE_END") void e.result?.close();
      if (e.code === "ERROR") errors.push(e);
      if (e.code === "END") ends.shift()?.();
    });
    const nextEnd = (): Promise<void> => new Promise((resolve) => ends.push(resolve));
    try {
      const built = join(dir, "dist-watch/watch-main.mjs");
      const first = nextEnd();
      if (!existsSync(built)) await first;
      const load = async (tag: string): Promise<Record<string, (i: { x: Float64Array }) => Float64Array>> =>
        import(`${pathToFileURL(built).href}?v=${tag}`);
      expect(Array.from((await load("1")).doubled!({ x: Float64Array.of(1, 2) }))).toEqual([2, 4]);
      const second = nextEnd();
      writeFileSync(join(dir, "watched.jacobi"), "x: vector(n)\nkernel doubled = 3*x\n");
      await second;
      expect(errors).toEqual([]);
      expect(Array.from((await load("2")).doubled!({ x: Float64Array.of(1, 2) }))).toEqual([3, 6]);
      expect(readFileSync(join(dir, "watched.jacobi.d.ts"), "utf8")).toContain("export declare function doubled(");
    } finally {
      await watcher.close();
    }
  });
});

describe("specModule", () => {
  it("exports every kernel of the spec, in file order, with a declaration for each", async () => {
    const m = await specModule(SPEC, { label: "softmax.jacobi" });
    expect(m.code).toMatch(/export \{ softmax, softmaxJacobian, softmaxVjp \};\n$/);
    for (const name of ["softmax", "softmaxJacobian", "softmaxVjp"]) expect(m.declarations).toContain(`export declare function ${name}(`);
  });

  it("says when a spec has no kernel statements", async () => {
    await expect(specModule("x: vector(n); exp(x)")).rejects.toThrow(/no kernel statements/);
  });
});
