"""The scale stage's runnable tests: every pyuvm test class x parameter variant."""

from __future__ import annotations

from ref_model.pool_model import ScaleConfig
from ref_model.source_table import SCALE_FILE
from tb.harness import Bench, TestSpec

BENCH = Bench("scale", "pezo_scale", (SCALE_FILE,), "tb.scale.test_scale")
# name: (LANES, NUM_W, TERMS); OUT_W is the minimum that cannot overflow
VARIANTS = {"l4w9t3": (4, 9, 3), "l1w13t4": (1, 13, 4)}
TESTCASES = ["ScaleSmokeTest", "ScaleRandomTest"]
SMOKE = "scale.ScaleSmokeTest.l4w9t3"


def params(lanes: int, num_w: int, terms: int) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(ScaleConfig(lanes=lanes, num_w=num_w, terms=terms)
                        .verilog_parameters().items()))


def specs() -> list[TestSpec]:
    return [TestSpec(BENCH, test, variant, params(*sizes))
            for test in TESTCASES for variant, sizes in VARIANTS.items()]


def override(base: dict[str, int], overrides: dict[str, int]) -> dict[str, int]:
    """Custom parameters, validated like the RTL (OUT_W follows unless given)."""
    p = {**base, **overrides}
    out_w = p["OUT_W"] if "OUT_W" in overrides else None
    return ScaleConfig(lanes=p["LANES"], num_w=p["NUM_W"], terms=p["TERMS"],
                       shift_max=p["SHIFT_MAX"], out_w=out_w).verilog_parameters()
