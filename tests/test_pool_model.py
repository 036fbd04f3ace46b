"""ref_model/pool_model.py: the pool hardware's view of the training reference.

PoolModel must be Perturbations itself (reuse pool, generator hw), the fill seed the one
the reference derives, host_terms from fill_sumsq_o the reference's terms. That the
configuration classes reject what the RTL rejects, at every limit and with the same words, is
tests/test_param_limits.py's job (it elaborates the RTL).
"""

import numpy as np
import pytest

from ref_model import lfsr, scaling
from ref_model.config import TrainConfig, validate
from ref_model.errors import ConfigError
from ref_model.perturb import Perturbations
from ref_model.pool_model import (
    PoolConfig,
    PoolModel,
    ScaleConfig,
    fields_error,
    fields_multiplier,
    fill_seed,
    host_terms,
    scale_fields,
    scale_multiplier,
    train_config,
)
from ref_model.source_table import SeedStream
from ref_model.sources import derived_seeds

CASES = [(64, 4, 9, 0, 7), (30, 3, 9, 2, 1), (509, 1, 13, 3, 12), (16, 16, 5, 1, 4)]


def direct_pool(seed32: int, n: int, word_w: int, fills: int = 1) -> list[np.ndarray]:
    """Independent derivation: LFSR words stepped one clock at a time, v = 2s + 1."""
    words = lfsr.words(lfsr.LfsrConfig(32, word_w), [seed32], n * fills)[0]
    v = 2 * lfsr.to_signed(words, word_w) + 1
    return [v[i * n:(i + 1) * n] for i in range(fills)]


@pytest.mark.parametrize("n,lanes,num_w,refresh,run_seed", CASES)
def test_model_equals_perturbations_and_direct_rotation(n, lanes, num_w, refresh, run_seed):
    cfg = PoolConfig(pool_n=n, lanes=lanes, num_w=num_w)
    model = PoolModel(cfg, run_seed, refresh)
    d = n + 3 if n > 20 else n - 1
    ref = Perturbations(train_config(cfg, run_seed, refresh), d)
    pools = direct_pool(fill_seed(run_seed), n, cfg.word_w, fills=11)
    offset, fill = 0, 0
    for t in range(10):
        if refresh and t and t % refresh == 0:
            fill += 1
        want = [int(pools[fill][(offset + j) % n]) for j in range(d)]
        offset = (offset + d) % n
        assert model.step(d) == want, f"step {t}: model differs from the direct rotation"
        assert ref.next_step()[0].tolist() == want, f"step {t}: Perturbations differs"
        assert model.sumsq == int(np.sum(pools[fill] ** 2)), f"step {t}: sum of squares"


def test_fill_seed_is_the_reference_seed():
    assert fill_seed(5) == int(derived_seeds(5, SeedStream.PERTURBATIONS, 1)[0])
    assert fill_seed(5) != fill_seed(6)


def test_variable_d_follows_the_offset_rule():
    cfg = PoolConfig(pool_n=30, lanes=3)
    model = PoolModel(cfg, 9)
    pool = direct_pool(fill_seed(9), 30, 8)[0]
    offset = 0
    for d in [7, 31, 2, 59, 29, 1, 95]:
        assert model.step(d) == [int(pool[(offset + j) % 30]) for j in range(d)], f"d={d}"
        offset = (offset + d) % 30
        assert model.offset == offset


@pytest.mark.parametrize("n,num_w,run_seed", [(64, 9, 1), (509, 13, 2), (1021, 9, 3)])
def test_host_terms_from_sumsq_equal_the_reference_scale(n, num_w, run_seed):
    cfg = PoolConfig(pool_n=n, lanes=1, num_w=num_w)
    raw = PoolModel(cfg, run_seed)
    scaled = Perturbations(train_config(cfg, run_seed, perturb="uniform-scaled"), n + 5)
    terms = host_terms(raw.sumsq, n, cfg.word_w, 3)
    assert terms == scaled.terms, "host terms from fill_sumsq_o differ from the reference's"
    m = scale_multiplier(terms)
    assert m == scaled.multiplier
    en, neg, shifts = scale_fields(terms, 3)
    assert fields_multiplier(en, neg, shifts) == m
    v = raw.step(n + 5)
    assert [x * m for x in v] == scaled.next_step()[0].tolist(), "v*M differs from uniform-scaled"


def test_degenerate_d_is_refused_by_the_config():
    cfg = PoolConfig(pool_n=30, lanes=3)
    model = PoolModel(cfg, 1)
    for d in (0, 30, 60, 90):
        with pytest.raises(ConfigError, match="d="):
            model.step(d)
    model.step(31)
    with pytest.raises(ConfigError, match="divides d=60"):
        validate(TrainConfig(reuse="pool", pool_size=30), 60)


def test_scale_config_and_fields():
    assert ScaleConfig(lanes=4, num_w=9, terms=3).out_w == 9 + 16 + 2
    with pytest.raises(ConfigError, match="OUT_W=26 unsupported, need 27..64"):
        ScaleConfig(lanes=4, num_w=9, terms=3, out_w=26)
    with pytest.raises(ConfigError, match="TERMS=0 unsupported"):
        ScaleConfig(terms=0)
    # extreme: every term negative at the largest shift, times the most negative input
    cfg = ScaleConfig(lanes=1, num_w=9, terms=3)
    m = fields_multiplier(7, 7, [16, 16, 16])
    worst = -(1 << 8) * m
    assert worst < 1 << (cfg.out_w - 1), "OUT_W would overflow"
    assert fields_multiplier(0b101, 0b001, [3, 40, 2], 16) == -8 + 4
    assert fields_error(0b010, [0, 40, 0]) == 1 and fields_error(0b101, [0, 40, 0]) == 0
    assert scale_fields(scaling.shift_add_terms(3 ** 0.5, 3), 3) == (7, 0b110, [13, 10, 6])
