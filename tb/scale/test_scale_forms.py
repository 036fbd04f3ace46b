"""The scale bench's pyuvm tests on the fixed forms of the stage (SCALE_MODE 1, 2).

The same tests as tb/scale/test_scale.py, with the configuration read from every HDL
parameter (ScaleConfig.from_verilog: SCALE_MODE and SCALE_M too), so the scoreboard
expects v * (SCALE_M >> FOLD) whatever terms the sequences write to the ignored ports.
tb/scale/specs.py runs the fixed variants from this module (FORMS_BENCH).
"""

from __future__ import annotations

import pyuvm

from ref_model.pool_model import ScaleConfig
from tb.common.params import dut_params
from tb.scale import test_scale


class AnyForm:
    """dut_config for every form of the stage."""

    def dut_config(self) -> ScaleConfig:
        return ScaleConfig.from_verilog(dut_params())


@pyuvm.test()
class ScaleSmokeTest(AnyForm, test_scale.ScaleSmokeTest):
    """Greedy terms of sqrt(3) on the ignored ports, 200 beats back to back."""


@pyuvm.test()
class ScaleRandomTest(AnyForm, test_scale.ScaleRandomTest):
    """24 random term configurations on the ignored ports x random passes; coverage closes."""
