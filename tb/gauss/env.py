"""The Gaussian-baseline environment: the array env's shape with the Gauss components."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_env, uvm_sequencer

from tb.gauss.coverage import GaussCoverage
from tb.gauss.driver import GaussDriver
from tb.gauss.monitor import GaussMonitor
from tb.gauss.scoreboard import GaussScoreboard
from tb.gauss.stats_checker import GaussStatsChecker


class GaussEnv(uvm_env):
    def build_phase(self):
        self.sequencer = uvm_sequencer("sequencer", self)
        self.driver = GaussDriver("driver", self)
        self.monitor = GaussMonitor("monitor", self)
        self.scoreboard = GaussScoreboard("scoreboard", self)
        self.coverage = GaussCoverage("coverage", self)
        self.stats = (GaussStatsChecker("stats", self)
                      if ConfigDB().get(self, "", "CHECK_STATS") else None)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.sequencer.seq_item_export)
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.monitor.ap.connect(self.coverage.analysis_export)
        if self.stats:
            self.monitor.ap.connect(self.stats.analysis_export)
