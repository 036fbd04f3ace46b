"""Sequences: the array engine's constrained-random runs, and a long pass for statistics."""

from __future__ import annotations

from tb.array.sequences import LongPassSeq, RandomRunsSeq, SetupSeq, StepsSeq

__all__ = ["LongPassSeq", "RandomRunsSeq", "SetupSeq", "StepsSeq"]
