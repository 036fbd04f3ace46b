"""pyuvm tests for rtl/pezo_lfsr.v (the cocotb test module the harness runs).

Each test is a class; variants differ by sequence and by switches in ConfigDB.
"""

from __future__ import annotations

import pyuvm

from ref_model import lfsr
from ref_model.stats import MIN_WORDS
from tb.common.block_test import BlockTest
from tb.common.params import dut_params
from tb.common.segments import PowerTestMixin
from tb.lfsr.bfm import LfsrBfm
from tb.lfsr.env import LfsrEnv
from tb.lfsr.sequences import PowerSegmentsSeq, RandomMixSeq, SeedAndRunSeq, StallSeq


class LfsrBaseTest(BlockTest):
    """The uniform RNG's hooks; subclasses choose the sequence and the checks."""

    ENV = LfsrEnv

    def dut_config(self) -> lfsr.LfsrConfig:
        p = dut_params()
        return lfsr.LfsrConfig(state_w=p["STATE_W"], out_w=p["OUT_W"], taps=p["TAPS"],
                               zero_subst=p["ZERO_SUBST"])

    def make_bfm(self, dut, cfg):
        return LfsrBfm(dut)

    def run_metrics(self) -> dict:
        return {"words_checked": self.env.scoreboard.words_checked}


@pyuvm.test()
class LfsrSmokeTest(LfsrBaseTest):
    """One random seed, 2,000 words, no stalls."""

    def make_sequence(self):
        return SeedAndRunSeq(n_words=2000)


@pyuvm.test()
class LfsrRandomTest(LfsrBaseTest):
    """Constrained-random mix: seed classes, stalls, reseeds, resets; coverage must close."""

    require_coverage = True

    def make_sequence(self):
        return RandomMixSeq(n_items=30)


@pyuvm.test()
class LfsrStallTest(LfsrBaseTest):
    """Heavy random backpressure on the enable."""

    def make_sequence(self):
        return StallSeq(n_words=3000, stall_prob=0.5)


@pyuvm.test()
class LfsrStatsTest(LfsrBaseTest):
    """MIN_WORDS+ words from the RTL; mean, variance, bit balance, lag-1 correlation."""

    check_stats = True

    def make_sequence(self):
        return SeedAndRunSeq(n_words=MIN_WORDS + 1000, seed_kind="random")



@pyuvm.test()
class LfsrPowerTest(PowerTestMixin, LfsrBaseTest):
    """Calibration stimulus: 16 segments of 1,000 clocks, idle to full rate, reseeds."""

    def power_sequence(self):
        return PowerSegmentsSeq()
