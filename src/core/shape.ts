/**
 * Shapes of matrix-level values. A size is a positive integer or a size name (`n`).
 * Vectors are columns (n×1); a scalar is 1×1; `x'` of a vector is a row (1×n).
 */
export type Size = number | string;

export interface Shape {
  readonly rows: Size;
  readonly cols: Size;
}

const shapes = new Map<string, Shape>();

/** Interned shapes, so `===` compares them. */
export function shape(rows: Size, cols: Size): Shape {
  const key = `${typeof rows === "number" ? rows : `$${rows}`}x${typeof cols === "number" ? cols : `$${cols}`}`;
  let s = shapes.get(key);
  if (!s) {
    s = Object.freeze({ rows, cols });
    shapes.set(key, s);
  }
  return s;
}

export const SCALAR = shape(1, 1);
export const vectorShape = (n: Size): Shape => shape(n, 1);

export const isScalarShape = (s: Shape): boolean => s === SCALAR;
export const isColumn = (s: Shape): boolean => s.cols === 1 && s.rows !== 1;
export const isRow = (s: Shape): boolean => s.rows === 1 && s.cols !== 1;
export const isVectorLike = (s: Shape): boolean => isColumn(s) || isRow(s);
export const transposeShape = (s: Shape): Shape => shape(s.cols, s.rows);

/** How a shape is written in messages and declarations: `scalar`, `vector(n)`, `matrix(3,2)`. */
export function describeShape(s: Shape): string {
  if (isScalarShape(s)) return "scalar";
  if (s.cols === 1) return `vector(${s.rows})`;
  if (s.rows === 1) return `row vector(${s.cols})`;
  return `matrix(${s.rows},${s.cols})`;
}

/**
 * The shape of an elementwise combination (`+`, `.*`, `./`, `.^`): equal shapes, or a
 * scalar broadcast against anything. Undefined when the shapes do not fit.
 */
export function broadcastShape(a: Shape, b: Shape): Shape | undefined {
  if (a === b) return a;
  if (isScalarShape(a)) return b;
  if (isScalarShape(b)) return a;
  return undefined;
}

/** Every size name a shape mentions. */
export function sizeNames(s: Shape): string[] {
  const out: string[] = [];
  if (typeof s.rows === "string") out.push(s.rows);
  if (typeof s.cols === "string" && s.cols !== s.rows) out.push(s.cols);
  return out;
}
