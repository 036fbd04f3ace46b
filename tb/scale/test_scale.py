"""pyuvm tests for rtl/pezo_scale.v (the cocotb test module the harness runs)."""

from __future__ import annotations

import pyuvm

from ref_model.pool_model import ScaleConfig
from tb.common.block_test import BlockTest
from tb.common.params import dut_params
from tb.common.segments import PowerTestMixin
from tb.scale.bfm import ScaleBfm
from tb.scale.env import ScaleEnv
from tb.scale.sequences import GreedySqrt3Seq, PowerSegmentsSeq, RandomConfigSeq


class ScaleBaseTest(BlockTest):
    """The scale stage's hooks; subclasses choose the sequence and the checks."""

    ENV = ScaleEnv

    def dut_config(self) -> ScaleConfig:
        p = dut_params()
        return ScaleConfig(lanes=p["LANES"], num_w=p["NUM_W"], terms=p["TERMS"],
                           shift_max=p["SHIFT_MAX"], out_w=p["OUT_W"])

    def make_bfm(self, dut, cfg):
        return ScaleBfm(dut, cfg)

    def run_metrics(self) -> dict:
        sb = self.env.scoreboard
        return {"beats_checked": sb.beats_checked, "words_checked": sb.lanes_checked,
                "configs": sb.config_no + 1}


@pyuvm.test()
class ScaleSmokeTest(ScaleBaseTest):
    """Greedy terms of sqrt(3), 200 beats back to back."""

    def make_sequence(self):
        return GreedySqrt3Seq()


@pyuvm.test()
class ScaleRandomTest(ScaleBaseTest):
    """24 constrained-random term configurations x random passes; coverage must close."""

    require_coverage = True

    def make_sequence(self):
        return RandomConfigSeq(n_configs=24)


@pyuvm.test()
class ScalePowerTest(PowerTestMixin, ScaleBaseTest):
    """Calibration stimulus: 16 segments of 1,000 clocks, idle to full rate, new terms."""

    def power_sequence(self):
        return PowerSegmentsSeq()
