"""Sequence item and observations for the RNG array engine."""

from __future__ import annotations

from dataclasses import dataclass

from pyuvm import uvm_sequence_item


@dataclass(frozen=True)
class Op:
    """One BFM operation.

    seed/step/replay wait until idle_o, then pulse for one clock; poke_step/poke_replay
    pulse at once (used while a pass is in flight: the engine must ignore them);
    idle: `cycles` clocks with no pulse; ready: set the sink's p_ready; drain: wait until
    idle_o (every pass finished).
    """

    kind: str
    d: int = 0
    idx: int = 0
    seed: int = 0
    cycles: int = 0
    p_ready: float = 1.0


class ArrayItem(uvm_sequence_item):
    """One stimulus transaction: a list of BFM operations."""

    def __init__(self, name: str, ops: list[Op]):
        super().__init__(name)
        self.ops = ops

    def __str__(self) -> str:
        return f"{self.get_name()}[{len(self.ops)} ops]"


@dataclass(frozen=True)
class CtrlObs:
    """A control event applied at one rising edge, and the engine's flags after it.

    kind: reset | seed | step | refused (step with d = 0) | replay | ignored (a pulse
    while busy). err/idle: cfg_err_o / idle_o after the edge.
    """

    cycle: int
    kind: str
    d: int = 0
    idx: int = 0
    seed: int = 0
    err: int = 0
    idle: int = 1
