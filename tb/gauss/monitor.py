"""Monitor: control events and beats on one analysis port."""

from __future__ import annotations

from tb.array.monitor import ArrayMonitor


class GaussMonitor(ArrayMonitor):
    """Same observations as the array engine's monitor."""
