"""The RTL training engine (tb/train) through the harness: short bit-exact training per
perturbation source, one step, reset + resume, illegal values, and a mutation check; two
hidden layers (N_HID2) and the hinge loss (LOSS) on both simulators.
The long runs (64-16-10, 64-32-16-10, hinge; batch 32, 2000 steps) are the `train-long`
suite, not here."""

import re

import pytest

from ref_model import data
from ref_model import rtl_twin as T
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


def _step_cycles_bounds(params: dict[str, int], batch: int = 8) -> tuple[int, int]:
    """One ZO step's clocks: 2 forwards (the hinge loss's margins 1 clock each) + 3 passes
    of ceil(d/LANES) beats, plus up to 200 clocks of pass pipeline and LOAD."""
    rows = -(-T.dimension_of(params) // params["LANES"])
    low = 2 * (batch * T.sample_clocks(params) + params.get("LOSS", 0)) + 3 * rows
    return low, low + 200


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("variant", specs.SHAPE_VARIANTS)
def test_two_hidden_layers_and_hinge_train_bit_exact(variant, simulator):
    """64-16-8-10 (N_HID2 8) and 64-8-10 with the hinge loss (LOSS 1): 30 steps, every one
    bit-exact against the reference of that layer list and loss, on both simulators."""
    spec = registry.get(f"train.TrainStepsTest.{variant}")
    result = harness.run(spec, seed=27, simulator=simulator)
    assert_pass(result)
    m = result.metrics
    assert m["steps_checked"] == 30 and m["readbacks"] >= 4 and m["samples"] == 30 * 8
    params = dict(spec.parameters)
    assert m["d"] == T.dimension_of(params)
    low, high = _step_cycles_bounds(params)
    assert low <= m["step_cycles"] <= high, (m["step_cycles"], low, high)


@pytest.mark.sim
def test_hinge_costs_two_clocks_a_step_and_mse_none(tmp_path):
    """The same run (seed, stalls) with MSE and with the hinge loss: the hinge's margins
    take exactly one clock per forward, two per step; MSE's timing is that of the MSE unit."""
    mse = registry.get("train.TrainStepsTest.pool_h8")
    hinge = registry.get("train.TrainStepsTest.pool_h8_hinge")
    assert {**dict(mse.parameters), "LOSS": 1} == dict(hinge.parameters)
    runs = [harness.run(spec, seed=28, simulator="verilator", out_dir=tmp_path / spec.variant)
            for spec in (mse, hinge)]
    for result in runs:
        assert_pass(result)
    assert runs[1].metrics["step_cycles"] - runs[0].metrics["step_cycles"] == 2
