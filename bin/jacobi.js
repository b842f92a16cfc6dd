#!/usr/bin/env node
// The `jacobi` command. `npm ci` builds dist/ (the prepare script).
import("../dist/cli/main.js").catch((e) => {
  process.stderr.write(`jacobi is not built (${e.message}); run: npm run build\n`);
  process.exitCode = 70;
});
