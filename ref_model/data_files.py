"""A user's data file, read and validated (ref_model/data.py encodes and splits it).

Formats (docs/ref-model.md, "Data sets"):
  .npz  arrays `x` (samples x features, numbers) and `y` (samples, integer labels)
  .csv  one sample a line, comma-separated numbers, the label last; a first line that is
        not all numbers is a header and skipped
Labels are the integers 0..C-1, every class present. Every problem is a ConfigError of
one line naming the file and what is wrong (`pezo` exits 2).
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np

from ref_model.errors import ConfigError


def read(path: str) -> tuple[np.ndarray, np.ndarray]:
    """(x float64 (n, features), y int64 (n,)) of the file at `path`."""
    p = Path(path)
    where = f"data file {path}"
    if p.suffix not in (".npz", ".csv"):
        raise ConfigError(f"{where}: expected a .npz or .csv file (or a data set name: "
                          "digits, iris, wine, breast_cancer)")
    if not p.is_file():
        raise ConfigError(f"{where}: no such file")
    x, y = _read_npz(p, where) if p.suffix == ".npz" else _read_csv(p, where)
    return _checked(x, y, where)


def _read_npz(p: Path, where: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(p, allow_pickle=False) as arrays:
            missing = [name for name in ("x", "y") if name not in arrays.files]
            if missing:
                raise ConfigError(f"{where}: no array {' or '.join(missing)} (it has "
                                  f"{', '.join(arrays.files) or 'none'}); expected x and y")
            return arrays["x"], arrays["y"]
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ConfigError(f"{where}: not a readable .npz ({exc})") from None


def _read_csv(p: Path, where: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        with p.open(newline="") as fh:
            rows = [(n, row) for n, row in enumerate(csv.reader(fh), 1) if row]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{where}: not a readable .csv ({exc})") from None
    if rows and not all(_is_number(v) for v in rows[0][1]):
        rows = rows[1:]  # a header
    if not rows:
        raise ConfigError(f"{where}: no samples")
    width = len(rows[0][1])
    if width < 2:
        raise ConfigError(f"{where}: line {rows[0][0]} has {width} column; need features "
                          "and a label")
    values = []
    for n, row in rows:
        if len(row) != width:
            raise ConfigError(f"{where}: line {n} has {len(row)} columns, line {rows[0][0]} "
                              f"has {width}")
        bad = next((v for v in row if not _is_number(v)), None)
        if bad is not None:
            raise ConfigError(f"{where}: line {n}: '{bad.strip()}' is not a number")
        values.append([float(v) for v in row])
    table = np.asarray(values, dtype=np.float64)
    return table[:, :-1], table[:, -1]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _checked(x, y, where: str) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ConfigError(f"{where}: x must be samples x features, got shape {x.shape}")
    if y.ndim != 1 or y.shape[0] != x.shape[0]:
        raise ConfigError(f"{where}: y must hold one label per sample ({x.shape[0]}), "
                          f"got shape {y.shape}")
    if not (np.issubdtype(x.dtype, np.number) and np.issubdtype(y.dtype, np.number)):
        raise ConfigError(f"{where}: x and y must be numbers, got {x.dtype} and {y.dtype}")
    x, y = x.astype(np.float64), y.astype(np.float64)
    for name, a in (("x", x), ("label", y)):
        bad = np.argwhere(~np.isfinite(a))
        if bad.size:
            raise ConfigError(f"{where}: {name} has NaN or inf (sample {bad[0][0]})")
    if np.any(y != np.round(y)) or np.any(y < 0):
        sample = int(np.flatnonzero((y != np.round(y)) | (y < 0))[0])
        raise ConfigError(f"{where}: label {y[sample]:g} of sample {sample} is not an "
                          "integer 0..C-1")
    labels = y.astype(np.int64)
    absent = sorted(set(range(int(labels.max()) + 1)) - set(labels.tolist()))
    if absent:
        raise ConfigError(f"{where}: labels must be 0..C-1 with every class present; "
                          f"class {absent[0]} has no sample")
    return x, labels
