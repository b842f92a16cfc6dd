/**
 * `jacobi notebook`: the main job — the backprop notebook reproduced and checked, and
 * its derivations and seed kernels written to a folder (generated/ by default).
 */
import { generateModule, regenerateCommand } from "../../codegen/index.js";
import { writeNotebookDerivations } from "../../derive/notebook.js";
import { formatNotebookReport } from "../../notebook/format.js";
import { runNotebook } from "../../notebook/run.js";
import { flag, single } from "../args.js";
import type { Command } from "../command.js";
import type { Io } from "../io.js";

/** The kernel specs of the notebook's seed kernels (examples/, beside src/ and dist/). */
const SEED_SPECS = ["softmax", "matvec", "mlp"] as const;

async function writeOutputs(dir: string, io: Io): Promise<string[]> {
  const written = writeNotebookDerivations(dir, io);
  for (const name of SEED_SPECS) {
    const path = new URL(`../../../examples/${name}.jacobi`, import.meta.url);
    const code = await generateModule(io.readFile(path.pathname), { label: `${name}.jacobi`, command: regenerateCommand(`examples/${name}.jacobi`, dir, "f64") });
    const target = `${dir}/${name}.ts`;
    io.writeFile(target, code);
    written.push(target);
  }
  return written;
}

export const notebookCommand: Command = {
  name: "notebook",
  summary: "reproduce the backprop notebook from formula strings, check every number, write its derivations and kernels (npm start)",
  usage: "jacobi notebook [--out DIR] [--quiet]",
  options: [
    { name: "out", short: "o", value: "DIR", help: "where to write the derivations (.tex, .html) and seed kernels (.ts); default generated" },
    { name: "quiet", help: "write the files without printing the report (npm run generate)" },
  ],
  examples: ["jacobi notebook", "jacobi notebook --out /tmp/notebook"],
  async run(args, io) {
    if (!flag(args, "quiet")) io.out(formatNotebookReport(runNotebook()));
    const dir = (single(args, "out") ?? "generated").replace(/[\\/]+$/, "");
    const written = await writeOutputs(dir, io);
    if (!flag(args, "quiet")) io.out(["", `Wrote the derivations and seed kernels to ${dir}/:`, ...written.map((w) => `  ${w}`)].join("\n"));
  },
};
