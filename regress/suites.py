"""Regression suites as data: which tests, which seeds, which simulators."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ref_model.errors import ConfigError
from tb import registry
from tb.toolchain import DEFAULT_SIMULATORS, SIMULATORS


@dataclass(frozen=True)
class Suite:
    """Tests x seeds x simulators; or, with `parts`, the union of several such suites."""

    name: str
    description: str
    tests: tuple[str, ...] = ()
    seeds: tuple[int, ...] = (1, 2, 3)
    simulators: tuple[str, ...] = DEFAULT_SIMULATORS
    parts: tuple[Suite, ...] = ()
    # why runs of this suite capture no power unless a power option asks (None: they do)
    power_off: str | None = None
    # a suite file's master seed of its drawn seeds (regress/suite_file.py), its timeout
    master_seed: int | None = None
    timeout_s: float | None = None

    def runs(self) -> int:
        if self.parts:
            return sum(p.runs() for p in self.parts)
        return len(self.tests) * len(self.seeds) * len(self.simulators)


def _bench_tests(bench: str) -> tuple[str, ...]:
    module = registry.BENCHES[bench]
    return tuple(f"{bench}.{t}.{v}" for t in module.TESTCASES for v in module.VARIANTS) + \
        tuple(getattr(module, "DEFAULT_EXTRA", ()))


def _all_tests() -> tuple[str, ...]:
    return tuple(t for bench in registry.BENCHES for t in _bench_tests(bench))


def _default() -> Suite:
    """Every block bench 3 seeds on both simulators; the training engine, whose runs are
    long on Icarus, 3 seeds on Verilator (primary) and 1 on Icarus (cross-check); and each
    block's smoke test on gate level, 1 seed on both."""
    blocks = tuple(t for t in _all_tests() if not t.startswith("train."))
    train = tuple(t for t in _all_tests() if t.startswith("train."))
    parts = [Suite("blocks", "", blocks)]
    if train:
        parts += [Suite("train", "", train, simulators=("verilator",)),
                  Suite("train-cross-check", "", train, seeds=(1,), simulators=("icarus",))]
    parts.append(Suite("gate-level-smoke", "", _gate_level_smoke(), seeds=(1,)))
    return Suite("default", "the main job: every bench 3 seeds on Verilator and Icarus "
                 "(the training engine: 1 seed on Icarus), block smoke tests on gate level",
                 parts=tuple(parts))


# Gate level (tb/registry.py): the block benches' smoke and random tests on sky130 netlists.
GATE_LEVEL_BENCHES = ("lfsr", "pool", "scale", "array", "gauss")
GATE_LEVEL_TESTCASES = ("SmokeTest", "RandomTest")
# The cheapest variant of each block on gate level (cells, build and simulation time)
GATE_LEVEL_SMALLEST = {"lfsr": "s16w8", "pool": "n64l4", "scale": "l1w13t4", "array": "n4u8",
                       "gauss": "n3c12"}
# Left out on Icarus: 25,000 cells over 1.4 ms simulated take 11 minutes there (7 s on
# Verilator, which runs it)
GATE_LEVEL_VERILATOR_ONLY = ("gl.pool.PoolRandomTest.n509l1w13",)


def gate_level_tests(bench: str, variants=None) -> tuple[str, ...]:
    """gl.<bench>.<smoke and random test classes>.<every variant, or these>"""
    module = registry.BENCHES[bench]
    return tuple(f"gl.{bench}.{t}.{v}" for t in module.TESTCASES
                 if t.endswith(GATE_LEVEL_TESTCASES) for v in variants or module.VARIANTS)


def _gate_level_smoke() -> tuple[str, ...]:
    """Each block bench's smoke test class on its cheapest netlist."""
    return tuple(f"gl.{bench}.{registry.BENCHES[bench].SMOKE.split('.')[1]}."
                 f"{GATE_LEVEL_SMALLEST[bench]}" for bench in GATE_LEVEL_BENCHES)


def _gate_level() -> Suite:
    tests = tuple(t for bench in GATE_LEVEL_BENCHES for t in gate_level_tests(bench))
    both = tuple(t for t in tests if t not in GATE_LEVEL_VERILATOR_ONLY)
    return Suite("gate-level", "every block variant's smoke and random tests on sky130 "
                 "netlists, 1 seed, Verilator and Icarus", parts=(
                     Suite("gate-level-both", "", both, seeds=(1,)),
                     Suite("gate-level-verilator", "", GATE_LEVEL_VERILATOR_ONLY, seeds=(1,),
                           simulators=("verilator",))),
                 power_off="random tests on gates write VCDs of 100 MB and more "
                           "(gl.pool.PoolRandomTest.n64l4: 3.2x the run time)")


def _sweeps() -> dict[str, Suite]:
    """One suite per normal generator: its random test on the HDL configurations drawn
    for it (tb/gauss/specs.py), 3 seeds, both simulators."""
    gauss = registry.BENCHES.get("gauss")
    if gauss is None:
        return {}
    return {f"sweep-{s.name}": Suite(
        f"sweep-{s.name}", f"{s.name}: {gauss.SWEEP_TEST} on {gauss.SWEEP_SIZE} HDL "
        f"configurations drawn with seed {gauss.SWEEP_SEED}, 3 seeds, Verilator and Icarus",
        gauss.sweep_tests(s)) for s in gauss.swept_sources()}


SUITES = {
    "default": _default(),
    "smoke": Suite("smoke", "each block's quickest test, one seed, Verilator",
                   tuple(m.SMOKE for m in registry.BENCHES.values()), seeds=(1,),
                   simulators=("verilator",)),
    **{bench: Suite(bench, f"the {bench} bench only", _bench_tests(bench))
       for bench in registry.BENCHES},
    "gate-level": _gate_level(),
    "power": Suite("power", "the calibration stimulus (<Bench>PowerTest: segments from idle "
                   "to full rate) on every block variant, seeds 1-4, Icarus (as calibrated)",
                   tuple(t for bench in registry.BENCHES for t in registry.power_tests(bench)),
                   seeds=(1, 2, 3, 4), simulators=("icarus",)),
    **_sweeps(),
}
if "train" in registry.BENCHES:
    SUITES["train-long"] = Suite(
        "train-long", "64-16-10 on digits, 2,000 bit-exact steps per perturbation source, "
        "3 seeds, Verilator (about 10 minutes on 2 cores)",
        registry.BENCHES["train"].LONG_SUITE, seeds=(1, 2, 3), simulators=("verilator",),
        power_off="2,000-step runs of 43.5M cycles would write GBs of waves")


@dataclass(frozen=True)
class Job:
    test: str
    seed: int
    simulator: str
    timeout_s: float | None = None  # the suite's wall-clock limit (None: the test's own)


def get_suite(name: str) -> Suite:
    if name not in SUITES:
        raise ConfigError(f"unknown suite '{name}'; choose one of {', '.join(SUITES)}")
    return SUITES[name]


def draw_seeds(count: int, master_seed: int) -> tuple[int, ...]:
    """`count` distinct test seeds drawn from a master seed (recorded in the report)."""
    if count < 1:
        raise ConfigError(f"--random-seeds must be >= 1, got {count}")
    rng = random.Random(master_seed)
    return tuple(rng.sample(range(1, 2**31), count))


def expand(suite: Suite, seeds=None, simulators=None, tests=None) -> list[Job]:
    """The suite's jobs, optionally with other seeds/simulators or a test filter."""
    for sim in simulators or ():
        if sim not in SIMULATORS:
            raise ConfigError(f"unknown simulator '{sim}'; choose from {', '.join(SIMULATORS)}")
    for seed in seeds or ():
        if seed < 0 or seed >= 2**32:
            raise ConfigError(f"seed {seed} out of range: need 0 <= seed < 2^32")
    if suite.parts:
        jobs = []
        for part in suite.parts:
            try:
                jobs += expand(part, seeds, simulators, tests)
            except ConfigError:
                if not tests:
                    raise
        if not jobs:
            raise ConfigError(f"no test of suite '{suite.name}' matches {', '.join(tests)}")
        return list(dict.fromkeys(jobs))
    seeds = tuple(seeds or suite.seeds)
    simulators = tuple(simulators or suite.simulators)
    names = [t for t in suite.tests if not tests or any(f in t for f in tests)]
    if not names:
        raise ConfigError(f"no test of suite '{suite.name}' matches {', '.join(tests)}")
    for name in names:
        registry.get(name)
    return [Job(t, s, sim, suite.timeout_s) for sim in simulators for t in names for s in seeds]
