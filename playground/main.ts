/**
 * The playground page: the program and the derivative's options in, the panels out,
 * recomputed as the user types (after a short pause) in a Web Worker (worker.ts), so the
 * page never blocks. Formulas are typeset by KaTeX; the kernel is jacobi's `generate`.
 * The inputs live in the URL's fragment (a link restores them); every panel has a copy
 * button. The mode `check` judges the program's claims instead (claims-page.ts).
 */
import katex from "katex";
import "katex/dist/katex.min.css";
import NOTEBOOK_CLAIMS from "../examples/notebook-claims.jacobi?raw";
import { claimCards, claimsText } from "./claims-page.js";
import { MODES, type Mode, type Panel, type Request, type View } from "./compute.js";
import type { WorkRequest, WorkResult } from "./worker.js";
import "./style.css";

interface Example {
  readonly label: string;
  readonly text: string;
  readonly kind: Mode;
  readonly wrt: string;
  readonly vector: string;
  readonly values?: string;
}

const NETWORK = `# 2 inputs, a sigmoid layer of 3, a softmax layer of 3, cross-entropy loss
x: vector(2)
y: vector(3)
W1: matrix(3, 2)
b1: vector(3)
W2: matrix(3, 3)
b2: vector(3)
z1 = sigmoid(W1*x + b1)
s = exp(W2*z1 + b2)/sum(exp(W2*z1 + b2))
L = -sum(y .* log(s))`;

const EXAMPLES: readonly Example[] = [
  { label: "softmax", text: "x: vector(n)\ns = exp(x)/sum(exp(x))", kind: "jacobian", wrt: "x", vector: "", values: "x=[0.2, -1.3, 0.7]" },
  { label: "softmax vjp", text: "x: vector(n)\ng: vector(n)\ns = exp(x)/sum(exp(x))", kind: "vjp", wrt: "x", vector: "g" },
  { label: "W*x vjp", text: "W: matrix(m,n)\nx: vector(n)\nW*x", kind: "vjp", wrt: "W", vector: "g" },
  { label: "quadratic form", text: "x: vector(n)\nA: matrix(n,n)\nx'*A*x", kind: "grad", wrt: "x", vector: "" },
  { label: "log-sum-exp", text: "x: vector(n)\nlog(sum(exp(x)))", kind: "hessian", wrt: "x", vector: "" },
  { label: "network (backprop)", text: NETWORK, kind: "grad", wrt: "W1", vector: "" },
  { label: "notebook's claims (check)", text: NOTEBOOK_CLAIMS, kind: "check", wrt: "", vector: "" },
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
const wrtLabel = $<HTMLLabelElement>("#wrt-label");
const sizesLabel = $<HTMLLabelElement>("#sizes-label");
const sizes = $<HTMLInputElement>("#sizes");
const values = $<HTMLInputElement>("#values");
const examples = $<HTMLSelectElement>("#examples");
const errorBox = $<HTMLPreElement>("#error");
const panel = (name: string): HTMLElement => $(`#panel-${name} .out`);

for (const k of MODES) kind.add(new Option(k === "check" ? "check claims" : k, k));
for (const [k, e] of EXAMPLES.entries()) examples.add(new Option(e.label, String(k)));

/** What each panel's copy button copies: LaTeX for formulas, text for the kernel and the values. */
const copyable = new Map<string, string>();

/**
 * A formula, typeset; a formula KaTeX cannot typeset shows as its source. The LaTeX is
 * jacobi's own (no user macros), so the expansion limit only has to be above what a
 * large element-wise matrix needs (KaTeX's default, 1000, is below it).
 */
function math(tex: string): HTMLElement {
  const el = document.createElement("div");
  try {
    katex.render(tex, el, { displayMode: true, throwOnError: true, output: "htmlAndMathml", maxExpand: Infinity });
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
function fill<T>(name: string, content: Panel<T> | undefined, show: (value: T) => Node[], copy: (value: T) => string): void {
  const out = panel(name);
  const section = out.parentElement!;
  section.classList.toggle("stale", content === undefined);
  if (content === undefined) return; // keep the last result, dimmed, while the input is wrong
  out.replaceChildren(...(content.ok ? show(content.value) : [text("problem", content.message)]));
  copyable.set(name, content.ok ? copy(content.value) : content.message);
}

function request(): Request {
  return { text: program.value, kind: kind.value as Mode, wrt: wrt.value.trim(), vector: vector.value.trim(), sizes: sizes.value, values: values.value };
}

/** The inputs as the URL's fragment: `#program=…&kind=…&wrt=…&vector=…&sizes=…&values=…`. */
function saveToUrl(req: Request): void {
  const params = new URLSearchParams({ program: req.text, kind: req.kind, wrt: req.wrt, vector: req.vector, sizes: req.sizes, values: req.values ?? "" });
  history.replaceState(null, "", `#${params.toString()}`);
}

/** Restores the inputs from the URL's fragment; false when it has no program. */
function loadFromUrl(): boolean {
  const params = new URLSearchParams(location.hash.slice(1));
  const text = params.get("program");
  if (text === null) return false;
  program.value = text;
  const k = params.get("kind");
  kind.value = MODES.includes(k as Mode) ? (k as Mode) : "jacobian";
  wrt.value = params.get("wrt") ?? "";
  vector.value = params.get("vector") ?? "";
  sizes.value = params.get("sizes") ?? "";
  values.value = params.get("values") ?? "";
  return true;
}

function show(v: View, kernel: string | undefined): void {
  errorBox.hidden = v.error === undefined;
  errorBox.textContent = v.error ?? "";
  fill("program", v.program === undefined ? undefined : { ok: true, value: v.program }, (lines) => lines.map(math), (lines) => lines.join("\n"));
  fill("matrix", v.matrix, (tex) => [math(tex)], (tex) => tex);
  // more room between the rows of a matrix of fractions
  fill("elementwise", v.elementwise, (tex) => [math(`\\def\\arraystretch{1.7}${tex}`)], (tex) => tex);
  fill(
    "steps",
    v.steps,
    (sections) =>
      sections.flatMap((s) => {
        const h = document.createElement("h3");
        h.textContent = s.title;
        return [h, math(s.latex)];
      }),
    (sections) => sections.map((s) => `% ${s.title}\n${s.latex}`).join("\n\n"),
  );
  $("#panel-values").hidden = values.value.trim() === "" || kind.value === "check";
  fill("values", v.values, (t) => [text("numbers", t)], (t) => t);
  fill("kernel", kernel === undefined ? undefined : { ok: true, value: kernel }, (code) => [document.createTextNode(code)], (code) => code);
  fill("check", v.claims === undefined ? undefined : { ok: true, value: v.claims }, (claims) => claimCards(claims, math), claimsText);
}

/** The panels and fields of the mode: the derivative's, or the check's (where the values are held fixed). */
function showMode(mode: Mode): void {
  const checking = mode === "check";
  vectorLabel.hidden = mode !== "jvp" && mode !== "vjp";
  vectorLabel.firstChild!.textContent = mode === "jvp" ? "tangent " : "cotangent ";
  wrtLabel.hidden = sizesLabel.hidden = checking;
  for (const name of ["matrix", "elementwise", "steps", "kernel"]) $(`#panel-${name}`).hidden = checking;
  $("#panel-check").hidden = !checking;
}

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
let latest = 0;
let revision = 0;

worker.onmessage = ({ data }: MessageEvent<WorkResult>) => {
  if (data.id !== latest) return; // a newer request is on its way
  show(data.view, data.kernel);
  document.body.dataset["revision"] = String(++revision);
};

function update(): void {
  const req = request();
  showMode(req.kind);
  saveToUrl(req);
  const message: WorkRequest = { id: ++latest, request: req };
  worker.postMessage(message);
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
  values.value = e.values ?? "";
  update();
}

for (const button of document.querySelectorAll<HTMLButtonElement>("button.copy")) {
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(copyable.get(button.dataset["copy"]!) ?? "");
    button.textContent = "copied";
    setTimeout(() => (button.textContent = "copy"), 1200);
  });
}

for (const input of [program, wrt, vector, sizes, values]) input.addEventListener("input", schedule);
kind.addEventListener("change", update);
examples.addEventListener("change", () => load(EXAMPLES[Number(examples.value)]!));
if (loadFromUrl()) update();
else load(EXAMPLES[0]!);
