"""Functional coverage of the scale stage: term kinds, signs, shifts, data, flow."""

from __future__ import annotations

from tb.common.coverage_collector import CoverageCollector


def groups(lanes: int) -> dict[str, list[str]]:
    """partial_keep needs LANES > 1 (a one-lane beat is always full)."""
    return {
        "terms": ["greedy", "raw", "none", "extreme", "bad_shift", "negative_term",
                  "positive_term", "shift_zero", "shift_max"],
        "data": ["min_value", "max_value", "zero_value", "last"]
                + (["partial_keep"] if lanes > 1 else []),
        "flow": ["backpressure", "source_gap", "back_to_back"],
    }


def declared_bins(params: dict[str, int]) -> dict[str, list[str]]:
    """The bins of a design with these HDL parameters, known without simulating it."""
    return groups(params["LANES"])


class ScaleCoverage(CoverageCollector):
    def groups(self):
        return groups(self.cfg.lanes)

    def build_phase(self):
        super().build_phase()
        self.last_in_cycle: int | None = None

    def write(self, obs):
        if obs.kind == "config":
            self._terms(obs)
        elif obs.kind == "in":
            self._input(obs)
        elif obs.stalled:
            self.model.sample("flow", "backpressure")

    def _terms(self, obs) -> None:
        t, sample = obs.terms, self.model.sample
        sample("terms", t.kind)
        for k, s in enumerate(t.shifts):
            if not t.en >> k & 1:
                continue
            if s > self.cfg.shift_max:
                sample("terms", "bad_shift")
                continue
            sample("terms", "negative_term" if t.neg >> k & 1 else "positive_term")
            if s == 0:
                sample("terms", "shift_zero")
            if s == self.cfg.shift_max:
                sample("terms", "shift_max")

    def _input(self, obs) -> None:
        sample, w = self.model.sample, self.cfg.num_w
        for lane, v in enumerate(obs.lanes):
            if obs.keep >> lane & 1:
                if v == -(1 << (w - 1)):
                    sample("data", "min_value")
                elif v == (1 << (w - 1)) - 1:
                    sample("data", "max_value")
                elif v == 0:
                    sample("data", "zero_value")
        if obs.keep != (1 << self.cfg.lanes) - 1:
            sample("data", "partial_keep")
        if obs.last:
            sample("data", "last")
        if obs.stalled:
            sample("flow", "source_gap")
        elif self.last_in_cycle is not None and obs.cycle == self.last_in_cycle + 1:
            sample("flow", "back_to_back")
        self.last_in_cycle = obs.cycle
