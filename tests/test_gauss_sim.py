"""The Gaussian baselines (CLT K = 12, inverse CDF) through the harness on both
simulators; distribution statistics of the RTL's own numbers."""

import pytest

from ref_model import gauss_stats
from ref_model.source_table import Dist
from tb import harness, registry
from tb.gauss.specs import VARIANTS
from tests.simcheck import assert_pass

# the fixed variants; the configuration sweeps run as suites sweep-<source>
GAUSS = sorted(t for t in registry.TESTS if t.startswith("gauss.") and t.split(".")[2] in VARIANTS)


@pytest.mark.sim
@pytest.mark.parametrize("name", [t for t in GAUSS if "Stats" not in t])
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
def test_bit_exact(name, simulator):
    result = harness.run(registry.get(name), seed=13, simulator=simulator)
    assert_pass(result)
    assert result.metrics["beats_checked"] > 0
    if "Random" in name:
        assert result.metrics["coverage"]["percent"] == 100.0


@pytest.mark.sim
@pytest.mark.parametrize("seed", [31, 32])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_random_configurations(variant, seed):
    result = harness.run(registry.get(f"gauss.GaussRandomTest.{variant}"), seed, "verilator")
    assert_pass(result)
    assert result.metrics["coverage"]["percent"] == 100.0


@pytest.mark.sim
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_rtl_numbers_distribution(variant):
    """The RTL's own 60,000 numbers: every statistic within its bound (checked in the
    bench and again here from metrics.json)."""
    result = harness.run(registry.get(f"gauss.GaussStatsTest.{variant}"), 14, "verilator")
    assert_pass(result)
    stats, exp = result.metrics["statistics"], result.metrics["expected_statistics"]
    exp["tail_prob"] = {int(k): v for k, v in exp["tail_prob"].items()}
    assert stats["n"] >= 60_000
    assert gauss_stats.violations(stats, exp) == []
    assert abs(stats["variance"] - 1) < 0.03 and abs(stats["kurtosis"] - exp["kurtosis"]) < 0.1
    if VARIANTS[variant].dist == Dist.CLT:
        assert stats["tails"]["4"] <= 5, "CLT K=12 tail beyond 4 sigma should be tiny"
    else:
        assert stats["tails"]["3"] > 0, "ICDF reaches beyond 3 sigma"


@pytest.mark.sim
def test_icarus_stats_agree_with_verilator(tmp_path):
    spec = registry.get("gauss.GaussStatsTest.n3icdf")
    a = harness.run(spec, 15, "verilator", out_dir=tmp_path / "v")
    b = harness.run(spec, 15, "icarus", out_dir=tmp_path / "i")
    assert_pass(a)
    assert_pass(b)
    assert a.metrics["statistics"] == b.metrics["statistics"], "simulators disagree on the numbers"
