"""Regression suites as data: which tests, which seeds, which simulators. The built-in
suites are TOML files in regress/suite_files/ (regress/suite_file.py reads them and a
user's), their test lists named groups of the benches' specs (`@<group>`, test_group)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
    # its Verilator runs of RTL record code coverage (tb/code_coverage.py); a composite's
    # flag covers every part
    code_coverage: bool = False

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


def _gate_level_both() -> tuple[str, ...]:
    tests = tuple(t for bench in GATE_LEVEL_BENCHES for t in gate_level_tests(bench))
    return tuple(t for t in tests if t not in GATE_LEVEL_VERILATOR_ONLY)


def _sweep(source: str) -> tuple[str, ...]:
    gauss = registry.BENCHES["gauss"]
    for s in gauss.swept_sources():
        if s.name == source:
            return gauss.sweep_tests(s)
    raise ConfigError(f"no configuration sweep of source '{source}'")


def _groups() -> dict[str, object]:
    """Test lists a suite file names as `@<group>` (the built-in suites are such files):
    each a function of the benches' specs, so a new variant joins its suites by itself."""
    groups = {
        "blocks": lambda: tuple(t for t in _all_tests() if not t.startswith("train.")),
        "train": lambda: tuple(t for t in _all_tests() if t.startswith("train.")),
        "smoke": lambda: tuple(m.SMOKE for m in registry.BENCHES.values()),
        "gate-level-smoke": _gate_level_smoke,
        "gate-level-both": _gate_level_both,
        "gate-level-verilator-only": lambda: GATE_LEVEL_VERILATOR_ONLY,
        "power": lambda: tuple(t for b in registry.BENCHES for t in registry.power_tests(b)),
        "train-long": lambda: registry.BENCHES["train"].LONG_SUITE,
    }
    groups |= {f"bench:{b}": (lambda b=b: _bench_tests(b)) for b in registry.BENCHES}
    groups |= {f"sweep:{s.name}": (lambda n=s.name: _sweep(n))
               for s in registry.BENCHES["gauss"].swept_sources()}
    return groups


def test_group(name: str) -> tuple[str, ...]:
    """The tests of group `name` (without its @); ConfigError naming the known ones."""
    groups = _groups()
    if name not in groups:
        raise ConfigError(f"unknown test group '@{name}' (known: "
                          f"{', '.join('@' + g for g in groups)})")
    return tuple(groups[name]())


BUILTIN_DIR = Path(__file__).with_name("suite_files")


@cache
def builtin() -> dict[str, Suite]:
    """The built-in suites: regress/suite_files/<name>.toml, the default first."""
    from regress import suite_file
    paths = sorted(BUILTIN_DIR.glob("*.toml"), key=lambda p: (p.stem != "default", p.stem))
    return {p.stem: suite_file.load(p) for p in paths if not p.stem.startswith("_")}


@dataclass(frozen=True)
class Job:
    test: str
    seed: int
    simulator: str
    timeout_s: float | None = None  # the suite's wall-clock limit (None: the test's own)
    code_coverage: bool = False     # a coverage build, coverage.dat kept (where it applies)


def get_suite(name: str) -> Suite:
    suites = builtin()
    if name not in suites:
        raise ConfigError(f"unknown suite '{name}'; choose one of {', '.join(suites)}")
    return suites[name]


def draw_seeds(count: int, master_seed: int) -> tuple[int, ...]:
    """`count` distinct test seeds drawn from a master seed (recorded in the report)."""
    if count < 1:
        raise ConfigError(f"--random-seeds must be >= 1, got {count}")
    rng = random.Random(master_seed)
    return tuple(rng.sample(range(1, 2**31), count))


def expand(suite: Suite, seeds=None, simulators=None, tests=None,
           code_coverage: bool = False) -> list[Job]:
    """The suite's jobs, optionally with other seeds/simulators or a test filter;
    code_coverage: on for every job (else as the suite says)."""
    code_coverage = code_coverage or suite.code_coverage
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
                jobs += expand(part, seeds, simulators, tests, code_coverage)
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
    return [Job(t, s, sim, suite.timeout_s, code_coverage)
            for sim in simulators for t in names for s in seeds]
