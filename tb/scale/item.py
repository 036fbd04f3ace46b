"""Sequence item and observations for the scale stage."""

from __future__ import annotations

from dataclasses import dataclass

from pyuvm import uvm_sequence_item


@dataclass(frozen=True)
class InBeat:
    """One input beat: signed lane values, keep mask, last flag."""

    lanes: tuple[int, ...]
    keep: int
    last: int


@dataclass(frozen=True)
class Terms:
    """The scale_* register fields, and how the sequence chose them (for coverage)."""

    en: int
    neg: int
    shifts: tuple[int, ...]
    kind: str  # "greedy" | "raw" | "none" | "extreme"


class ScaleItem(uvm_sequence_item):
    """One configuration: terms, a burst of input beats, source gaps and sink readiness."""

    def __init__(self, name: str, terms: Terms, beats: list[InBeat], p_gap: float,
                 p_ready: float):
        super().__init__(name)
        self.terms, self.beats, self.p_gap, self.p_ready = terms, beats, p_gap, p_ready

    def __str__(self) -> str:
        return f"{self.get_name()}[{self.terms.kind}, {len(self.beats)} beats]"


@dataclass(frozen=True)
class ScaleObs:
    """A transfer on either side ("in": with the terms in force; "out"), or a new config."""

    kind: str  # "config" | "in" | "out"
    cycle: int
    lanes: tuple[int, ...] = ()
    keep: int = 0
    last: int = 0
    terms: Terms | None = None
    err: int = 0      # scale_err_o, for "config"
    stalled: int = 0  # "out": the sink stalled this beat at least once; "in": source gap before
