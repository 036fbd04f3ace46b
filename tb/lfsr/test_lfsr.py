"""pyuvm tests for rtl/pezo_lfsr.v (the cocotb test module the harness runs).

Each test is a class; variants differ by sequence and by switches in ConfigDB.
"""

from __future__ import annotations

import cocotb
import pyuvm
from pyuvm import ConfigDB, uvm_test

from ref_model import lfsr
from ref_model.stats import MIN_WORDS
from tb.common import metrics
from tb.common.params import dut_params
from tb.lfsr.bfm import LfsrBfm
from tb.lfsr.env import LfsrEnv
from tb.lfsr.sequences import RandomMixSeq, SeedAndRunSeq, StallSeq


def dut_config() -> lfsr.LfsrConfig:
    p = dut_params()
    return lfsr.LfsrConfig(state_w=p["STATE_W"], out_w=p["OUT_W"], taps=p["TAPS"],
                           zero_subst=p["ZERO_SUBST"])


class LfsrBaseTest(uvm_test):
    """Builds the env; subclasses choose the sequence and the checks."""

    check_stats = False
    require_coverage = False

    def build_phase(self):
        ConfigDB().set(None, "*", "BFM", LfsrBfm(cocotb.top))
        ConfigDB().set(None, "*", "LFSR_CFG", dut_config())
        ConfigDB().set(None, "*", "COVERAGE", True)
        ConfigDB().set(None, "*", "REQUIRE_COVERAGE", self.require_coverage)
        ConfigDB().set(None, "*", "CHECK_STATS", self.check_stats)
        self.env = LfsrEnv("env", self)

    def make_sequence(self):
        raise NotImplementedError

    async def run_phase(self):
        self.raise_objection()
        bfm = ConfigDB().get(self, "", "BFM")
        await bfm.start()
        await self.make_sequence().start(self.env.sequencer)
        metrics.record(cycles=bfm.cycle, words_checked=self.env.scoreboard.words_checked)
        self.drop_objection()


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

