/**
 * Plain renderings of a derivation:
 *   text   one line a step, `rule: lhs = rhs`, the law in brackets after the rule
 *          (`chain rule [d/du exp(u) = exp(u)]: ∂exp(x[i])/∂x[a] = exp(x[i])*delta(a,i)`);
 *   LaTeX  the `align*` bodies: `lhs &= rhs && \text{rule}`, the left-hand side left
 *          out when it repeats the line above (a textbook's `&= …`).
 */
import type { Derivation, Step } from "./model.js";
import { ruleLatex } from "./notation.js";

export const stepText = (s: Step): string => `${s.rule}${s.law ? ` [${s.law.text}]` : ""}: ${s.lhs.text} = ${s.rhs.text}`;

/** The derivation as text: the setup's lines, then each part's (under a heading when there are several). */
export function derivationText(d: Derivation): string {
  const lines = d.setup.map(stepText);
  for (const part of d.parts) {
    if (d.parts.length > 1) lines.push("", `# ${part.title}`);
    lines.push(...part.steps.map(stepText));
  }
  return lines.join("\n");
}

/** The tag column of a step: its rule, and the law it uses. */
export const tagLatex = (s: Step): string => (s.law ? `${ruleLatex(s.rule)}\\text{: } ${s.law.latex}` : ruleLatex(s.rule));

/** The lines of one `align*` environment (without the environment). */
export function alignLines(steps: readonly Step[]): string[] {
  return steps.map((s, k) => {
    const lhs = k > 0 && steps[k - 1]!.lhs.latex === s.lhs.latex ? "" : s.lhs.latex;
    return `${lhs} &= ${s.rhs.latex} && ${tagLatex(s)}`;
  });
}

/** One `align*` environment. */
export const alignEnvironment = (steps: readonly Step[]): string => `\\begin{align*}\n${alignLines(steps).join(" \\\\\n")}\n\\end{align*}`;

/** The derivation as `align*` environments: the setup's, then one per part. */
export function derivationLatex(d: Derivation): string {
  const blocks = [alignEnvironment(d.setup)];
  for (const part of d.parts) blocks.push(`% ${part.title.replace(/\n/g, " ")}\n${alignEnvironment(part.steps)}`);
  return blocks.join("\n\n");
}
