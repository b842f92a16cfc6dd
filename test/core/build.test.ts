import { describe, expect, it } from "vitest";
import * as B from "../../src/core/build.js";
import { rat } from "../../src/core/rational.js";
import { shape, vectorShape } from "../../src/core/shape.js";

const x = B.sym("x");
const y = B.sym("y");
const v = B.sym("v", vectorShape("n"));
const W = B.sym("W", shape("m", "n"));

describe("canonical builders", () => {
  it("interns: equal structure is the same node", () => {
    expect(B.add(x, y)).toBe(B.add(y, x));
    expect(B.mul(x, B.add(x, y))).toBe(B.mul(B.add(y, x), x));
  });
  it("combines like terms and powers", () => {
    expect(B.add(B.mul(x, y), B.mul(y, x))).toBe(B.mul(B.num(2), x, y));
    expect(B.mul(x, x)).toBe(B.pow(x, B.num(2)));
    expect(B.mul(x, B.pow(x, B.MINUS_ONE))).toBe(B.ONE);
    expect(B.add(x, B.neg(x))).toBe(B.ZERO);
  });
  it("drops +0, *1, ^1 and folds constants", () => {
    expect(B.add(x, B.ZERO)).toBe(x);
    expect(B.mul(x, B.ONE)).toBe(x);
    expect(B.pow(x, B.ONE)).toBe(x);
    expect(B.add(B.num(rat(1, 5)), B.num(rat(3, 10)))).toBe(B.num(rat(1, 2)));
    expect(B.pow(B.num(4), B.num(rat(1, 2)))).toBe(B.num(2));
    expect(B.pow(B.num(2), B.num(rat(1, 2))).kind).toBe("pow");
  });
  it("keeps shapes: x - x of a vector is a zero vector, and its sum needs n", () => {
    const z = B.sub(v, v);
    expect(z.kind).toBe("num");
    expect(z.shape).toBe(vectorShape("n"));
    expect(B.sumAll(B.add(B.sub(v, v), B.ONE))).toBe(B.sym("n"));
  });
  it("pulls scalars out of matrix products and pushes transposes down", () => {
    expect(B.matmul(B.mul(B.num(2), W), v)).toBe(B.mul(B.num(2), B.matmul(W, v)));
    expect(B.transpose(B.matmul(W, v))).toBe(B.matmul(B.transpose(v), B.transpose(W)));
    expect(B.transpose(B.transpose(W))).toBe(W);
    expect(B.matmul(B.transpose(v), v).shape).toBe(shape(1, 1));
  });
  it("names bound indices canonically (alpha-equivalent sums are one node)", () => {
    const a = B.series("p", "n", B.mul(B.entry("v", ["p"]), B.entry("w", ["p"])));
    const b = B.series("q", "n", B.mul(B.entry("w", ["q"]), B.entry("v", ["q"])));
    expect(a).toBe(b);
    expect(B.series("p", "n", B.entry("v", ["i"]))).toBe(B.mul(B.sym("n"), B.entry("v", ["i"])));
  });
});
