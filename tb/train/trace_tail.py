"""The BFM's reader of the SystemC step tap's trace (tb/systemc/step_tap.h): the step
lines the tap has written since the last look, parsed (tb/train/trace_check.py's format).
The tap flushes every line, and cocotb runs in the simulator's process between its steps,
so what a look finds is exactly what the tap wrote before the current simulation time."""

from __future__ import annotations

from pathlib import Path

from tb.train.trace_check import StepLine, parse_step


class TraceTail:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._offset = 0

    def new_steps(self) -> list[StepLine]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as fh:
            fh.seek(self._offset)
            text = fh.read()
        complete = text[:text.rfind(b"\n") + 1]
        self._offset += len(complete)
        return [parse_step(line) for line in complete.decode().splitlines()]
