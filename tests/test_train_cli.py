"""`pezo train --rtl` and the one setting it hands the bench (PEZO_TRAIN, tb/train/settings.py):
a short run trains bit-exactly and reports progress; bad values are one clear line."""

import argparse
import json
import re
from pathlib import Path

import pytest

from ref_model import rtl_twin as T
from ref_model.errors import ConfigError
from regress import cli, train_rtl
from tb.train.settings import ENV, TrainSettings


def test_settings_round_trip_through_the_environment():
    s = TrainSettings(steps=7, seed=3, batch=8, eps=2.0 ** -5, lr=2.0 ** -9, chunk=2,
                      progress="/tmp/p.txt", inject=True, dataset="wine")
    assert TrainSettings.from_env(s.to_env()) == s
    assert TrainSettings.from_env({}) == TrainSettings()


@pytest.mark.parametrize("raw, message", [
    ("{", "PEZO_TRAIN is not JSON"),
    ("[1]", "PEZO_TRAIN must be a JSON object"),
    ('{"stepz": 1}', "PEZO_TRAIN: unknown setting stepz"),
    ('{"steps": 0}', "PEZO_TRAIN: steps must be >= 1, got 0"),
    ('{"batch": "8"}', "PEZO_TRAIN: batch must be int, got '8'"),
    ('{"inject": 1}', "PEZO_TRAIN: inject must be bool, got 1"),
    ('{"lr": 0}', "PEZO_TRAIN: eps and lr must be finite and > 0"),
    ('{"lr": Infinity}', "PEZO_TRAIN: eps and lr must be finite and > 0"),
])
def test_bad_settings_are_one_clear_line(raw, message):
    with pytest.raises(ConfigError) as err:
        TrainSettings.from_env({ENV: raw})
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_a_source_the_engine_lacks_is_a_config_error(capsys):
    assert cli.main(["train", "--rtl", "--perturb", "gaussian", "--reuse", "pool"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: --perturb gaussian --reuse pool: the RTL engine has "
                          "sources uniform/pool, uniform-scaled/pool") and "\n" not in err


@pytest.mark.parametrize("argv, message", [
    (["--lr", "inf"], "lr must be a finite number > 0, got inf"),
    (["--dataset", "mnist"], "data file mnist: expected a .npz or .csv file"),
    (["--dataset", "iris", "--hidden", "6"], "LANES=4 unsupported, need a power of two dividing"),
    (["--queries", "3"], "QUERIES=3 unsupported, need 1, 2, 4 or 8"),
    (["--rounding", "up"], "--rounding up: choose one of nearest, stochastic"),
    (["--hidden", "32,16,8"], "--hidden '32,16,8': the RTL engine has one or two hidden layers"),
    (["--hidden", "32,0"], "--hidden '32,0': every value must be >= 1"),
    (["--hidden", "32,6"], "N_HID2=6 unsupported, need 0 or a multiple of 4 (LANES)"),
    (["--loss", "l1"], "the RTL engine has no loss 'l1': choose one of mse, hinge"),
])
def test_bad_rtl_training_options_are_one_line_exit_2(argv, message, capsys):
    assert cli.main(["train", "--rtl", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: ") and message in err and "\n" not in err, err


def test_a_data_file_wider_than_the_engine_supports_is_refused(tmp_path, capsys):
    """N_IN comes from the file: 4,100 features make more weights than the engine holds."""
    path = tmp_path / "wide.csv"
    path.write_text("".join(",".join(["1"] * 4100 + [str(c)]) + "\n" for c in (0, 1) * 10))
    assert cli.main(["train", "--rtl", "--dataset", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: D=65650 unsupported, need <= 65535") and "\n" not in err


@pytest.mark.sim
def test_short_rtl_training_run_on_another_data_set(tmp_path, capsys):
    out = tmp_path / "run.json"
    rc = cli.main(["train", "--rtl", "--dataset", "wine", "--hidden", "8", "--batch", "8",
                   "--steps", "20", "--seeds", "1", "--out", str(out)])
    assert rc == 0, capsys.readouterr().out
    doc = json.loads(out.read_text())
    assert doc["all_bit_exact"] and doc["config"]["dataset"] == "wine"
    assert (doc["config"]["hdl_params"]["N_IN"], doc["config"]["hdl_params"]["N_OUT"]) == (16, 3)
    assert doc["runs"][0]["rtl_test_accuracy"] == doc["runs"][0]["ref_test_accuracy"]


@pytest.mark.sim
def test_short_rtl_training_run_with_two_queries_and_stochastic_rounding(tmp_path, capsys):
    out = tmp_path / "run.json"
    rc = cli.main(["train", "--rtl", "--hidden", "8", "--batch", "8", "--queries", "2",
                   "--rounding", "stochastic", "--steps", "20", "--seeds", "2",
                   "--out", str(out)])
    assert rc == 0, capsys.readouterr().out
    doc = json.loads(out.read_text())
    assert doc["all_bit_exact"] and doc["runs"][0]["steps_checked"] == 20
    hdl = doc["config"]["hdl_params"]
    assert (hdl["QUERIES"], hdl["ROUNDING"]) == (2, 1)
    assert doc["runs"][0]["rtl_test_accuracy"] == doc["runs"][0]["ref_test_accuracy"]


@pytest.mark.sim
def test_short_rtl_training_run_is_bit_exact(tmp_path, capsys):
    out = tmp_path / "run.json"
    rc = cli.main(["train", "--rtl", "--perturb", "uniform", "--reuse", "array", "--hidden", "8",
                   "--batch", "8", "--steps", "20", "--seeds", "1", "--out", str(out)])
    printed = capsys.readouterr().out
    assert rc == 0, printed
    assert re.search(r"^  seed 1: step (10|20)/20 loss \d", printed, re.M)  # off a terminal
    doc = json.loads(out.read_text())
    run = doc["runs"][0]
    assert doc["all_bit_exact"] and run["steps_checked"] == 20
    assert run["curves"]["rtl_step"] == list(range(1, 21))
    assert run["rtl_test_accuracy"] == run["ref_test_accuracy"]
    assert doc["config"]["hdl_params"]["SOURCE"] == 2  # the array row of the source table
    assert (tmp_path / "run.png").exists()
    # the scoreboard's progress lines (step, loss, mismatches) every 10 steps, complete
    progress = (Path(run["log"]).parent / "progress.txt").read_text().splitlines()
    assert [line.split()[0::2] for line in progress] == [["10", "0"], ["20", "0"]]


@pytest.mark.parametrize("argv, sizes, loss, loss_frac", [
    ([], (64, 16, 10), "mse", 2 * 8 + 5),
    (["--hidden", "32,16"], (64, 32, 16, 10), "mse", 2 * 8 + 5),
    (["--loss", "hinge"], (64, 16, 10), "hinge", 8 + 5),
    (["--hidden", "16,8", "--loss", "hinge"], (64, 16, 8, 10), "hinge", 8 + 5),
])
def test_hidden_and_loss_options_reach_the_hdl_parameters_and_the_twin(argv, sizes, loss,
                                                                       loss_frac):
    """--hidden H1,H2 is N_HID, N_HID2; --loss is LOSS; the twin's reference run has that
    layer list and loss (S's fraction bits: 2 a_frac + log2 B for MSE, a_frac + log2 B)."""
    sub = argparse.ArgumentParser().add_subparsers()
    args = train_rtl.add_parser(sub).parse_args(["--rtl", *argv])
    params = train_rtl.rtl_params(args)
    assert params.get("N_HID2", 0) == (sizes[2] if len(sizes) == 4 else 0)
    assert params.get("LOSS", 0) == T.LOSSES.index(loss)
    twin = T.Twin(params, 0, 1)
    assert twin.cfg.layers == sizes and twin.cfg.loss == loss
    assert twin.shifts.loss_frac == loss_frac
    layers = zip(sizes[:-1], sizes[1:], strict=True)
    assert twin.d == T.dimension_of(params) == sum(o * (i + 1) for i, o in layers)
