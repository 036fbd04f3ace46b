"""pyuvm tests for rtl/pezo_scale.v (the cocotb test module the harness runs)."""

from __future__ import annotations

import cocotb
import pyuvm
from pyuvm import ConfigDB, uvm_test

from ref_model.pool_model import ScaleConfig
from tb.common import metrics
from tb.common.params import dut_params
from tb.scale.bfm import ScaleBfm
from tb.scale.env import ScaleEnv
from tb.scale.sequences import GreedySqrt3Seq, RandomConfigSeq


def dut_config() -> ScaleConfig:
    p = dut_params()
    return ScaleConfig(lanes=p["LANES"], num_w=p["NUM_W"], terms=p["TERMS"],
                       shift_max=p["SHIFT_MAX"], out_w=p["OUT_W"])


class ScaleBaseTest(uvm_test):
    require_coverage = False

    def build_phase(self):
        cfg = dut_config()
        ConfigDB().set(None, "*", "BFM", ScaleBfm(cocotb.top, cfg))
        ConfigDB().set(None, "*", "SCALE_CFG", cfg)
        ConfigDB().set(None, "*", "COVERAGE", True)
        ConfigDB().set(None, "*", "REQUIRE_COVERAGE", self.require_coverage)
        self.env = ScaleEnv("env", self)

    def make_sequence(self):
        raise NotImplementedError

    async def run_phase(self):
        self.raise_objection()
        bfm = ConfigDB().get(self, "", "BFM")
        await bfm.start()
        await self.make_sequence().start(self.env.sequencer)
        metrics.record(cycles=bfm.cycle, beats_checked=self.env.scoreboard.beats_checked,
                       words_checked=self.env.scoreboard.lanes_checked,
                       configs=self.env.scoreboard.config_no + 1)
        self.drop_objection()


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
