"""Functional coverage of the training bench: stream stalls, step events, read-backs,
resets and the error bits the design reported."""

from __future__ import annotations

from pyuvm import ConfigDB

from ref_model import rtl_twin as T
from tb.common.coverage_collector import CoverageCollector

LONG_STALL = 8


def groups() -> dict[str, list[str]]:
    return {
        "stream": ["back_to_back", "stall_short", "stall_long"],
        "engine": ["step_done", "readback", "reset"],
        "error": sorted(T.ERRORS),
    }


def declared_bins(params: dict[str, int]) -> dict[str, list[str]]:
    """The bins of a design with these HDL parameters, known without simulating it."""
    return groups()


class TrainCoverage(CoverageCollector):
    """Fed by both monitors (register accesses and engine events). A test requires the
    bins under the prefixes REQUIRED_BINS names (its sequence cannot hit the others)."""

    def build_phase(self):
        super().build_phase()
        self.required = ConfigDB().get(self, "", "REQUIRED_BINS")

    def groups(self) -> dict[str, list[str]]:
        return groups()

    def write(self, obs):
        m = self.model
        kind = getattr(obs, "kind", "")
        if kind == "sample":
            stall = obs.info.get("stall", 0)
            m.sample("stream", "back_to_back" if stall == 0 else
                     "stall_short" if stall < LONG_STALL else "stall_long")
        elif kind in ("step_done", "reset"):
            m.sample("engine", kind)
        elif kind == "block":
            m.sample("engine", "readback")
        elif kind == "read" and obs.addr == T.REG["STATUS"]:
            for name, bit in T.ERRORS.items():
                if obs.data & bit:
                    m.sample("error", name)

    def report_phase(self):
        super().report_phase()
        if not self.model.enabled:
            return
        holes = [h for h in self.model.holes() if h.startswith(self.required)]
        assert not holes, f"coverage holes: {', '.join(holes)}"
