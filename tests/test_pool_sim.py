"""The pool engine's pyuvm tests through the harness, on both simulators, and the
elaboration-time rejection of degenerate parameters."""

import pytest

from tb import harness, registry
from tests.refusal import assert_refused
from tests.simcheck import assert_pass


@pytest.mark.sim
@pytest.mark.parametrize("variant,seed", [("n64l4", 1), ("n64l4", 2), ("n30l3", 3)])
def test_random_configs_verilator(variant, seed):
    """Edge cases + 20 random runtime configurations per seed; 100% coverage required."""
    result = harness.run(registry.get(f"pool.PoolRandomTest.{variant}"), seed, "verilator")
    assert_pass(result)
    assert result.metrics["coverage"]["percent"] == 100.0
    assert result.metrics["passes"] >= 60 and result.metrics["refusals"] >= 3


@pytest.mark.sim
@pytest.mark.parametrize("name,seed", [("pool.PoolRandomTest.n30l3", 4),
                                       ("pool.PoolRandomTest.n64l4", 5),
                                       ("pool.PoolSmokeTest.n64l4", 6)])
def test_icarus(name, seed):
    result = harness.run(registry.get(name), seed, "icarus")
    assert_pass(result)
    assert result.metrics["beats_checked"] > 100


@pytest.mark.sim
def test_smoke_verilator():
    result = harness.run(registry.get("pool.PoolSmokeTest.n64l4"), 7, "verilator")
    assert_pass(result)
    assert result.metrics["passes"] == 18 and result.metrics["beats_checked"] == 18 * 18


@pytest.mark.sim
def test_distribution_of_the_rtl_pool():
    """Eight 509-number pools read back from the RTL: mean ~0, variance ~1/3, and the
    second moment after the host's shift-add scale inside scaling.bound(3)."""
    result = harness.run(registry.get("pool.PoolStatsTest.n509l1w13"), 8, "icarus")
    assert_pass(result)
    stats = result.metrics["pool_stats"]
    assert stats["n"] == 8 * 508 and stats["pools"] == 8
    assert abs(stats["mean"]) < 0.05 and abs(stats["var"] - 1 / 3) < 0.05
    lo, hi = stats["bound"]
    assert all(lo <= m2 <= hi for m2 in stats["scaled_m2"])


BAD = {  # parameter overrides -> the parameter the check names
    "not_multiple": ({"POOL_N": 30, "LANES": 4}, "POOL_N"),
    "pool_too_small": ({"POOL_N": 1, "LANES": 1, "ADDR_W": 1}, "POOL_N"),
    "no_lanes": ({"LANES": 0}, "LANES"),
    "addr_too_small": ({"ADDR_W": 5}, "ADDR_W"),
}


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_degenerate_parameters_stop_the_build(tmp_path, monkeypatch, case, simulator):
    overrides, param = BAD[case]
    base = registry.get("pool.PoolSmokeTest.n64l4")
    params = tuple(sorted({**base.params, **overrides}.items()))
    spec = harness.TestSpec(base.bench, base.testcase, f"bad-{case}", params)
    monkeypatch.setattr(harness, "BUILD_ROOT", tmp_path / "build")
    assert_refused(spec, simulator, "pezo_pool", param, overrides[param], tmp_path / "run")
    with pytest.raises(Exception, match=r"unsupported|multiple|too small"):
        registry.with_params(base, overrides)
