"""Fixed-point primitives: shifts with a defined rounding, and saturation.

All on int64 numpy arrays, vectorised; each is one Verilog expression.

    round_shift(x, s)   s > 0: (x + 2^(s-1)) >>> s  = floor(x / 2^s + 1/2)
                               (round to nearest, ties toward +infinity)
                        s = 0: x ;  s < 0: x << -s (exact)
    stochastic_shift(x, s, r)  (x + r) >>> s with r in [0, 2^s) random
                               (E[result] = x / 2^s for uniform r)
    saturate(x, bits)   clamp to [-2^(bits-1), 2^(bits-1) - 1]
    saturate_unsigned   clamp to [0, 2^(bits-1) - 1]   (ReLU output, same width)

`>>>` is the arithmetic (floor) shift: numpy's >> on int64.
"""

from __future__ import annotations

import numpy as np


def round_shift(x: np.ndarray, s: int) -> np.ndarray:
    """x / 2^s rounded to nearest, ties toward +inf; a left shift when s < 0."""
    if s > 0:
        return (x + (np.int64(1) << np.int64(s - 1))) >> np.int64(s)
    if s < 0:
        return x << np.int64(-s)
    return x


def stochastic_shift(x: np.ndarray, s: int, r: np.ndarray) -> np.ndarray:
    """floor((x + r) / 2^s) with r in [0, 2^s); a plain left shift when s <= 0."""
    if s <= 0:
        return round_shift(x, s)
    return (x + r) >> np.int64(s)


def random_offsets(words: np.ndarray, word_bits: int, s: int) -> np.ndarray:
    """Stochastic-rounding offsets r in [0, 2^s) from unsigned `word_bits`-bit words.

    r = word << (s - word_bits) if s >= word_bits, else word >> (word_bits - s):
    the word supplies the top bits of r, lower bits are zero.
    """
    w = words.astype(np.int64)
    if s >= word_bits:
        return w << np.int64(s - word_bits)
    return w >> np.int64(word_bits - s)


def saturate(x: np.ndarray, bits: int) -> np.ndarray:
    """Clamp to the signed `bits`-bit range."""
    hi = (1 << (bits - 1)) - 1
    return np.minimum(np.maximum(x, -hi - 1), hi)


def saturate_relu(x: np.ndarray, bits: int) -> np.ndarray:
    """ReLU then clamp to the non-negative part of the signed `bits`-bit range."""
    return np.minimum(np.maximum(x, 0), (1 << (bits - 1)) - 1)
