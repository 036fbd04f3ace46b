"""`pezo ref datasets` (regress/data_study.py): the table holds every method on every data
set, the RTL row equals the fixed-point pool row it is the twin of, and bad options are
refused before any run."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from regress import anchor, data_study, ref_cli


@pytest.mark.sim
def test_table_has_every_method_and_the_rtl_equals_its_twin(tmp_path):
    doc = data_study.run_study(["iris"], steps=40, seeds=[0, 1], jobs=2, out_dir=str(tmp_path),
                               rtl_sim="verilator", command="pezo ref datasets (test)")
    methods = {r["method"] for r in doc["runs"]}
    assert methods == {data_study.ANCHOR, anchor.FIRST_ORDER, data_study.RTL,
                       *data_study.ZO_METHODS}
    by = {(r["method"], r["seed"]): r for r in doc["runs"]}
    for seed in (0, 1):
        rtl = by[(data_study.RTL, seed)]
        assert rtl["bit_exact"] and rtl["steps_checked"] == 40
        assert rtl["test_accuracy"] == by[("fixed PeZO pool", seed)]["test_accuracy"]
    assert by[(data_study.ANCHOR, 0)]["test_accuracy"] > 0.8  # a trained classifier
    md = (tmp_path / "datasets.md").read_text()
    assert "| RTL PeZO pool | " in md and "iris (4 features, 3 classes)" in md
    assert json.loads((tmp_path / "datasets.json").read_text())["steps"] == 40


@pytest.mark.parametrize("argv, message", [
    (["--datasets", ","], "name at least one data set"),
    (["--datasets", "iris,nope"], "data file nope: expected a .npz or .csv file"),
    (["--rtl-sim", "icarus"], "--rtl-sim 'icarus'"),
    (["--steps", "0"], "--steps and --jobs must be >= 1"),
])
def test_bad_options_are_one_line_before_any_run(argv, message, capsys, tmp_path):
    assert ref_cli.main(["ref", "datasets", "--out-dir", str(tmp_path), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pezo: error: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "datasets.json").exists()


def test_first_order_sgd_trains_the_same_network():
    """Backprop on the study's configuration learns iris; with lr 0 it is the untrained
    network the ZO run starts from (the same initial weights)."""
    from ref_model.trainer import run

    cfg = data_study.config("iris", "float Gaussian ZO", 500, 0)
    assert anchor.first_order_sgd(cfg) >= 0.9
    untrained = run(replace(cfg, steps=0)).test_accuracy
    assert anchor.first_order_sgd(cfg, lr=0.0) == untrained < 0.7
