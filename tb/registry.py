"""Every runnable test, by name: <bench>.<test class>.<parameter variant>.

Tests are data, so the regression runner, pytest and `pezo sim` share one list.
"""

from __future__ import annotations

from ref_model import lfsr
from ref_model.errors import ConfigError
from tb.harness import Bench, TestSpec

LFSR = Bench("lfsr", "pezo_lfsr", ("rtl/pezo_lfsr.v",), "tb.lfsr.test_lfsr",
             wide_params=("TAPS", "ZERO_SUBST"))


def lfsr_params(state_w: int, out_w: int) -> tuple[tuple[str, int], ...]:
    cfg = lfsr.LfsrConfig(state_w=state_w, out_w=out_w)
    return tuple(sorted(cfg.verilog_parameters().items()))


LFSR_VARIANTS = {"s32w16": (32, 16), "s16w8": (16, 8), "s64w32": (64, 32)}
LFSR_TESTS = ["LfsrSmokeTest", "LfsrRandomTest", "LfsrStallTest", "LfsrStatsTest"]


def _build() -> dict[str, TestSpec]:
    specs = [TestSpec(LFSR, test, variant, lfsr_params(*widths))
             for test in LFSR_TESTS for variant, widths in LFSR_VARIANTS.items()]
    return {spec.name: spec for spec in specs}


TESTS: dict[str, TestSpec] = _build()


def _lfsr_overrides(base: dict[str, int], overrides: dict[str, int]) -> dict[str, int]:
    params = {**base, **overrides}
    taps = params["TAPS"] if "TAPS" in overrides or params["STATE_W"] == base["STATE_W"] else None
    cfg = lfsr.LfsrConfig(state_w=params["STATE_W"], out_w=params["OUT_W"], taps=taps,
                          zero_subst=params["ZERO_SUBST"])
    return cfg.verilog_parameters()


OVERRIDERS = {"lfsr": _lfsr_overrides}


def with_params(spec: TestSpec, overrides: dict[str, int]) -> TestSpec:
    """The same test on a custom HDL configuration, validated like the RTL's checks."""
    unknown = sorted(set(overrides) - set(spec.params))
    if unknown:
        raise ConfigError(f"unknown parameter(s) {', '.join(unknown)} for {spec.bench.name}; "
                          f"known: {', '.join(sorted(spec.params))}")
    params = OVERRIDERS[spec.bench.name](spec.params, overrides)
    variant = "custom-" + "-".join(f"{k}={overrides[k]}" for k in sorted(overrides))
    return TestSpec(spec.bench, spec.testcase, variant, tuple(sorted(params.items())),
                    spec.timeout_s)


def get(name: str) -> TestSpec:
    """The test called `name`; ConfigError naming the close matches otherwise."""
    if name in TESTS:
        return TESTS[name]
    near = [t for t in TESTS if name in t] or sorted(TESTS)[:8]
    raise ConfigError(f"unknown test '{name}'; did you mean: {', '.join(near[:8])} "
                      "(`pezo list` shows all)")
