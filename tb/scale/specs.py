"""The scale stage's runnable tests: every pyuvm test class x parameter variant."""

from __future__ import annotations

from ref_model.pool_model import FIXED_M, ScaleConfig
from ref_model.source_table import SCALE_FILE
from tb.harness import Bench, TestSpec

BENCH = Bench("scale", "pezo_scale", (SCALE_FILE,), "tb.scale.test_scale")
# the fixed forms' tests: tb/scale/test_scale_forms.py (the configuration from every parameter)
FORMS_BENCH = Bench("scale", "pezo_scale", (SCALE_FILE,), "tb.scale.test_scale_forms")
# name: (LANES, NUM_W, TERMS[, SCALE_MODE, SCALE_M]); OUT_W is the minimum that cannot
# overflow. The fixed forms: m1 fixed, m2 folded (M = 111 * 2^6), p2 a folded power of two (m = v)
VARIANTS = {"l4w9t3": (4, 9, 3), "l1w13t4": (1, 13, 4),
            "l4w9m1": (4, 9, 3, 1, FIXED_M), "l4w9m2": (4, 9, 3, 2, FIXED_M),
            "l4w9p2": (4, 9, 3, 2, 1 << 13)}
TESTCASES = ["ScaleSmokeTest", "ScaleRandomTest"]
SMOKE = "scale.ScaleSmokeTest.l4w9t3"
POWER_TEST = "ScalePowerTest"  # the calibration stimulus: suite `power`, not `default`


def params(lanes: int, num_w: int, terms: int, scale_mode: int = 0,
           scale_m: int = FIXED_M) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(ScaleConfig(lanes=lanes, num_w=num_w, terms=terms,
                                    scale_mode=scale_mode, scale_m=scale_m)
                        .verilog_parameters().items()))


def bench_of(sizes: tuple[int, ...]) -> Bench:
    """The programmable variants run tb/scale/test_scale.py, the fixed forms FORMS_BENCH."""
    return FORMS_BENCH if len(sizes) > 3 and sizes[3] else BENCH


def specs() -> list[TestSpec]:
    return [TestSpec(bench_of(sizes), test, variant, params(*sizes))
            for test in [*TESTCASES, POWER_TEST] for variant, sizes in VARIANTS.items()]


def override(base: dict[str, int], overrides: dict[str, int]) -> dict[str, int]:
    """Custom parameters, validated like the RTL (OUT_W follows unless given)."""
    p = {**base, **overrides}
    if "OUT_W" not in overrides:
        del p["OUT_W"]
    return ScaleConfig.from_verilog(p).verilog_parameters()
