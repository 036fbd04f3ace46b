"""The uniform RNG's pyuvm tests through the harness, on both simulators."""

import pytest

from tb import harness, registry
from tests.simcheck import assert_pass

ALL = sorted(t for t in registry.TESTS if t.startswith("lfsr."))


@pytest.mark.sim
@pytest.mark.parametrize("name", ALL)
def test_verilator(name):
    result = harness.run(registry.get(name), seed=11, simulator="verilator")
    assert_pass(result)
    assert result.metrics["words_checked"] > 0


@pytest.mark.sim
@pytest.mark.parametrize("name", ALL)
def test_icarus(name):
    assert_pass(harness.run(registry.get(name), seed=12, simulator="icarus"))


@pytest.mark.sim
def test_random_test_closes_coverage_and_checks_statistics():
    spec = registry.get("lfsr.LfsrRandomTest.s32w16")
    result = harness.run(spec, seed=5, simulator="verilator")
    assert_pass(result)
    assert result.metrics["coverage"]["percent"] == 100.0
    stats_result = harness.run(registry.get("lfsr.LfsrStatsTest.s32w16"), 5, "verilator")
    assert_pass(stats_result)
    assert stats_result.metrics["statistics"]["n"] >= 100_000


@pytest.mark.sim
def test_same_seed_reruns_bit_identically(tmp_path):
    spec = registry.get("lfsr.LfsrRandomTest.s16w8")
    first = harness.run(spec, 77, "verilator", out_dir=tmp_path / "a")
    second = harness.run(spec, 77, "verilator", out_dir=tmp_path / "b")
    assert first.metrics == second.metrics and first.sim_time_ns == second.sim_time_ns
    other = harness.run(spec, 78, "verilator", out_dir=tmp_path / "c")
    assert other.metrics["coverage"]["bins"] != first.metrics["coverage"]["bins"]
