"""Clock and reset for every testbench."""

from __future__ import annotations

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge

CLOCK_PERIOD_NS = 10


def start_clock(clk) -> None:
    cocotb.start_soon(Clock(clk, CLOCK_PERIOD_NS, unit="ns").start())


async def reset(clk, rst_n, cycles: int = 2) -> None:
    """Active-low reset, asserted and released on falling edges."""
    rst_n.value = 0
    for _ in range(cycles):
        await FallingEdge(clk)
    rst_n.value = 1
