"""Sequence item and observation for the uniform RNG."""

from __future__ import annotations

from dataclasses import dataclass

from pyuvm import uvm_sequence_item


@dataclass(frozen=True)
class Cycle:
    """The inputs driven for one clock edge."""

    rst_n: int = 1
    seed_load: int = 0
    seed: int = 0
    en: int = 0


class RngItem(uvm_sequence_item):
    """One stimulus transaction: a list of per-clock input vectors.

    Sequences build the list (constrained-random stalls, reseeds, resets);
    the driver hands it to the BFM and waits until every cycle is applied.
    """

    def __init__(self, name: str, cycles: list[Cycle], kind: str):
        super().__init__(name)
        self.cycles = cycles
        self.kind = kind  # for logs: "words", "reseed", "reset", ...

    def __str__(self) -> str:
        return f"{self.get_name()}[{self.kind}, {len(self.cycles)} cycles]"


@dataclass(frozen=True)
class RngObs:
    """What the monitor saw at one clock edge that changes the RNG stream."""

    cycle: int
    kind: str  # "reset" | "load" | "word"
    value: int  # the seed for "load", the word for "word"
    en: int = 0  # for "load": enable was high in the same cycle
