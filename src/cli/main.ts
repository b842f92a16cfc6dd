/** The process entry point of the `jacobi` command. */
import { runCli } from "./run.js";

// A reader that stops early (`jacobi notebook | head`) closes the pipe: that ends the
// output quietly, as with any Unix tool, not with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    // a full disk or another write failure (jacobi … > /dev/full): one line, exit 1, no stack trace
    if (stream === process.stdout) process.stderr.write(`error: cannot write the output: ${e.code === "ENOSPC" ? "no space left on the device" : (e.code ?? e.message)}\n`);
    process.exit(1);
  });

process.exitCode = await runCli(process.argv.slice(2));
