"""numpy (OpenBLAS, one thread) on the bench's own data, in f64 and f32.

Run by bench/numpy.ts: argv[1] is a folder holding the inputs (raw little-endian
float64 files written by the bench) and cases.json; every case's output is written
back beside them (NAME.f64.out / NAME.f32.out, as float64) for the bench to compare
with jacobi's before any time is reported; the timings go to stdout as JSON.
Times: wall (perf_counter) and CPU (process_time) per call, medians and quartiles
over samples of enough calls to last >= 10 ms, as bench/timing.ts does.
"""
import ctypes
import glob
import json
import os
import sys
import time

import numpy as np

folder = sys.argv[1]
quick = os.environ.get("JACOBI_BENCH_QUICK") == "1"


def openblas_kernel():
    """Which OpenBLAS kernel (core) runs: threadpoolctl if present, else OpenBLAS itself."""
    try:
        from threadpoolctl import threadpool_info

        for lib in threadpool_info():
            if lib.get("internal_api") == "openblas":
                return f"{lib.get('version')} {lib.get('architecture')} (threadpoolctl), {lib.get('num_threads')} thread(s)"
    except ImportError:
        pass
    for lib in glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*")):
        so = ctypes.CDLL(lib)
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                name = f"{prefix}get_corename{suffix}"
                if hasattr(so, name):
                    f = getattr(so, name)
                    f.restype = ctypes.c_char_p
                    return f"{f().decode()} (openblas_get_corename)"
    return str(np.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {}).get("openblas configuration", "unknown"))


def quantiles(v):
    v = sorted(v)
    def q(p):
        at = (len(v) - 1) * p
        lo, hi = int(at), min(int(at) + 1, len(v) - 1)
        return v[lo] + (v[hi] - v[lo]) * (at - lo)
    return q(0.25), q(0.5), q(0.75)


def measure(fn):
    warm, sample, wanted, budget = (0.03, 0.003, 5, 0.3) if quick else (0.2, 0.01, 15, 4.0)
    t0 = time.perf_counter()
    fn()
    if time.perf_counter() - t0 > 0.25:
        k = 1
    else:
        start = time.perf_counter()
        while time.perf_counter() - start < warm:
            fn()
        k = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(k):
                fn()
            if time.perf_counter() - t0 >= sample or k >= 1 << 24:
                break
            k *= 2
    wall, cpu = [], []
    began = time.perf_counter()
    while len(wall) < wanted and (len(wall) < 5 or time.perf_counter() - began < budget):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(k):
            fn()
        wall.append((time.perf_counter() - t0) / k)
        cpu.append((time.process_time() - c0) / k)
    q1, med, q3 = quantiles(wall)
    return {"median": med, "q1": q1, "q3": q3, "cpu": quantiles(cpu)[1], "samples": len(wall), "calls": k}


def load(name, dtype):
    return np.fromfile(os.path.join(folder, name + ".bin"), dtype=np.float64).astype(dtype)


def softmax(x, o):
    np.subtract(x, x.max(), out=o)
    np.exp(o, out=o)
    o *= 1 / o.sum()
    return o


def case(c, dt):
    """A closure doing the case's work into preallocated outputs, and the array(s) to write back."""
    kind = c["kind"]
    if kind == "softmax":
        x = load(c["x"], dt)
        o = np.empty_like(x)
        return (lambda: softmax(x, o)), [o]
    if kind == "softmaxVjp":
        x, g = load(c["x"], dt), load(c["g"], dt)
        o, t = np.empty_like(x), np.empty_like(x)
        def run():
            softmax(x, t)
            np.subtract(g, g @ t, out=o)
            np.multiply(o, t, out=o)
        return run, [o]
    if kind == "softmaxJacobian":
        x = load(c["x"], dt)
        n = x.size
        s, ms, o = np.empty_like(x), np.empty_like(x), np.empty((n, n), dt)
        def run():
            softmax(x, s)
            np.negative(s, out=ms)
            np.multiply.outer(s, ms, out=o)
            o.flat[:: n + 1] += s
        return run, [o]
    if kind == "outer":
        g, x = load(c["g"], dt), load(c["x"], dt)
        o = np.empty((g.size, x.size), dt)
        return (lambda: np.multiply.outer(g, x, out=o)), [o]
    if kind == "matTvec":
        m, n = c["m"], c["n"]
        W, g = load(c["W"], dt).reshape(m, n), load(c["g"], dt)
        o = np.empty(n, dt)
        return (lambda: np.dot(g, W, out=o)), [o]
    if kind == "matvec":
        m, n = c["m"], c["n"]
        W, x = load(c["W"], dt).reshape(m, n), load(c["x"], dt)
        o = np.empty(m, dt)
        return (lambda: np.dot(W, x, out=o)), [o]
    if kind == "network":
        return network(c, dt)
    raise ValueError(kind)


def network(c, dt):
    n0, n1, n2, B = c["n0"], c["n1"], c["n2"], c["batch"]
    X, Y = load(c["X"], dt).reshape(B, n0), load(c["Y"], dt).reshape(B, n2)
    W1, b1 = load(c["W1"], dt).reshape(n1, n0), load(c["b1"], dt)
    W2, b2 = load(c["W2"], dt).reshape(n2, n1), load(c["b2"], dt)
    Z1, U, G2, G3 = np.empty((B, n1), dt), np.empty((B, n2), dt), np.empty((B, n2), dt), np.empty((B, n1), dt)
    dW1, dW2, loss = np.empty((n1, n0), dt), np.empty((n2, n1), dt), np.zeros(1, dt)
    db1, db2 = np.empty(n1, dt), np.empty(n2, dt)

    def run():
        # (in-place ufuncs with out=: an augmented assignment would make the name local)
        np.dot(X, W1.T, out=Z1)  # Z1 = sigmoid(X W1' + b1)
        np.add(Z1, b1, out=Z1)
        np.negative(Z1, out=Z1)
        np.exp(Z1, out=Z1)
        np.add(Z1, 1, out=Z1)
        np.reciprocal(Z1, out=Z1)
        np.dot(Z1, W2.T, out=U)  # U = Z1 W2' + b2
        np.add(U, b2, out=U)
        lse = U.max(axis=1, keepdims=True)
        lse += np.log(np.exp(U - lse).sum(axis=1, keepdims=True))
        np.subtract(U, lse, out=U)  # log softmax
        loss[0] = -np.sum(Y * U)
        np.exp(U, out=G2)  # G2 = S * rowsum(Y) - Y
        np.multiply(G2, Y.sum(axis=1, keepdims=True), out=G2)
        np.subtract(G2, Y, out=G2)
        np.dot(G2, W2, out=G3)  # G3 = (G2 W2) .* Z1 .* (1 - Z1)
        np.multiply(G3, Z1, out=G3)
        np.multiply(G3, 1 - Z1, out=G3)
        np.dot(G2.T, Z1, out=dW2)
        np.dot(G3.T, X, out=dW1)
        G2.sum(axis=0, out=db2)
        G3.sum(axis=0, out=db1)

    return run, [loss, dW1, db1, dW2, db2]


def main():
    cases = json.load(open(os.path.join(folder, "cases.json")))
    results = {"numpy": np.__version__, "openblas": openblas_kernel(), "cases": {}}
    for c in cases:
        for dt, tag in ((np.float64, "f64"), (np.float32, "f32")):
            run, outs = case(c, dt)
            run()
            np.concatenate([o.ravel() for o in outs]).astype(np.float64).tofile(os.path.join(folder, f"{c['name']}.{tag}.out"))
            results["cases"][f"{c['name']}.{tag}"] = measure(run)
    json.dump(results, sys.stdout)


main()
