"""The RTL training engine (tb/train) through the harness: short bit-exact training per
perturbation source, one step, reset + resume, illegal values, and a mutation check.
The long runs (64-16-10, batch 32, 1000 steps) are the `train-long` suite, not here."""

import re

import pytest

from ref_model import data
from tb import harness, registry
from tb.train import specs
from tb.train.settings import TrainSettings
from tests.simcheck import assert_pass

SHORT = [f"train.TrainStepsTest.{v}" for v in specs.VARIANTS]


@pytest.mark.sim
@pytest.mark.parametrize("name", SHORT)
def test_train_short_run_bit_exact(name):
    result = harness.run(registry.get(name), seed=21, simulator="verilator")
    assert_pass(result)
    m = result.metrics
    assert m["steps_checked"] == 30 and m["readbacks"] >= 4
    assert m["samples"] == 30 * 8
    per_sample = 2 + 8 * (64 // 4 + 1) + 10 * (8 // 4 + 1)
    # one ZO step: 2 forwards over the batch + 3 passes of ceil(d/LANES) beats + overheads
    assert 2 * 8 * per_sample + 3 * 153 <= m["step_cycles"] <= 2 * 8 * per_sample + 3 * 153 + 200


@pytest.mark.sim
@pytest.mark.parametrize("variant", specs.DATA_VARIANTS)
def test_train_other_data_sets_bit_exact(variant):
    """iris, wine, breast_cancer: N_IN and N_OUT from the data, features padded to the lanes."""
    dataset, params = specs.DATA_VARIANTS[variant]
    result = harness.run(registry.get(f"train.TrainStepsTest.{variant}"), seed=24,
                         simulator="verilator")
    assert_pass(result)
    m = result.metrics
    assert m["dataset"] == dataset and m["steps_checked"] == 30 and m["samples"] == 30 * 8
    features, classes = data.shape(dataset)
    assert params["N_IN"] % params["LANES"] == 0
    assert features <= params["N_IN"] < features + params["LANES"]
    assert params["N_OUT"] == classes


@pytest.mark.sim
@pytest.mark.parametrize("test", ["TrainOneStepTest", "TrainResetResumeTest", "TrainIllegalTest"])
def test_train_pool_tests(test):
    result = harness.run(registry.get(f"train.{test}.pool_h8"), seed=22, simulator="verilator")
    assert_pass(result)
    assert result.metrics["steps_checked"] >= 1


@pytest.mark.sim
def test_reset_resume_reruns_from_checkpoint():
    result = harness.run(registry.get("train.TrainResetResumeTest.array_h8"), seed=23,
                         simulator="verilator")
    assert_pass(result)
    m = result.metrics
    assert m["steps_checked"] >= 8 and m["coverage"]["bins"]["engine"]["reset"] >= 2


@pytest.mark.sim
def test_pool_dividing_d_is_refused_on_icarus():
    result = harness.run(registry.get("train.TrainIllegalTest.pool_divides_d"), seed=24,
                         simulator="icarus")
    assert_pass(result)
    assert result.metrics["coverage"]["bins"]["error"]["source"] >= 2


@pytest.mark.sim
def test_scoreboard_catches_a_corrupted_weight(tmp_path):
    result = harness.run(registry.get("train.TrainOneStepTest.pool_h8"), seed=25,
                         simulator="verilator", out_dir=tmp_path,
                         extra_env=TrainSettings(inject=True).to_env())
    assert result.status == "fail", "a corrupted weight went unnoticed"
    # the corrupted weight changes step 0's losses first: named with both values
    first = r"first: step 0: loss_(plus|minus) expected \d+, actual \d+"
    assert re.search(first, result.message), result.message


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
def test_one_lane_pool_h8_l1_trains_bit_exact(simulator):
    # LANES = 1 once sent host weight access and bias reads to row addr/2 (lane address bits)
    spec = registry.get("train.TrainOneStepTest.pool_h8_l1")
    assert dict(spec.parameters)["LANES"] == 1
    result = harness.run(spec, seed=26, simulator=simulator)
    assert_pass(result)
    assert result.metrics["steps_checked"] >= 1 and result.metrics["readbacks"] >= 1
