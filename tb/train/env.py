"""The training-engine environment: register agent (with the register model on its
sequencer), data agent, event monitor, scoreboard, coverage.

The agents are the block benches' driver and monitor (tb/common), each on its port of
the BFM (tb/train/bfm.py): the env puts the port under the component's own path in
ConfigDB as its "BFM", which a component's lookup finds before the test's "*" entry."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_env, uvm_sequencer

from tb.common.driver import BlockDriver
from tb.common.monitor import BlockMonitor
from tb.train import registers
from tb.train.coverage import TrainCoverage
from tb.train.scoreboard import TrainScoreboard


class TrainEnv(uvm_env):
    def build_phase(self):
        bfm = ConfigDB().get(self, "", "BFM")
        ports = {"reg_driver": bfm.registers, "reg_monitor": bfm.registers,
                 "data_driver": bfm.samples, "event_monitor": bfm.events}
        for component, port in ports.items():
            ConfigDB().set(self, component, "BFM", port)
        self.reg_sequencer = uvm_sequencer("reg_sequencer", self)
        self.reg_driver = BlockDriver.create("reg_driver", self)
        self.data_sequencer = uvm_sequencer("data_sequencer", self)
        self.data_driver = BlockDriver.create("data_driver", self)
        self.reg_monitor = BlockMonitor.create("reg_monitor", self)
        self.event_monitor = BlockMonitor.create("event_monitor", self)
        self.scoreboard = TrainScoreboard("scoreboard", self)
        self.coverage = TrainCoverage("coverage", self)
        ConfigDB().set(None, "*", "DATA_SEQR", self.data_sequencer)
        ConfigDB().set(None, "*", "REGS", registers.build_model(self.reg_sequencer))

    @property
    def sequencer(self):
        """Where a test's sequence starts (tb/common/block_test.py): the register agent's."""
        return self.reg_sequencer

    def connect_phase(self):
        self.reg_driver.seq_item_port.connect(self.reg_sequencer.seq_item_export)
        self.data_driver.seq_item_port.connect(self.data_sequencer.seq_item_export)
        self.reg_monitor.ap.connect(self.scoreboard.analysis_export)
        self.reg_monitor.ap.connect(self.coverage.analysis_export)
        self.event_monitor.ap.connect(self.coverage.analysis_export)
        self.event_monitor.ap.connect(self.scoreboard.analysis_export)  # the tap's steps
