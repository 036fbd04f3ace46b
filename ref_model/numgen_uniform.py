"""DIST 0 of rtl/pezo_numgen.v: the uniform number 2*s + 1 of a signed W-bit word s.

Odd, symmetric, zero mean over the LFSR's period; value v / 2^W in (-1, 1). The
interface every number-generator model provides is in ref_model/source_table.py.
"""

from __future__ import annotations

import numpy as np

from ref_model import lfsr
from ref_model.errors import ConfigError

RTL_FILES: tuple[str, ...] = ()
NORMAL = False


def check(w: int, k: int) -> None:
    if k != 1:
        raise ConfigError(f"K={k} unsupported, need 1 (DIST=0, uniform)")


def need_width(w: int, k: int) -> int:
    return w + 1


def frac(w: int, k: int) -> int:
    return w


def numbers(words: np.ndarray, w: int, k: int = 1) -> np.ndarray:
    """2*s + 1 of every W-bit word (k words give k numbers: the CLT sums them)."""
    return 2 * lfsr.to_signed(words, w) + 1


def law(w: int, k: int):
    """U(-1, 1); the variance is the odd grid's exact second moment."""
    return (lambda x: np.clip((np.asarray(x) + 1) / 2, 0, 1)), (1 - 4.0 ** -w) / 3, 1.8
