"""The uniform RNG environment: agent pieces, scoreboard, coverage."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_env, uvm_sequencer

from tb.lfsr.coverage import LfsrCoverage
from tb.lfsr.driver import LfsrDriver
from tb.lfsr.monitor import LfsrMonitor
from tb.lfsr.scoreboard import LfsrScoreboard
from tb.lfsr.stats_checker import LfsrStatsChecker


class LfsrEnv(uvm_env):
    def build_phase(self):
        self.sequencer = uvm_sequencer("sequencer", self)
        self.driver = LfsrDriver("driver", self)
        self.monitor = LfsrMonitor("monitor", self)
        self.scoreboard = LfsrScoreboard("scoreboard", self)
        self.coverage = LfsrCoverage("coverage", self)
        self.stats = (LfsrStatsChecker("stats", self)
                      if ConfigDB().get(self, "", "CHECK_STATS") else None)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.sequencer.seq_item_export)
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.monitor.ap.connect(self.coverage.analysis_export)
        if self.stats:
            self.monitor.ap.connect(self.stats.analysis_export)
