// The kernels of softmax.jacobi, typed by softmax.jacobi.d.ts (written by the plugin).
import { softmax, softmaxVjp } from "./softmax.jacobi";

const x = Float64Array.of(0.2, -1.3, 0.7);
const s: Float64Array = softmax({ x });
const dx: Float64Array = softmaxVjp({ x, g: Float64Array.of(1, 0, 0) });
const show = (v: Float64Array): string => Array.from(v, (e) => e.toFixed(6)).join(", ");

document.querySelector("#out")!.textContent = `softmax: ${show(s)}\nvjp: ${show(dx)}`;
