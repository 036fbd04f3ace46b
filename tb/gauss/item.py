"""Sequence item and observations: the array engine's (the Gaussian baselines are
DIST options of the same engine, so the stimulus vocabulary is the same)."""

from __future__ import annotations

from tb.array.item import ArrayItem, CtrlObs, Op

__all__ = ["ArrayItem", "CtrlObs", "Op"]
