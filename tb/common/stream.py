"""Valid/ready stream sink shared by every perturbation-source bench.

Samples at the falling edge (as every BFM here does): a beat transfers at the
next rising edge when valid and ready are both high. Ready is driven from a
backpressure pattern drawn from `random` (seeded by cocotb), so stalls repeat
bit for bit from the test seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tb.common.ports import PortBus


@dataclass(frozen=True)
class Beat:
    """One transferred beat: signed lane values, keep mask, last flag, cycle."""

    lanes: tuple[int, ...]
    keep: int
    last: int
    cycle: int


def split_lanes(word: int, lanes: int, width: int) -> tuple[int, ...]:
    """Lane l = bits [l*width +: width] of word, as two's complement."""
    mask, sign = (1 << width) - 1, 1 << (width - 1)
    out = []
    for lane in range(lanes):
        v = (word >> (lane * width)) & mask
        out.append(v - (1 << width) if v & sign else v)
    return tuple(out)


class StreamSink:
    """Receives m_valid_o/m_data_o/m_keep_o/m_last_o, drives m_ready_i (or the ports
    of another prefix).

    The bench's BFM calls `step(cycle)` once per falling edge: it drives ready for
    the coming rising edge, then records the beat if valid is high too. This needs
    the DUT rule of docs/perturbation-interface.md: m_valid_o, m_data_o, m_keep_o
    and m_last_o depend on registers only, never combinationally on an input.
    """

    def __init__(self, dut, lanes: int, width: int, prefix: str = "m_"):
        bus = PortBus(dut, prefix, ("valid_o", "ready_i", "data_o", "keep_o", "last_o"))
        self.valid, self.ready, self.data = bus.valid, bus.ready, bus.data
        self.keep, self.last = bus.keep, bus.last
        self.lanes, self.width = lanes, width
        self.p_ready = 1.0
        self.observers: list[Callable[[Beat], None]] = []
        self.ready.value = 0

    def step(self, cycle: int) -> None:
        self.ready_now = int(self.p_ready >= 1.0 or random.random() < self.p_ready)
        self.ready.value = self.ready_now
        if self.ready_now and int(self.valid.value):
            beat = Beat(split_lanes(int(self.data.value), self.lanes, self.width),
                        int(self.keep.value), int(self.last.value), cycle)
            for observer in self.observers:
                observer(beat)
