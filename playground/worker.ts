/**
 * The playground's work, off the page's thread: a request in, everything the panels show
 * out (the view, and the kernel generated from its spec), so typing never waits for a
 * derivation. Messages: `{ id, request }` in, `{ id, view, kernel }` out.
 */
import { generate } from "../src/index.js";
import { view, type Request, type View } from "./compute.js";

export interface WorkRequest {
  readonly id: number;
  readonly request: Request;
}

export interface WorkResult {
  readonly id: number;
  readonly view: View;
  /** The generated kernel (or why there is none); undefined when the view has no kernel spec. */
  readonly kernel: string | undefined;
}

async function kernelOf(spec: View["kernelSpec"]): Promise<string | undefined> {
  if (spec === undefined) return undefined;
  if (!spec.ok) return spec.message;
  try {
    return await generate(spec.value, { label: "playground.jacobi" });
  } catch (e) {
    return e instanceof Error && "format" in e && typeof e.format === "function" ? (e.format() as string) : String(e);
  }
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<WorkRequest>) => void) | null; postMessage: (m: WorkResult) => void };
scope.onmessage = async ({ data }) => {
  const v = view(data.request);
  scope.postMessage({ id: data.id, view: v, kernel: await kernelOf(v.kernelSpec) });
};
