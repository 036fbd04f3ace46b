"""The training-engine environment: register agent (with the register model on its
sequencer), data agent, monitors, scoreboard, coverage."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_env, uvm_sequencer

from tb.train import registers
from tb.train.coverage import TrainCoverage
from tb.train.driver import RegDriver, SampleDriver
from tb.train.monitor import EventMonitor, RegMonitor
from tb.train.scoreboard import TrainScoreboard


class TrainEnv(uvm_env):
    def build_phase(self):
        self.reg_sequencer = uvm_sequencer("reg_sequencer", self)
        self.reg_driver = RegDriver("reg_driver", self)
        self.data_sequencer = uvm_sequencer("data_sequencer", self)
        self.data_driver = SampleDriver("data_driver", self)
        self.reg_monitor = RegMonitor("reg_monitor", self)
        self.event_monitor = EventMonitor("event_monitor", self)
        self.scoreboard = TrainScoreboard("scoreboard", self)
        self.coverage = TrainCoverage("coverage", self)
        ConfigDB().set(None, "*", "DATA_SEQR", self.data_sequencer)
        ConfigDB().set(None, "*", "REGS", registers.build_model(self.reg_sequencer))

    def connect_phase(self):
        self.reg_driver.seq_item_port.connect(self.reg_sequencer.seq_item_export)
        self.data_driver.seq_item_port.connect(self.data_sequencer.seq_item_export)
        self.reg_monitor.ap.connect(self.scoreboard.analysis_export)
        self.reg_monitor.ap.connect(self.coverage.analysis_export)
        self.event_monitor.ap.connect(self.coverage.analysis_export)
