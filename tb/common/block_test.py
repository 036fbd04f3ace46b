"""The pyuvm base test of every block bench.

It reads the DUT's configuration, builds the BFM and the bench's env, runs one
sequence under the progress watchdog and records the run's metrics. A bench's base
test fills in the hooks; its tests choose the sequence and the checks:

| hook | what |
| --- | --- |
| ENV | the bench's env class (tb/common/env.py shape) |
| dut_config() | the configuration object read back from PEZO_PARAMS (ConfigDB "DUT_CFG") |
| make_bfm(dut, cfg) | the BFM (tb/common/bfm.py protocol) |
| settings(cfg) | further ConfigDB entries, {} by default |
| make_sequence() | the sequence the test runs |
| check_stats, require_coverage | the statistics checker on; every coverage bin required |
| progress_limit(cfg) | clocks without a transaction or beat before the watchdog fails the test |
| run_metrics() | what the scoreboard counted, for metrics.json |
"""

from __future__ import annotations

import gc

import cocotb
from pyuvm import ConfigDB, uvm_test

from tb.common import metrics
from tb.common.watchdog import ProgressWatchdog

# Clocks without progress that are surely a hang for a bench whose longest legal quiet
# stretch (stalls, idle gaps, set-up) is a few dozen clocks.
PROGRESS_LIMIT = 2000


class BlockTest(uvm_test):
    ENV = None
    check_stats = False
    require_coverage = False

    def dut_config(self):
        raise NotImplementedError

    def make_bfm(self, dut, cfg):
        raise NotImplementedError

    def settings(self, cfg) -> dict:
        return {}

    def make_sequence(self):
        raise NotImplementedError

    def progress_limit(self, cfg) -> int:
        return PROGRESS_LIMIT

    def run_metrics(self) -> dict:
        return {}

    def build_phase(self):
        self.cfg = self.dut_config()
        self.bfm = self.make_bfm(cocotb.top, self.cfg)
        entries = {"BFM": self.bfm, "DUT_CFG": self.cfg, "COVERAGE": True,
                   "REQUIRE_COVERAGE": self.require_coverage, "CHECK_STATS": self.check_stats,
                   **self.settings(self.cfg)}
        for key, value in entries.items():
            ConfigDB().set(None, "*", key, value)
        self.env = self.ENV("env", self)

    async def run_phase(self):
        self.raise_objection()
        # Everything built so far (the reference, its data, pyuvm's tree) lives to the end:
        # out of the collector's way, or its full passes over it dominate a long set-up.
        gc.collect()
        gc.freeze()
        await self.bfm.start()
        watchdog = ProgressWatchdog(cocotb.top.clk_i, self.progress_limit(self.cfg),
                                    lambda: self.bfm.waiting_for)
        self.bfm.on_progress(watchdog.progress)
        watchdog.start()
        await self.make_sequence().start(self.env.sequencer)
        watchdog.stop()
        metrics.record(cycles=self.bfm.cycle, progress_max_gap=watchdog.max_gap,
                       progress_limit=watchdog.limit, **self.run_metrics())
        self.drop_objection()
