"""Sequence items and observations of the training-engine bench."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pyuvm import uvm_sequence_item


class RegItem(uvm_sequence_item):
    """One register-bus transaction: write, read, a block write or a block read of `count`
    words, or one of the sequence's waits (wait_step, wait_idle, cycles, reset).

    The BFM's register port fills `data` (read value, or list of values for "block")."""

    def __init__(self, name: str, kind: str, addr: int, data=0, count: int = 1):
        super().__init__(name)
        self.kind, self.addr, self.data, self.count = kind, addr, data, count

    def __str__(self) -> str:
        return f"{self.get_name()}[{self.kind} 0x{self.addr:02x}]"


class SampleItem(uvm_sequence_item):
    """One stream beat: a sample's 64 raw pixels and its label, with a stall before it."""

    kind = "sample"  # the sample port's one handler (tb/train/bfm.py)

    def __init__(self, name: str, step: int, pixels: np.ndarray, label: int, stall: int = 0):
        super().__init__(name)
        self.step, self.pixels, self.label, self.stall = step, pixels, label, stall


@dataclass(frozen=True)
class RegObs:
    """A completed register access as the bus saw it."""

    kind: str           # "write" | "read" | "block"
    addr: int
    data: object        # int, or list of ints for "block"
    cycle: int


@dataclass(frozen=True)
class EngineEvent:
    """A transaction boundary of the engine: step done, reset, or sample accepted."""

    kind: str           # "step_done" | "reset" | "sample"
    cycle: int
    info: dict = field(default_factory=dict)
