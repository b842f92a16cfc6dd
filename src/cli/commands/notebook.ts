/** `jacobi notebook`: the main job — the backprop notebook reproduced and checked. */
import { formatNotebookReport } from "../../notebook/format.js";
import { runNotebook } from "../../notebook/run.js";
import type { Command } from "../command.js";

export const notebookCommand: Command = {
  name: "notebook",
  summary: "reproduce the backprop notebook from formula strings and check every number (npm start)",
  usage: "jacobi notebook",
  options: [],
  examples: ["jacobi notebook"],
  run(_args, io) {
    io.out(formatNotebookReport(runNotebook()));
  },
};
