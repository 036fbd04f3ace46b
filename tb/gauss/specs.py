"""The Gaussian baselines' runnable tests: every pyuvm test class x parameter variant.

The variants are ref_model/source_table.py's Gaussian array sources (every `normal`
one, e.g. the inverse CDF) and its bench-only generators (CLT K = 12)."""

from __future__ import annotations

from tb.array.specs import SOURCES, bench_variants, override, params
from tb.harness import Bench, TestSpec

BENCH = Bench("gauss", "pezo_rng_array", SOURCES, "tb.gauss.test_gauss",
              wide_params=("TAPS", "ZERO_SUBST"))
VARIANTS = bench_variants(BENCH.name)
TESTCASES = ["GaussSmokeTest", "GaussRandomTest", "GaussStatsTest"]
SMOKE = "gauss.GaussSmokeTest.n3icdf"

__all__ = ["BENCH", "VARIANTS", "TESTCASES", "SMOKE", "specs", "override"]


def specs() -> list[TestSpec]:
    return [TestSpec(BENCH, test, variant, params(cfg))
            for test in TESTCASES for variant, cfg in VARIANTS.items()]
