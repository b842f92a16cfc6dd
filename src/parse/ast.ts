/** The syntax tree nearley's postprocessors build (grammar/jacobi.ne). Spans point into the source. */
import type { Span } from "../core/errors.js";

export type AstExpr =
  | { readonly type: "number"; readonly text: string; readonly span: Span }
  | { readonly type: "name"; readonly name: string; readonly span: Span }
  | { readonly type: "call"; readonly name: string; readonly nameSpan: Span; readonly args: readonly AstExpr[]; readonly span: Span }
  | { readonly type: "binary"; readonly op: string; readonly left: AstExpr; readonly right: AstExpr; readonly opSpan: Span; readonly span: Span }
  | { readonly type: "unary"; readonly op: string; readonly arg: AstExpr; readonly span: Span }
  | { readonly type: "transpose"; readonly arg: AstExpr; readonly viaT: boolean; readonly span: Span }
  | { readonly type: "brackets"; readonly items: readonly AstExpr[]; readonly span: Span };

export type Statement =
  | { readonly type: "decl"; readonly name: string; readonly nameSpan: Span; readonly typeExpr: AstExpr; readonly span: Span }
  | { readonly type: "def"; readonly name: string; readonly nameSpan: Span; readonly value: AstExpr; readonly span: Span }
  | { readonly type: "kernel"; readonly name: string; readonly nameSpan: Span; readonly value: AstExpr; readonly span: Span }
  | { readonly type: "batch"; readonly name: string; readonly nameSpan: Span; readonly value: Extract<AstExpr, { type: "call" }>; readonly span: Span }
  | { readonly type: "claim"; readonly lhs: AstExpr; readonly rhs: AstExpr; readonly span: Span }
  | { readonly type: "assume"; readonly lhs: AstExpr; readonly rhs: AstExpr; readonly span: Span }
  | { readonly type: "expr"; readonly value: AstExpr; readonly span: Span };

/** Direct sub-expressions of a syntax node. */
export function astChildren(e: AstExpr): readonly AstExpr[] {
  switch (e.type) {
    case "number":
    case "name":
      return [];
    case "call":
      return e.args;
    case "binary":
      return [e.left, e.right];
    case "unary":
    case "transpose":
      return [e.arg];
    case "brackets":
      return e.items;
  }
}
