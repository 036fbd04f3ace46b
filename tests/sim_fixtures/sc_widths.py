"""cocotb test of tests/sim_fixtures/sc_widths.v: random values on inputs of every width
come back one clock later, so each reached the model through the generated SystemC top."""

import random

import cocotb
from cocotb.triggers import FallingEdge

from tb.common.clocking import reset, start_clock

WIDTHS = {"bit": 1, "word": 32, "w33": 33, "dword": 64, "w65": 65, "wide": 512}
ROUNDS = 50


@cocotb.test()
async def echo_test(dut):
    start_clock(dut.clk_i)
    await reset(dut.clk_i, dut.rst_ni)
    for _ in range(ROUNDS):
        sent = {name: random.getrandbits(width) for name, width in WIDTHS.items()}
        for name, value in sent.items():
            getattr(dut, f"{name}_i").value = value
        await FallingEdge(dut.clk_i)
        for name, value in sent.items():
            got = int(getattr(dut, f"{name}_o").value)
            assert got == value, f"{name}_o: sent {value:#x}, got {got:#x}"
