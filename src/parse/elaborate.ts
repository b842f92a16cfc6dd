/**
 * Syntax tree to program: resolves names, checks shapes (errors point at the operator
 * and name both shapes), and builds canonical expressions through the builders.
 * Declarations are read first (declarations.ts), then definitions are noted, then every
 * statement is elaborated in order (expressions.ts, kernels.ts).
 */
import * as B from "../core/build.js";
import type { Source, Span } from "../core/errors.js";
import type { Expr } from "../core/expr.js";
import type { Assumption, Claim, KernelStatement, Program } from "../core/program.js";
import type { Statement } from "./ast.js";
import { elabAssumption } from "./assumptions.js";
import { elabClaim } from "./claims.js";
import { declare } from "./declarations.js";
import { elab } from "./expressions.js";
import { elabKernelStatement } from "./kernels.js";
import { checkNameFree, fail, where, type Scope } from "./scope.js";

/** A group of statements and the text their spans point into. */
export interface StatementGroup {
  readonly statements: readonly Statement[];
  readonly source: Source;
}

/** Builds a program from statement groups (`--decl` groups first, the program last). */
export function elaborate(groups: readonly StatementGroup[]): Program {
  const main = groups[groups.length - 1]!;
  const kernelNames = new Set(main.statements.flatMap((s) => (s.type === "kernel" ? [s.name] : [])));
  const scope: Scope = {
    decls: new Map(),
    sizes: new Map(),
    sizeSources: new Map(),
    defs: new Map(),
    pending: new Map(),
    uses: new Map(),
    kernels: new Set(main.statements.flatMap((s) => (s.type === "kernel" || s.type === "batch" ? [s.name] : []))),
    source: main.source,
  };
  for (const g of groups) {
    scope.source = g.source;
    for (const s of g.statements) if (s.type === "decl") declare(s, scope);
  }
  for (const [name, span] of scope.sizes) {
    if (scope.decls.has(name)) fail("name", `'${name}' is both a size and a declared value`, span!, scope.sizeSources.get(name)!);
  }
  for (const g of groups) {
    scope.source = g.source;
    for (const s of g.statements) {
      if (s.type === "decl") continue;
      if (g !== main) fail("syntax", "--decl takes declarations only (name: type)", s.span, g.source);
      if (s.type !== "def") continue;
      checkNameFree(s.name, s.nameSpan, scope, "define");
      const decl = scope.decls.get(s.name);
      if (decl) fail("name", `'${s.name}' is declared and also defined${where(decl.span, decl.source)}`, s.nameSpan, g.source);
      if (scope.sizes.has(s.name)) fail("name", `'${s.name}' is a size and cannot be defined`, s.nameSpan, g.source);
      const prev = scope.pending.get(s.name);
      if (prev) fail("name", `'${s.name}' is defined twice${where(prev, g.source)}`, s.nameSpan, g.source);
      scope.pending.set(s.name, s.nameSpan);
    }
  }
  const kernels: KernelStatement[] = [];
  const claims: Claim[] = [];
  const assumptions: Assumption[] = [];
  let subject: { expr: Expr; name: string | undefined; span: Span } | undefined;
  for (const g of groups) {
    scope.source = g.source;
    for (const s of g.statements) {
      if (s.type === "def") {
        const expr = elab(s.value, scope);
        scope.pending.delete(s.name);
        scope.defs.set(s.name, { name: s.name, expr, span: s.nameSpan, source: g.source });
        subject = { expr: B.sym(s.name, expr.shape), name: s.name, span: s.span };
      } else if (s.type === "expr") subject = { expr: elab(s.value, scope), name: undefined, span: s.span };
      else if (s.type === "kernel" || s.type === "batch") kernels.push(elabKernelStatement(s, scope, kernels, kernelNames));
      else if (s.type === "claim") claims.push(elabClaim(s, scope));
      else if (s.type === "assume") assumptions.push(elabAssumption(s, scope));
    }
  }
  if (!subject && kernels.length === 0 && claims.length === 0)
    fail("syntax", "the program declares values but computes nothing: end it with an expression or a definition", main.statements[main.statements.length - 1]!.span, main.source);
  return {
    source: main.source,
    decls: scope.decls,
    sizes: scope.sizes,
    defs: scope.defs,
    uses: scope.uses,
    kernels,
    claims,
    assumptions,
    subject: subject?.expr,
    subjectName: subject?.name,
    subjectSpan: subject?.span,
  };
}
