// The declarations of `require("jacobi/vite")` for CommonJS TypeScript (.cts, module node16):
// require gives the ES module's namespace, so the plugin is `.default` (or `.jacobi`).
export * from "../dist/vite.js";
export { default } from "../dist/vite.js";
