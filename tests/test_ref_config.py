"""Bad configurations raise ConfigError naming the problem; the CLI exits 2."""

import argparse
import json
import warnings

import pytest

from ref_model.config import FixedFormat, TrainConfig, validate
from ref_model.errors import ConfigError
from regress import ref_cli

D = 1210


@pytest.mark.parametrize("kwargs,message", [
    ({"reuse": "pool", "pool_size": 0}, "pool size must be >= 1"),
    ({"eps": 0.0}, "eps must be a finite number > 0"),
    ({"eps": -1e-3}, "eps must be a finite number > 0"),
    ({"lr": float("inf")}, "lr must be a finite number > 0, got inf"),
    ({"lr": float("nan")}, "lr must be a finite number > 0, got nan"),
    ({"reuse": "array", "array_size": 0}, "array size n must be >= 1"),
    ({"layers": (64, 16, 9)}, "do not fit data set digits: input must be >= 64"),
    ({"layers": (63, 16, 10)}, "do not fit data set digits"),
    ({"dataset": "iris"}, "do not fit data set iris: input must be >= 4 .* output 3"),
    ({"model": "linear", "layers": (64, 16, 10)}, "linear has no hidden layer"),
    ({"reuse": "ring"}, "unknown reuse mode 'ring'"),
    ({"perturb": "laplace"}, "unknown perturbation 'laplace'"),
    ({"generator": "trng"}, "unknown generator 'trng'"),
    ({"arith": "posit"}, "unknown arithmetic 'posit'"),
    ({"loss": "xent"}, "unknown loss 'xent'"),
    ({"reuse": "pool", "pool_size": 605}, "divides d=1210"),
    ({"reuse": "pool", "pool_size": 1210}, "divides d=1210"),
    ({"steps": -1}, "steps must be >= 0"),
    ({"arith": "fixed", "eps": 0.01}, "eps=0.01 is not a power of two"),
    ({"arith": "fixed", "lr": 0.002}, "lr=0.002 is not a power of two"),
    ({"arith": "fixed", "batch": 24}, "batch=24 is not a power of two"),
    ({"arith": "fixed", "fmt": FixedFormat(x_frac=3)}, "x_frac=3"),
])
def test_config_errors(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        validate(TrainConfig(**kwargs), D)


def test_small_pool_warns_about_subspace():
    with pytest.warns(UserWarning, match="256-dimensional subspace"):
        validate(TrainConfig(reuse="pool", pool_size=256), D)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        validate(TrainConfig(reuse="pool", pool_size=4096), D)  # N >= d: no warning


@pytest.mark.parametrize("argv,message", [
    (["--seeds", "0,x"], "--seeds '0,x': expected comma-separated integers"),
    (["--seeds", "0,-1"], "every value must be >= 0"),
    (["--seeds", "1,1"], "repeated seed"),
    (["--steps", "-5"], "steps must be >= 0"),
    (["--steps", "0"], "--steps must be >= 1, got 0"),
    (["--lr", "inf"], "lr must be a finite number > 0, got inf"),
    (["--eps", "nan"], "eps must be a finite number > 0, got nan"),
    (["--dataset", "mnist"], "data file mnist: expected a .npz or .csv file"),
    (["--dataset", "iris", "--layers", "4,8,10"], "do not fit data set iris"),
    (["--eps", "abc"], "--eps 'abc'"),
    (["--layers", "64,a,10"], "--layers"),
    (["--reuse", "pool", "--pool-size", "0"], "pool size must be >= 1"),
    (["--arith", "fixed", "--lr", "0.003"], "lr=0.003 is not a power of two"),
    (["--out", "result.txt", "--steps", "1"], "expected a .json file"),
    (["--source", "array-nothing"], "unknown perturbation source 'array-nothing': choose one of"),
    (["--source", "array-clt12"], "--source array-clt12 is a block-bench generator only"),
    (["--source", "pool", "--reuse", "array"], "it contradicts --reuse array"),
    (["--source", "array-icdf", "--z-word", "2"],
     "K*W=8 unsupported, need 16..32 (DIST=2, ICDF)"),
])
def test_cli_rejects_bad_arguments(argv, message, capsys):
    status = ref_cli.main(["ref", "train", *argv])
    err = capsys.readouterr().err
    assert status == 2, f"exit status {status} for {argv}"
    assert err.startswith("pezo: error: ") and message in err, err
    assert err.count("\n") == 1, f"error must be one line: {err!r}"


def test_config_roundtrip_through_json():
    cfg = TrainConfig(arith="fixed", layers=(64, 32, 10), fmt=FixedFormat(w_frac=10))
    assert TrainConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg
    with pytest.raises(ConfigError, match="unknown configuration keys"):
        TrainConfig.from_dict({"stepz": 3})


def test_cli_source_sets_perturbation_reuse_and_generator():
    parser = argparse.ArgumentParser()
    ref_cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["ref", "train", "--source", "array-icdf", "--reuse", "array"])
    cfg = ref_cli.config_from_args(args, seed=4)
    assert (cfg.perturb, cfg.reuse, cfg.generator, cfg.seed) == ("gaussian-icdf", "array", "hw", 4)
    plain = ref_cli.config_from_args(parser.parse_args(["ref", "train"]), seed=0)
    assert (plain.perturb, plain.reuse, plain.generator) == (
        TrainConfig.perturb, TrainConfig.reuse, TrainConfig.generator)
