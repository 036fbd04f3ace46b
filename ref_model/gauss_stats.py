"""Distribution statistics of the perturbation generators, with the bounds the tests
hold them to.

Numbers are integers v with `frac` fraction bits: x = v / 2^frac (unit variance for
CLT K = 3*4^m and the normal generators; 1/3 for uniform). For each generator the
*expected* values come from its law: N(0, 1) for the generators meant to be normal
(ICDF: `NORMAL` in their model module), otherwise the law of the model module (uniform
U(-1, 1), CLT Irwin-Hall: a sum of K U(-1, 1) scaled by 2^-m; variances on the odd grid).
Bounds, for N samples:

    mean      5 * sqrt(var / N)
    variance  5 * sqrt((mu4 - var^2) / N) + quantisation allowance 2^-(frac)
    kurtosis  5 * sqrt(24 / N) (the normal's standard error; the uniform's is smaller)
    tails     |count - N*p| <= 5 * sqrt(N*p) + 3, for |x| > 1, 2, 3, 4 (sigma = 1); a
              number exactly at +-s counts one half (continuity correction)
    KS        D(sample, N(0,1)) <= D(law, N(0,1)) + 2 / sqrt(N)   (1.95/sqrt(N) is the
              0.1% critical value); the empirical CDF is compared half-way between the
              numbers' grid points (continuity correction: the grid spacing is 2 LSB for
              the odd-number generators, 1 for ICDF), so rounding is not counted as distance.
And for the laws that are not normal: D >= D(law) - 2/sqrt(N) too (the test can see,
e.g., the Irwin-Hall shape: CLT K = 3 has no tail beyond 3 sigma).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from ref_model.source_table import Dist

SIGMAS = (1, 2, 3, 4)


def law(dist: int, k: int, w: int):
    """(cdf, variance, kurtosis) of the continuous law generator (DIST, K, W) approximates:
    N(0, 1) for a generator meant to be normal, otherwise its model's own law."""
    model = Dist(dist).model
    if model.NORMAL:
        return ndtr, 1.0, 3.0
    return model.law(w, k)


def expected(dist: int, k: int, w: int) -> dict:
    """Expected statistics of generator (DIST, K, W) and its law's KS distance to N(0,1)."""
    cdf, var, kurt = law(dist, k, w)
    grid = np.linspace(-8, 8, 160_001)
    ks_law = float(np.abs(cdf(grid) - ndtr(grid)).max())
    tails = {s: float(1 - cdf(s) + cdf(-s)) for s in SIGMAS}
    return {"dist": int(dist), "k": k, "mean": 0.0, "variance": float(var), "kurtosis": kurt,
            "tail_prob": tails, "ks_law": ks_law, "normal": Dist(dist).model.NORMAL}


def number_stats(values, frac: int) -> dict:
    """Mean, variance, kurtosis, tail counts and the KS distance to N(0,1) of v / 2^frac."""
    v = np.asarray(values, dtype=np.int64)
    x = v.astype(np.float64) / 2.0 ** frac
    n = int(x.size)
    mean = float(x.mean())
    c = x - mean
    m2, m4 = float(np.mean(c ** 2)), float(np.mean(c ** 4))
    return {"n": n, "frac": frac, "mean": mean, "variance": m2,
            "mu4": m4, "kurtosis": m4 / m2 ** 2,
            "tails": {str(s): float(np.count_nonzero(np.abs(x) > s)
                                    + 0.5 * np.count_nonzero(np.abs(x) == s)) for s in SIGMAS},
            "ks": ks_normal(v, frac)}


def ks_normal(values, frac: int) -> float:
    """sup |F_n - Phi| over the values' grid, F_n read half-way between grid points."""
    v = np.asarray(values, dtype=np.int64)
    uniq, counts = np.unique(v, return_counts=True)
    cum = np.cumsum(counts) / v.size
    step = int(np.gcd.reduce(np.diff(uniq))) if uniq.size > 1 else 1
    half = 0.5 * step / 2.0 ** frac
    at = uniq / 2.0 ** frac
    upper = np.abs(cum - ndtr(at + half))
    lower = np.abs(np.concatenate([[0.0], cum[:-1]]) - ndtr(at - half))
    return float(max(upper.max(), lower.max()))


def bounds(stats: dict, exp: dict) -> dict:
    """Allowed |deviation| per statistic (see the module docstring)."""
    n, var = stats["n"], exp["variance"]
    mu4 = exp["kurtosis"] * var ** 2
    out = {"mean": 5 * math.sqrt(var / n),
           "variance": 5 * math.sqrt(max(mu4 - var ** 2, 0) / n) + 2.0 ** -stats["frac"],
           "kurtosis": 5 * math.sqrt(24 / n),
           "ks": 2 / math.sqrt(n)}
    out["tails"] = {str(s): 5 * math.sqrt(n * p) + 3 for s, p in exp["tail_prob"].items()}
    return out


def violations(stats: dict, exp: dict) -> list[str]:
    """Human-readable statistics outside their bound (empty when all pass)."""
    b, n = bounds(stats, exp), stats["n"]
    problems = []
    for name in ("mean", "variance", "kurtosis"):
        dev = abs(stats[name] - exp[name])
        if dev > b[name]:
            problems.append(f"{name} {stats[name]:.5f}: off {exp[name]:.5f} "
                            f"by {dev:.5f} > {b[name]:.5f}")
    for s, p in exp["tail_prob"].items():
        count, want = stats["tails"][str(s)], n * p
        if abs(count - want) > b["tails"][str(s)]:
            problems.append(f"|x| > {s}: {count} samples, "
                            f"expected {want:.1f} +- {b['tails'][str(s)]:.1f}")
    if stats["ks"] > exp["ks_law"] + b["ks"]:
        problems.append(f"KS distance to N(0,1) {stats['ks']:.5f} > "
                        f"{exp['ks_law']:.5f} + {b['ks']:.5f}")
    if not exp["normal"] and stats["ks"] < exp["ks_law"] - b["ks"]:
        problems.append(f"KS distance {stats['ks']:.5f} < its law's {exp['ks_law']:.5f} "
                        f"- {b['ks']:.5f}")
    return problems
