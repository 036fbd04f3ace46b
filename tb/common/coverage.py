"""Functional coverage: named bins in named covergroups, holes reported by name.

Each testbench declares its bins up front, so an unhit bin is a visible hole,
not a silent absence. Sampling is skipped when coverage is disabled.
"""

from __future__ import annotations


class CoverageModel:
    """Covergroups of bins with hit counts."""

    def __init__(self, groups: dict[str, list[str]], enabled: bool = True):
        self.enabled = enabled
        self.hits = {group: {name: 0 for name in bins} for group, bins in groups.items()}

    def sample(self, group: str, bin_name: str) -> None:
        if not self.enabled:
            return
        bins = self.hits.get(group)
        if bins is None or bin_name not in bins:
            raise KeyError(f"coverage bin {group}.{bin_name} is not declared")
        bins[bin_name] += 1

    def holes(self) -> list[str]:
        return [f"{g}.{b}" for g, bins in self.hits.items() for b, n in bins.items() if n == 0]

    def percent(self) -> float:
        total = sum(len(bins) for bins in self.hits.values())
        return 100.0 * (total - len(self.holes())) / total if total else 100.0

    def summary(self) -> dict:
        return {"percent": round(self.percent(), 2), "holes": self.holes(), "bins": self.hits}
