"""Statistics of the numbers the RTL actually streamed (ref_model/gauss_stats.py)."""

from __future__ import annotations

import numpy as np
from pyuvm import ConfigDB, uvm_subscriber

from ref_model import gauss_stats
from tb.array.item import CtrlObs
from tb.common import metrics


class ArrayStatsChecker(uvm_subscriber):
    def build_phase(self):
        self.cfg = ConfigDB().get(self, "", "DUT_CFG")
        self.values: list[int] = []

    def write(self, obs):
        if not isinstance(obs, CtrlObs):
            self.values += [v for lane, v in enumerate(obs.lanes) if obs.keep >> lane & 1]

    def check_phase(self):
        cfg = self.cfg
        measured = gauss_stats.number_stats(np.array(self.values, dtype=np.int64), cfg.frac)
        expected = gauss_stats.expected(cfg.dist, cfg.k, cfg.w)
        problems = gauss_stats.violations(measured, expected)
        metrics.record(statistics=measured, statistic_bounds=gauss_stats.bounds(measured, expected),
                       expected_statistics=expected)
        assert not problems, "statistics out of bounds: " + "; ".join(problems)
        self.logger.info(f"statistics within bounds: {measured}")
