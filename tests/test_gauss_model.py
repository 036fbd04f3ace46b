"""The Gaussian baselines' models: the ICDF ROM and its error, and the distribution
statistics of every generator on large model samples (ref_model/gauss_stats.py)."""

import numpy as np
import pytest

from ref_model import array_model, gauss_icdf, gauss_stats
from ref_model.array_model import ArrayConfig, ArrayModel
from ref_model.errors import ConfigError
from ref_model.source_table import Dist

N_MODEL = 1_000_000


def test_rom_file_is_generated_from_the_model():
    assert gauss_icdf.main(["--check"]) == 0, "rerun: python -m ref_model.gauss_icdf"


@pytest.mark.parametrize("u_w,frac,bound", [(32, 8, 0.51), (24, 12, 0.56), (16, 10, 0.52)])
def test_icdf_error_below_one_lsb(u_w, frac, bound):
    """|icdf - invPhi| in output LSBs: rounding (0.5) + fit error, over random words and
    every octave's extreme words (the tail end, the centre, both signs)."""
    rng = np.random.default_rng(u_w)
    top = 1 << u_w
    edges = np.concatenate([np.arange(4096), top - 1 - np.arange(4096),
                            top // 2 + np.arange(-4096, 4096)]).astype(np.uint64)
    u = np.concatenate([rng.integers(0, top, 1_000_000, dtype=np.uint64), edges])
    err = np.abs(gauss_icdf.error_lsb(u, u_w, frac))
    assert err.max() <= bound, f"max error {err.max():.3f} LSB"


def test_icdf_is_odd_and_monotone():
    u = np.arange(0, 1 << 16, dtype=np.uint64)
    z = gauss_icdf.icdf(u, 16, 12)
    pos, neg = z[: 1 << 15], z[1 << 15:]
    assert np.all(np.diff(pos) <= 0), "|z| must fall as the tail rank r grows"
    assert np.array_equal(pos, -neg), "z(sign=1, r) = -z(sign=0, r)"
    assert z.max() / 4096 > 4.0, "a 16-bit word reaches beyond 4 sigma"


@pytest.mark.parametrize("u_w,frac", [(15, 8), (33, 8), (32, 1), (32, 17)])
def test_icdf_rejects_bad_parameters(u_w, frac):
    with pytest.raises(ConfigError, match="unsupported, need"):
        gauss_icdf.icdf(np.zeros(1, dtype=np.uint64), u_w, frac)


GENERATORS = {"uniform": ArrayConfig(lanes=4, dist=Dist.UNIFORM),
              "clt3": ArrayConfig(lanes=5, dist=Dist.CLT, k=3),
              "clt12": ArrayConfig(lanes=3, dist=Dist.CLT, w=5, k=12, state_w=64),
              "icdf": ArrayConfig(lanes=3, dist=Dist.ICDF, w=8, k=4)}


def model_sample(cfg, count=N_MODEL, seed=3):
    model = ArrayModel(cfg, array_model.reference_seeds(seed, cfg.lanes), bank_lanes=512)
    return model.step(count)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_model_distribution_within_bounds(name):
    cfg = GENERATORS[name]
    stats = gauss_stats.number_stats(model_sample(cfg), cfg.frac)
    exp = gauss_stats.expected(cfg.dist, cfg.k, cfg.w)
    assert gauss_stats.violations(stats, exp) == []


def test_figures_that_separate_the_generators():
    """What the baselines are for: the uniform is far from normal, CLT K=3 has no tail
    beyond 3 sigma, CLT K=12 is close, the ICDF matches N(0,1) to the sampling noise."""
    s = {n: gauss_stats.number_stats(model_sample(c), c.frac) for n, c in GENERATORS.items()}
    assert s["uniform"]["ks"] > 0.15 and abs(s["uniform"]["kurtosis"] - 1.8) < 0.01
    assert s["clt3"]["tails"]["3"] == 0 and 0.008 < s["clt3"]["ks"] < 0.013
    assert s["clt12"]["ks"] < 0.005 and abs(s["clt12"]["kurtosis"] - 2.9) < 0.02
    assert s["icdf"]["ks"] < 0.002 and abs(s["icdf"]["kurtosis"] - 3.0) < 0.03
    expected4 = N_MODEL * 2 * 3.167e-5
    assert abs(s["icdf"]["tails"]["4"] - expected4) < 5 * np.sqrt(expected4) + 3


def test_statistics_catch_a_wrong_generator():
    """The bounds can fail: uniform numbers judged as a Gaussian, a biased ICDF."""
    icdf = GENERATORS["icdf"]
    uni = gauss_stats.number_stats(model_sample(GENERATORS["uniform"], 200_000), 8)
    problems = gauss_stats.violations(uni, gauss_stats.expected(Dist.ICDF, 4, 8))
    assert any("KS" in p for p in problems) and any("kurtosis" in p for p in problems)
    biased = model_sample(icdf, 200_000) + 3  # +3 LSB of bias
    problems = gauss_stats.violations(gauss_stats.number_stats(biased, 8),
                                      gauss_stats.expected(Dist.ICDF, 4, 8))
    assert any(p.startswith("mean") for p in problems)
