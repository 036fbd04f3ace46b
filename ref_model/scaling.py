"""Adaptive scaling: a zero-mean uniform made to have the Gaussian's second moment.

Our definition (docs/ref-model.md): with m2 the second moment of the numbers the
perturbation actually uses (the realised pool, or the RNG's distribution when
numbers are not stored), the ideal scale is c = 1/sqrt(m2), so that
E[(c u)^2] = 1. The hardware multiplies by a shift-add, so c is replaced by

    c_hat = sum_k s_k 2^(e_k),  s_k in {-1, +1},  k < K   (K = scale_terms)

chosen greedily: r_0 = c; term k is the signed power of two nearest to r_k
(between 2^floor(log2|r|) and 2^ceil(log2|r|), the smaller absolute error,
ties to the larger), r_{k+1} = r_k - s_k 2^(e_k); stop early when r = 0 or
|r| < 2^(e_min - 1). Each term leaves |r_{k+1}| <= |r_k| / 3, so
|c_hat / c - 1| <= 3^-K and the scaled second moment lies in
[(1 - 3^-K)^2, (1 + 3^-K)^2] (K = 3: [0.928, 1.074]; K = 4: [0.975, 1.025]).
sqrt(3) with K = 3 gives 2 - 2^-2 - 2^-6 = 1.734375 (second moment 1.0027).
"""

from __future__ import annotations

import math

import numpy as np

E_MIN = -12  # smallest exponent a term may use
E_MAX = 4


def shift_add_terms(c: float, n_terms: int, e_min: int = E_MIN) -> list[tuple[int, int]]:
    """Greedy signed powers of two [(sign, exponent), ...] approximating c > 0."""
    assert c > 0 and math.isfinite(c), f"scale must be finite and > 0, got {c}"
    terms, r = [], float(c)
    for _ in range(n_terms):
        if r == 0 or abs(r) < 2.0 ** (e_min - 1):
            break
        lo = math.floor(math.log2(abs(r)))
        cands = [e for e in (lo, lo + 1) if e_min <= e <= E_MAX] or [max(e_min, min(E_MAX, lo))]
        e = min(cands, key=lambda k: (abs(abs(r) - 2.0 ** k), -k))
        sign = 1 if r > 0 else -1
        terms.append((sign, e))
        r -= sign * 2.0 ** e
    return terms


def terms_value(terms: list[tuple[int, int]]) -> float:
    """c_hat = sum s_k 2^e_k."""
    return float(sum(s * 2.0 ** e for s, e in terms))


def terms_shift(terms: list[tuple[int, int]]) -> int:
    """S = max(0, -min e_k): extra fraction bits that make every term an integer shift."""
    return max(0, -min(e for _, e in terms))


def terms_integer(terms: list[tuple[int, int]]) -> int:
    """M = c_hat * 2^S = sum s_k 2^(e_k + S), an integer: v * M is the shift-add of v."""
    s = terms_shift(terms)
    return int(sum(sign << (e + s) for sign, e in terms))


def folded(multiplier: int) -> tuple[int, int]:
    """(M / 2^f, f) for M > 0, 2^f the largest power of two dividing M: the factor a
    consumer's shift can take instead of the multiplier (the folded scale form)."""
    assert multiplier > 0, f"a folded multiplier must be > 0, got {multiplier}"
    fold = (multiplier & -multiplier).bit_length() - 1
    return multiplier >> fold, fold


def second_moment(values: np.ndarray) -> float:
    """Mean of squares of the realised numbers (float64)."""
    v = np.asarray(values, dtype=np.float64)
    return float(np.mean(v * v))


def bound(n_terms: int) -> tuple[float, float]:
    """Guaranteed range of the scaled second moment for K terms (no exponent clamping)."""
    return (1 - 3.0 ** -n_terms) ** 2, (1 + 3.0 ** -n_terms) ** 2
