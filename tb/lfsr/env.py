"""The uniform RNG environment: the shared block-bench shape (tb/common/env.py)."""

from __future__ import annotations

from tb.common.env import BlockEnv
from tb.lfsr.coverage import LfsrCoverage
from tb.lfsr.scoreboard import LfsrScoreboard
from tb.lfsr.stats_checker import LfsrStatsChecker


class LfsrEnv(BlockEnv):
    SCOREBOARD, COVERAGE = LfsrScoreboard, LfsrCoverage
    STATS = LfsrStatsChecker
