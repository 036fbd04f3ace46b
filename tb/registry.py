"""Every runnable test, by name: <bench>.<test class>.<parameter variant>.

Tests are data, so the regression runner, pytest and `pezo sim` share one list.
Each bench contributes a `tb/<bench>/specs.py` module with `specs()`, `override()`,
TESTCASES, VARIANTS and SMOKE (its quickest test); BENCH_MODULES lists them.
"""

from __future__ import annotations

import importlib

from ref_model.errors import ConfigError
from tb.harness import TestSpec

BENCH_MODULES = ["tb.lfsr.specs", "tb.pool.specs", "tb.scale.specs", "tb.array.specs", "tb.gauss.specs", "tb.train.specs"]

BENCHES = {name.split(".")[1]: importlib.import_module(name) for name in BENCH_MODULES}
TESTS: dict[str, TestSpec] = {s.name: s for m in BENCHES.values() for s in m.specs()}


def get(name: str) -> TestSpec:
    """The test called `name`; ConfigError naming close matches otherwise."""
    if name in TESTS:
        return TESTS[name]
    near = [t for t in TESTS if name.split(".")[0] in t][:6]
    hint = f"; did you mean: {', '.join(near)}" if near else ""
    raise ConfigError(f"unknown test '{name}'{hint} (`pezo list` shows all)")


def with_params(spec: TestSpec, overrides: dict[str, int]) -> TestSpec:
    """The same test on a custom HDL configuration, validated like the RTL's checks."""
    unknown = sorted(set(overrides) - set(spec.params))
    if unknown:
        raise ConfigError(f"unknown parameter(s) {', '.join(unknown)} for {spec.bench.name}; "
                          f"known: {', '.join(sorted(spec.params))}")
    params = BENCHES[spec.bench.name].override(spec.params, overrides)
    variant = "custom-" + "-".join(f"{k}={overrides[k]}" for k in sorted(overrides))
    return TestSpec(spec.bench, spec.testcase, variant, tuple(sorted(params.items())),
                    spec.timeout_s)
