"""The digits split cache (ref_model/data.py): a cached split is scikit-learn's split, and
a cache file that cannot be read is recomputed, not trusted."""

from __future__ import annotations

import numpy as np
import pytest

from ref_model import data


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PEZO_CACHE", str(tmp_path))
    data.load.cache_clear()
    yield tmp_path
    data.load.cache_clear()


def _same(a: data.Digits, b: data.Digits) -> bool:
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in data.SPLIT_ARRAYS)


def _sklearn_split(seed: int) -> data.Digits:
    from sklearn.model_selection import train_test_split

    x, y = data._load()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
    return data.Digits(xtr, ytr, xte, yte)


def test_cached_split_is_sklearns(cache):
    first = data.load(3)
    files = list(cache.glob("digits-seed3-*.npz"))
    assert len(files) == 1
    data.load.cache_clear()
    again = data.load(3)  # from the file
    assert _same(first, _sklearn_split(3)) and _same(again, _sklearn_split(3))
    assert again.train_pixels.dtype == np.int64
    assert not _same(again, _sklearn_split(4))


def test_unreadable_cache_is_recomputed(cache):
    data.load(5)
    path = next(cache.glob("digits-seed5-*.npz"))
    path.write_bytes(b"not an npz")
    data.load.cache_clear()
    assert _same(data.load(5), _sklearn_split(5))
    assert data._read_split(path) is not None  # rewritten whole
