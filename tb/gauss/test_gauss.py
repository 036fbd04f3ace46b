"""pyuvm tests for the Gaussian baselines (pezo_rng_array with DIST = CLT, large K, or
DIST = ICDF): bit-exact streams under the array's control patterns, and the
distribution of the RTL's own numbers."""

from __future__ import annotations


import random

import cocotb
import pyuvm
from pyuvm import ConfigDB, uvm_test

from tb.array.test_array import dut_config
from tb.common import metrics
from tb.gauss.bfm import GaussBfm
from tb.gauss.env import GaussEnv
from tb.gauss.sequences import LongPassSeq, RandomRunsSeq, SetupSeq, StepsSeq


class GaussBaseTest(uvm_test):
    check_stats = False
    require_coverage = False

    def build_phase(self):
        cfg = dut_config()
        ConfigDB().set(None, "*", "BFM", GaussBfm(cocotb.top, cfg.lanes, cfg.num_w))
        ConfigDB().set(None, "*", "ARRAY_CFG", cfg)
        ConfigDB().set(None, "*", "COVERAGE", True)
        ConfigDB().set(None, "*", "REQUIRE_COVERAGE", self.require_coverage)
        ConfigDB().set(None, "*", "CHECK_STATS", self.check_stats)
        ConfigDB().set(None, "*", "REFERENCE_SEED", None)
        self.env = GaussEnv("env", self)

    def make_sequence(self):
        raise NotImplementedError

    async def run_phase(self):
        self.raise_objection()
        bfm = ConfigDB().get(self, "", "BFM")
        await bfm.start()
        await self.make_sequence().start(self.env.sequencer)
        sb = self.env.scoreboard
        metrics.record(cycles=bfm.cycle, words_checked=sb.beats_checked * bfm.lanes,
                       beats_checked=sb.beats_checked, passes=sb.passes_done,
                       steps=sb.step_index + 1)
        self.drop_objection()


class GaussSmokeSeq(SetupSeq):
    """Random seeds, then 4 steps of d = 7n + 2, each replayed once."""

    async def body(self):
        await super().body()
        await StepsSeq(d=7 * self.cfg.lanes + 2, steps=4, replays=1).start(self.sequencer)


@pyuvm.test()
class GaussSmokeTest(GaussBaseTest):
    def make_sequence(self):
        return GaussSmokeSeq()


@pyuvm.test()
class GaussRandomTest(GaussBaseTest):
    """Directed run + 10 random runtime configurations; coverage (incl. sigma bands) closes."""

    require_coverage = True

    def make_sequence(self):
        return RandomRunsSeq(run_seed=random.getrandbits(16), runs=10)


@pyuvm.test()
class GaussStatsTest(GaussBaseTest):
    """A 60,000-number pass: mean, variance, kurtosis, tails, KS of the RTL's numbers."""

    check_stats = True

    def make_sequence(self):
        return LongPassSeq(run_seed=random.getrandbits(16), count=60_000)
