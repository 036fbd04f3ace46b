"""Bus-functional model: the array engine's BFM (same ports)."""

from __future__ import annotations

from tb.array.bfm import ArrayBfm


class GaussBfm(ArrayBfm):
    """The only code that touches the signals; identical to ArrayBfm."""
