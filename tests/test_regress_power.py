"""Power in every regression record: the columns, the junit properties, drift against a
baseline (a changed proxy coefficient, an RTL change that doubles a block's activity), and
bad baselines refused in one line."""

from __future__ import annotations

import dataclasses
import functools
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from power import proxy
from power import proxy_features as pf
from power.activity import Activity
from ref_model.errors import ConfigError
from regress import power_drift, power_record, runner, suites
from tb import harness, registry
from tests.simcheck import mutant_spec

TEST = "lfsr.LfsrSmokeTest.s16w8"
GL_TEST = f"gl.{TEST}"
META = {"run": "t", "suite": "t", "seeds": [1], "master_seed": None,
        "simulators": ["icarus", "verilator"]}
# A calibration of the LFSR with one energy per register toggle and one per other toggle
ENERGY = {"reg:*": 2.0e-14, "other:*": 4.0e-15}
ENERGY_PER_CYCLE_J = 1.0e-13


def calibration(directory, reg_scale: float = 1.0, rtl_sha256: str | None = None):
    """A calibrated model of TEST's design in `directory` (the reg coefficient scaled)."""
    spec = registry.get(TEST)
    features = [pf.rest_feature(kind) for kind in pf.KINDS]
    energies = np.array([ENERGY[f] * (reg_scale if f.startswith("reg") else 1.0)
                         for f in features])
    model = proxy.ProxyModel(spec.bench.toplevel, spec.params, features, energies,
                             ENERGY_PER_CYCLE_J, calibrated=True,
                             rtl_sha256=rtl_sha256 or power_record.design_sha256(spec))
    directory.mkdir(parents=True, exist_ok=True)
    model.save(directory / "pezo_lfsr-test.json")
    return model


def regress(tmp_path, monkeypatch, name, jobs, calibration_dir=None, baseline=None) -> dict:
    """run_jobs with power on, the proxy reading calibrations from `calibration_dir` (None:
    the repository's)."""
    if calibration_dir is not None:
        monkeypatch.setattr(proxy, "for_design",
                            functools.partial(proxy.for_design, directory=calibration_dir))
    check = (None if baseline is None
             else runner.PowerCheck(power_drift.load(baseline), baseline=str(baseline)))
    run_dir = tmp_path / name
    run_dir.mkdir()
    data = runner.run_jobs(jobs, run_dir, META, workers=2, progress=lambda line: None,
                           activity_window=1000, power=check)
    return {"data": data, "dir": run_dir, "by": {(t["simulator"], t["name"]): t
                                                 for t in data["tests"]}}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Tiny regressions and the baseline they write: TEST on Verilator and its gate-level
    twin on Icarus under a known calibration, TEST on Icarus under the repository's."""
    tmp = tmp_path_factory.mktemp("power")
    monkeypatch = pytest.MonkeyPatch()
    model = calibration(tmp / "cal")
    run = regress(tmp, monkeypatch, "base", [suites.Job(TEST, 1, "verilator"),
                                             suites.Job(GL_TEST, 1, "icarus")], tmp / "cal")
    monkeypatch.undo()
    real = regress(tmp, monkeypatch, "real", [suites.Job(TEST, 1, "icarus")])
    baseline = tmp / "baseline.json"
    assert power_drift.merge(baseline, run["data"]["tests"] + real["data"]["tests"]) == 3
    return {**run, "by": {**run["by"], **real["by"]}, "tmp": tmp, "model": model,
            "baseline": baseline}


@pytest.mark.sim
def test_every_run_reports_the_power_columns(recorded):
    assert recorded["data"]["totals"]["pass"] == 2
    rtl = recorded["by"][("verilator", TEST)]["power"]
    assert rtl["calibrated"] and not rtl["stale"]
    assert rtl["model_id"] == recorded["model"].model_id
    assert rtl["cycles"] == 2002 and rtl["clock_hz"] == 100_000_000
    assert rtl["proxy_uw"] > 0 and len(rtl["proxy_windows_uw"]) == 3
    assert rtl["by_instance_uw"][""] == pytest.approx(rtl["proxy_uw"], rel=1e-3)
    assert rtl["items"] == 2000 and rtl["item_unit"] == "number"
    # energy per number = power x measured time / numbers
    assert rtl["energy_pj_per_item"] == pytest.approx(
        rtl["proxy_uw"] * 1e-6 * 2002 * 10e-9 / 2000 * 1e12, rel=2e-3)
    assert 50 < rtl["toggle_coverage_pct"] < 100 and "rst_ni" in rtl["never_toggled"]
    assert not any(bit.startswith("i[") for bit in rtl["never_toggled"])  # loop variable
    assert rtl["never_toggled_count"] == len(rtl["never_toggled"])
    icarus = recorded["by"][("icarus", TEST)]["power"]
    assert icarus["toggles_per_cycle"] == rtl["toggles_per_cycle"]  # Verilator = Icarus
    assert rtl["dut_toggles_per_cycle"] == pytest.approx(sum(rtl["toggles_per_cycle"].values()))
    gate = recorded["by"][("icarus", GL_TEST)]["power"]
    assert gate["proxy_uw"] is None and 100 < gate["gate_level_uw"] < 200
    md = (recorded["dir"] / "report.md").read_text()
    assert "| proxy uW | gate-level uW | energy pJ/item | toggles/cycle | toggle coverage % |" in md
    assert "## Power drift" in md and "## Toggle-coverage holes" in md
    assert f"{rtl['proxy_uw']:g}" in md and "pezo_lfsr-test.json@" in md
    props = {p.get("name"): p.get("value")
             for p in ET.parse(recorded["dir"] / "junit.xml").iter("property")}
    assert {"power.proxy_uw", "power.energy_pj_per_item", "power.toggle_coverage_pct",
            "power.model_id", "power.drift", "power.dut_toggles_per_cycle"} <= props.keys()


@pytest.mark.sim
def test_a_changed_proxy_coefficient_is_flagged_as_drift(recorded, tmp_path, monkeypatch):
    calibration(tmp_path / "cal", reg_scale=2.0)
    run = regress(tmp_path, monkeypatch, "changed", [suites.Job(TEST, 1, "verilator")],
                  tmp_path / "cal", recorded["baseline"])
    test = run["by"][("verilator", TEST)]
    assert test["status"] == "pass"  # drift keeps the functional status
    power = test["power"]
    assert power["drift"] and power["drift_pct"] > 20, power
    assert power["baseline_uw"] == recorded["by"][("verilator", TEST)]["power"]["proxy_uw"]
    md = (run["dir"] / "report.md").read_text()
    assert power["toggles_drift_pct"] == 0.0  # the same run: only the proxy changed
    assert f"**DRIFT {power['drift_pct']:+.1f}% (toggles +0.0%)**" in md
    assert "0 runs within, 1 drifted, 0 without a baseline entry" in md
    assert "the proxy changed: baseline by pezo_lfsr-test.json@" in md
    assert 'name="power.drift" value="true"' in (run["dir"] / "junit.xml").read_text()


@pytest.mark.sim
def test_an_rtl_change_that_doubles_the_lfsr_activity_is_flagged(recorded, tmp_path,
                                                                  monkeypatch):
    """A second state register stepping with the first: invisible to the scoreboard, and
    (today) to the LFSR's calibrated proxy, which gives its top-level registers no weight
    (their toggles echo the next-state logic's): the toggles per cycle flag it."""
    base = registry.get(TEST)
    shadow = ("reg [STATE_W-1:0] shadow_q;\n"
              "always @(posedge clk_i or negedge rst_ni) begin\n"
              "    if (!rst_ni) shadow_q <= NONZERO; else shadow_q <= state_d;\nend\n")
    output = "assign rnd_o = state_q[WORD_W-1:0];"
    mutant = mutant_spec(base, "pezo_lfsr.v", output, shadow + output, tmp_path, "shadow")
    mutant = dataclasses.replace(mutant, bench=dataclasses.replace(mutant.bench,
                                                                   name=base.bench.name))
    monkeypatch.setitem(registry.TESTS, TEST, mutant)
    run = regress(tmp_path, monkeypatch, "mutant", [suites.Job(TEST, 1, "icarus")],
                  baseline=recorded["baseline"])
    test = run["by"][("icarus", TEST)]
    before = recorded["by"][("icarus", TEST)]["power"]
    assert test["status"] == "pass"
    power = test["power"]
    assert power["stale"] == power["calibrated"], "the mutant's sources are not the model's"
    assert power["dut_toggles_per_cycle"] > 1.2 * before["dut_toggles_per_cycle"]
    assert power["drift"] and power["toggles_drift_pct"] > 20, power
    md = (run["dir"] / "report.md").read_text()
    assert "**DRIFT" in md and "the proxy changed" not in md
    assert "(STALE)" in md or not power["calibrated"]


@pytest.mark.parametrize("content, needle", [
    (None, "does not exist"),
    ("{not json", "is not JSON"),
    ('{"format": "other"}', "is not a 'pezo-power-baseline 1' file"),
    ('{"format": "pezo-power-baseline 1", "entries": {"a": {"uw": -1}}}', "'entries' must"),
    ('{"format": "pezo-power-baseline 1", "entries": {"a": {"uw": 1, "toggles_per_cycle": '
     '"x"}}}', "'entries' must"),
])
def test_a_bad_power_baseline_is_one_config_error(tmp_path, content, needle):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError, match=needle) as info:
        power_drift.load(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("args, needle", [
    (["--power-baseline", "/nonexistent/baseline.json"], "power baseline /nonexistent"),
    (["--power-tolerance", "0"], "--power-tolerance must be"),
    (["--no-power", "--update-power-baseline"], "contradicts --update-power-baseline"),
])
def test_bad_power_options_exit_2_with_one_line(args, needle):
    out = subprocess.run([sys.executable, "-m", "regress.cli", "regress", "--suite", "smoke",
                          *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("pezo: error: ") and needle in out.stderr


def _result(uw, status="pass", name=TEST, toggles=10.0) -> harness.Result:
    result = harness.Result(name, 1, "verilator", status, 1.0, 1.0, "log")
    result.power = {"proxy_uw": uw, "gate_level_uw": None, "model_id": "m",
                    "toggles_per_cycle": {"": toggles - 1, "u_a": 1.0},
                    "dut_toggles_per_cycle": toggles}
    return result


@pytest.mark.parametrize("baseline_uw, toggles, drift", [
    (100.0, 10.0, False), (104.9, 10.0, False), (94.0, 10.0, True), (120.0, 10.0, True),
    (100.0, 9.6, False), (100.0, 8.0, True), (100.0, None, False)])
def test_judge_flags_power_or_toggles_beyond_the_tolerance(baseline_uw, toggles, drift):
    result = _result(100.0)
    entry = {"uw": baseline_uw, **({} if toggles is None else {"toggles_per_cycle": toggles})}
    power_drift.judge(result, {power_drift.key("verilator", TEST, 1): entry}, 5.0)
    assert result.power["drift"] is drift
    assert result.power["drift_pct"] == pytest.approx(100 * (100 - baseline_uw) / baseline_uw,
                                                      abs=0.01)
    assert result.power["toggles_drift_pct"] == (
        None if toggles is None else pytest.approx(100 * (10 - toggles) / toggles, abs=0.01))


def test_a_run_without_a_baseline_entry_is_not_drift():
    result = _result(100.0)
    power_drift.judge(result, {power_drift.key("icarus", TEST, 1): {"uw": 1.0}}, 5.0)
    assert result.power["baseline_uw"] is None and result.power["drift"] is False


def test_merge_keeps_other_entries_and_skips_failing_runs(tmp_path):
    path = tmp_path / "b.json"
    power_drift.merge(path, [_result(10.0, name="other").to_dict()])
    written = power_drift.merge(path, [_result(20.0).to_dict(),
                                       _result(30.0, "fail", name="bad").to_dict()])
    entries = power_drift.load(path)
    assert written == 1 and {k: e["uw"] for k, e in entries.items()} == {
        "verilator other 1": 10.0, f"verilator {TEST} 1": 20.0}
    assert entries[f"verilator {TEST} 1"]["toggles_per_cycle"] == 10.0


def small_activity() -> Activity:
    return Activity(names=["a_q[0]", "a_q[1]", "u_b.c", "i[0]", "rst_ni"],
                    toggles=np.array([[3], [0], [1], [0], [0]]), high_time=np.zeros((5, 1)),
                    window_start=np.array([0.0, 1e-6]), instance=np.array([0, 0, 1, 0, 0]),
                    instances=["", "u_b"], scope="top", source="x", time_unit=1e-12,
                    cycles=100)


def test_a_failing_proxy_is_the_runs_power_error_not_a_crash(tmp_path, monkeypatch):
    def broken(top, params):
        raise RuntimeError("boom")

    summary = {"files": {"json": str(tmp_path / "activity.json")}}
    monkeypatch.setattr(power_record.activity, "reduce", lambda *a: (summary, small_activity()))
    monkeypatch.setattr(proxy, "for_design", broken)
    result = harness.Result(TEST, 1, "verilator", "pass", 1.0, 1.0, "log")
    power_record.measure(registry.get(TEST), result, 1000)
    assert result.power == {"error": "RuntimeError: boom"} and result.status == "pass"


def test_toggle_coverage_counts_bits_that_toggled_and_leaves_loop_variables_out():
    cov = power_record._coverage(small_activity(), frozenset({"i"}))
    assert cov == {"toggle_coverage_pct": 50.0, "never_toggled": ["a_q[1]", "rst_ni"],
                   "never_toggled_count": 2}


def test_items_come_from_the_one_table():
    assert power_record.items({"words_checked": 7, "beats_checked": 2}) == (7, "number")
    assert power_record.items({"steps_checked": 3}) == (3, "zo_step")
    assert power_record.items({"coverage": {}}) == (None, None)


def test_the_rtl_loop_variables_are_the_integer_declarations(tmp_path):
    rtl = tmp_path / "m.v"
    rtl.write_text("module m;\ninteger i;\n    integer k, l ;\nreg [3:0] integer_q;\n"
                   "parameter integer W = 4;\nendmodule\n")
    assert power_record.loop_variables((str(rtl),)) == {"i", "k", "l"}
    assert "i" in power_record.loop_variables(registry.get(TEST).bench.sources)


def test_the_committed_baseline_is_readable():
    entries = power_drift.load(power_drift.BASELINE)
    assert any(key.startswith("verilator lfsr.") for key in entries)
    assert json.loads(power_drift.BASELINE.read_text())["format"] == power_drift.FORMAT


def test_waves_too_large_to_capture_are_an_error_not_a_crash(tmp_path, monkeypatch):
    waves = tmp_path / "waves.fst"
    waves.write_bytes(b"x" * 2000)
    monkeypatch.setitem(power_record.MAX_WAVES_MB, "fst", 0.001)
    result = harness.Result(TEST, 1, "verilator", "pass", 1.0, 1.0, "log", waves=str(waves))
    power_record.measure(registry.get(TEST), result, 1000)
    assert "more than the capture reads (0.001 MB of FST" in result.power["error"]
    assert result.activity == result.power and result.waves is None and not waves.exists()


@pytest.mark.parametrize("suite, extra, on", [
    ("smoke", [], True), ("smoke", ["--no-power"], False), ("gate-level", [], False),
    ("gate-level", ["--activity"], True), ("train-long", ["--window", "5000"], True)])
def test_power_is_on_by_default_but_for_suites_with_huge_waves(suite, extra, on, capsys):
    from regress import cli
    args = cli.build_parser().parse_args(["regress", "--suite", suite, *extra])
    window, check = cli._power_options(args, suite, suites.get_suite(suite).power_off)
    assert (window is not None) is on and (check is not None) is on
    if on:
        assert check.baseline == str(power_drift.BASELINE) and check.tolerance_pct == 5.0
    assert ("power capture off for suite" in capsys.readouterr().out) is (not on and not extra)


@pytest.mark.sim
def test_pezo_sim_activity_prints_the_power_record_and_writes_it():
    out = subprocess.run([sys.executable, "-m", "regress.cli", "sim", TEST, "--activity"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    line = next(x for x in out.stdout.splitlines() if x.strip().startswith("power: proxy"))
    assert " uW (" in line and "at 100 MHz" in line and "pJ per number" in line, line
    folder = harness.REPO / "build" / "runs" / "verilator" / f"{TEST}-s1"
    record = json.loads((folder / power_record.RECORD_FILE).read_text())
    assert f"power: proxy {record['proxy_uw']} uW" in line
