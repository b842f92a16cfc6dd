# The jacobi language. Compiled by nearleyc (npm run build:grammar) into
# src/parse/grammar.generated.js, a build output. Tokens come from src/parse/lexer.ts;
# the parser is given that lexer, so the stub below only tells nearley that every
# %type names a token type.
#
# Precedence, loosest first: statements; + -; * / .* ./; unary - +; ^ .^ (right
# associative, and -x^2 is -(x^2)); postfix ' and ^T; atoms.
# The grammar must be unambiguous: parse.ts treats two results as a bug.

@preprocessor esmodule

@{%
const lexer = { has: () => true };

const spanOf = (first, last) => ({ start: first.span ? first.span.start : first.offset, end: last.span ? last.span.end : last.offset + last.text.length });
const tokSpan = (t) => ({ start: t.offset, end: t.offset + t.text.length });
const binary = ([left, op, right]) => ({ type: "binary", op: op.text, left, right, opSpan: tokSpan(op), span: spanOf(left, right) });
const unary = ([op, arg]) => ({ type: "unary", op: op.text, arg, span: spanOf(op, arg) });
// `kernel NAME = batch(KERNEL, x, y)` is a statement of its own: a kernel over a batch
// (its arguments are names, checked by the elaborator).
const isBatch = (v) => v.type === "call" && v.name === "batch";
// Lists are built as immutable cons cells: Earley shares partial results between
// derivations, so a postprocessor must never mutate its input.
const cons = (prev, item) => ({ prev, item });
const toArray = (list) => {
  const out = [];
  for (let c = list; c; c = c.prev) out.push(c.item);
  return out.reverse();
};
%}

@lexer lexer

# The program stays a cons list (parse.ts turns it into an array once): this rule
# completes after every statement, and converting here would make parsing quadratic.
program     -> %sep:? statements %sep:?       {% ([, list]) => list %}

statements  -> statement                      {% ([s]) => cons(null, s) %}
             | statements %sep statement      {% ([list, , s]) => cons(list, s) %}

statement   -> %name ":" expr                 {% ([n, , t]) => ({ type: "decl", name: n.text, nameSpan: tokSpan(n), typeExpr: t, span: spanOf(n, t) }) %}
             | %name "=" expr                 {% ([n, , v]) => ({ type: "def", name: n.text, nameSpan: tokSpan(n), value: v, span: spanOf(n, v) }) %}
             | kernelWord %name "=" expr      {% ([k, n, , v]) => ({ type: isBatch(v) ? "batch" : "kernel", name: n.text, nameSpan: tokSpan(n), value: v, span: spanOf(k, v) }) %}
             | claimWord expr "=" expr        {% ([k, lhs, , rhs]) => ({ type: "claim", lhs, rhs, span: spanOf(k, rhs) }) %}
             | assumeWord expr "=" expr       {% ([k, lhs, , rhs]) => ({ type: "assume", lhs, rhs, span: spanOf(k, rhs) }) %}
             | expr                           {% ([v]) => ({ type: "expr", value: v, span: v.span }) %}

kernelWord  -> %name                          {% ([t], _, reject) => (t.text === "kernel" ? t : reject) %}
# `claim LHS = RHS`: a step of a hand derivation, for `jacobi check` (src/check).
claimWord   -> %name                          {% ([t], _, reject) => (t.text === "claim" ? t : reject) %}
# `assume LHS = RHS`: a fact about the values that results may use (`assume sum(y) = 1`).
assumeWord  -> %name                          {% ([t], _, reject) => (t.text === "assume" ? t : reject) %}

expr        -> sum                            {% id %}

sum         -> sum "+" product                {% binary %}
             | sum "-" product                {% binary %}
             | product                        {% id %}

product     -> product "*" unary              {% binary %}
             | product "/" unary              {% binary %}
             | product ".*" unary             {% binary %}
             | product "./" unary             {% binary %}
             | unary                          {% id %}

unary       -> "-" unary                      {% unary %}
             | "+" unary                      {% unary %}
             | power                          {% id %}

power       -> postfix                        {% id %}
             | postfix "^" exponent           {% binary %}
             | postfix ".^" exponent          {% binary %}

exponent    -> power                          {% id %}
             | "-" exponent                   {% unary %}
             | "+" exponent                   {% unary %}

postfix     -> atom                           {% id %}
             | postfix "'"                    {% ([arg, q]) => ({ type: "transpose", arg, viaT: false, span: spanOf(arg, q) }) %}
             | postfix %transposeT            {% ([arg, t]) => ({ type: "transpose", arg, viaT: true, span: spanOf(arg, t) }) %}

atom        -> %number                        {% ([t]) => ({ type: "number", text: t.text, span: tokSpan(t) }) %}
             | %name                          {% ([t]) => ({ type: "name", name: t.text, span: tokSpan(t) }) %}
             | %name "(" ")"                  {% ([n, , c]) => ({ type: "call", name: n.text, nameSpan: tokSpan(n), args: [], span: spanOf(n, c) }) %}
             | %name "(" list ")"             {% ([n, , args, c]) => ({ type: "call", name: n.text, nameSpan: tokSpan(n), args: toArray(args), span: spanOf(n, c) }) %}
             | "(" expr ")"                   {% ([o, e, c]) => ({ ...e, span: spanOf(o, c), parenthesized: true }) %}
             | "[" list "]"                   {% ([o, items, c]) => ({ type: "brackets", items: toArray(items), span: spanOf(o, c) }) %}
             | "[" "]"                        {% ([o, c]) => ({ type: "brackets", items: [], span: spanOf(o, c) }) %}

list        -> expr                           {% ([e]) => cons(null, e) %}
             | list "," expr                  {% ([list, , e]) => cons(list, e) %}
