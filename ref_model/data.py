"""scikit-learn digits, split 80/20 stratified by the run seed.

Inputs are pixel/16 in [0, 1]: exact in float, and exact in fixed point with
x_frac >= 4 fraction bits (x_int = pixel << (x_frac - 4)). Batches are drawn with
replacement, uniformly, from a np.random.Generator seeded by (seed, SeedStream.BATCHES):
batch t = rows [t*B, (t+1)*B) of rng.integers(0, n_train, size=(steps, B)).

A split is kept in build/cache/ (PEZO_CACHE names another folder), keyed by the seed and
scikit-learn's version: importing scikit-learn takes about a second, a large part of a
short training test.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from ref_model.source_table import SeedStream

N_CLASSES = 10
SPLIT_ARRAYS = ("train_pixels", "train_labels", "test_pixels", "test_labels")


@dataclass(frozen=True)
class Digits:
    """One split. Pixels are the raw integers 0..16; labels 0..9."""

    train_pixels: np.ndarray
    train_labels: np.ndarray
    test_pixels: np.ndarray
    test_labels: np.ndarray

    def inputs(self, part: str) -> np.ndarray:
        """Float inputs pixel/16, shape (n, 64), float64."""
        return getattr(self, f"{part}_pixels").astype(np.float64) / 16.0

    def inputs_fixed(self, part: str, x_frac: int) -> np.ndarray:
        """Fixed inputs with x_frac fraction bits (exact), int64."""
        assert x_frac >= 4, f"x_frac={x_frac} cannot hold pixel/16 exactly"
        return getattr(self, f"{part}_pixels").astype(np.int64) << (x_frac - 4)


@lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data.astype(np.int64), bunch.target.astype(np.int64)


@lru_cache(maxsize=8)
def load(seed: int) -> Digits:
    """The 80/20 stratified split of digits for `seed` (sklearn random_state=seed)."""
    path = _split_path(seed)
    cached = _read_split(path)
    if cached is not None:
        return cached
    from sklearn.model_selection import train_test_split

    x, y = _load()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
    digits = Digits(xtr, ytr, xte, yte)
    _write_split(path, digits)
    return digits


def _split_path(seed: int) -> Path:
    folder = Path(os.environ.get("PEZO_CACHE") or Path(__file__).parents[1] / "build" / "cache")
    return folder / f"digits-seed{seed}-sklearn{metadata.version('scikit-learn')}.npz"


def _read_split(path: Path) -> Digits | None:
    """The cached split, or None when there is none or it cannot be read whole."""
    try:
        with np.load(path) as arrays:
            return Digits(*(arrays[name].astype(np.int64) for name in SPLIT_ARRAYS))
    except (OSError, KeyError, ValueError):
        return None


def _write_split(path: Path, digits: Digits) -> None:
    """Written whole or not at all (a temporary file renamed): runs in parallel share it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as f:
            np.savez(f, **{name: getattr(digits, name) for name in SPLIT_ARRAYS})
        os.replace(f.name, path)
    except OSError:
        pass  # a read-only checkout: no cache, the same split


def one_hot(labels: np.ndarray) -> np.ndarray:
    """(n, 10) float64 targets: 1 at the label, 0 elsewhere."""
    out = np.zeros((labels.size, N_CLASSES), dtype=np.float64)
    out[np.arange(labels.size), labels] = 1.0
    return out


def batch_indices(seed: int, n_train: int, steps: int, batch: int) -> np.ndarray:
    """Training-row indices of every step's batch, shape (steps, batch), int64."""
    seeds = np.random.SeedSequence([seed, SeedStream.BATCHES])
    rng = np.random.Generator(np.random.PCG64(seeds))
    return rng.integers(0, n_train, size=(steps, batch), dtype=np.int64)
