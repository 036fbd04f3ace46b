"""Statistics of generator output, with the bounds the tests hold them to.

Words are mapped to u = (w + 0.5) / 2^W in (0, 1). For n i.i.d. U(0,1) samples
the standard errors are: mean sqrt(1/12/n); variance sqrt((1/80 - 1/144)/n);
a bit's ones-fraction 0.5/sqrt(n); lag-1 correlation 1/sqrt(n). Every bound
below is about 5 standard errors at n = 1e5 (failure odds ~1e-6 per check).
"""

from __future__ import annotations

import numpy as np

MIN_WORDS = 100_000


def uniform_bounds(n: int) -> dict[str, float]:
    """Allowed |deviation| per statistic for n words (~5 standard errors)."""
    return {
        "mean": 5 * np.sqrt(1 / 12 / n),
        "variance": 5 * np.sqrt((1 / 80 - 1 / 144) / n),
        "bit_balance": 5 * 0.5 / np.sqrt(n),
        "lag1_corr": 5 / np.sqrt(n),
    }


def discrete_uniform_variance(width: int) -> float:
    """Variance of (w + 0.5) / 2^W for w uniform on 0..2^W-1: (1 - 4^-W) / 12."""
    return (1 - 4.0 ** -width) / 12


def uniform_word_stats(words, width: int) -> dict[str, float]:
    """Mean, variance, worst bit imbalance and lag-1 correlation of W-bit words."""
    w = np.asarray(words, dtype=np.uint64)
    u = (w.astype(np.float64) + 0.5) / float(1 << width)
    bits = (w[:, None] >> np.arange(width, dtype=np.uint64)) & np.uint64(1)
    ones = bits.mean(axis=0)
    centred = u - u.mean()
    lag1 = float(np.dot(centred[:-1], centred[1:]) / np.dot(centred, centred))
    return {"n": int(w.size), "width": width, "mean": float(u.mean()), "variance": float(u.var()),
            "bit_balance": float(np.abs(ones - 0.5).max()), "lag1_corr": lag1}


def uniform_violations(stats: dict[str, float]) -> list[str]:
    """Human-readable list of statistics outside their bound (empty when all pass)."""
    bound = uniform_bounds(stats["n"])
    deviation = {"mean": abs(stats["mean"] - 0.5),
                 "variance": abs(stats["variance"] - discrete_uniform_variance(stats["width"])),
                 "bit_balance": stats["bit_balance"],
                 "lag1_corr": abs(stats["lag1_corr"])}
    problems = [f"{name}: deviation {deviation[name]:.5f} > bound {bound[name]:.5f}"
                for name in bound if deviation[name] > bound[name]]
    if stats["n"] < MIN_WORDS:
        problems.append(f"only {stats['n']} words; need >= {MIN_WORDS}")
    return problems
