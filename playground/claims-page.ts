/**
 * The check mode's panel on the page: one card per claim (its line, its text, the verdict;
 * for a wrong claim the earlier wrong claim it uses or the shapes, the counterexample's
 * numbers and the correct expression typeset), the first wrong claim highlighted, and the
 * report as text for the copy button.
 */
import type { ClaimCard, ClaimsView } from "./claims.js";

function element(tag: string, className: string, content = ""): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = content;
  return el;
}

function claimCard(c: ClaimCard, first: boolean, math: (tex: string) => HTMLElement): HTMLElement {
  const card = element("div", `claim ${c.verdict}${first ? " first-wrong" : ""}`);
  card.dataset["line"] = String(c.line);
  const head = element("div", "claim-head");
  head.append(element("span", "claim-line", `line ${c.line}`), element("code", "claim-text", c.text), element("span", "verdict", first ? "first wrong" : c.verdict));
  card.append(head, element("div", "summary", c.summary));
  if (c.counterexample) card.append(element("div", "numbers", c.counterexample));
  if (c.expected) card.append(c.expected.latex ? math(c.expected.latex) : element("div", "numbers", `correct: ${c.expected.text}`));
  return card;
}

/** The panel's content: the summary (`first wrong claim: line 29`), then every claim's card. */
export function claimCards(v: ClaimsView, math: (tex: string) => HTMLElement): Node[] {
  const summary = element("div", `check-summary ${v.firstWrong === null ? "holds" : "wrong"}`, v.summary);
  return [summary, ...v.cards.map((c, k) => claimCard(c, k === v.firstWrong, math))];
}

/** The report as text, as the copy button copies it. */
export function claimsText(v: ClaimsView): string {
  const lines: string[] = [];
  for (const c of v.cards) {
    lines.push(`line ${c.line}: ${c.text}`, `  ${c.summary}`);
    if (c.counterexample) lines.push(...c.counterexample.split("\n").map((l) => `  ${l}`));
    if (c.expected) lines.push(`  correct: ${c.expected.text}`);
  }
  lines.push(v.summary);
  return lines.join("\n");
}
