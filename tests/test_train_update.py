"""The training engine's update options (issue 12): q = 2 queries per step (QUERIES, the
earlier query's numbers kept in a zbuf RAM) and stochastic rounding of the update
(ROUNDING, pezo_train_round's words), bit-exact with ref_model/step.py fixed_step on
Verilator and Icarus, through a reset and a resume (SKIP fast-forwards QUERIES
perturbations and d rounding words a step), and each checker shown to fail on a mutant."""

import re

import pytest

from ref_model import rtl_twin as T
from ref_model.source_table import SeedStream
from ref_model.sources import derived_seeds
from tb import harness, registry
from tb.train import specs
from tests import simcheck
from tests.simcheck import assert_pass


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("variant", specs.UPDATE_VARIANTS)
def test_update_options_train_bit_exact(variant, simulator):
    result = harness.run(registry.get(f"train.TrainStepsTest.{variant}"), seed=41,
                         simulator=simulator)
    assert_pass(result)
    m = result.metrics
    assert m["steps_checked"] == 30 and m["readbacks"] >= 4
    p = specs.UPDATE_VARIANTS[variant]
    q, beats = p.get("QUERIES", 1), -(-T.dimension_of(p) // p["LANES"])
    # every query: 2 forwards over the batch and its plus and minus passes; one update pass
    least = q * (2 * 8 * T.sample_clocks(p) + 2 * beats) + beats
    assert least <= m["step_cycles"] <= least + 100 * q + 100, m["step_cycles"]


@pytest.mark.sim
@pytest.mark.parametrize("variant", specs.UPDATE_VARIANTS)
def test_update_options_resume_bit_exact(variant):
    result = harness.run(registry.get(f"train.TrainResetResumeTest.{variant}"), seed=42,
                         simulator="verilator")
    assert_pass(result)
    assert result.metrics["steps_checked"] >= 8


def test_twin_seeds_the_rounding_generator_only_for_stochastic_rounding():
    nearest = T.Twin(specs.ALL_VARIANTS["pool_h8_q2"], seed=3, steps=2, batch=8)
    stochastic = T.Twin(specs.ALL_VARIANTS["array_h8_q2_sr"], seed=3, steps=2, batch=8)
    assert "ROUND_SEED" not in dict(nearest.setup_writes())
    want = int(derived_seeds(3, SeedStream.ROUNDING, 1)[0])
    assert dict(stochastic.setup_writes())["ROUND_SEED"] == want
    assert (nearest.cfg.queries, nearest.cfg.rounding) == (2, "nearest")
    assert (stochastic.cfg.queries, stochastic.cfg.rounding) == (2, "stochastic")
    # the update shift carries log2 q: one more than q = 1's
    single = T.Twin(specs.ALL_VARIANTS["pool_h8"], seed=3, steps=2, batch=8)
    assert nearest.shifts.update == single.shifts.update + 1


# mutants: (variant's test, rtl file, original, mutated, what the failure must name)
MUTANTS = {
    # the zbuf keeps the second query's numbers instead of the first's
    "zbuf_wrong_query": ("TrainStepsTest.pool_h8_q2", "pezo_train_datapath.v",
                         ".we_i(beat_valid_q && pass_plus_i && 32'(query_i) == gk),",
                         ".we_i(beat_valid_q && pass_plus_i && 32'(query_i) != gk),",
                         r"first: step 0: weight signature expected"),
    # every query's g lands in the last query's slot
    "g_one_slot": ("TrainStepsTest.pool_h8_q2", "pezo_train_datapath.v",
                   "g_hat_d[32'(query_i) * G_BITS +: G_BITS] = g_hat_new;",
                   "g_hat_d[(QUERIES - 1) * G_BITS +: G_BITS] = g_hat_new;",
                   r"first: step 0: weight signature expected"),
    # a skipped step fast-forwards only one query's perturbation
    "skip_one_query": ("TrainResetResumeTest.pool_h8_q2", "pezo_train_ctrl.v",
                       "state_d = (last_query && skips_left_q == 32'd1) ? C_LOAD : C_SKIP_REQ;",
                       "state_d = (skips_left_q == 32'd1) ? C_LOAD : C_SKIP_REQ;",
                       r"mismatch|expected"),
    # stochastic rounding without its random offset: round to nearest
    "no_offset": ("TrainStepsTest.pool_h8_sr", "pezo_train_lane.v",
                  "if (ROUNDING != 0 && !s_u_i[S_W-1] && s_u_i != 0) begin",
                  "if (ROUNDING == 0 && !s_u_i[S_W-1] && s_u_i != 0) begin",
                  r"first: step 0: weight signature expected"),
    # the last, partial beat (610 = 152 x 4 + 2) consumes four words instead of two
    "full_leap": ("TrainStepsTest.pool_h8_sr", "pezo_train_datapath.v",
                  "{($clog2(LANES + 1) - 1){1'b0}}, beat_keep_q[kl]};",
                  "{($clog2(LANES + 1) - 1){1'b0}}, beat_keep_q[0]};",
                  r"first: step 1: weight signature expected"),
    # a skipped step leaves the rounding words where they were
    "skip_keeps_words": ("TrainResetResumeTest.pool_h8_sr", "pezo_train_ctrl.v",
                         "assign round_pass_o = (state_q == C_U_PASS) || "
                         "(state_q == C_SKIP && last_query);",
                         "assign round_pass_o = (state_q == C_U_PASS);",
                         r"weight signature expected|weights_hash expected"),
}


@pytest.mark.sim
@pytest.mark.parametrize("name", MUTANTS)
def test_update_mutant_fails_the_bench(tmp_path, name):
    test, rtl_file, original, mutated, message = MUTANTS[name]
    spec = simcheck.mutant_spec(registry.get(f"train.{test}"), rtl_file, original, mutated,
                                tmp_path, name)
    result = harness.run(spec, seed=43, simulator="verilator", out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant {name} survived: {result}"
    assert re.search(message, result.message), result.message
