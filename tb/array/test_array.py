"""pyuvm tests for rtl/pezo_rng_array.v (the cocotb test module the harness runs).

Each test is a class; variants differ by sequence and by switches in ConfigDB. The
HDL parameters are read back (PEZO_PARAMS), so one body serves every variant.
"""

from __future__ import annotations

import random

import pyuvm

from ref_model import array_model
from tb.array.bfm import ArrayBfm
from tb.array.env import ArrayEnv
from tb.array.sequences import LongPassSeq, PowerSegmentsSeq, RandomRunsSeq, SmokeSeq
from tb.common.block_test import BlockTest
from tb.common.params import dut_params
from tb.common.segments import PowerTestMixin


class ArrayBaseTest(BlockTest):
    """The RNG array's hooks (the gauss bench's too); subclasses choose the sequence
    and the checks."""

    ENV = ArrayEnv

    def dut_config(self) -> array_model.ArrayConfig:
        p = dut_params()
        cfg = array_model.ArrayConfig(lanes=p["LANES"], dist=p["DIST"], w=p["W"], k=p["K"],
                                      num_w=p["NUM_W"], d_w=p["D_W"], state_w=p["STATE_W"])
        assert cfg.verilog_parameters() == p, f"unsupported parameters {p} (taps must be built-in)"
        return cfg

    def make_bfm(self, dut, cfg):
        return ArrayBfm(dut, cfg.lanes, cfg.num_w)

    def settings(self, cfg) -> dict:
        self.reference_seed = self.pick_reference_seed(cfg)
        return {"REFERENCE_SEED": self.reference_seed}

    def pick_reference_seed(self, cfg) -> int | None:
        """A run seed of the training reference to compare with, where it has this source."""
        return random.getrandbits(16) if array_model.in_training_reference(cfg) else None

    def run_metrics(self) -> dict:
        sb = self.env.scoreboard
        return {"words_checked": sb.beats_checked * self.cfg.lanes,
                "beats_checked": sb.beats_checked, "passes": sb.passes_done,
                "steps": sb.step_index + 1, "reference_steps": sb.reference_steps}


@pyuvm.test()
class ArraySmokeTest(ArrayBaseTest):
    """The training reference's seeds; 4 steps of d = 3n + 1 and replays at full rate."""

    def make_sequence(self):
        return SmokeSeq(run_seed=self.reference_seed if self.reference_seed is not None
                        else random.getrandbits(16))


@pyuvm.test()
class ArrayRandomTest(ArrayBaseTest):
    """A directed run, then 10 constrained-random runtime configurations; coverage must close."""

    require_coverage = True

    def make_sequence(self):
        return RandomRunsSeq(run_seed=self.reference_seed, runs=10)


@pyuvm.test()
class ArrayStatsTest(ArrayBaseTest):
    """One long full-rate pass; distribution statistics of the RTL's numbers."""

    check_stats = True

    def make_sequence(self):
        return LongPassSeq(run_seed=self.reference_seed, count=40_000)


@pyuvm.test()
class ArrayPowerTest(PowerTestMixin, ArrayBaseTest):
    """Calibration stimulus: 16 segments of 1,000 clocks, idle to full rate, reseeds, replays."""

    def power_sequence(self):
        return PowerSegmentsSeq(run_seed=self.reference_seed)
