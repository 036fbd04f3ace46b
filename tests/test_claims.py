"""`pezo claims`: the savings arithmetic, the document on canned measurements, the study
lookup, and bad input (one line, exit status 2)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ref_model.errors import ConfigError
from regress import claims, claims_engine
from regress import claims_accuracy as A
from regress import claims_savings as S

D = 1210


def measurement(name, family, lut, ff, area, power_w, acc=None):
    """A throughput.Measurement.to_dict() row; energy per ZO step = power x 1 us."""
    return {"name": name, "label": name.upper(), "family": family,
            "policy": "pool" if "pool" in name else "regenerate", "source": "pool",
            "d": D, "lanes": 4, "lut": lut, "ff": ff, "bram": 0, "dsp": 0, "lutram": 0,
            "area_um2": area, "cells": 10, "flops": 5, "gl_power_w": power_w,
            "energy_per_perturbation_j": [p * 1e-6 / (3 * D) for p in power_w],
            "energy_per_zo_step_j": [p * 1e-6 for p in power_w], "proxy_power_w": power_w,
            "cycles_per_zo_step": 100, "accuracy": acc, "accuracy_cell": None}


def front_point(kind, size, acc):
    m = measurement(f"{kind}{size}", "pezo", size, 10, 10.0 * size, [1e-3] * 3, [acc] * 3)
    return {**m, "kind": kind, "size": size, "breaks": kind == "pool" and size < D}


@pytest.fixture
def evidence():
    comparison = [
        measurement("clt3", "gaussian", 1000, 200, 20000.0, [2e-3, 2e-3, 2e-3], [0.94] * 3),
        measurement("icdf", "gaussian", 2000, 100, 80000.0, [4e-3, 4e-3, 4e-3], [0.95] * 3),
        # half the LUTs of CLT-3, half its power per seed: the best (least energy)
        measurement("pool", "pezo", 500, 175, 40000.0, [1e-3, 1.1e-3, 0.9e-3], [0.93] * 3),
        measurement("array", "pezo", 400, 300, 10000.0, [3e-3] * 3, [0.90] * 3),
    ]
    front = [front_point("pool", 256, 0.6), front_point("pool", 2048, 0.93),
             front_point("array", 4, 0.93)]
    engine = [claims_engine.EngineRun("pool", "pool_h16", s, 2000, 2, 1e-3, False, "generic")
              for s in (1, 2)]
    meta = {"command": "pezo claims (canned)", "date": "2026-12-01", "wall_s": 60.0,
            "stages": {"hardware": 30.0}, "machine": {"host": "vm", "cpus": 2,
                                                      "system": "Linux"},
            "load": [1.0, 2.0], "tools": {"yosys": "0.23"}, "liberty": "x.lib",
            "liberty_sha256": "ab", "seeds": [1, 2, 3], "engine_seeds": [1, 2],
            "accuracy_seeds": [0, 1, 2], "accuracy_steps": 100000, "quick": False,
            "d": D, "lanes": 4, "accuracy_origin": {"study": 3, "cache": 0, "trained": 6}}
    return claims.Evidence(meta, comparison, front, engine, [0.94] * 3, [0.97, 0.96, 0.95])


def test_saving_is_percent_change_seed_by_seed():
    assert S.saving(500, 1000) == S.Spread(-50.0, -50.0, -50.0)
    s = S.saving([1.0, 3.0], [2.0, 2.0])
    assert (s.mean, s.low, s.high) == (0.0, -50.0, 50.0)
    assert S.saving([1.0, 1.0], 2.0).mean == -50.0   # a synthesis figure against every seed
    assert S.saving(1, 0) is None
    with pytest.raises(ConfigError, match="over 2 and 3 seeds"):
        S.saving([1, 2], [1, 2, 3])


def test_savings_pair_the_seeds_both_were_measured_on():
    ours = {"seeds": [1, 2, 3], "p": [1.0, 2.0, 3.0], "lut": 10}
    theirs = {"seeds": [2], "p": [4.0], "lut": 20}
    assert S.saving(*S.paired(ours, theirs, "p")).mean == -50.0     # seed 2: 2 against 4
    assert S.paired(ours, theirs, "lut") == (10, 20)
    assert S.paired(ours, {"seeds": [7], "p": [8.0]}, "p") == (2.0, 8.0)  # none shared: means


def test_best_pezo_is_the_least_energy_per_zo_step(evidence):
    assert S.best_pezo(evidence.comparison)["name"] == "pool"
    with pytest.raises(ConfigError, match="at least one PeZO and one Gaussian"):
        S.best_pezo([m for m in evidence.comparison if m["family"] == "pezo"])


def _row(text: str, first: str) -> list[str]:
    line = next(ln for ln in text.splitlines() if ln.startswith(f"| {first} |"))
    return [c.strip() for c in line.strip("|").split("|")]


def test_document_shows_the_savings_of_the_best_pezo(evidence, tmp_path):
    path = claims.write(evidence, tmp_path)
    text = path.read_text()
    # paper table: figure, paper, vs CLT-3, vs ICDF, what we measured
    assert _row(text, "LUT")[1:4] == ["-48.6%", "-50.0%", "-75.0%"]
    assert _row(text, "FF")[1:4] == ["-12.7%", "-12.5%", "+75.0%"]
    assert _row(text, "sky130 cell area")[2:4] == ["+100.0%", "-50.0%"]
    # power per seed: 1.0/2, 1.1/2, 0.9/2 of CLT-3 -> mean -50%, spread -55..-45
    assert _row(text, "gate-level power")[1:3] == ["up to -86%", "-50.0% (-55.0..-45.0)"]
    assert _row(text, "test accuracy")[2:4] == ["-1.0 points", "-2.0 points"]
    assert "**POOL** (`pool`)" in text
    assert ("- Against CLT3: less LUT, FF, gate-level power, energy per ZO step; "
            "more sky130 cell area.") in text
    for png in ("savings.png", "front.png", "engine.png"):
        assert (tmp_path / "claims" / png).stat().st_size > 10_000


def test_accuracy_section_shows_the_logistic_regression_anchor(evidence, tmp_path):
    text = claims.write(evidence, tmp_path).read_text()
    assert "logistic regression (scikit-learn, first order) on the same splits, " \
           "0.960 (0.950..0.970)" in text


def test_front_marks_pools_smaller_than_d(evidence, tmp_path):
    text = claims.write(evidence, tmp_path).read_text()
    assert _row(text, "pool")[1:3] == ["N = 256", "**N < d: breaks**"]
    rows = [ln for ln in text.splitlines() if ln.startswith("| pool | N = 2048 |")]
    assert rows and "N >= d" in rows[0] and "breaks" not in rows[0]
    assert "Pools with N < d = 1210 (256)" in text


def test_engine_energy_per_zo_step(evidence, tmp_path):
    run = evidence.engine[0]  # 1 mW for 2,000 cycles of 10 ns over 2 steps
    assert run.energy_per_zo_step_j == pytest.approx(1e-3 * 2000 * 10e-9 / 2)
    text = claims.write(evidence, tmp_path).read_text()
    assert "| pool | pool_h16 | 1,2 | 1,000 | 1.00 | 10.0 | generic (uncalibrated)" in text


def test_missing_field_is_refused(evidence, tmp_path):
    del evidence.comparison[0]["lut"]
    with pytest.raises(ConfigError, match="measurement clt3 lacks lut"):
        claims.write(evidence, tmp_path)


def test_study_cells_are_read_not_trained(tmp_path):
    plan = A.default_plan(tmp_path / "accuracy.json")
    study = json.loads(A.STUDY.read_text())
    want = [r["test_accuracy"] for r in study["results"]
            if r["config"]["perturb"] == "uniform" and r["config"]["reuse"] == "pool"
            and r["config"]["pool_size"] == 256 and r["config"]["arith"] == "float"]
    got = A.accuracies([A.Cell("uniform", "pool", 256)], plan, jobs=1)
    assert got.by_cell[A.Cell("uniform", "pool", 256)] == want and len(want) == 3
    assert got.origin == {"study": 3, "cache": 0, "trained": 0, "missing": 0}
    assert not plan.cache.exists()


def test_without_training_a_cell_the_study_lacks_is_blank(tmp_path):
    plan = A.default_plan(tmp_path / "accuracy.json")
    cell = A.Cell("uniform", "pool", 512)   # the study ran 256, 1021, 2039, 4096
    got = A.accuracies([cell], plan, jobs=1, train=False)
    assert got.by_cell[cell] == [] and got.origin["missing"] == 3
    assert not plan.cache.exists()


def test_the_kept_runs_set_the_default_steps_and_seeds(tmp_path):
    kept = tmp_path / "accuracy.json"
    run = {"config": {"steps": 1234}, "test_accuracy": 0.5}
    kept.write_text(json.dumps({"seeds": [7, 8], "results": [run]}))
    plan = A.default_plan(kept)
    assert (plan.steps, plan.seeds) == (1234, (7, 8))
    study = json.loads(A.STUDY.read_text())
    assert A.default_plan(tmp_path / "absent.json").steps == study["results"][0]["config"]["steps"]


def test_bad_study_file_is_one_config_error(tmp_path):
    bad = tmp_path / "study.json"
    bad.write_text(json.dumps({"results": []}))
    with pytest.raises(ConfigError, match="is not a `pezo ref study` study.json"):
        A.default_plan(tmp_path / "accuracy.json", bad)


def test_configurations_map_to_their_reference_cells():
    from power import throughput_config as T
    cells = {c.name: claims.cell_of(c) for c in T.comparison_configs()}
    assert cells["gauss-clt12-p4"] is None   # CLT-12 has no reference perturbation
    assert cells["gauss-clt3-p4"] == A.Cell("gaussian", "array", 4)
    assert cells["pezo-pool1212-p4"] == A.Cell("uniform", "pool", 1212)
    # 1210 divides d, 510 is no multiple of P = 4; the smallest pool N >= d joins
    opts = claims.Options(Path("unused"), pool_sizes=(256, 1210, 510), array_sizes=(2,))
    front = claims.front_configs(4, D, opts)
    assert [(k, n) for k, n, _ in front] == [("pool", 256), ("pool", 1212), ("array", 2)]


@pytest.mark.parametrize("args,needle", [
    (["--seeds", "1,x"], "not a comma-separated list"),
    (["--jobs", "0"], "--jobs must be >= 1"),
    (["--pool-sizes", "0,256"], "--pool-sizes must be positive integers"),
    (["--out", "README.md"], "--out README.md is not a directory"),
    (["--seeds", "-1"], "--seeds must be non-negative"),
])
def test_bad_input_is_one_line_and_exit_2(args, needle, capsys):
    from regress import cli
    try:
        status = cli.main(["claims", *args])
    except SystemExit as exc:  # argparse's own errors
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pezo: error: "), err
    assert needle in lines[0]


def test_pezo_claims_command_refuses_before_measuring():
    out = subprocess.run([sys.executable, "-m", "regress.cli", "claims", "--array-sizes", "0"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out
    assert out.stderr.strip() == "pezo: error: --array-sizes must be positive integers, got [0]"


def test_cached_only_engine_run_is_refused_when_not_kept():
    from ref_model.source_table import by_name
    with pytest.raises(ConfigError, match="no kept run of train.TrainStepsTest.pool_h16 seed "
                                          "987654 for this RTL"):
        claims_engine.run_one(by_name("pool"), 987654, cached_only=True)
