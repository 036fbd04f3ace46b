"""Driver: hands each item's operations to the BFM."""

from __future__ import annotations

from tb.array.driver import ArrayDriver


class GaussDriver(ArrayDriver):
    """Same protocol as the array engine's driver."""
