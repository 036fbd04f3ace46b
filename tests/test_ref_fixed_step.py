"""Fixed-point steps re-derived with slow scalar Python integers, bit for bit.

The slow model below is written from the formulas of docs/ref-model.md only
(Python ints: unbounded, so an int64 overflow in the vectorised model would show).
It replays the first steps of a run, using the run's batches and perturbations,
and must reproduce the trainer's trace (S+, S-, g_hat, weights hash) exactly.
"""

import numpy as np
import pytest

from ref_model import data
from ref_model.config import FixedFormat, TrainConfig
from ref_model.fixed_run import initial_fixed_theta
from ref_model.layout import dimension, init_theta, layers_of
from ref_model.lfsr import LfsrConfig
from ref_model.perturb import Perturbations
from ref_model.source_table import SeedStream
from ref_model.sources import WordBank, derived_seeds
from ref_model.trace import weights_hash
from ref_model.trainer import run

STEPS = 2


def rshift(x: int, s: int) -> int:
    """Round to nearest, ties toward +inf (Python >> is a floor shift)."""
    return (x + (1 << (s - 1))) >> s if s > 0 else x << -s


def sat(x: int, bits: int) -> int:
    return max(-(1 << (bits - 1)), min((1 << (bits - 1)) - 1, x))


def slow_outputs(theta: list[int], pixels, sizes, f: FixedFormat) -> list[int]:
    h, in_frac = [int(p) << (f.x_frac - 4) for p in pixels], f.x_frac
    layers = layers_of(sizes)
    for k, ly in enumerate(layers):
        out = []
        for o in range(ly.fan_out):
            acc = theta[ly.b_offset + o] << in_frac
            for i in range(ly.fan_in):
                acc += theta[ly.w_offset + o * ly.fan_in + i] * h[i]
            v = rshift(acc, f.w_frac + in_frac - f.a_frac)
            hi = (1 << (f.a_bits - 1)) - 1
            out.append(min(max(v, 0), hi) if k < len(layers) - 1 else sat(v, f.a_bits))
        h, in_frac = out, f.a_frac
    return h


def slow_loss(theta, rows, digits, cfg) -> int:
    f, s = cfg.fmt, 0
    one = 1 << f.a_frac
    for r in rows:
        y = slow_outputs(theta, digits.train_codes[r], cfg.layers, f)
        lab = int(digits.train_labels[r])
        for c in range(10):
            if cfg.loss == "mse":
                s += (y[c] - (one if c == lab else 0)) ** 2
            elif c != lab:
                s += max(0, one + y[c] - y[lab])
    return s


def slow_step(theta, z_rows, rows, digits, cfg, z_frac, sr_words):
    f = cfg.fmt
    ke, kl = round(np.log2(cfg.eps)), round(np.log2(cfg.lr))
    kb, kq = round(np.log2(cfg.batch)), round(np.log2(cfg.queries))
    lf = (2 * f.a_frac if cfg.loss == "mse" else f.a_frac) + kb
    plus, minus, gs = [], [], []
    for z in z_rows:
        p = [rshift(int(v), z_frac - ke - f.w_frac) for v in z]
        sp = slow_loss([sat(t + v, f.w_bits) for t, v in zip(theta, p, strict=True)],
                       rows, digits, cfg)
        sm = slow_loss([sat(t - v, f.w_bits) for t, v in zip(theta, p, strict=True)],
                       rows, digits, cfg)
        plus.append(sp), minus.append(sm)
        gs.append(sat(rshift(sp - sm, lf + 1 + ke - f.g_frac), f.g_bits))
    shift = f.g_frac + z_frac + kq - kl - f.w_frac
    new = []
    for j, t in enumerate(theta):
        acc = sum(g * int(z[j]) for g, z in zip(gs, z_rows, strict=True))
        if sr_words is None:
            delta = rshift(acc, shift)
        else:
            word = int(sr_words[j])
            r = word << (shift - 16) if shift >= 16 else word >> (16 - shift)
            delta = (acc + r) >> shift
        new.append(sat(t - delta, f.w_bits))
    return new, plus, minus, gs


CASES = [(p, g, r) for p in ("gaussian", "uniform01", "uniform", "uniform-scaled")
         for g in ("hw", "ideal") for r in ("fresh", "pool", "array")]


@pytest.mark.parametrize("perturb,generator,reuse", CASES)
def test_fixed_step_matches_scalar_model(perturb, generator, reuse):
    cfg = TrainConfig(arith="fixed", perturb=perturb, generator=generator, reuse=reuse,
                      pool_size=1500, array_size=7, batch=4, steps=STEPS, seed=5, eval_points=1)
    check_replay(cfg)


@pytest.mark.parametrize("extra", [
    {"rounding": "stochastic", "perturb": "uniform-scaled", "reuse": "pool", "generator": "hw"},
    {"loss": "hinge", "queries": 2, "lr": 2.0 ** -6, "eps": 2.0 ** -4},
    {"model": "linear", "layers": (64, 10), "fmt": FixedFormat(w_frac=10, w_bits=12, z_word=6)},
    {"fmt": FixedFormat(w_frac=20, w_bits=32)},   # accumulator > 53 bits: int64 matmul path
])
def test_fixed_step_variants_match_scalar_model(extra):
    base = dict(arith="fixed", batch=4, steps=STEPS, seed=3, eval_points=1, pool_size=1500)
    check_replay(TrainConfig(**{**base, **extra}))


def check_replay(cfg: TrainConfig):
    res = run(cfg)
    d = dimension(cfg.layers)
    digits = data.load(cfg.dataset, cfg.seed)
    batches = data.batch_indices(cfg.seed, digits.train_labels.size, cfg.steps, cfg.batch)
    source = Perturbations(cfg, d)
    sr = WordBank(LfsrConfig(32, 16), derived_seeds(cfg.seed, SeedStream.ROUNDING, 1))
    theta = [int(v) for v in initial_fixed_theta(init_theta(cfg.layers, cfg.seed), cfg)]
    for t in range(cfg.steps):
        z = source.next_step()
        words = sr.words(d)[0] if cfg.rounding == "stochastic" else None
        theta, sp, sm, g = slow_step(theta, z, batches[t], digits, cfg, source.z_frac, words)
        assert list(res.trace.loss_plus[t]) == sp, f"step {t}: L+ differs"
        assert list(res.trace.loss_minus[t]) == sm, f"step {t}: L- differs"
        assert list(res.trace.g_hat[t]) == g, f"step {t}: g_hat differs"
        assert res.trace.hashes[t] == weights_hash(np.array(theta, dtype=np.int64)), \
            f"step {t}: weights differ"
    assert any(v != 0 for v in res.trace.g_hat.ravel()), "degenerate case: g_hat all zero"
