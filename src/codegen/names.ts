/**
 * Names in generated code. Nothing from the user's text reaches generated code except
 * validated names and numbers:
 * - a user name must be an identifier `[A-Za-z_][A-Za-z0-9_]*` (the language's names);
 * - names JavaScript reserves, names with a special meaning on objects (`__proto__`,
 *   `constructor`, `toString`, …) and the globals generated code uses (`Math`,
 *   `Float64Array`, …) get the suffix `$`, which no user name can have, so mangling
 *   is consistent and collision-free (`constructor` is always `constructor$`);
 * - text copied into comments cannot close them (`*` followed by `/` is broken up).
 * Internal names (loop indices, temporaries) come from a `NameTable` that has every
 * user name reserved, so they never shadow or capture one.
 */
import { JacobiError } from "../core/errors.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** JavaScript's reserved words (strict mode and modules included) and literal-like globals. */
const RESERVED: ReadonlySet<string> = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
  "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null",
  "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
  "let", "static", "implements", "interface", "package", "private", "protected", "public", "await", "arguments",
  "eval", "undefined", "NaN", "Infinity", "globalThis", "async", "of", "get", "set", "type", "declare", "namespace",
  "module", "abstract", "as", "readonly", "keyof", "infer", "is", "never", "unknown", "any", "number", "string",
  "boolean", "symbol", "object", "bigint", "require", "exports",
]);

/** Names with a special meaning as object keys or on Object.prototype. */
const SPECIAL: ReadonlySet<string> = new Set([
  "__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf",
  "propertyIsEnumerable", "toLocaleString", "__defineGetter__", "__defineSetter__", "__lookupGetter__",
  "__lookupSetter__", "then", "length", "name",
]);

/** Globals that generated code refers to: a user name must not shadow them. */
const GLOBALS: ReadonlySet<string> = new Set([
  "Math", "Float64Array", "Float32Array", "RangeError", "TypeError", "Error", "Number", "Object", "Array", "Symbol",
]);

/** Is this a name the language allows (and so a candidate for generated code)? */
export const isIdentifier = (name: string): boolean => IDENTIFIER.test(name);

/**
 * The identifier generated code uses for a user's name: the name itself, or the name
 * with `$` appended when JavaScript or objects give it a meaning. Throws for anything
 * that is not an identifier of the language.
 */
export function safeName(name: string, what = "name"): string {
  if (!IDENTIFIER.test(name)) throw new JacobiError("name", `${what} '${printable(name)}' is not a name (letters, digits and _, not starting with a digit)`);
  return RESERVED.has(name) || SPECIAL.has(name) || GLOBALS.has(name) ? `${name}$` : name;
}

/** A name shown inside an error message: control characters and quotes removed, shortened. */
function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029'"`\\]/g, "?");
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/** `softmaxVjp` -> `SoftmaxVjp` (for type names). */
export const capitalized = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);

/**
 * Text made safe to place inside a block comment: it cannot end the comment, start a
 * new line, or carry control characters.
 */
export function commentText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ")
      .replace(/\*\//g, "*\\/")
  );
}

/**
 * Allocates identifiers in one scope: reserved names first (every user name the scope
 * can see), then fresh internal names, numbered on collision (`t`, `t1`, `t2`, …).
 */
export class NameTable {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.taken = new Set(reserved);
  }

  /** A copy that starts with this table's names taken (an inner scope). */
  child(): NameTable {
    return new NameTable(this.taken);
  }

  /** Marks a name as taken (a user name, or a name fixed by the API). */
  reserve(name: string): void {
    this.taken.add(name);
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** A fresh identifier like `preferred`; `preferred` itself when it is free. */
  fresh(preferred: string): string {
    const base = IDENTIFIER.test(preferred) && !RESERVED.has(preferred) && !SPECIAL.has(preferred) && !GLOBALS.has(preferred) ? preferred : "t";
    if (!this.taken.has(base)) {
      this.taken.add(base);
      return base;
    }
    const stem = /\d$/.test(base) ? `${base}_` : base;
    for (let k = 1; ; k++) {
      const name = `${stem}${k}`;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }
}
