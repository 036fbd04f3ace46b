"""cocotb tests that misbehave on purpose, to prove the harness survives them."""

import os

import cocotb
from cocotb.triggers import ClockCycles, Event

from tb.common.clocking import start_clock


@cocotb.test()
async def hang_test(dut):
    """Clock running, waits for an event nobody sets: only the wall-clock limit ends it."""
    start_clock(dut.clk_i)
    await Event().wait()


@cocotb.test()
async def no_metrics_test(dut):
    """Passes without writing metrics.json (a rerun must not report an earlier run's)."""
    start_clock(dut.clk_i)
    await ClockCycles(dut.clk_i, 2)


@cocotb.test()
async def crash_test(dut):
    """The simulator process dies without writing results."""
    os._exit(3)
