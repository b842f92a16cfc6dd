/**
 * The playground's build: a static page in playground/dist that bundles the library from
 * src/ (so a Node-only import in the library would break this build). `npm run
 * playground` builds it and serves it with `vite preview`; `npm run playground:build`
 * only builds it.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./",
  clearScreen: false,
  resolve: { alias: [{ find: /^prettier$/, replacement: here("./prettier-browser.ts") }] },
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 3000 },
  // the work runs in a module worker (playground/worker.ts), which loads prettier's parts on demand
  worker: { format: "es" },
  preview: { host: "127.0.0.1", port: 5173 },
});
