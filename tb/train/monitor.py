"""Monitors: register accesses and engine events (step done, reset) to analysis ports."""

from __future__ import annotations

import cocotb
from pyuvm import ConfigDB, uvm_analysis_port, uvm_monitor


class RegMonitor(uvm_monitor):
    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.bfm = ConfigDB().get(self, "", "BFM")

    def connect_phase(self):
        self.bfm.reg_observers.append(self.ap.write)


class EventMonitor(uvm_monitor):
    """Step-done pulses (one simulator trigger per step) and resets."""

    def build_phase(self):
        self.ap = uvm_analysis_port("ap", self)
        self.bfm = ConfigDB().get(self, "", "BFM")

    def connect_phase(self):
        self.bfm.event_observers.append(self.ap.write)

    async def run_phase(self):
        cocotb.start_soon(self.bfm.watch_steps())
