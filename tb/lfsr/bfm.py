"""Bus-functional model: the only code that touches the RNG's signals.

One coroutine per clock at the falling edge: sample, then drive. The inputs
sampled at falling edge t were driven at t-1 and consumed at the rising edge
between; the word consumed there is rnd_o as sampled at t-1.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

import cocotb
from cocotb.triggers import Event, FallingEdge

from tb.common.clocking import reset, start_clock
from tb.lfsr.item import Cycle, RngObs

IDLE = Cycle()


class LfsrBfm:
    def __init__(self, dut):
        self.dut = dut
        self.pending: deque[Cycle] = deque()
        self.drained = Event()
        self.observers: list[Callable[[RngObs], None]] = []
        self.cycle = 0

    async def start(self) -> None:
        """Clock, reset, idle inputs, then the per-clock loop in the background."""
        dut = self.dut
        dut.seed_load_i.value = 0
        dut.seed_i.value = 0
        dut.en_i.value = 0
        start_clock(dut.clk_i)
        await reset(dut.clk_i, dut.rst_ni)
        cocotb.start_soon(self._loop())

    async def apply(self, cycles: list[Cycle]) -> None:
        """Queue cycles and wait until the last one has been applied at a clock edge."""
        self.drained.clear()
        self.pending.extend(cycles)
        await self.drained.wait()

    async def _loop(self) -> None:
        dut, edge = self.dut, FallingEdge(self.dut.clk_i)
        rnd_before = int(dut.rnd_o.value)
        busy = False
        while True:
            await edge
            self.cycle += 1
            self._observe(rnd_before)
            rnd_before = int(dut.rnd_o.value)
            if busy and not self.pending:
                busy = False
                self.drained.set()
            if self.pending:
                busy = True
                self._drive(self.pending.popleft())
            else:
                self._drive(IDLE)

    def _observe(self, rnd_before: int) -> None:
        dut = self.dut
        if not int(dut.rst_ni.value):
            self._publish(RngObs(self.cycle, "reset", 0))
            return
        en = int(dut.en_i.value)
        if int(dut.seed_load_i.value):
            self._publish(RngObs(self.cycle, "load", int(dut.seed_i.value), en))
        elif en:
            self._publish(RngObs(self.cycle, "word", rnd_before))

    def _publish(self, obs: RngObs) -> None:
        for observer in self.observers:
            observer(obs)

    def _drive(self, cyc: Cycle) -> None:
        dut = self.dut
        dut.rst_ni.value = cyc.rst_n
        dut.seed_load_i.value = cyc.seed_load
        dut.seed_i.value = cyc.seed
        dut.en_i.value = cyc.en
