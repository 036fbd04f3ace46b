"""The RNG array environment: the shared block-bench shape (tb/common/env.py)."""

from __future__ import annotations

from tb.array.coverage import ArrayCoverage
from tb.array.scoreboard import ArrayScoreboard
from tb.array.stats_checker import ArrayStatsChecker
from tb.common.env import BlockEnv


class ArrayEnv(BlockEnv):
    SCOREBOARD, COVERAGE = ArrayScoreboard, ArrayCoverage
    STATS = ArrayStatsChecker
