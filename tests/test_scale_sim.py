"""The scale stage's pyuvm tests through the harness, on both simulators, in its three forms,
and the elaboration-time rejection of an output too narrow for v * M."""

import pytest

from tb import harness, registry
from tests.refusal import assert_refused
from tests.simcheck import assert_pass


@pytest.mark.sim
@pytest.mark.parametrize("variant,seed", [("l4w9t3", 1), ("l4w9t3", 2), ("l1w13t4", 3)])
def test_random_configs_verilator(variant, seed):
    result = harness.run(registry.get(f"scale.ScaleRandomTest.{variant}"), seed, "verilator")
    assert_pass(result)
    assert result.metrics["coverage"]["percent"] == 100.0
    assert result.metrics["configs"] == 24 and result.metrics["beats_checked"] >= 24 * 8


@pytest.mark.sim
@pytest.mark.parametrize("name,seed", [("scale.ScaleRandomTest.l4w9t3", 4),
                                       ("scale.ScaleRandomTest.l1w13t4", 5),
                                       ("scale.ScaleSmokeTest.l4w9t3", 6)])
def test_icarus(name, seed):
    result = harness.run(registry.get(name), seed, "icarus")
    assert_pass(result)
    assert result.metrics["beats_checked"] >= 190


@pytest.mark.sim
@pytest.mark.parametrize("variant,simulator,seed", [("l4w9m1", "verilator", 7),
                                                    ("l4w9m2", "icarus", 8),
                                                    ("l4w9p2", "verilator", 9)])
def test_fixed_forms(variant, simulator, seed):
    """The fixed forms ignore whatever the ports carry: every lane is v * (SCALE_M >> FOLD)."""
    result = harness.run(registry.get(f"scale.ScaleRandomTest.{variant}"), seed, simulator)
    assert_pass(result)
    assert result.metrics["coverage"]["percent"] == 100.0
    assert result.metrics["configs"] == 24 and result.metrics["beats_checked"] >= 24 * 8


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
def test_narrow_output_stops_the_build(tmp_path, monkeypatch, simulator):
    base = registry.get("scale.ScaleSmokeTest.l4w9t3")
    params = tuple(sorted({**base.params, "OUT_W": base.params["OUT_W"] - 1}.items()))
    spec = harness.TestSpec(base.bench, base.testcase, "bad-out-w", params)
    monkeypatch.setattr(harness, "BUILD_ROOT", tmp_path / "build")
    assert_refused(spec, simulator, "pezo_scale", "OUT_W", 26, tmp_path / "run")
    with pytest.raises(Exception, match="OUT_W=26 (too small|unsupported)"):
        registry.with_params(base, {"OUT_W": 26})


@pytest.mark.sim
def test_narrow_folded_output_stops_the_build(tmp_path, monkeypatch):
    base = registry.get("scale.ScaleSmokeTest.l4w9m2")  # v * 111: OUT_W >= 9 + 7
    params = tuple(sorted({**base.params, "OUT_W": 15}.items()))
    spec = harness.TestSpec(base.bench, base.testcase, "bad-out-w", params)
    monkeypatch.setattr(harness, "BUILD_ROOT", tmp_path / "build")
    assert_refused(spec, "verilator", "pezo_scale", "OUT_W", 15, tmp_path / "run")
    with pytest.raises(Exception, match=r"OUT_W=15 unsupported, need 16..64 \(NUM_W \+ clog2"):
        registry.with_params(base, {"OUT_W": 15})
