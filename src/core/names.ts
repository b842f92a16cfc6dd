/** The names an expression mentions (memoized on the interned nodes). */
import { children, type Expr } from "./expr.js";

const namesMemo = new WeakMap<Expr, ReadonlySet<string>>();
const NO_NAMES: ReadonlySet<string> = new Set();

/** Every `sym` and `entry` name an expression mentions. */
export function namesOf(e: Expr): ReadonlySet<string> {
  const known = namesMemo.get(e);
  if (known) return known;
  let out: ReadonlySet<string>;
  if (e.kind === "sym" || e.kind === "entry") out = new Set([e.name]);
  else {
    const kids = children(e);
    if (kids.length === 0) out = NO_NAMES;
    else if (kids.length === 1) out = namesOf(kids[0]!);
    else {
      const set = new Set<string>();
      for (const k of kids) for (const n of namesOf(k)) set.add(n);
      out = set;
    }
  }
  namesMemo.set(e, out);
  return out;
}
