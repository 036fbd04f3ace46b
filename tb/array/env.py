"""The RNG array environment: agent pieces, scoreboard, coverage, statistics."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_env, uvm_sequencer

from tb.array.coverage import ArrayCoverage
from tb.array.driver import ArrayDriver
from tb.array.monitor import ArrayMonitor
from tb.array.scoreboard import ArrayScoreboard
from tb.array.stats_checker import ArrayStatsChecker


class ArrayEnv(uvm_env):
    def build_phase(self):
        self.sequencer = uvm_sequencer("sequencer", self)
        self.driver = ArrayDriver("driver", self)
        self.monitor = ArrayMonitor("monitor", self)
        self.scoreboard = ArrayScoreboard("scoreboard", self)
        self.coverage = ArrayCoverage("coverage", self)
        self.stats = (ArrayStatsChecker("stats", self)
                      if ConfigDB().get(self, "", "CHECK_STATS") else None)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.sequencer.seq_item_export)
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.monitor.ap.connect(self.coverage.analysis_export)
        if self.stats:
            self.monitor.ap.connect(self.stats.analysis_export)
