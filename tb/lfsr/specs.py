"""The uniform RNG's runnable tests: every pyuvm test class x parameter variant."""

from __future__ import annotations

from ref_model import lfsr
from tb.harness import Bench, TestSpec

BENCH = Bench("lfsr", "pezo_lfsr", ("rtl/pezo_lfsr.v",), "tb.lfsr.test_lfsr",
              wide_params=("TAPS", "ZERO_SUBST"))
VARIANTS = {"s32w16": (32, 16), "s16w8": (16, 8), "s64w32": (64, 32)}
TESTCASES = ["LfsrSmokeTest", "LfsrRandomTest", "LfsrStallTest", "LfsrStatsTest"]
SMOKE = "lfsr.LfsrSmokeTest.s32w16"
POWER_TEST = "LfsrPowerTest"  # the calibration stimulus: suite `power`, not `default`


def params(state_w: int, out_w: int) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(lfsr.LfsrConfig(state_w=state_w, out_w=out_w).verilog_parameters().items()))


def specs() -> list[TestSpec]:
    return [TestSpec(BENCH, test, variant, params(*widths))
            for test in [*TESTCASES, POWER_TEST] for variant, widths in VARIANTS.items()]


def override(base: dict[str, int], overrides: dict[str, int]) -> dict[str, int]:
    """Custom parameters, validated like the RTL (TAPS follows a changed STATE_W)."""
    p = {**base, **overrides}
    taps = p["TAPS"] if "TAPS" in overrides or p["STATE_W"] == base["STATE_W"] else None
    cfg = lfsr.LfsrConfig(state_w=p["STATE_W"], out_w=p["OUT_W"], taps=taps,
                          zero_subst=p["ZERO_SUBST"])
    return cfg.verilog_parameters()
