"""The environment shape every block bench shares.

sequencer -> driver -> BFM; monitor -> scoreboard, coverage and (when CHECK_STATS is
set in ConfigDB) a statistics checker. A bench subclasses it and names its classes;
components come from the pyuvm factory, so a test may override one by type.
"""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_env, uvm_sequencer

from tb.common.driver import BlockDriver
from tb.common.monitor import BlockMonitor


class BlockEnv(uvm_env):
    DRIVER, MONITOR = BlockDriver, BlockMonitor
    SCOREBOARD = COVERAGE = None
    STATS = None  # optional statistics subscriber class

    def build_phase(self):
        self.sequencer = uvm_sequencer("sequencer", self)
        self.driver = self.DRIVER.create("driver", self)
        self.monitor = self.MONITOR.create("monitor", self)
        self.scoreboard = self.SCOREBOARD.create("scoreboard", self)
        self.coverage = self.COVERAGE.create("coverage", self)
        wants_stats = self.STATS is not None and ConfigDB().exists(self, "", "CHECK_STATS") \
            and ConfigDB().get(self, "", "CHECK_STATS")
        self.stats = self.STATS.create("stats", self) if wants_stats else None

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.sequencer.seq_item_export)
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.monitor.ap.connect(self.coverage.analysis_export)
        if self.stats:
            self.monitor.ap.connect(self.stats.analysis_export)
