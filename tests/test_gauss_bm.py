"""The Box-Muller Gaussian's model (ref_model/gauss_bm.py): its ROM, its error against
sqrt(-2 ln Q) cos(2 pi A), its symmetries, the widths the RTL gives every intermediate,
its parameter checks, and the distribution of 1e6 numbers of its descriptor row."""

import numpy as np
import pytest

from ref_model import array_model, gauss_bm, gauss_icdf, gauss_stats
from ref_model.array_model import ArrayConfig, ArrayModel
from ref_model.errors import ConfigError
from ref_model.source_table import Dist, by_name

ROW = by_name("array-box-muller")
N_MODEL = 1_000_000


def row_config(**changes) -> ArrayConfig:
    """The descriptor row's generator as pezo_rng_array parameters."""
    bench = {**ROW.bench, **changes}
    return ArrayConfig(dist=ROW.dist, k=bench.pop("k", ROW.k), **bench)


def model_sample(cfg: ArrayConfig, count: int = N_MODEL, seed: int = 3) -> np.ndarray:
    model = ArrayModel(cfg, array_model.reference_seeds(seed, cfg.lanes), bank_lanes=512)
    return model.step(count)


def test_rom_file_is_generated_from_the_model():
    assert gauss_bm.main(["--check"]) == 0, "rerun: python -m ref_model.gauss_bm"


def test_row_is_a_normal_box_muller_source():
    assert ROW.dist is Dist.BOX_MULLER and ROW.normal
    assert set(gauss_bm.RTL_FILES) <= set(ROW.rtl_files)


def edge_words(u_w: int, rng: np.random.Generator) -> np.ndarray:
    """Every radius octave's end words (both sides) with random angles, every 7th angle
    with a random radius, and random words."""
    r_w = u_w - gauss_bm.A_W
    ones = [(1 << b) - 1 for b in range(r_w + 1)] + [1 << b for b in range(r_w)]
    radii = np.array(ones + [((1 << r_w) - 1) ^ x for x in ones], dtype=np.uint64)
    angles = rng.integers(0, 1 << gauss_bm.A_W, radii.size, dtype=np.uint64)
    sweep = np.arange(0, 1 << gauss_bm.A_W, 7, dtype=np.uint64)
    sweep_radii = rng.integers(0, 1 << r_w, sweep.size, dtype=np.uint64)
    return np.concatenate([(radii << np.uint64(16)) | angles,
                           (sweep_radii << np.uint64(16)) | sweep,
                           rng.integers(0, 1 << u_w, 500_000, dtype=np.uint64)])


@pytest.mark.parametrize("u_w,frac,bound", [(32, 8, 0.51), (40, 12, 0.57), (48, 12, 0.58),
                                            (32, 16, 1.6), (48, 16, 1.8)])
def test_error_below_bound(u_w, frac, bound):
    """|box_muller - exact| in output LSBs: rounding (0.5) + table and arithmetic error."""
    err = np.abs(gauss_bm.error_lsb(edge_words(u_w, np.random.default_rng(u_w)), u_w, frac))
    assert err.max() <= bound, f"max error {err.max():.3f} LSB"


def test_symmetries_are_exact():
    """A -> A + 1/2 negates z, A -> -A keeps it; |z| reaches beyond 4 sigma."""
    u1 = np.arange(1 << 16, dtype=np.uint64) << np.uint64(16)
    a = np.random.default_rng(1).integers(0, 1 << 15, u1.size, dtype=np.uint64)
    z = gauss_bm.box_muller(u1 | a, 32, 12)
    assert np.array_equal(gauss_bm.box_muller(u1 | (a + np.uint64(1 << 15)), 32, 12), -z)
    assert np.array_equal(gauss_bm.box_muller(u1 | (np.uint64(0xFFFF) - a), 32, 12), z)
    assert np.abs(z).max() / 4096 > 4.0


def test_radius_is_monotone_in_the_rank():
    """Side 0: R falls as rho grows; side 1 (Q = 1 - rho): R grows with rho."""
    u1 = np.arange(1 << 16, dtype=np.uint64)
    side, _, _, _, rho = gauss_icdf.fields(u1, 16)
    r = gauss_bm.radius(u1, 16)
    for s, sign in ((0, -1), (1, 1)):
        order = np.argsort(rho[side == s])
        assert np.all(sign * np.diff(r[side == s][order]) >= 0), f"side {s} not monotone"


def horner_steps(coef: np.ndarray, t: np.ndarray, tb: int) -> tuple[np.ndarray, ...]:
    """The RTL's intermediates c2*t, h, h*t, y (every segment x every position)."""
    c0, c1, c2 = (coef[:, i, None] for i in range(3))
    p2 = c2 * t
    h = c1 + (p2 >> tb)
    p1 = h * t
    return p2, h, p1, c0 + (p1 >> tb)


def fits_signed(values: np.ndarray, width: int) -> bool:
    return bool(-(1 << (width - 1)) <= values.min() and values.max() < 1 << (width - 1))


def test_intermediates_fit_the_rtl_widths():
    """rtl/pezo_gauss_bm.v's wire widths: p2 30, h 19, p1 36, y 25 bits with y < 2^23;
    q2 22, hc 18, q1 28, yc 23 bits (every position of every segment, both tables)."""
    t = np.arange(1 << gauss_bm.RAD_TB, dtype=np.int64)[None, :]
    for side in np.array_split(gauss_bm.radius_coefficients(), 8):
        p2, h, p1, y = horner_steps(side, t, gauss_bm.RAD_TB)
        assert fits_signed(p2, 30) and fits_signed(h, 19) and fits_signed(p1, 36)
        assert fits_signed(y, 25) and y.max() < 1 << (gauss_bm.RAD_CF + 3)
    ct = np.arange(1 << gauss_bm.COS_TB, dtype=np.int64)[None, :]
    q2, hc, q1, yc = horner_steps(gauss_bm.cosine_coefficients(), ct, gauss_bm.COS_TB)
    assert fits_signed(q2, 22) and fits_signed(hc, 18) and fits_signed(q1, 28)
    assert fits_signed(yc, 23)


@pytest.mark.parametrize("u_w,frac,message", [
    (31, 8, "U_W=31 unsupported, need 32..48"), (49, 8, "U_W=49 unsupported, need 32..48"),
    (32, 1, "FRAC=1 unsupported, need 2..16"), (32, 17, "FRAC=17 unsupported, need 2..16")])
def test_rejects_bad_parameters(u_w, frac, message):
    with pytest.raises(ConfigError, match=f"^{message}$"):
        gauss_bm.box_muller(np.zeros(1, dtype=np.uint64), u_w, frac)


@pytest.mark.parametrize("w,k", [(8, 4), (16, 3), (4, 8), (12, 4)])
def test_numgen_limits_accept(w, k):
    assert row_config(w=w, k=k, state_w=64).num_w == w + 4


@pytest.mark.parametrize("w,k", [(8, 3), (7, 7), (16, 1)])
def test_numgen_limits_refuse(w, k):
    message = rf"^K\*W={w * k} unsupported, need 32..48 \(DIST=3, Box-Muller\)$"
    with pytest.raises(ConfigError, match=message):
        row_config(w=w, k=k, state_w=64)


@pytest.fixture(scope="module")
def row_sample() -> np.ndarray:
    return model_sample(row_config())


def test_model_distribution_within_the_normal_bounds(row_sample):
    """The bounds the inverse-CDF generator meets: mean, variance, kurtosis, KS against
    N(0,1) and the tail counts beyond 1..4 sigma, on 1e6 numbers of the row's generator."""
    cfg = row_config()
    stats = gauss_stats.number_stats(row_sample, cfg.frac)
    exp = gauss_stats.expected(cfg.dist, cfg.k, cfg.w)
    assert gauss_stats.violations(stats, exp) == []
    assert stats["ks"] < 0.002 and abs(stats["kurtosis"] - 3.0) < 0.03
    assert stats["tails"]["4"] > 0, "no number beyond 4 sigma"


@pytest.mark.parametrize("w,k,state_w", [(16, 3, 48), (12, 4, 64)])
def test_wider_words_within_the_normal_bounds(w, k, state_w):
    cfg = row_config(lanes=2, w=w, k=k, state_w=state_w)
    stats = gauss_stats.number_stats(model_sample(cfg, 400_000), cfg.frac)
    assert gauss_stats.violations(stats, gauss_stats.expected(cfg.dist, cfg.k, cfg.w)) == []


def test_statistics_catch_a_wrong_radius(row_sample):
    """The bounds can fail: sqrt(-ln Q) instead of sqrt(-2 ln Q) (variance 1/2), and the
    radius of every other word one segment off (tails and KS)."""
    cfg = row_config()
    exp = gauss_stats.expected(cfg.dist, cfg.k, cfg.w)
    halved = np.round(row_sample / np.sqrt(2)).astype(np.int64)
    problems = gauss_stats.violations(gauss_stats.number_stats(halved, cfg.frac), exp)
    assert any(p.startswith("variance") for p in problems)
    assert any("KS" in p for p in problems)
    stretched = row_sample.copy()
    stretched[::2] = np.round(stretched[::2] * 1.05).astype(np.int64)
    problems = gauss_stats.violations(gauss_stats.number_stats(stretched, cfg.frac), exp)
    assert any(p.startswith("|x| > 3") or p.startswith("variance") for p in problems)
