"""The pool engine's runnable tests: every pyuvm test class x parameter variant."""

from __future__ import annotations

from ref_model import source_table
from ref_model.pool_model import PoolConfig
from tb.harness import Bench, TestSpec

BENCH = Bench("pool", "pezo_pool", source_table.by_name("pool").rtl_files, "tb.pool.test_pool",
              wide_params=("TAPS",))
# name: (POOL_N, LANES, NUM_W)
VARIANTS = {"n64l4": (64, 4, 9), "n30l3": (30, 3, 9), "n509l1w13": (509, 1, 13)}
TESTCASES = ["PoolSmokeTest", "PoolRandomTest", "PoolStatsTest"]
SMOKE = "pool.PoolSmokeTest.n64l4"
POWER_TEST = "PoolPowerTest"  # the calibration stimulus: suite `power`, not `default`
TAPS_32 = 0x0040_0007


def params(pool_n: int, lanes: int, num_w: int) -> tuple[tuple[str, int], ...]:
    cfg = PoolConfig(pool_n=pool_n, lanes=lanes, num_w=num_w)
    return tuple(sorted({**cfg.verilog_parameters(), "TAPS": TAPS_32}.items()))


def specs() -> list[TestSpec]:
    return [TestSpec(BENCH, test, variant, params(*sizes))
            for test in [*TESTCASES, POWER_TEST] for variant, sizes in VARIANTS.items()]


def override(base: dict[str, int], overrides: dict[str, int]) -> dict[str, int]:
    """Custom parameters, validated like the RTL (ADDR_W follows a changed POOL_N)."""
    p = {**base, **overrides}
    addr_w = p["ADDR_W"] if "ADDR_W" in overrides else None
    if p["STATE_W"] != 32 or p["TAPS"] != TAPS_32:
        from ref_model.errors import ConfigError
        raise ConfigError("the pool bench models the reference's 32-bit LFSR: "
                          "STATE_W=32, default TAPS")
    cfg = PoolConfig(pool_n=p["POOL_N"], lanes=p["LANES"], num_w=p["NUM_W"], d_w=p["D_W"],
                     r_w=p["R_W"], addr_w=addr_w, state_w=p["STATE_W"])
    return {**cfg.verilog_parameters(), "TAPS": TAPS_32}
