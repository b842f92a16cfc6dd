/** The process entry point of the `jacobi` command. */
import { runCli } from "./run.js";

// A reader that stops early (`jacobi notebook | head`) closes the pipe: that ends the
// output quietly, as with any Unix tool, not with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });

process.exitCode = await runCli(process.argv.slice(2));
