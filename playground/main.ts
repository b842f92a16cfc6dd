/**
 * The playground page: the program and the derivative's options in, the panels out,
 * recomputed as the user types (after a short pause). Formulas are typeset by KaTeX; the
 * kernel is jacobi's `generate` (prettier's browser build formats it).
 */
import katex from "katex";
import "katex/dist/katex.min.css";
import { generate } from "../src/index.js";
import { KINDS, view, type Kind, type Panel, type Request, type View } from "./compute.js";
import "./style.css";

interface Example {
  readonly label: string;
  readonly text: string;
  readonly kind: Kind;
  readonly wrt: string;
  readonly vector: string;
}

const EXAMPLES: readonly Example[] = [
  { label: "softmax", text: "x: vector(n)\ns = exp(x)/sum(exp(x))", kind: "jacobian", wrt: "x", vector: "" },
  { label: "softmax vjp", text: "x: vector(n)\ng: vector(n)\ns = exp(x)/sum(exp(x))", kind: "vjp", wrt: "x", vector: "g" },
  { label: "W*x vjp", text: "W: matrix(m,n)\nx: vector(n)\nW*x", kind: "vjp", wrt: "W", vector: "g" },
  { label: "quadratic form", text: "x: vector(n)\nA: matrix(n,n)\nx'*A*x", kind: "grad", wrt: "x", vector: "" },
  { label: "log-sum-exp", text: "x: vector(n)\nlog(sum(exp(x)))", kind: "hessian", wrt: "x", vector: "" },
];

const $ = <T extends HTMLElement>(selector: string): T => {
  const el = document.querySelector<T>(selector);
  if (!el) throw new Error(`the page has no ${selector}`);
  return el;
};

const program = $<HTMLTextAreaElement>("#program");
const kind = $<HTMLSelectElement>("#kind");
const wrt = $<HTMLInputElement>("#wrt");
const vector = $<HTMLInputElement>("#vector");
const vectorLabel = $<HTMLLabelElement>("#vector-label");
const sizes = $<HTMLInputElement>("#sizes");
const examples = $<HTMLSelectElement>("#examples");
const errorBox = $<HTMLPreElement>("#error");
const panel = (name: string): HTMLElement => $(`#panel-${name} .out`);

for (const k of KINDS) kind.add(new Option(k, k));
for (const [k, e] of EXAMPLES.entries()) examples.add(new Option(e.label, String(k)));

/** A formula, typeset; a formula KaTeX cannot typeset shows as its source. */
function math(tex: string): HTMLElement {
  const el = document.createElement("div");
  try {
    katex.render(tex, el, { displayMode: true, throwOnError: true, output: "htmlAndMathml" });
  } catch (e) {
    el.className = "problem";
    el.textContent = `KaTeX: ${e instanceof Error ? e.message : String(e)}\n${tex}`;
  }
  return el;
}

function text(className: string, content: string): HTMLElement {
  const el = document.createElement("div");
  el.className = className;
  el.textContent = content;
  return el;
}

/** Fills a panel with what it shows, or with why it shows nothing. */
function fill<T>(name: string, content: Panel<T> | undefined, show: (value: T) => HTMLElement[]): void {
  const out = panel(name);
  const section = out.parentElement!;
  section.classList.toggle("stale", content === undefined);
  if (content === undefined) return; // keep the last result, dimmed, while the input is wrong
  out.replaceChildren(...(content.ok ? show(content.value) : [text("problem", content.message)]));
}

let kernelRun = 0;

async function showKernel(spec: View["kernelSpec"]): Promise<void> {
  const run = ++kernelRun;
  const out = panel("kernel");
  if (spec === undefined) {
    out.parentElement!.classList.add("stale");
    return;
  }
  out.parentElement!.classList.remove("stale");
  let shown: string;
  try {
    shown = spec.ok ? await generate(spec.value, { label: "playground.jacobi" }) : spec.message;
  } catch (e) {
    shown = e instanceof Error && "format" in e && typeof e.format === "function" ? (e.format() as string) : String(e);
  }
  if (run === kernelRun) out.textContent = shown;
}

function request(): Request {
  return { text: program.value, kind: kind.value as Kind, wrt: wrt.value.trim(), vector: vector.value.trim(), sizes: sizes.value };
}

let revision = 0;

function update(): void {
  const req = request();
  vectorLabel.hidden = req.kind !== "jvp" && req.kind !== "vjp";
  vectorLabel.firstChild!.textContent = req.kind === "jvp" ? "tangent " : "cotangent ";
  const v = view(req);
  errorBox.hidden = v.error === undefined;
  errorBox.textContent = v.error ?? "";
  fill("program", v.program === undefined ? undefined : { ok: true, value: v.program }, (lines) => lines.map(math));
  fill("matrix", v.matrix, (tex) => [math(tex)]);
  // more room between the rows of a matrix of fractions
  fill("elementwise", v.elementwise, (tex) => [math(`\\def\\arraystretch{1.7}${tex}`)]);
  fill("steps", v.steps, (sections) =>
    sections.flatMap((s) => {
      const h = document.createElement("h3");
      h.textContent = s.title;
      return [h, math(s.latex)];
    }),
  );
  void showKernel(v.kernelSpec).then(() => {
    document.body.dataset["revision"] = String(++revision);
  });
}

let timer: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(update, 150);
}

function load(e: Example): void {
  program.value = e.text;
  kind.value = e.kind;
  wrt.value = e.wrt;
  vector.value = e.vector;
  update();
}

for (const input of [program, wrt, vector, sizes]) input.addEventListener("input", schedule);
kind.addEventListener("change", update);
examples.addEventListener("change", () => load(EXAMPLES[Number(examples.value)]!));
load(EXAMPLES[0]!);
