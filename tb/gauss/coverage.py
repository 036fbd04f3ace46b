"""Functional coverage: the array engine's bins (rotation, d mod n, replay,
backpressure, reseed) plus the output's sign and sigma band."""

from __future__ import annotations

from tb.array import coverage as array_coverage
from tb.array.coverage import ArrayCoverage

BANDS = ["lt1", "1to2", "2to3", "3to4", "ge4"]


def groups(lanes: int) -> dict[str, list[str]]:
    sigma_bands = [f"{sign}{band}" for sign in ("pos", "neg") for band in BANDS[:3]]
    return {**array_coverage.groups(lanes), "sigma_band": sigma_bands}


def declared_bins(params: dict[str, int]) -> dict[str, list[str]]:
    """The bins of a design with these HDL parameters, known without simulating it."""
    return groups(params["LANES"])


class GaussCoverage(ArrayCoverage):
    def groups(self):
        return groups(self.cfg.lanes)

    def _beat(self, beat) -> None:
        super()._beat(beat)
        scale = 2.0 ** self.cfg.frac
        for lane, v in enumerate(beat.lanes):
            if beat.keep >> lane & 1:
                band = min(int(abs(v) / scale), 4)
                if band < 3:
                    self.model.sample("sigma_band", f"{'neg' if v < 0 else 'pos'}{BANDS[band]}")
