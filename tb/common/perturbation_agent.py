"""The testbench side of a perturbation source, shared by the pool, array, gauss and
scale benches: control pulses (tb/common/source_control.py) and the output stream sink
(tb/common/stream.py), attached to the DUT by port-name prefix."""

from __future__ import annotations

from tb.common.source_control import SourceControl
from tb.common.stream import StreamSink


class PerturbationAgent:
    """control: step/replay pulses and flags (None for a stage without them, such as
    the scale stage); sink: the `m_*` stream of LANES x NUM_W-bit signed lanes."""

    def __init__(self, dut, lanes: int, num_w: int, prefix: str = "", control: bool = True):
        self.control = SourceControl(dut, prefix) if control else None
        self.sink = StreamSink(dut, lanes, num_w, prefix + "m_")
