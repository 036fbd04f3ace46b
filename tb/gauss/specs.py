"""The Gaussian baselines' runnable tests: every pyuvm test class x parameter variant."""

from __future__ import annotations

from ref_model.array_model import CLT, ICDF, ArrayConfig
from tb.array.specs import SOURCES, override, params
from tb.harness import Bench, TestSpec

BENCH = Bench("gauss", "pezo_rng_array", SOURCES, "tb.gauss.test_gauss",
              wide_params=("TAPS", "ZERO_SUBST"))
# CLT with K = 12 = 3*4 (variance 4: read with W+1 fraction bits), W = 5, 64-bit LFSR;
# the inverse-CDF Gaussian on a 32-bit uniform word (K*W = 4*8), 8 fraction bits.
VARIANTS = {"n3c12": ArrayConfig(lanes=3, dist=CLT, w=5, k=12, state_w=64),
            "n3icdf": ArrayConfig(lanes=3, dist=ICDF, w=8, k=4)}
TESTCASES = ["GaussSmokeTest", "GaussRandomTest", "GaussStatsTest"]
SMOKE = "gauss.GaussSmokeTest.n3icdf"

__all__ = ["BENCH", "VARIANTS", "TESTCASES", "SMOKE", "specs", "override"]


def specs() -> list[TestSpec]:
    return [TestSpec(BENCH, test, variant, params(cfg))
            for test in TESTCASES for variant, cfg in VARIANTS.items()]
