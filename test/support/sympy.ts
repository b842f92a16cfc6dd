/**
 * SymPy as an oracle: one python3 process per table (JSON in on stdin, JSON out on
 * stdout). Tests that need it use `it.skipIf(!hasSympy)` and say in their name that
 * they are skipped without SymPy.
 */
import { spawnSync } from "node:child_process";

function probe(): boolean {
  try {
    return spawnSync("python3", ["-c", "import sympy"], { stdio: "ignore", timeout: 30_000 }).status === 0;
  } catch {
    return false;
  }
}

export const hasSympy: boolean = probe();

/** Appended to the names of SymPy tests, so a skipped run says why. */
export const SKIP_NOTE = hasSympy ? "" : " [SKIPPED: python3 with sympy is not available]";

/**
 * Python prelude: `parse(text)` reads jacobi's scalar syntax (`^` powers, sigmoid, softplus,
 * relu, step, cbrt, log10, log(u, b), sec, csc, cot, asinh, acosh, atanh, arcsin, arccos, arctan, abs, sign, x1, W1_2 names) into SymPy (a bracketed literal becomes a Matrix) with every name a real symbol (`var(name)`), and
 * `num(e, point)` evaluates to a float.
 */
const PRELUDE = `
import json, sys
import sympy as sp
from sympy.parsing.sympy_parser import parse_expr, standard_transformations

def _sigmoid(u):
    return 1 / (1 + sp.exp(-u))

LOCALS = {"sigmoid": sp.Lambda(sp.Symbol("u"), _sigmoid(sp.Symbol("u"))), "abs": sp.Abs, "sign": sp.sign,
          "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
          "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
          "softplus": sp.Lambda(sp.Symbol("u"), sp.log(1 + sp.exp(sp.Symbol("u")))),
          "relu": sp.Lambda(sp.Symbol("u"), sp.Max(sp.Symbol("u"), 0)), "step": sp.Lambda(sp.Symbol("u"), sp.Heaviside(sp.Symbol("u"), 0)),
          "cbrt": sp.Lambda(sp.Symbol("u"), sp.real_root(sp.Symbol("u"), 3)), "log10": sp.Lambda(sp.Symbol("u"), sp.log(sp.Symbol("u"), 10)),
          "sec": sp.sec, "csc": sp.csc, "cot": sp.cot, "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
          "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan}

def var(name):
    return sp.Symbol(name, real=True)

def parse(text):
    e = parse_expr(text.replace("^", "**"), local_dict=dict(LOCALS), transformations=standard_transformations)
    if isinstance(e, (list, tuple)):
        e = sp.Matrix(e)
    return e.subs({s: var(s.name) for s in e.free_symbols})

def num(e, point):
    subs = {var(k): sp.Float(v, 30) for k, v in point.items()}
    return float(sp.N(e.subs(subs), 20))
`;

/** Runs a Python script (after the prelude) with `data` as JSON on stdin; returns its JSON output. */
export function runSympy<T>(script: string, data: unknown): T {
  const r = spawnSync("python3", ["-c", `${PRELUDE}\n${script}`], { input: JSON.stringify(data), encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
