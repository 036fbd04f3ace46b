"""The harness turns every kind of simulation outcome into a result record."""

import pytest

from tb import harness, registry
from tb.harness import Bench, TestSpec

FAULTY = Bench("faulty", "pezo_lfsr", ("rtl/pezo_lfsr.v",), "tests.sim_fixtures.faulty",
               ("TAPS", "ZERO_SUBST"))


def faulty(testcase: str, timeout_s: float) -> TestSpec:
    params = registry.get("lfsr.LfsrSmokeTest.s32w16").parameters
    return TestSpec(FAULTY, testcase, "s32w16", params, timeout_s)


@pytest.mark.sim
def test_hung_simulation_becomes_timeout_with_log(tmp_path):
    result = harness.run(faulty("hang_test", 10), 1, "verilator", out_dir=tmp_path)
    assert result.status == "timeout"
    assert "killed after 10 s" in result.message
    assert (tmp_path / "sim.log").exists()


@pytest.mark.sim
def test_crashed_simulation_becomes_error(tmp_path):
    result = harness.run(faulty("crash_test", 60), 1, "icarus", out_dir=tmp_path)
    assert result.status == "error"
    assert "without writing results" in result.message


@pytest.mark.sim
def test_a_rerun_reports_only_its_own_metrics_and_results(tmp_path):
    """A rerun in the same folder must not carry the previous run's coverage or verdict."""
    first = harness.run(registry.get("lfsr.LfsrSmokeTest.s32w16"), 1, "icarus", out_dir=tmp_path)
    assert first.status == "pass" and "coverage" in first.metrics
    quiet = harness.run(faulty("no_metrics_test", 60), 1, "icarus", out_dir=tmp_path)
    assert quiet.status == "pass" and quiet.metrics == {}
    assert not (tmp_path / "metrics.json").exists()
    crashed = harness.run(faulty("crash_test", 60), 1, "icarus", out_dir=tmp_path)
    assert crashed.status == "error" and "without writing results" in crashed.message


@pytest.mark.sim
def test_unknown_testcase_is_an_error(tmp_path):
    result = harness.run(faulty("no_such_test", 60), 1, "icarus", out_dir=tmp_path)
    assert result.status == "error" and "did not run" in result.message


def test_build_key_depends_on_parameters_and_simulator():
    a = registry.get("lfsr.LfsrSmokeTest.s32w16")
    b = registry.get("lfsr.LfsrSmokeTest.s16w8")
    c = registry.get("lfsr.LfsrRandomTest.s32w16")
    assert harness.build_key(a, "verilator", False) != harness.build_key(b, "verilator", False)
    assert harness.build_key(a, "verilator", False) != harness.build_key(a, "icarus", False)
    assert harness.build_key(a, "verilator", False) == harness.build_key(c, "verilator", False)


def test_hdl_literals():
    assert harness.hdl_literal(0x80200003, wide=True) == "64'h80200003"
    assert harness.hdl_literal(16, wide=False) == "16"
    with pytest.raises(ValueError):
        harness.hdl_literal(2**40, wide=False)


def test_param_overrides_are_validated():
    spec = registry.get("lfsr.LfsrSmokeTest.s32w16")
    custom = registry.with_params(spec, {"OUT_W": 12})
    assert custom.params["OUT_W"] == 12 and custom.variant == "custom-OUT_W=12"
    assert registry.with_params(spec, {"STATE_W": 16}).params["TAPS"] == 0xA011
    with pytest.raises(ValueError, match="OUT_W=40 unsupported"):
        registry.with_params(spec, {"OUT_W": 40})
    with pytest.raises(ValueError, match="unknown parameter"):
        registry.with_params(spec, {"WIDTH": 3})


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
def test_waves_are_written_per_run(tmp_path, simulator):
    spec = registry.get("lfsr.LfsrSmokeTest.s16w8")
    result = harness.run(spec, 1, simulator, waves=True, out_dir=tmp_path)
    assert result.status == "pass", result.message
    assert result.waves == str(tmp_path / "waves.fst")
    assert (tmp_path / "waves.fst").stat().st_size > 1000


def test_a_broken_design_fails_every_test_with_the_build_log(tmp_path, monkeypatch):
    builds = []
    real = harness.make_runner
    monkeypatch.setattr(harness, "make_runner",
                        lambda sim, *fmt: builds.append(sim) or real(sim, *fmt))
    src = tmp_path / "broken.v"
    src.write_text("module pezo_lfsr(input wire clk_i); this is not verilog; endmodule\n")
    bench = Bench("broken", "pezo_lfsr", (str(src),), "tb.lfsr.test_lfsr")
    spec = TestSpec(bench, "LfsrSmokeTest", "x", (), 60)
    first = harness.run(spec, 1, "icarus", out_dir=tmp_path / "a")
    second = harness.run(spec, 2, "icarus", out_dir=tmp_path / "b")
    for result, run_dir in ((first, "a"), (second, "b")):
        assert result.status == "error"
        assert "build of broken.LfsrSmokeTest.x failed" in result.message
        assert "build.log" in (tmp_path / run_dir / "sim.log").read_text()
    assert builds == ["icarus"], "a known-broken design must not be compiled again"
