"""pyuvm tests for rtl/pezo_pool.v (the cocotb test module the harness runs)."""

from __future__ import annotations

import cocotb
import pyuvm
from pyuvm import ConfigDB, uvm_test

from ref_model.pool_model import PoolConfig
from tb.common import metrics
from tb.common.params import dut_params
from tb.pool.bfm import PoolBfm
from tb.pool.env import PoolEnv
from tb.pool.sequences import FillAndStepSeq, PoolDumpSeq, RandomMixSeq

MAX_D = 400  # keeps passes short: d up to 3N for small pools, at most ~MAX_D


def dut_config() -> PoolConfig:
    p = dut_params()
    return PoolConfig(pool_n=p["POOL_N"], lanes=p["LANES"], num_w=p["NUM_W"], d_w=p["D_W"],
                      r_w=p["R_W"], addr_w=p["ADDR_W"], state_w=p["STATE_W"])


class PoolBaseTest(uvm_test):
    """Builds the env; subclasses choose the sequence and the checks."""

    check_stats = False
    require_coverage = False

    def build_phase(self):
        cfg = dut_config()
        ConfigDB().set(None, "*", "BFM", PoolBfm(cocotb.top, cfg))
        ConfigDB().set(None, "*", "POOL_CFG", cfg)
        max_d = max(MAX_D, 2 * cfg.pool_n + 2 * cfg.lanes + 8)  # room for d > 2N (multi_wrap)
        ConfigDB().set(None, "*", "MAX_D", min(max_d, (1 << cfg.d_w) - 1))
        ConfigDB().set(None, "*", "COVERAGE", True)
        ConfigDB().set(None, "*", "REQUIRE_COVERAGE", self.require_coverage)
        ConfigDB().set(None, "*", "CHECK_STATS", self.check_stats)
        self.env = PoolEnv("env", self)

    def make_sequence(self):
        raise NotImplementedError

    async def run_phase(self):
        self.raise_objection()
        bfm = ConfigDB().get(self, "", "BFM")
        await bfm.start()
        await self.make_sequence().start(self.env.sequencer)
        sb = self.env.scoreboard
        metrics.record(cycles=bfm.cycle, beats_checked=sb.beats_checked, passes=sb.passes,
                       refusals=sb.refusals, words_checked=sb.numbers_checked)
        self.drop_objection()


@pyuvm.test()
class PoolSmokeTest(PoolBaseTest):
    """One fill, six steps each replayed twice, no backpressure."""

    def make_sequence(self):
        return FillAndStepSeq(n_steps=6)


@pyuvm.test()
class PoolRandomTest(PoolBaseTest):
    """Edge cases, then 20 constrained-random runtime configurations; coverage must close."""

    require_coverage = True

    def make_sequence(self):
        return RandomMixSeq(n_configs=20)


@pyuvm.test()
class PoolStatsTest(PoolBaseTest):
    """Eight pools read back whole: mean, variance, scaled second moment."""

    check_stats = True

    def make_sequence(self):
        return PoolDumpSeq(n_fills=8)
