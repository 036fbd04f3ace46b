"""The pool engine environment: the shared block-bench shape (tb/common/env.py)."""

from __future__ import annotations

from tb.common.env import BlockEnv
from tb.pool.coverage import PoolCoverage
from tb.pool.scoreboard import PoolScoreboard
from tb.pool.stats_checker import PoolStatsChecker


class PoolEnv(BlockEnv):
    SCOREBOARD, COVERAGE = PoolScoreboard, PoolCoverage
    STATS = PoolStatsChecker
