"""Mutants of the training engine's RTL that only its register interface can reveal, and
a hung engine: each must fail the train bench, with a message that says what went wrong."""

import re
from pathlib import Path

import pytest

from tb import harness, registry
from tests import simcheck

MUTANTS = {
    # the forward engine's busy output inverted: seen only in STATUS.FWD_BUSY
    "fwd_busy_inverted": ("pezo_train_fwd.v", "assign busy_o = (state_q != F_IDLE);",
                          "assign busy_o = (state_q == F_IDLE);"),
    # one register reads back wrong: the model's mirror (its reset value) disagrees
    "refresh_readback": ("pezo_train_regs.v", "A_REFRESH: read_value = 32'(refresh_q);",
                         "A_REFRESH: read_value = 32'(refresh_q) ^ 32'd1;"),
    # the forward engine never reports done: the engine hangs in its first forward pass
    "fwd_never_done": ("pezo_train_fwd.v", "assign done_o = (state_q == F_DONE);",
                       "assign done_o = 1'b0;"),
}


# mutants of the second hidden layer and of the hinge loss: each changes the losses the
# forward reports, which only the step scoreboard sees (test, variant it runs on)
FORWARD_MUTANTS = {
    # the inputs of the last two layers swapped: hidden layer 2 reads h2, the output layer h
    # (a mutant that leaves h2 unread would not pass the -Wall lint)
    "h2_inputs_swapped": ("pezo_train_fwd.v",
                          "wire data_in_h2 = (HAS_H2 == 1) && (data_layer_q == L_OUT);",
                          "wire data_in_h2 = (HAS_H2 == 1) && (data_layer_q == L_H2);",
                          "train.TrainStepsTest.pool_h16x8"),
    # hidden layer 2 without its ReLU: negative activations pass
    "h2_no_relu": ("pezo_train_fwd.v", "wire [A_BITS-1:0] h2_new = relu_clamp(r2);",
                   "wire [A_BITS-1:0] h2_new = r2[A_BITS-1:0];",
                   "train.TrainStepsTest.pool_h16x8"),
    # LOSS 1 builds the MSE unit: the twin's hinge reference disagrees
    "hinge_is_mse": ("pezo_train_fwd.v", "if (LOSS == 1) begin : gen_hinge",
                     "if (LOSS == 2) begin : gen_hinge", "train.TrainStepsTest.pool_h8_hinge"),
    # the label's own margin (2^A_FRAC) counted too
    "hinge_counts_label": ("pezo_train_hinge.v", "if (label_q != 4'(c) && margin > 0) begin",
                           "if (margin > 0) begin", "train.TrainStepsTest.pool_h8_hinge"),
}


def mutant_spec(tmp_dir: Path, name: str) -> harness.TestSpec:
    if name in FORWARD_MUTANTS:
        *mutant, test = FORWARD_MUTANTS[name]
        return simcheck.mutant_spec(registry.get(test), *mutant, tmp_dir, name)
    base = registry.get("train.TrainOneStepTest.pool_h8")
    return simcheck.mutant_spec(base, *MUTANTS[name], tmp_dir, name)


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
def test_inverted_forward_busy_fails_the_status_check(tmp_path, simulator):
    result = harness.run(mutant_spec(tmp_path, "fwd_busy_inverted"), seed=31,
                         simulator=simulator, out_dir=tmp_path / "run")
    assert result.status == "fail", f"inverted forward busy survived: {result}"
    assert re.search(r"STATUS 0x[0-9a-f]{8}: FWD_BUSY expected 0x0, actual 0x1", result.message), \
        result.message


@pytest.mark.sim
def test_register_read_back_is_checked_against_the_mirror(tmp_path):
    result = harness.run(mutant_spec(tmp_path, "refresh_readback"), seed=33,
                         simulator="verilator", out_dir=tmp_path / "run")
    assert result.status == "fail", f"a wrong REFRESH read-back survived: {result}"
    assert "after reset: REFRESH 0x00000001: VALUE expected 0x0, actual 0x1" in result.message, \
        result.message


@pytest.mark.sim
def test_hung_engine_fails_in_seconds_naming_what_it_waited_for(tmp_path):
    result = harness.run(mutant_spec(tmp_path, "fwd_never_done"), seed=32,
                         simulator="verilator", out_dir=tmp_path / "run")
    assert result.status == "fail", f"a hung engine passed: {result}"
    assert re.search(r"watchdog: no progress for \d+ clocks while waiting for step_done_o",
                     result.message), result.message
    assert result.test_time_s < 120, f"the hang took {result.test_time_s:.0f} s to fail"


@pytest.mark.sim
@pytest.mark.parametrize("name", FORWARD_MUTANTS)
def test_layer_and_hinge_mutants_fail_the_step_scoreboard(tmp_path, name):
    result = harness.run(mutant_spec(tmp_path, name), seed=34, simulator="verilator",
                         out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant {name} survived: {result}"
    assert re.search(r"step \d+: loss_(plus|minus) expected \d+, actual \d+", result.message), \
        result.message
