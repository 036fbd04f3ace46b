"""Per-step trace the RTL scoreboard compares against, and the weight hash.

Per step t and query i: loss_plus = L(theta + eps z), loss_minus = L(theta - eps z),
g_hat; per step: hash of theta after the update.
Fixed mode stores the raw integers (loss: S with LF fraction bits, g_hat: g_frac
fraction bits); float mode stores float64 values.
weights_hash(theta) = first 16 hex digits of sha256 over the flat parameter vector
(layout order, ref_model.layout) serialised little-endian: int32 ('<i4') for fixed
weights, float64 ('<f8') for float weights.
"""

from __future__ import annotations

import csv
import hashlib

import numpy as np


def weights_hash(theta: np.ndarray) -> str:
    """sha256 of theta's little-endian bytes (int32 or float64), first 16 hex digits."""
    if np.issubdtype(theta.dtype, np.integer):
        assert np.abs(theta).max(initial=0) < 2 ** 31, "fixed weights must fit int32 for the hash"
        data = theta.astype("<i4").tobytes()
    else:
        data = theta.astype("<f8").tobytes()
    return hashlib.sha256(data).hexdigest()[:16]


class Trace:
    """Preallocated per-step records."""

    def __init__(self, steps: int, queries: int, fixed: bool):
        dtype = np.int64 if fixed else np.float64
        self.fixed = fixed
        self.loss_plus = np.zeros((steps, queries), dtype=dtype)
        self.loss_minus = np.zeros((steps, queries), dtype=dtype)
        self.g_hat = np.zeros((steps, queries), dtype=dtype)
        self.hashes: list[str] = []

    def record(self, t: int, lp, lm, g, theta: np.ndarray) -> None:
        self.loss_plus[t], self.loss_minus[t], self.g_hat[t] = lp, lm, g
        self.hashes.append(weights_hash(theta))

    def write_csv(self, path: str, header: dict) -> None:
        """One row per (step, query); '#' comment lines carry the formats."""
        with open(path, "w", newline="") as fh:
            for key, value in header.items():
                fh.write(f"# {key}: {value}\n")
            out = csv.writer(fh)
            out.writerow(["step", "query", "loss_plus", "loss_minus", "g_hat", "weights_hash"])
            for t, h in enumerate(self.hashes):
                for i in range(self.loss_plus.shape[1]):
                    vals = (self.loss_plus[t, i], self.loss_minus[t, i], self.g_hat[t, i])
                    fmt = [str(int(v)) if self.fixed else repr(float(v)) for v in vals]
                    out.writerow([t, i, *fmt, h])
