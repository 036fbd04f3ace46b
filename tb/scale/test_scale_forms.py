"""The scale bench's pyuvm tests on the fixed forms of the stage (SCALE_MODE 1, 2).

Every test of tb/scale/test_scale.py again, under the same name, with the configuration read
from every HDL parameter (ScaleConfig.from_verilog: SCALE_MODE and SCALE_M too), so the
scoreboard expects v * (SCALE_M >> FOLD) whatever terms the sequences write to the ports the
fixed forms ignore. tb/scale/specs.py runs the fixed variants from this module (FORMS_BENCH).
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


def programmable_tests() -> list[type]:
    """The test classes of tb/scale/test_scale.py (its ScaleBaseTest subclasses)."""
    return [c for c in vars(test_scale).values()
            if isinstance(c, type) and issubclass(c, test_scale.ScaleBaseTest)
            and c is not test_scale.ScaleBaseTest and c.__module__ == test_scale.__name__]


# pyuvm.test registers each class in the module that calls it: this one
for _test in programmable_tests():
    globals()[_test.__name__] = pyuvm.test()(
        type(_test.__name__, (AnyForm, _test), {"__module__": __name__, "__doc__": _test.__doc__}))
