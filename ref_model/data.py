"""The data sets the reference and the RTL bench train on, their input codes, their split
and the batches.

A data set is named (digits, iris, wine, breast_cancer: scikit-learn's own, no download)
or a user's file (ref_model/data_files.py: .npz with arrays x, y or .csv, label last).
Inputs are *codes* c in 0..16 with x = c / 16: exact in float and in fixed point with
x_frac >= 4 (x_int = c << (x_frac - 4)), and the engine's sample port format (8-bit
codes). digits' pixels are such codes already; any other data set is scaled per feature
to [0, 1] by the minimum and maximum of its training split (a constant feature gives 0),
then rounded to the nearest 1/16 (halves up) and clipped to 0..16 (test rows outside the
training range). A design with more inputs than the data set has features pads each row
with code 0 (`Dataset.padded`): the reference and the RTL bench pad the same way.

The split is 80/20 stratified by the run seed (scikit-learn's train_test_split,
random_state = seed); a named set's split is kept in build/cache/ (PEZO_CACHE names
another folder), keyed by name, seed and scikit-learn's version, since importing
scikit-learn takes about a second, a large part of a short training test.
Batches are drawn with replacement, uniformly, from a np.random.Generator seeded by
(seed, SeedStream.BATCHES): batch t = rows [t*B, (t+1)*B) of
rng.integers(0, n_train, size=(steps, B)).
"""

from __future__ import annotations

import math
import os
import random
import tempfile
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from ref_model import data_files
from ref_model.errors import ConfigError
from ref_model.source_table import SeedStream

CODE_MAX = 16  # x = code / 16
TEST_SIZE = 0.2
# name -> (features, classes): checked against scikit-learn in tests/test_ref_data.py
NAMED = {"digits": (64, 10), "iris": (4, 3), "wine": (13, 3), "breast_cancer": (30, 2)}
SPLIT_ARRAYS = ("train_codes", "train_labels", "test_codes", "test_labels")


@dataclass(frozen=True)
class Dataset:
    """One split. Codes are integers 0..16 (x = code / 16), shape (n, features); labels
    0..classes-1."""

    name: str
    classes: int
    train_codes: np.ndarray
    train_labels: np.ndarray
    test_codes: np.ndarray
    test_labels: np.ndarray

    @property
    def features(self) -> int:
        return self.train_codes.shape[1]

    def inputs(self, part: str) -> np.ndarray:
        """Float inputs code/16, shape (n, features), float64."""
        return getattr(self, f"{part}_codes").astype(np.float64) / CODE_MAX

    def inputs_fixed(self, part: str, x_frac: int) -> np.ndarray:
        """Fixed inputs with x_frac fraction bits (exact), int64."""
        assert x_frac >= 4, f"x_frac={x_frac} cannot hold code/16 exactly"
        return getattr(self, f"{part}_codes").astype(np.int64) << (x_frac - 4)

    def one_hot(self, part: str) -> np.ndarray:
        """(n, classes) float64 targets: 1 at the label, 0 elsewhere."""
        labels = getattr(self, f"{part}_labels")
        out = np.zeros((labels.size, self.classes), dtype=np.float64)
        out[np.arange(labels.size), labels] = 1.0
        return out

    def padded(self, inputs: int) -> Dataset:
        """The rows with code-0 features appended up to `inputs` (a design's N_IN)."""
        extra = inputs - self.features
        if extra < 0:
            raise ConfigError(f"data set {self.name} has {self.features} features, more than "
                              f"the {inputs} inputs of the network")
        if extra == 0:
            return self
        return replace(self, train_codes=np.pad(self.train_codes, ((0, 0), (0, extra))),
                       test_codes=np.pad(self.test_codes, ((0, 0), (0, extra))))


def shape(dataset: str) -> tuple[int, int]:
    """(features, classes) of a named set or a file (read and validated)."""
    if dataset in NAMED:
        return NAMED[dataset]
    x, y = _read_file(dataset)
    return x.shape[1], int(y.max()) + 1


def names() -> tuple[str, ...]:
    return tuple(NAMED)


@lru_cache(maxsize=8)
def load(dataset: str, seed: int) -> Dataset:
    """The stratified 80/20 split of `dataset` for `seed`, as codes. Python's global random
    state is left as it was: the first import of scikit-learn's submodules draws from it,
    and a test's stimulus (seeded by cocotb) must not depend on whether the split came from
    the cache."""
    state = random.getstate()
    try:
        return _load(dataset, seed)
    finally:
        random.setstate(state)


def _load(dataset: str, seed: int) -> Dataset:
    if dataset not in NAMED:
        return _split(dataset, *_read_file(dataset), seed, native_codes=False)
    path = _split_path(dataset, seed)
    cached = _read_split(path, dataset)
    if cached is None:
        cached = _split(dataset, *_named_arrays(dataset), seed, native_codes=dataset == "digits")
        _write_split(path, cached)
    return cached


def batch_indices(seed: int, n_train: int, steps: int, batch: int) -> np.ndarray:
    """Training-row indices of every step's batch, shape (steps, batch), int64."""
    seeds = np.random.SeedSequence([seed, SeedStream.BATCHES])
    rng = np.random.Generator(np.random.PCG64(seeds))
    return rng.integers(0, n_train, size=(steps, batch), dtype=np.int64)


def check_split(labels: np.ndarray, where: str) -> None:
    """Every class can go to both parts of a stratified 80/20 split, and the test part can
    hold a sample of every class."""
    counts = np.bincount(labels)
    classes, n = counts.size, labels.size
    for c, count in enumerate(counts):
        if count < 2:
            raise ConfigError(f"{where}: class {c} has {count} sample(s); a stratified "
                              "split needs >= 2 of every class (one for training, one for test)")
    if math.ceil(TEST_SIZE * n) < classes or n - math.ceil(TEST_SIZE * n) < classes:
        raise ConfigError(f"{where}: {n} samples cannot split 80/20 with every one of the "
                          f"{classes} classes on both sides")


# ---------------------------------------------------------------- internals
def _named_arrays(name: str) -> tuple[np.ndarray, np.ndarray]:
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{name}")()
    return bunch.data, bunch.target.astype(np.int64)


@lru_cache(maxsize=8)
def _read_file(path: str) -> tuple[np.ndarray, np.ndarray]:
    x, y = data_files.read(path)
    check_split(y, f"data file {path}")
    return x, y


def _split(name: str, x: np.ndarray, y: np.ndarray, seed: int, native_codes: bool) -> Dataset:
    from sklearn.model_selection import train_test_split

    xtr, xte, ytr, yte = train_test_split(x, y, test_size=TEST_SIZE, stratify=y,
                                          random_state=seed)
    if native_codes:
        codes_tr, codes_te = xtr.astype(np.int64), xte.astype(np.int64)
    else:
        codes_tr, codes_te = _min_max_codes(xtr, xtr), _min_max_codes(xte, xtr)
    return Dataset(name, int(y.max()) + 1, codes_tr, ytr.astype(np.int64), codes_te,
                   yte.astype(np.int64))


def _min_max_codes(x: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Codes of x scaled by the training split's per-feature range."""
    low, span = train.min(axis=0), train.max(axis=0) - train.min(axis=0)
    scaled = np.divide(x - low, span, out=np.zeros_like(x, dtype=np.float64), where=span > 0)
    return np.clip(np.floor(scaled * CODE_MAX + 0.5), 0, CODE_MAX).astype(np.int64)


def _split_path(name: str, seed: int) -> Path:
    folder = Path(os.environ.get("PEZO_CACHE") or Path(__file__).parents[1] / "build" / "cache")
    return folder / f"{name}-seed{seed}-sklearn{metadata.version('scikit-learn')}.npz"


def _read_split(path: Path, name: str) -> Dataset | None:
    """The cached split, or None when there is none or it cannot be read whole."""
    try:
        with np.load(path) as arrays:
            parts = [arrays[part].astype(np.int64) for part in SPLIT_ARRAYS]
    except (OSError, KeyError, ValueError):
        return None
    return Dataset(name, NAMED[name][1], *parts)


def _write_split(path: Path, split: Dataset) -> None:
    """Written whole or not at all (a temporary file renamed): runs in parallel share it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as f:
            np.savez(f, **{part: getattr(split, part) for part in SPLIT_ARRAYS})
        os.replace(f.name, path)
    except OSError:
        pass  # a read-only checkout: no cache, the same split
