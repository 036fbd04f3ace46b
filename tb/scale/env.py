"""The adaptive-scaling stage environment: the shared block-bench shape (tb/common/env.py)."""

from __future__ import annotations

from tb.common.env import BlockEnv
from tb.scale.coverage import ScaleCoverage
from tb.scale.scoreboard import ScaleScoreboard


class ScaleEnv(BlockEnv):
    SCOREBOARD, COVERAGE = ScaleScoreboard, ScaleCoverage
