"""Bus-functional model: the only code that touches the RNG's signals.

One coroutine per clock at the falling edge: sample, then drive. The inputs
sampled at falling edge t were driven at t-1 and consumed at the rising edge
between; the word consumed there is rnd_o as sampled at t-1.
"""

from __future__ import annotations

from collections import deque

from tb.common.clocked_bfm import ClockedBfm
from tb.lfsr.item import Cycle, RngItem, RngObs

IDLE = Cycle()


class LfsrBfm(ClockedBfm):
    IDLE_INPUTS = ("seed_load_i", "seed_i", "en_i")

    def __init__(self, dut):
        super().__init__(dut)
        self.waiting_for = "an RNG word, seed load or reset"
        self.rnd_before = 0

    def started(self) -> None:
        self.rnd_before = int(self.dut.rnd_o.value)
        super().started()

    def entries(self, item: RngItem) -> list[Cycle]:
        return item.cycles

    def sample(self) -> None:
        self._observe(self.rnd_before)
        self.rnd_before = int(self.dut.rnd_o.value)

    def drive(self, pending: deque[Cycle]) -> None:
        self._drive(pending.popleft() if pending else IDLE)

    def _observe(self, rnd_before: int) -> None:
        dut = self.dut
        if not int(dut.rst_ni.value):
            self.publish(RngObs(self.cycle, "reset", 0))
            return
        en = int(dut.en_i.value)
        if int(dut.seed_load_i.value):
            self.publish(RngObs(self.cycle, "load", int(dut.seed_i.value), en))
        elif en:
            self.publish(RngObs(self.cycle, "word", rnd_before))

    def _drive(self, cyc: Cycle) -> None:
        dut = self.dut
        dut.rst_ni.value = cyc.rst_n
        dut.seed_load_i.value = cyc.seed_load
        dut.seed_i.value = cyc.seed
        dut.en_i.value = cyc.en
