"""`pezo power calibrate`: one cheap variant end to end, checks failing on mutants, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from power import calibrate_checks as checks
from power import proxy
from ref_model.errors import ConfigError
from regress.cli import main
from tb import harness, registry

VARIANT = ["--bench", "lfsr", "--variant", "s16w8"]
SEEDS = ["--seeds-fit", "1", "--seeds-check", "2"]


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    out = tmp_path_factory.mktemp("calibration")
    assert main(["power", "calibrate", *VARIANT, *SEEDS, "--out", str(out)]) == 0
    return out


@pytest.mark.sim
def test_one_variant_is_calibrated_within_the_bounds(calibrated):
    path = calibrated / "lfsr.s16w8.json"
    record = json.loads(path.read_text())
    spec = registry.get(record["test"])
    assert record["test"] == "lfsr.LfsrPowerTest.s16w8"
    assert record["check"]["seeds"] == [2] and record["fit"]["seeds"] == [1]
    assert record["check"]["r2"] >= checks.R2_MIN
    assert abs(record["check"]["samples"][0]["total_error"]) <= checks.TOTAL_ERROR_MAX
    assert record["params"] == spec.params and record["top"] == "pezo_lfsr"
    assert record["rtl_sha256"] == proxy.sources_sha256(harness.REPO / s
                                                        for s in spec.bench.sources)
    assert record["liberty"] == "sky130_fd_sc_hd__tt_025C_1v80"
    assert len(record["liberty_sha256"]) == 64 and record["clock_period_s"] == 10e-9
    assert record["tools"]["yosys"].startswith("Yosys 0.23") and record["tools"]["iverilog"]
    model = proxy.for_design("pezo_lfsr", spec.params, calibrated)
    assert model.calibrated and model.model_id.startswith("lfsr.s16w8.json@")


@pytest.mark.sim
def test_a_changed_coefficient_fails_the_held_out_check(calibrated, tmp_path, capsys):
    record = json.loads((calibrated / "lfsr.s16w8.json").read_text())
    assert main(["power", "calibrate", *VARIANT, *SEEDS, "--out", str(calibrated),
                 "--check-only"]) == 0
    record["energy_per_cycle_j"] *= 1.15   # the clock's share of the power, 15% too high
    (tmp_path / "lfsr.s16w8.json").write_text(json.dumps(record))
    capsys.readouterr()
    assert main(["power", "calibrate", *VARIANT, *SEEDS, "--out", str(tmp_path),
                 "--check-only"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "lfsr.s16w8: seed 2 total error +" in out


@pytest.mark.parametrize("argv, message", [
    (["--bench", "nope"], "unknown block bench 'nope'"),
    (["--bench", "lfsr", "--variant", "s1w1"], "unknown variant 's1w1' of bench lfsr"),
    (["--variant", "s16w8"], "--variant needs --bench"),
    ([*VARIANT, "--seeds-fit", "1,2", "--seeds-check", "2"], "fit and check seeds overlap (2)"),
    ([*VARIANT, "--seeds-fit", "one"], "--seeds-fit 'one': expected seeds like 1,2"),
    ([*VARIANT, "--jobs", "0"], "--jobs must be >= 1, got 0"),
    ([*VARIANT, "--gl-sim", "xcelium"], "invalid choice: 'xcelium'"),
    ([*VARIANT, "--out", "/nonexistent-dir", "--check-only"], "no calibration file"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, capsys):
    try:
        status = main(["power", "calibrate", *argv])
    except SystemExit as exit_:   # argparse's refusals
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: ") and message in err and "\n" not in err, err


def test_sources_are_gaussian_or_pezo():
    assert checks.source_family("gauss", "n3icdf") == "gaussian"
    assert checks.source_family("array", "n5g8") == "gaussian"
    assert checks.source_family("array", "n4u8") == "pezo"
    assert checks.source_family("pool", "n64l4") == "pezo"
    assert checks.source_family("lfsr", "s16w8") is None


def _record(bench, variant, gl_w, proxy_w):
    return {"bench": bench, "variant": variant,
            "check": {"samples": [{"seed": 3, "gl_w": gl_w, "proxy_w": proxy_w}]}}


def test_ratio_check_flags_a_ratio_off_by_more_than_the_tolerance():
    good = {"gauss.n3icdf": _record("gauss", "n3icdf", 10.0, 10.2),
            "pool.n64l4": _record("pool", "n64l4", 4.0, 4.0)}
    [ratio] = checks.ratio_checks(good)
    assert ratio["ok"] and ratio["gl_ratio"] == 2.5 and ratio["error"] == pytest.approx(0.02)
    bad = {**good, "gauss.n3icdf": _record("gauss", "n3icdf", 10.0, 10.6)}
    assert not checks.ratio_checks(bad)[0]["ok"]


def test_generic_fit_recovers_energies_and_leaves_one_design_out():
    rng = np.random.default_rng(3)
    truth = {"cycle": 2e-13, "bit": 3e-14, "reg": 2e-14, "other": 5e-15}
    designs = {}
    for name, bits in (("a", 16), ("b", 64), ("c", 300), ("d", 1200)):
        reg, other = rng.uniform(1, bits / 2, 20), rng.uniform(1, bits * 2, 20)
        energy = truth["cycle"] + truth["bit"] * bits + truth["reg"] * reg + truth["other"] * other
        designs[name] = np.column_stack([np.full(20, 1000.0), reg, other, np.full(20, bits),
                                         energy / 10e-9])
    fitted = checks.fit_generic(designs)
    for key, value in truth.items():
        assert fitted[key] == pytest.approx(value, rel=1e-6), key
    assert max(map(abs, checks.leave_one_out(designs).values())) < 1e-6


def test_rtl_and_gate_level_windows_must_agree():
    from power import calibrate_runs as runs
    from power.activity import Activity
    starts = np.array([20e-9, 10.02e-6, 20.02e-6])
    act = Activity(["a"], np.zeros((1, 2), np.int64), np.zeros((1, 2)), starts,
                   np.zeros(1, np.int64), [""], "dut", "x", 1e-12, "clk_i", 1000, 2000)
    runs._check_windows("t", 3, act, starts.copy())
    with pytest.raises(ConfigError, match="t seed 3: RTL and gate-level windows differ"):
        runs._check_windows("t", 3, act, starts - 10e-9)
