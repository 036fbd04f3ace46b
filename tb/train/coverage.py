"""Functional coverage of the training bench: stream stalls, step events, read-backs,
resets and the error bits the design reported."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_subscriber

from ref_model import rtl_twin as T
from tb.common import metrics
from tb.common.coverage import CoverageModel

LONG_STALL = 8


def groups() -> dict[str, list[str]]:
    return {
        "stream": ["back_to_back", "stall_short", "stall_long"],
        "engine": ["step_done", "readback", "reset"],
        "error": sorted(T.ERRORS),
    }


class TrainCoverage(uvm_subscriber):
    """Fed by both monitors (register accesses and engine events)."""

    def build_phase(self):
        self.model = CoverageModel(groups(), enabled=ConfigDB().get(self, "", "COVERAGE"))
        self.required = ConfigDB().get(self, "", "REQUIRED_BINS")

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
        if not self.model.enabled:
            return
        summary = self.model.summary()
        metrics.record(coverage=summary)
        holes = [h for h in summary["holes"] if any(h.startswith(r) for r in self.required)]
        self.logger.info(f"functional coverage {summary['percent']}%, holes: {summary['holes']}")
        assert not holes, f"coverage holes: {', '.join(holes)}"
