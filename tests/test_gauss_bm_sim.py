"""The Box-Muller Gaussian in simulation, on Verilator and Icarus: rtl/pezo_gauss_bm.v alone
against ref_model.gauss_bm on every radius octave's end words and an angle sweep, and its
descriptor row on the gauss bench (pezo_rng_array with DIST 3): bit-exact under 2 x 10 random
runtime configurations per seed with full coverage, the same numbers on both simulators, and
mutants caught. (tests/test_gauss_sim.py runs the row's variant with the other Gaussians.)"""

import re

import cocotb
import numpy as np
import pytest
from cocotb.triggers import Timer

from ref_model import gauss_bm
from ref_model.source_table import by_name
from tb import harness, registry
from tb.common import metrics
from tb.common.params import dut_params
from tests import simcheck
from tests.simcheck import assert_pass

ROW = by_name("array-box-muller")
RANDOM = f"gauss.GaussRandomTest.{ROW.variant}"
# a second HDL configuration: 48-bit words (32 radius bits) of a 64-bit LFSR, 16 fraction bits
WIDE = {"LANES": 5, "W": 16, "K": 3, "STATE_W": 64}
WORDS = harness.Bench("gauss_bm", "pezo_gauss_bm", gauss_bm.RTL_FILES, __name__)
MODULE_CONFIGS = {"u32f8": {"U_W": 32, "FRAC": 8}, "u47f16": {"U_W": 47, "FRAC": 16}}
MISMATCH = re.compile(r"step \d+ pass \d+ beat \d+ lane \d+ \(j=\d+\): "
                      r"expected 0x[0-9a-f]+, actual 0x[0-9a-f]+")


def module_words(u_w: int, count: int = 4000, seed: int = 5) -> np.ndarray:
    """Every radius octave's end words on both sides, every 16th angle, random words."""
    rng = np.random.default_rng(seed)
    r_w = u_w - gauss_bm.A_W
    ends = [(1 << b) - 1 for b in range(r_w + 1)] + [1 << b for b in range(r_w)]
    radii = np.array(ends + [((1 << r_w) - 1) ^ x for x in ends], dtype=np.uint64)
    angles = np.arange(0, 1 << gauss_bm.A_W, 16, dtype=np.uint64)
    return np.concatenate([
        (radii << np.uint64(gauss_bm.A_W)) | rng.integers(0, 1 << 16, radii.size, dtype=np.uint64),
        (rng.integers(0, 1 << r_w, angles.size, dtype=np.uint64) << np.uint64(16)) | angles,
        rng.integers(0, 1 << u_w, count, dtype=np.uint64)])


@cocotb.test()
async def words_match_the_model(dut):
    """Drive u_i word by word; z_o must equal gauss_bm.box_muller bit for bit."""
    p = dut_params()
    words = module_words(p["U_W"])
    want = gauss_bm.box_muller(words, p["U_W"], p["FRAC"])
    for i, (word, z) in enumerate(zip(words.tolist(), want.tolist(), strict=True)):
        dut.u_i.value = word
        await Timer(1, unit="ns")
        got = dut.z_o.value.to_signed()
        assert got == z, f"word {i} 0x{word:x}: expected {z}, actual {got}"
    metrics.record(words_checked=len(words))


def module_spec(config: str) -> harness.TestSpec:
    return harness.TestSpec(WORDS, "words_match_the_model", config,
                            tuple(sorted(MODULE_CONFIGS[config].items())))


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("config", sorted(MODULE_CONFIGS))
def test_module_matches_the_model(config, simulator):
    result = harness.run(module_spec(config), seed=1, simulator=simulator)
    assert_pass(result)
    assert result.metrics["words_checked"] > 4000


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
def test_module_mutant_is_caught(tmp_path, simulator):
    """No quarter-turn fold: the distribution is the same (|cos| of a uniform angle),
    only the bit-exact comparison can see it."""
    spec = simcheck.mutant_spec(module_spec("u32f8"), "pezo_gauss_bm.v",
                                "quadrant[0] ? ~j : j;", "j;", tmp_path, "no_fold")
    result = harness.run(spec, seed=1, simulator=simulator, out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant survived: {result}"
    assert re.search(r"word \d+ 0x[0-9a-f]+: expected -?\d+, actual -?\d+", result.message)


@pytest.mark.sim
@pytest.mark.parametrize("seed", [41, 42, 43])
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("config", ["row", "wide"])
def test_random_configurations_close_coverage(config, simulator, seed):
    """Directed run + 10 drawn runtime configurations per HDL configuration and seed:
    2 x 10 = 20 random configurations per seed and simulator, bit-exact, 100% coverage."""
    spec = registry.get(RANDOM)
    spec = spec if config == "row" else registry.with_params(spec, WIDE)
    result = harness.run(spec, seed, simulator)
    assert_pass(result)
    assert result.metrics["coverage"]["percent"] == 100.0
    assert result.metrics["steps"] >= 11 and result.metrics["beats_checked"] > 0


@pytest.mark.sim
def test_icarus_numbers_equal_verilators():
    """The RTL's own 60,000 numbers (tests/test_gauss_sim.py holds them to the normal
    bounds on Verilator): Icarus draws the same ones."""
    spec = registry.get(f"gauss.GaussStatsTest.{ROW.variant}")
    runs = [harness.run(spec, 16, sim) for sim in ("verilator", "icarus")]
    for result in runs:
        assert_pass(result)
    stats = runs[0].metrics["statistics"]
    assert stats["n"] >= 60_000 and stats["tails"]["3"] > 0
    assert runs[1].metrics["statistics"] == stats, "simulators disagree on the numbers"


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
def test_bench_mutant_is_caught(tmp_path, simulator):
    """The sign of quadrant 3 flipped for quadrant 1's (a symmetric law again): the
    scoreboard names the first differing lane."""
    base = registry.get(f"gauss.GaussSmokeTest.{ROW.variant}")
    spec = simcheck.mutant_spec(base, "pezo_gauss_bm.v", "negative = quadrant[1] ^ quadrant[0];",
                                "negative = quadrant[1];", tmp_path, "sign")
    result = harness.run(spec, seed=3, simulator=simulator, out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant survived: {result}"
    assert MISMATCH.search(result.message), result.message
