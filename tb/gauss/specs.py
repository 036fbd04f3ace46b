"""The Gaussian baselines' runnable tests: every pyuvm test class x parameter variant.

The variants are ref_model/source_table.py's Gaussian array sources (every `normal`
one, e.g. the inverse CDF) and its bench-only generators (CLT K = 12).

Every normal source also has a configuration sweep: SWEEP_SIZE HDL configurations drawn
from its legal space (the RTL's checks, through ArrayConfig) with SWEEP_SEED, named
`<variant>_s<NN>`; GaussRandomTest runs on each (suite `sweep-<source>`)."""

from __future__ import annotations

import itertools
import random

from ref_model import source_table
from ref_model.array_model import ArrayConfig
from ref_model.errors import ConfigError
from tb.array.specs import SOURCES, bench_variants, override, params
from tb.harness import Bench, TestSpec

BENCH = Bench("gauss", "pezo_rng_array", SOURCES, "tb.gauss.test_gauss",
              wide_params=("TAPS", "ZERO_SUBST"))
VARIANTS = bench_variants(BENCH.name)
TESTCASES = ["GaussSmokeTest", "GaussRandomTest", "GaussStatsTest"]
SMOKE = "gauss.GaussSmokeTest.n3icdf"
POWER_TEST = "GaussPowerTest"  # the calibration stimulus: suite `power`, not `default`
SWEEP_TEST = "GaussRandomTest"
SWEEP_SIZE = 20
SWEEP_SEED = 20261201
# the space a sweep draws from; the generator's own checks keep what is legal
SWEEP_SPACE = {"lanes": range(1, 9), "w": range(2, 17), "k": range(1, 5),
               "state_w": (32, 48, 64)}

__all__ = ["BENCH", "VARIANTS", "TESTCASES", "SMOKE", "POWER_TEST", "specs", "override",
           "sweep_variants"]


def _legal(source: source_table.PerturbationSource) -> list[ArrayConfig]:
    configs = []
    for lanes, w, k, state_w in itertools.product(*SWEEP_SPACE.values()):
        try:
            configs.append(ArrayConfig(lanes=lanes, dist=source.dist, w=w, k=k, state_w=state_w))
        except ConfigError:
            continue
    return configs


def sweep_variants(source: source_table.PerturbationSource) -> dict[str, ArrayConfig]:
    """SWEEP_SIZE distinct legal configurations of `source`'s generator, drawn with
    SWEEP_SEED and the source's name (the same on every machine)."""
    legal = _legal(source)
    chosen = random.Random(f"{SWEEP_SEED}:{source.name}").sample(legal,
                                                                 min(SWEEP_SIZE, len(legal)))
    return {f"{source.variant}_s{i:02d}": cfg for i, cfg in enumerate(chosen)}


def swept_sources() -> tuple[source_table.PerturbationSource, ...]:
    return tuple(s for s in source_table.bench_sources(BENCH.name) if s.normal)


def sweep_tests(source: source_table.PerturbationSource) -> tuple[str, ...]:
    return tuple(f"{BENCH.name}.{SWEEP_TEST}.{v}" for v in sweep_variants(source))


def specs() -> list[TestSpec]:
    fixed = [TestSpec(BENCH, test, variant, params(cfg))
             for test in [*TESTCASES, POWER_TEST] for variant, cfg in VARIANTS.items()]
    swept = [TestSpec(BENCH, SWEEP_TEST, variant, params(cfg))
             for source in swept_sources() for variant, cfg in sweep_variants(source).items()]
    return fixed + swept
