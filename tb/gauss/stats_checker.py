"""Statistics of the RTL's numbers: mean, variance, kurtosis, tails, KS (gauss_stats)."""

from __future__ import annotations

from tb.array.stats_checker import ArrayStatsChecker


class GaussStatsChecker(ArrayStatsChecker):
    """The array checker; bounds per DIST come from ref_model.gauss_stats.expected."""
