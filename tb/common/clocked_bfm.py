"""A BFM that works one clock at a time from a queue (the lfsr and array benches).

apply(item) queues the item's entries (entries(item)) and returns once the last has
gone out. Every falling edge the loop calls sample() (what the edge just passed did),
then drive(pending) with the queue, which drives the next clock and pops what it used.
"""

from __future__ import annotations

from collections import deque

import cocotb
from cocotb.triggers import Event, FallingEdge

from tb.common.bfm import BlockBfm


class ClockedBfm(BlockBfm):
    def __init__(self, dut):
        super().__init__(dut)
        self.pending: deque = deque()
        self.drained = Event()

    def started(self) -> None:
        cocotb.start_soon(self._loop())

    async def apply(self, item) -> None:
        self.drained.clear()
        self.pending.extend(self.entries(item))
        await self.drained.wait()

    def entries(self, item) -> list:
        """What one item queues: one entry per clock or operation."""
        raise NotImplementedError

    def sample(self) -> None:
        raise NotImplementedError

    def drive(self, pending: deque) -> None:
        raise NotImplementedError

    async def _loop(self) -> None:
        edge = FallingEdge(self.dut.clk_i)
        busy = False
        while True:
            await edge
            self.cycle += 1
            self.sample()
            if busy and not self.pending:
                self.drained.set()
            busy = bool(self.pending)
            self.drive(self.pending)
