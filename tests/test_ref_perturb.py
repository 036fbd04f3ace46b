"""Perturbation sources against slow direct implementations, and the adaptive scale."""

import numpy as np
import pytest

from ref_model import lfsr, scaling
from ref_model.config import TrainConfig
from ref_model.perturb import Perturbations
from ref_model.source_table import SeedStream
from ref_model.sources import WordBank, derived_seeds

W = 8
STREAM = SeedStream.PERTURBATIONS  # the perturbation generators' seeds


def number(words: list[int], perturb: str) -> int:
    """One hardware number from its words, as documented in ref_model.sources."""
    if perturb == "uniform01":
        return words[0]
    signed = [w - (1 << W) if w >= 1 << (W - 1) else w for w in words]
    return sum(2 * s + 1 for s in signed)


def slow_numbers(seed_words: np.ndarray, perturb: str) -> list[int]:
    k = 3 if perturb == "gaussian" else 1
    w = [int(v) for v in seed_words]
    return [number(w[i:i + k], perturb) for i in range(0, len(w) - k + 1, k)]


def test_word_bank_equals_clock_by_clock_lfsr():
    cfg = lfsr.LfsrConfig(state_w=32, out_w=W)
    seeds = derived_seeds(9, STREAM, 5)
    bank = WordBank(cfg, seeds, per_lane=3, max_states=16)
    got = np.concatenate([bank.words(n) for n in (1, 10, 0, 37, 5)], axis=1)
    assert np.array_equal(got, lfsr.words(cfg, seeds, 53)), "jump-ahead lanes diverge from stepping"


@pytest.mark.parametrize("perturb", ["uniform", "gaussian", "uniform-scaled"])
@pytest.mark.parametrize("pool", [97, 300])
def test_pool_offset_rotation(perturb, pool):
    d, steps, q = 130, 9, 2
    cfg = TrainConfig(perturb=perturb, generator="hw", reuse="pool", pool_size=pool,
                      arith="fixed", queries=q, seed=4)
    src = Perturbations(cfg, d)
    k = 3 if perturb == "gaussian" else 1
    words = lfsr.words(lfsr.LfsrConfig(32, W), derived_seeds(4, STREAM, 1), pool * k)[0]
    numbers = slow_numbers(words, perturb)
    mult = 1
    if perturb == "uniform-scaled":
        m2 = sum(v * v for v in numbers) / len(numbers) / 4.0 ** W
        terms = scaling.shift_add_terms(m2 ** -0.5, cfg.scale_terms)
        mult = sum(sign << (e - scaling.E_MIN) for sign, e in terms)  # c_hat * 2^S, S = -E_MIN
    offset = 0
    for t in range(steps):
        z = src.next_step()
        for i in range(q):
            want = [numbers[(offset + j) % pool] * mult for j in range(d)]
            offset = (offset + d) % pool
            assert z[i].tolist() == want, f"step {t} query {i}: pool read wrong"


@pytest.mark.parametrize("n", [1, 4, 7, 200])
def test_array_lane_rotation(n):
    d, steps = 45, 6
    cfg = TrainConfig(perturb="uniform", generator="hw", reuse="array", array_size=n,
                      arith="fixed", seed=11)
    src = Perturbations(cfg, d)
    clocks = -(-d // n)
    words = lfsr.words(lfsr.LfsrConfig(32, W), derived_seeds(11, STREAM, n), clocks * steps)
    mapping = list(range(n))          # mapping[lane] = generator feeding the lane
    clock = 0
    for t in range(steps):
        want = []
        for _ in range(clocks):
            want += [number([int(words[mapping[lane], clock])], "uniform") for lane in range(n)]
            mapping = mapping[1:] + mapping[:1]   # generator of lane 0 moves to the end
            clock += 1
        assert src.next_step()[0].tolist() == want[:d], f"step {t}: array lanes wrong"


def test_shift_add_terms_bound_and_sqrt3():
    rng = np.random.Generator(np.random.PCG64(0))
    for k in range(1, 6):
        lo, hi = scaling.bound(k)
        for c in rng.uniform(0.3, 6.0, size=200):
            ratio2 = (scaling.terms_value(scaling.shift_add_terms(c, k)) / c) ** 2
            assert lo <= ratio2 <= hi, f"K={k} c={c}: second-moment ratio {ratio2} outside bound"
    assert scaling.shift_add_terms(3 ** 0.5, 3) == [(1, 1), (-1, -2), (-1, -6)], "sqrt(3) terms"


@pytest.mark.parametrize("reuse", ["pool", "fresh", "array"])
@pytest.mark.parametrize("generator", ["hw", "ideal"])
@pytest.mark.parametrize("terms", [2, 3, 4])
def test_scaled_second_moment_within_bound(reuse, generator, terms):
    """Pool: exactly on the realised pool; fresh/array: on the distribution, so the
    empirical value of 40 * 1210 numbers also carries a sampling error (< 0.03)."""
    cfg = TrainConfig(perturb="uniform-scaled", generator=generator, reuse=reuse,
                      pool_size=4099, scale_terms=terms, seed=2)
    src = Perturbations(cfg, 1210)
    lo, hi = scaling.bound(terms)
    if reuse == "pool":
        m2 = scaling.second_moment(src._value(src.pool)) * (src.multiplier / 2.0 ** src.shift) ** 2
        assert lo <= m2 <= hi, f"pool second moment {m2} outside [{lo}, {hi}]"
    z = np.concatenate([src.next_step() for _ in range(40)])
    m2 = float(np.mean(z * z))
    assert lo - 0.03 <= m2 <= hi + 0.03, f"realised second moment {m2} outside bound"
    assert abs(float(np.mean(z))) < 0.03, "scaled uniform must be zero-mean"


def test_pool_refresh_refills_from_the_stream():
    d, pool, refresh, steps = 130, 97, 2, 6
    cfg = TrainConfig(perturb="uniform", generator="hw", reuse="pool", pool_size=pool,
                      pool_refresh=refresh, arith="fixed", seed=6)
    src = Perturbations(cfg, d)
    words = lfsr.words(lfsr.LfsrConfig(32, W), derived_seeds(6, STREAM, 1), pool * 3)[0]
    numbers = slow_numbers(words, "uniform")
    offset = 0
    for t in range(steps):
        fill = t // refresh                       # pools filled before step t
        current = numbers[fill * pool:(fill + 1) * pool]
        want = [current[(offset + j) % pool] for j in range(d)]
        offset = (offset + d) % pool
        assert src.next_step()[0].tolist() == want, f"step {t}: refreshed pool read wrong"
