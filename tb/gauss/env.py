"""The Gaussian baselines environment: the shared block-bench shape (tb/common/env.py)."""

from __future__ import annotations

from tb.common.env import BlockEnv
from tb.gauss.coverage import GaussCoverage
from tb.gauss.driver import GaussDriver
from tb.gauss.monitor import GaussMonitor
from tb.gauss.scoreboard import GaussScoreboard
from tb.gauss.stats_checker import GaussStatsChecker


class GaussEnv(BlockEnv):
    DRIVER, MONITOR = GaussDriver, GaussMonitor
    SCOREBOARD, COVERAGE = GaussScoreboard, GaussCoverage
    STATS = GaussStatsChecker
