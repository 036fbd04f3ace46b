"""Sequence item and observation for the pool reuse engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyuvm import uvm_sequence_item

from tb.common.stream import Beat


@dataclass(frozen=True)
class PoolOp:
    """One host action: fill (run seed, refresh R), step(d), replay, or idle clocks."""

    kind: str  # "fill" | "step" | "replay" | "idle"
    d: int = 0
    run_seed: int = 0
    refresh: int = 0
    p_ready: float = 1.0  # sink readiness probability for this action's pass
    clocks: int = 0       # "idle": clocks to wait


class PoolItem(uvm_sequence_item):
    """One stimulus transaction: a list of host actions run in order."""

    def __init__(self, name: str, ops: list[PoolOp], kind: str):
        super().__init__(name)
        self.ops = ops
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.get_name()}[{self.kind}, {len(self.ops)} ops]"


@dataclass
class PoolObs:
    """What one host action produced: the pass's beats and the flags after it."""

    op: PoolOp
    err: int = 0          # cfg_err_o once the engine is idle again
    sumsq: int = 0        # fill_sumsq_o once idle
    beats: list[Beat] = field(default_factory=list)
    stalls: int = 0       # clocks with m_valid_o high and m_ready_i low
    cycle: int = 0
    busy_cycles: int = 0  # clocks with fill_busy_o high during the action
