"""Every runnable test, by name: <bench>.<test class>.<parameter variant>.

Tests are data, so the regression runner, pytest and `pezo sim` share one list.
Each bench contributes a `tb/<bench>/specs.py` module with `specs()`, `override()`,
TESTCASES, VARIANTS and SMOKE (its quickest test), and may name DEFAULT_EXTRA, tests
outside TESTCASES x VARIANTS the default suite also runs; BENCH_MODULES lists them. A block
bench also names POWER_TEST, its calibration stimulus (tb/common/segments.py), which its
specs() registers beside TESTCASES; power_tests() lists them (suite `power`).

Every test has a gate-level twin, `gl.<bench>.<test class>.<variant>`: the same pyuvm
test and scoreboard on the design synthesized to sky130 cells (power/gate_synth.py).
"""

from __future__ import annotations

import dataclasses
import importlib

from ref_model.errors import ConfigError
from tb.harness import TestSpec

BENCH_MODULES = ["tb.lfsr.specs", "tb.pool.specs", "tb.scale.specs", "tb.array.specs",
                 "tb.gauss.specs", "tb.train.specs"]
GATE_LEVEL_PREFIX = "gl."
# Gate-level simulation is slower than RTL (every cell an instance): a longer wall-clock limit
GATE_LEVEL_TIMEOUT_FACTOR = 4.0


def gate_level_twin(spec: TestSpec) -> TestSpec:
    """The gate-level twin of an RTL test."""
    return dataclasses.replace(spec, gate_level=True,
                               timeout_s=spec.timeout_s * GATE_LEVEL_TIMEOUT_FACTOR)


BENCHES = {name.split(".")[1]: importlib.import_module(name) for name in BENCH_MODULES}
RTL_TESTS: dict[str, TestSpec] = {s.name: s for m in BENCHES.values() for s in m.specs()}
TESTS: dict[str, TestSpec] = {
    **RTL_TESTS, **{GATE_LEVEL_PREFIX + n: gate_level_twin(s) for n, s in RTL_TESTS.items()}}


def power_tests(bench: str) -> tuple[str, ...]:
    """The bench's POWER_TEST on every variant that registers it (none without one)."""
    testcase = getattr(BENCHES[bench], "POWER_TEST", None)
    return tuple(name for name, spec in RTL_TESTS.items()
                 if spec.bench.name == bench and spec.testcase == testcase)


def get(name: str) -> TestSpec:
    """The test called `name`; ConfigError naming close matches otherwise."""
    if name in TESTS:
        return TESTS[name]
    gate_level = name.startswith(GATE_LEVEL_PREFIX)
    bench = name.removeprefix(GATE_LEVEL_PREFIX).split(".")[0]
    near = [t for t in TESTS if bench in t and t.startswith(GATE_LEVEL_PREFIX) == gate_level][:6]
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
    return dataclasses.replace(spec, variant=variant, parameters=tuple(sorted(params.items())))
