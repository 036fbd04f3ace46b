"""DIST 1 of rtl/pezo_numgen.v: the central-limit Gaussian, the sum of K uniform numbers
2*s + 1 of K consecutive W-bit words (K = 3: the reference's `gaussian`).

Its law is Irwin-Hall; with K = 3 * 4^m the variance is 4^m, read with W + m fraction
bits so it is ~1. The interface is described in ref_model/source_table.py.
"""

from __future__ import annotations

import math

import numpy as np

from ref_model import numgen_uniform

RTL_FILES: tuple[str, ...] = ()
NORMAL = False


def check(w: int, k: int) -> None:
    """No limit beyond the array's (K >= 1, K*W <= 64 and <= STATE_W)."""


def need_width(w: int, k: int) -> int:
    return w + 1 + (k - 1).bit_length()


def extra_frac(k: int) -> int:
    """m of K = 3 * 4^m (rounded): the shift that makes the variance ~1."""
    return max(0, round(math.log(k / 3, 4)))


def frac(w: int, k: int) -> int:
    return w + extra_frac(k)


def numbers(words: np.ndarray, w: int, k: int) -> np.ndarray:
    """(n, count * k) words -> (n, count) sums of k consecutive uniform numbers."""
    odd = numgen_uniform.numbers(words, w)
    if k == 1:
        return odd
    return odd.reshape(odd.shape[0], -1, k).sum(axis=2)


def irwin_hall_cdf(x: np.ndarray, k: int, scale: float = 1.0) -> np.ndarray:
    """P(sum of k U(-1,1) * scale <= x)."""
    y = (np.asarray(x, dtype=np.float64) / scale + k) / 2.0   # sum of k U(0,1)
    out = np.zeros_like(y)
    for i in range(k + 1):
        out += (-1) ** i * math.comb(k, i) * np.where(y > i, (y - i), 0.0) ** k
    return np.clip(out / math.factorial(k), 0.0, 1.0)


def law(w: int, k: int):
    """Irwin-Hall of k terms scaled by 2^-m; the variance on the odd grid."""
    scale = 2.0 ** -extra_frac(k)
    variance = k / 3 * scale ** 2 * (1 - 4.0 ** -w)
    return (lambda x: irwin_hall_cdf(x, k, scale)), variance, 3 - 6 / (5 * k)
