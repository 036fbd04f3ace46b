"""The pool engine environment: driver, monitor, scoreboard, coverage, statistics."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_env, uvm_sequencer

from tb.pool.coverage import PoolCoverage
from tb.pool.driver import PoolDriver
from tb.pool.monitor import PoolMonitor
from tb.pool.scoreboard import PoolScoreboard
from tb.pool.stats_checker import PoolStatsChecker


class PoolEnv(uvm_env):
    def build_phase(self):
        self.sequencer = uvm_sequencer("sequencer", self)
        self.driver = PoolDriver("driver", self)
        self.monitor = PoolMonitor("monitor", self)
        self.scoreboard = PoolScoreboard("scoreboard", self)
        self.coverage = PoolCoverage("coverage", self)
        self.stats = (PoolStatsChecker("stats", self)
                      if ConfigDB().get(self, "", "CHECK_STATS") else None)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.sequencer.seq_item_export)
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.monitor.ap.connect(self.coverage.analysis_export)
        if self.stats:
            self.monitor.ap.connect(self.stats.analysis_export)
