"""The monitor of every block bench: the BFM's observations become analysis-port writes."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_analysis_port, uvm_monitor


class BlockMonitor(uvm_monitor):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.bfm = ConfigDB().get(self, "", "BFM")

    def connect_phase(self):
        self.bfm.observers.append(self.ap.write)
