"""The RNG array's runnable tests: every pyuvm test class x parameter variant.

The variants are the training engine's array sources of ref_model/source_table.py
(uniform, n = 4: the reference's `uniform`; CLT K = 3, n = 5: its `gaussian`)."""

from __future__ import annotations

from ref_model import array_model, source_table
from ref_model.array_model import ArrayConfig
from tb.harness import Bench, TestSpec

SOURCES = source_table.numgen_files()
BENCH = Bench("array", "pezo_rng_array", SOURCES, "tb.array.test_array",
              wide_params=("TAPS", "ZERO_SUBST"))
TESTCASES = ["ArraySmokeTest", "ArrayRandomTest", "ArrayStatsTest"]
SMOKE = "array.ArraySmokeTest.n4u8"
POWER_TEST = "ArrayPowerTest"  # the calibration stimulus: suite `power`, not `default`


def bench_variants(bench: str) -> dict[str, ArrayConfig]:
    """variant name -> configuration of the sources block bench `bench` runs."""
    return {s.variant: ArrayConfig(dist=s.dist, k=s.k, **s.bench)
            for s in source_table.bench_sources(bench)}


VARIANTS = bench_variants(BENCH.name)


def params(cfg: ArrayConfig) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(cfg.verilog_parameters().items()))


def specs() -> list[TestSpec]:
    return [TestSpec(BENCH, test, variant, params(cfg))
            for test in [*TESTCASES, POWER_TEST] for variant, cfg in VARIANTS.items()]


def override(base: dict[str, int], overrides: dict[str, int]) -> dict[str, int]:
    """Custom parameters, validated like the RTL (TAPS follow STATE_W, NUM_W the need)."""
    p = {**base, **overrides}
    cfg = ArrayConfig(lanes=p["LANES"], dist=p["DIST"], w=p["W"], k=p["K"],
                      num_w=p["NUM_W"] if "NUM_W" in overrides else None,
                      d_w=p["D_W"], state_w=p["STATE_W"])
    for name in ("TAPS", "ZERO_SUBST"):
        if name in overrides and overrides[name] != cfg.verilog_parameters()[name]:
            raise array_model.ConfigError(f"{name} is fixed by STATE_W in this bench")
    return cfg.verilog_parameters()
