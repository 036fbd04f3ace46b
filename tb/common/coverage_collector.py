"""The coverage subscriber every block bench derives from: its covergroups come
from `groups()`, and the report (metrics.json, log, closure check) is made here once."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_subscriber

from tb.common import metrics
from tb.common.coverage import CoverageModel


class CoverageCollector(uvm_subscriber):
    """Subclasses declare groups() and sample self.model in write()."""

    def build_phase(self):
        self.cfg = ConfigDB().get(self, "", "DUT_CFG")
        self.model = CoverageModel(self.groups(), enabled=ConfigDB().get(self, "", "COVERAGE"))
        self.require_closure = ConfigDB().get(self, "", "REQUIRE_COVERAGE")

    def groups(self) -> dict[str, list[str]]:
        raise NotImplementedError

    def report_phase(self):
        if not self.model.enabled:
            return
        summary = self.model.summary()
        metrics.record(coverage=summary)
        self.logger.info(f"functional coverage {summary['percent']}%, holes: {summary['holes']}")
        if self.require_closure:
            assert not summary["holes"], f"coverage holes: {', '.join(summary['holes'])}"
