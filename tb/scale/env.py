"""The scale stage environment: driver, monitor, scoreboard, coverage."""

from __future__ import annotations

from pyuvm import uvm_env, uvm_sequencer

from tb.scale.coverage import ScaleCoverage
from tb.scale.driver import ScaleDriver
from tb.scale.monitor import ScaleMonitor
from tb.scale.scoreboard import ScaleScoreboard


class ScaleEnv(uvm_env):
    def build_phase(self):
        self.sequencer = uvm_sequencer("sequencer", self)
        self.driver = ScaleDriver("driver", self)
        self.monitor = ScaleMonitor("monitor", self)
        self.scoreboard = ScaleScoreboard("scoreboard", self)
        self.coverage = ScaleCoverage("coverage", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.sequencer.seq_item_export)
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.monitor.ap.connect(self.coverage.analysis_export)
