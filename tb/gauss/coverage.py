"""Functional coverage: the array engine's bins (rotation, d mod n, replay,
backpressure, reseed) plus the output's sign and sigma band."""

from __future__ import annotations

from tb.array.coverage import ArrayCoverage

BANDS = ["lt1", "1to2", "2to3", "3to4", "ge4"]


class GaussCoverage(ArrayCoverage):
    def groups(self):
        bins = super().groups()
        bins["sigma_band"] = [f"{sign}{band}" for sign in ("pos", "neg") for band in BANDS[:3]]
        return bins

    def _beat(self, beat) -> None:
        super()._beat(beat)
        scale = 2.0 ** self.cfg.frac
        for lane, v in enumerate(beat.lanes):
            if beat.keep >> lane & 1:
                band = min(int(abs(v) / scale), 4)
                if band < 3:
                    self.model.sample("sigma_band", f"{'neg' if v < 0 else 'pos'}{BANDS[band]}")
