"""The RNG array's runnable tests: every pyuvm test class x parameter variant."""

from __future__ import annotations

from ref_model import array_model
from ref_model.array_model import CLT, UNIFORM, ArrayConfig
from tb.harness import Bench, TestSpec

SOURCES = ("rtl/pezo_lfsr.v", "rtl/pezo_gauss_icdf_rom.v", "rtl/pezo_gauss_icdf.v",
           "rtl/pezo_numgen.v", "rtl/pezo_rng_array.v")
BENCH = Bench("array", "pezo_rng_array", SOURCES, "tb.array.test_array",
              wide_params=("TAPS", "ZERO_SUBST"))
# uniform, n = 4 (the reference's `uniform`); CLT K = 3, n = 5 (the reference's `gaussian`)
VARIANTS = {"n4u8": ArrayConfig(lanes=4, dist=UNIFORM, w=8, k=1),
            "n5g8": ArrayConfig(lanes=5, dist=CLT, w=8, k=3)}
TESTCASES = ["ArraySmokeTest", "ArrayRandomTest", "ArrayStatsTest"]
SMOKE = "array.ArraySmokeTest.n4u8"


def params(cfg: ArrayConfig) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(cfg.verilog_parameters().items()))


def specs() -> list[TestSpec]:
    return [TestSpec(BENCH, test, variant, params(cfg))
            for test in TESTCASES for variant, cfg in VARIANTS.items()]


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
