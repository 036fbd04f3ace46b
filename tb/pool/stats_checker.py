"""Distribution of the numbers the RTL actually streamed: every pool read back whole.

Mean and variance of v / 2^W against U(-1, 1) (0 and 1/3, within 5 standard errors),
and the second moment after the host's adaptive scale (terms from fill_sumsq_o, as
ref_model.perturb does) inside ref_model.scaling.bound(K).
"""

from __future__ import annotations

import numpy as np
from pyuvm import ConfigDB, uvm_subscriber

from ref_model import scaling
from ref_model.pool_model import host_terms, scale_multiplier
from tb.common import metrics

SIGMAS = 5.0
TERMS = 3


class PoolStatsChecker(uvm_subscriber):
    def build_phase(self):
        self.cfg = ConfigDB().get(self, "", "DUT_CFG")
        self.pools: list[tuple[list[int], int]] = []  # (numbers, fill_sumsq_o)
        self.sumsq = 0

    def write(self, obs):
        if obs.op.kind == "fill":
            self.sumsq = obs.sumsq
        elif obs.op.kind == "step" and not obs.err and obs.op.d >= self.cfg.pool_n - 1:
            lanes = [v for beat in obs.beats for v in beat.lanes]
            self.pools.append((lanes[:obs.op.d], self.sumsq))

    def check_phase(self):
        assert self.pools, "no pool was read back whole"
        w, n = self.cfg.word_w, self.cfg.pool_n
        u = np.concatenate([np.array(p, dtype=np.float64) for p, _ in self.pools]) / 2.0 ** w
        mean, var, m2 = float(u.mean()), float(u.var()), float(np.mean(u * u))
        se_mean, se_m2 = np.sqrt(1 / 3 / u.size), np.sqrt(4 / 45 / u.size)
        scaled = []
        for numbers, sumsq in self.pools:
            mult = scale_multiplier(host_terms(sumsq, n, w, TERMS))
            z = np.array(numbers, dtype=np.float64) * mult / 2.0 ** (w - scaling.E_MIN)
            scaled.append(float(np.mean(z * z)))
        lo, hi = scaling.bound(TERMS)
        metrics.record(pool_stats={"n": int(u.size), "pools": len(self.pools), "mean": mean,
                                   "var": var, "m2": m2, "scaled_m2": scaled, "bound": [lo, hi]})
        assert abs(mean) < SIGMAS * se_mean, f"pool mean {mean:.4f} not ~0 (se {se_mean:.4f})"
        assert abs(var - 1 / 3) < SIGMAS * se_m2 + SIGMAS * se_mean ** 2, \
            f"pool variance {var:.4f} not ~1/3 (se {se_m2:.4f})"
        bad = [s for s in scaled if not lo <= s <= hi]
        assert not bad, f"scaled second moments {bad} outside [{lo:.4f}, {hi:.4f}]"
