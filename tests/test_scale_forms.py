"""The three forms of the scale in the bit-exact model (no simulator).

Fixed (SCALE_MODE 1) = the programmable form whenever the pool's greedy terms are the law's;
folded (SCALE_MODE 2) = fixed, bit for bit, in every training step (float and fixed point,
nearest and stochastic rounding): its power of two moves from z into the shifts. What the
fixed forms give up is shown too: for a pool whose realised second moment has other greedy
terms, the programmable form follows it and the fixed one does not.
"""

from __future__ import annotations

import numpy as np
import pytest

from ref_model import rtl_twin, scaling
from ref_model.config import TrainConfig
from ref_model.errors import ConfigError
from ref_model.perturb import Perturbations
from ref_model.pool_model import FIXED_M, ScaleConfig, law_multiplier
from ref_model.source_table import ScaleMode, by_top_params, perturbation
from ref_model.trainer import run

FORMS = {"uniform-scaled": ScaleMode.RUNTIME, "uniform-scaled-fixed": ScaleMode.FIXED,
         "uniform-scaled-folded": ScaleMode.FOLDED}
D = 1210  # the default MLP's d
# (pool size, seed): the realised pool's greedy terms equal the law's (M = 7104) / differ
SAME_TERMS, OTHER_TERMS = (4096, 0), (1024, 1)


def source(perturb: str, pool_n: int, seed: int, arith: str = "fixed",
           scale_terms: int = 3) -> Perturbations:
    cfg = TrainConfig(perturb=perturb, generator="hw", reuse="pool", pool_size=pool_n,
                      arith=arith, seed=seed, scale_terms=scale_terms)
    return Perturbations(cfg, D)


def training(perturb: str, arith: str, pool_n: int = 2039, seed: int = 3,
             scale_terms: int = 3, rounding: str = "nearest"):
    return run(TrainConfig(perturb=perturb, generator="hw", reuse="pool", pool_size=pool_n,
                           arith=arith, seed=seed, steps=120, eval_points=1,
                           scale_terms=scale_terms, rounding=rounding))


def test_rows_name_their_form():
    for perturb, mode in FORMS.items():
        assert perturbation(perturb).scale_mode is mode and perturbation(perturb).scaled
    assert by_top_params({"SOURCE": 1}).name == "pool-scaled"
    assert by_top_params({"SOURCE": 1, "SCALE_MODE": 0}).name == "pool-scaled"
    assert by_top_params({"SOURCE": 1, "SCALE_MODE": 1}).name == "pool-scaled-fixed"
    assert by_top_params({"SOURCE": 1, "SCALE_MODE": 2}).name == "pool-scaled-folded"
    with pytest.raises(ConfigError, match="no perturbation source has parameters SOURCE=0, "
                                          "SCALE_MODE=1"):
        by_top_params({"SOURCE": 0, "SCALE_MODE": 1})


def test_fixed_multiplier_is_the_laws_greedy_scale():
    assert law_multiplier(8, 3) == FIXED_M == (1 << 13) - (1 << 10) - (1 << 6)
    assert law_multiplier(8, 1) == 1 << 13  # one term: the power of two 2
    assert scaling.folded(FIXED_M) == (111, 6) and scaling.folded(1 << 13) == (1, 13)
    for perturb in ("uniform-scaled-fixed", "uniform-scaled-folded"):
        for pool_n, seed in (SAME_TERMS, OTHER_TERMS):
            p = source(perturb, pool_n, seed)
            assert p.multiplier << (-scaling.E_MIN - p.shift) == FIXED_M, (perturb, seed)


def test_fixed_equals_programmable_when_the_pool_has_the_laws_terms():
    pool_n, seed = SAME_TERMS
    adaptive, fixed = (source(p, pool_n, seed) for p in ("uniform-scaled",
                                                         "uniform-scaled-fixed"))
    assert adaptive.multiplier == fixed.multiplier == FIXED_M
    for _ in range(8):  # 8 * 1210 > 2 pools: the offsets wrap
        assert np.array_equal(adaptive.next_step(), fixed.next_step())
    a, f = (training(p, "fixed", pool_n, seed) for p in ("uniform-scaled",
                                                          "uniform-scaled-fixed"))
    assert a.trace.hashes == f.trace.hashes


def test_fixed_gives_up_the_realised_pools_scale():
    pool_n, seed = OTHER_TERMS
    adaptive, fixed = (source(p, pool_n, seed) for p in ("uniform-scaled",
                                                         "uniform-scaled-fixed"))
    assert adaptive.multiplier != fixed.multiplier == FIXED_M
    za, zf = adaptive.next_step()[0], fixed.next_step()[0]
    # the same pool numbers v, times another M
    assert np.array_equal(za * fixed.multiplier, zf * adaptive.multiplier)


@pytest.mark.parametrize("scale_terms", [3, 1])
def test_folded_equals_fixed_in_every_step(scale_terms):
    fixed, folded = (source(p, 2039, 5, scale_terms=scale_terms)
                     for p in ("uniform-scaled-fixed", "uniform-scaled-folded"))
    m, fold = scaling.folded(fixed.multiplier)
    assert (folded.multiplier, folded.z_frac) == (m, fixed.z_frac - fold)
    z_fixed, z_folded = fixed.next_step(), folded.next_step()
    assert np.array_equal(z_fixed, z_folded << fold), "z differs by more than 2^FOLD"
    for arith, rounding in (("fixed", "nearest"), ("fixed", "stochastic"), ("float", "nearest")):
        a, b = (training(p, arith, scale_terms=scale_terms, rounding=rounding)
                for p in ("uniform-scaled-fixed", "uniform-scaled-folded"))
        assert a.trace.hashes == b.trace.hashes, (arith, rounding)
        assert np.array_equal(a.trace.g_hat, b.trace.g_hat), (arith, rounding)


def test_scale_config_per_form():
    programmable = ScaleConfig(lanes=4, num_w=9, terms=3)
    assert "SCALE_MODE" not in programmable.verilog_parameters()  # parameter sets unchanged
    fixed = ScaleConfig(lanes=4, num_w=9, scale_mode=1)
    folded = ScaleConfig(lanes=4, num_w=9, scale_mode=2)
    power = ScaleConfig(lanes=4, num_w=9, scale_mode=2, scale_m=1 << 13)
    assert [c.out_w for c in (programmable, fixed, folded, power)] == [27, 22, 16, 9]
    assert (fixed.fold, folded.fold, power.fold) == (0, 6, 13)
    assert fixed.multiplier(0b111, 0b111, [16, 16, 16]) == FIXED_M
    assert folded.multiplier(0, 0, [0, 0, 0]) == 111 and power.multiplier(1, 1, [3, 0, 0]) == 1
    assert fixed.error(0b1, [31, 0, 0]) == 0 and programmable.error(0b1, [31, 0, 0]) == 1
    for cfg in (programmable, fixed, folded, power):
        assert ScaleConfig.from_verilog(cfg.verilog_parameters()) == cfg
    with pytest.raises(ConfigError, match=r"^OUT_W=15 unsupported, need 16..64 "
                                          r"\(NUM_W \+ clog2\(SCALE_M >> FOLD\)\)$"):
        ScaleConfig(num_w=9, scale_mode=2, out_w=15)


def test_twin_takes_the_fixed_scale_from_scale_m():
    params = rtl_twin.default_params("pool-scaled-folded", hidden=8, pool_n=1024)
    assert params["SCALE_M"] == FIXED_M and rtl_twin.scale_terms(params) == 3
    power = {**params, "SCALE_M": 1 << 13}
    assert rtl_twin.scale_terms(power) == 1
    twin = rtl_twin.Twin(power, seed=1, steps=1, batch=8)
    assert twin.run.perturbations.multiplier == 1 and twin.run.perturbations.z_frac == 8 - 1
    assert [reg for reg, _ in twin.setup_writes()] == ["SEED", "CTRL"]  # no SCALE to write
    with pytest.raises(ConfigError, match="SCALE_M=7000 is not a fixed scale of the "
                                          "reference: need one of 8192, 7168, 7104"):
        rtl_twin.check_params({**params, "SCALE_M": 7000})
