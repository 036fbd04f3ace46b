"""Short training runs: learning happens, runs are deterministic, the CLI writes outputs."""

import json

import numpy as np
import pytest

from ref_model.config import TrainConfig
from ref_model.trainer import run
from regress import ref_cli

SHORT = dict(steps=1500, lr=2.0 ** -9, eval_points=3)
FLOOR = 0.45   # chance is 0.10; 1500 steps reach ~0.55-0.65 in float and fixed


@pytest.mark.parametrize("arith", ["float", "fixed"])
def test_short_run_learns(arith):
    res = run(TrainConfig(arith=arith, perturb="uniform-scaled", reuse="pool",
                          generator="hw", **SHORT))
    assert res.curve_loss[-1] < 0.8 * res.curve_loss[1], f"loss did not decrease: {res.curve_loss}"
    assert res.test_accuracy > FLOOR, f"test accuracy {res.test_accuracy} <= {FLOOR}"


def test_naive_uniform01_is_worse_than_scaled():
    cfg = dict(generator="hw", reuse="fresh", **SHORT)
    naive = run(TrainConfig(perturb="uniform01", **cfg)).test_accuracy
    scaled = run(TrainConfig(perturb="uniform-scaled", **cfg)).test_accuracy
    assert naive + 0.1 < scaled, f"uniform01 {naive} not clearly below uniform-scaled {scaled}"


@pytest.mark.parametrize("arith,reuse", [("fixed", "array"), ("float", "fresh")])
def test_same_seed_same_trace(arith, reuse):
    cfg = TrainConfig(arith=arith, reuse=reuse, steps=50, eval_points=1, seed=7)
    a, b = run(cfg), run(cfg)
    other = run(TrainConfig(arith=arith, reuse=reuse, steps=50, eval_points=1, seed=8))
    assert a.trace.hashes == b.trace.hashes, "same seed gave different weights"
    assert np.array_equal(a.trace.g_hat, b.trace.g_hat), "same seed gave different g_hat"
    assert a.trace.hashes[-1] != other.trace.hashes[-1], "different seeds gave the same weights"
    assert len(set(a.trace.hashes)) == 50, "weights must change every step"


def test_cli_train_writes_json_png_and_trace(tmp_path, capsys):
    out = tmp_path / "run.json"
    trace = tmp_path / "trace.csv"
    status = ref_cli.main(["ref", "train", "--arith", "fixed", "--steps", "40", "--seeds", "0,1",
                       "--jobs", "1", "--out", str(out), "--trace", str(trace)])
    assert status == 0
    table = capsys.readouterr().out
    assert "mean" in table and "test acc" in table, table
    doc = json.loads(out.read_text())
    assert doc["seeds"] == [0, 1] and doc["config"]["arith"] == "fixed"
    accs = [r["test_accuracy"] for r in doc["runs"]]
    assert doc["mean_test_accuracy"] == pytest.approx(sum(accs) / 2)
    assert (tmp_path / "run.png").stat().st_size > 1000, "curve PNG missing"
    rows = (tmp_path / "trace.seed1.csv").read_text().splitlines()
    data_rows = [r for r in rows if not r.startswith("#")]
    assert data_rows[0].startswith("step,query,loss_plus") and len(data_rows) == 41


def test_study_full_grid_reuses_earlier_runs(tmp_path, capsys):
    from regress import anchor as anchor_mod
    from regress import study
    args = dict(steps=5, seeds=[0], pool_sizes=[256], array_size=4, out_dir=str(tmp_path),
                jobs=1, command="test")
    first = study.run_study(**args)
    assert "0 reused" in capsys.readouterr().out
    full = study.run_study(**args, full=True)
    assert f"{len(first)} reused" in capsys.readouterr().out
    assert len(full) == 2 * len(study.rows([256], 4, full=True)) > len(first)
    labels = {study.label(r) for r in study.rows([256], 4, full=True)}
    assert "uniform01 / hw / array n=4" in labels and "uniform / hw / pool N=256" in labels
    md = (tmp_path / "study.md").read_text()
    assert md.count("| uniform01 / hw /") == 3
    anchor = anchor_mod.logistic_regression("digits", 0)
    assert f"| logistic regression (scikit-learn, first order: the anchor) | | {anchor:.3f}" in md
    assert 0.9 < anchor < 1.0  # a trained classifier on digits


def test_study_reuses_a_record_from_before_the_dataset_key(tmp_path, capsys):
    """Records written before TrainConfig had `dataset` still find their configuration."""
    import json

    from regress import study
    args = dict(steps=5, seeds=[0], pool_sizes=[256], array_size=4, out_dir=str(tmp_path),
                jobs=1, command="test")
    study.run_study(**args)
    path = tmp_path / "study.json"
    doc = json.loads(path.read_text())
    for r in doc["results"]:
        del r["config"]["dataset"]
    path.write_text(json.dumps(doc))
    capsys.readouterr()
    study.run_study(**args)
    assert f"{len(doc['results'])} reused" in capsys.readouterr().out
