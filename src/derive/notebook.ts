/**
 * The notebook's derivations, written for the main job (`npm start`, `npm run generate`):
 * the softmax Jacobian, the network's loss gradients, and the matrix-vector VJP, each as
 * a LaTeX document and an HTML page. The files depend only on the programs, so every
 * run writes the same bytes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DerivativeSpec } from "../calculus/derive.js";
import { parseProgram } from "../parse/parse.js";
import { recordDerivation } from "./derivation.js";
import { derivationPage } from "./html.js";
import { derivationDocument } from "./tex.js";

export interface NotebookDerivation {
  /** The files' base name. */
  readonly name: string;
  readonly title: string;
  readonly program: string;
  readonly specs: readonly DerivativeSpec[];
}

/** The network of the notebook (examples/network.jacobi, beside src/ and dist/). */
const networkProgram = (): string => readFileSync(new URL("../../examples/network.jacobi", import.meta.url), "utf8");

export function notebookDerivations(): NotebookDerivation[] {
  return [
    {
      name: "softmax-jacobian",
      title: "The softmax Jacobian",
      program: "x: vector(n); s = exp(x)/sum(exp(x))",
      specs: [{ kind: "jacobian", wrt: "x" }],
    },
    {
      name: "network-gradients",
      title: "The network's loss gradients",
      program: networkProgram(),
      specs: ["W1", "b1", "W2", "b2"].map((wrt) => ({ kind: "grad", wrt })),
    },
    {
      name: "matvec-vjp",
      title: "The VJP of the matrix-vector product",
      program: "W: matrix(m,n); x: vector(n); g: vector(m); W*x",
      specs: [{ kind: "vjp", wrt: "W", cotangent: "g" }],
    },
  ];
}

/** Writes each derivation as NAME.tex and NAME.html in `dir`; returns the paths written, in order. */
export function writeNotebookDerivations(dir: string, io: { readonly writeFile: (path: string, text: string) => void }): string[] {
  const written: string[] = [];
  for (const d of notebookDerivations()) {
    const derivation = recordDerivation(parseProgram(d.program), d.specs, { source: d.program, title: d.title });
    const tex = join(dir, `${d.name}.tex`);
    const html = join(dir, `${d.name}.html`);
    io.writeFile(tex, derivationDocument(derivation));
    io.writeFile(html, derivationPage(derivation));
    written.push(tex, html);
  }
  return written;
}
