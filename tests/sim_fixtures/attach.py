"""cocotb test that attaches the perturbation-source agent to a DUT without its ports
(the uniform RNG), to show the error an agent gives at attach time."""

import cocotb

from tb.common.perturbation_agent import PerturbationAgent


@cocotb.test()
async def attach_to_lfsr_test(dut):
    PerturbationAgent(dut, lanes=1, num_w=8)
