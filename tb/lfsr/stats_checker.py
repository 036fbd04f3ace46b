"""Checks the statistics of the words the RTL actually emitted."""

from __future__ import annotations

import numpy as np
from pyuvm import ConfigDB, uvm_subscriber

from ref_model import stats
from tb.common import metrics


class LfsrStatsChecker(uvm_subscriber):
    def build_phase(self):
        self.cfg = ConfigDB().get(self, "", "DUT_CFG")
        self.words: list[int] = []

    def write(self, obs):
        if obs.kind == "word":
            self.words.append(obs.value)

    def check_phase(self):
        measured = stats.uniform_word_stats(np.array(self.words, dtype=np.uint64), self.cfg.out_w)
        metrics.record(statistics=measured, statistic_bounds=stats.uniform_bounds(measured["n"]))
        problems = stats.uniform_violations(measured)
        assert not problems, "RNG statistics out of bounds: " + "; ".join(problems)
        self.logger.info(f"statistics within bounds: {measured}")
