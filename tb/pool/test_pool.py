"""pyuvm tests for rtl/pezo_pool.v (the cocotb test module the harness runs)."""

from __future__ import annotations

import pyuvm

from ref_model.pool_model import PoolConfig
from tb.common.block_test import BlockTest
from tb.common.params import dut_params
from tb.common.segments import PowerTestMixin
from tb.pool.bfm import PoolBfm
from tb.pool.env import PoolEnv
from tb.pool.sequences import FillAndStepSeq, PoolDumpSeq, PowerSegmentsSeq, RandomMixSeq

MAX_D = 400  # keeps passes short: d up to 3N for small pools, at most ~MAX_D


class PoolBaseTest(BlockTest):
    """The pool engine's hooks; subclasses choose the sequence and the checks."""

    ENV = PoolEnv

    def dut_config(self) -> PoolConfig:
        p = dut_params()
        return PoolConfig(pool_n=p["POOL_N"], lanes=p["LANES"], num_w=p["NUM_W"], d_w=p["D_W"],
                          r_w=p["R_W"], addr_w=p["ADDR_W"], state_w=p["STATE_W"])

    def make_bfm(self, dut, cfg):
        return PoolBfm(dut, cfg)

    def settings(self, cfg) -> dict:
        max_d = max(MAX_D, 2 * cfg.pool_n + 2 * cfg.lanes + 8)  # room for d > 2N (multi_wrap)
        return {"MAX_D": min(max_d, (1 << cfg.d_w) - 1)}

    def progress_limit(self, cfg) -> int:
        """A fill writes POOL_N numbers and is one action without beats: allow a few."""
        return super().progress_limit(cfg) + 4 * cfg.pool_n

    def run_metrics(self) -> dict:
        sb = self.env.scoreboard
        return {"beats_checked": sb.beats_checked, "passes": sb.passes,
                "refusals": sb.refusals, "words_checked": sb.numbers_checked}


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


@pyuvm.test()
class PoolPowerTest(PowerTestMixin, PoolBaseTest):
    """Calibration stimulus: 16 segments of 1,000 clocks, idle to full rate, refills, replays."""

    def power_sequence(self):
        return PowerSegmentsSeq()
