import { defineConfig } from "vite";
import jacobi from "jacobi/vite";

// `import { softmax } from "./softmax.jacobi"` becomes plain JavaScript kernels at build time.
export default defineConfig({ plugins: [jacobi()] });
