// The declarations of `require("jacobi")` for CommonJS TypeScript (.cts, module node16):
// Node (^20.19 or >=22.12) loads the ES module through require, and these are its types.
export * from "../dist/index.js";
