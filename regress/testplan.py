"""Testplans as data, one per bench: tb/<bench>/testplan.toml (OpenTitan's testplan
Hjson, in TOML as the suite files).

    doc = "docs/lfsr.md"          # the Markdown its test plan section is generated into

    [[entry]]                     # one verification intent the regression closes
    name = "reseed_mid_stream"
    stimulus = "what the sequences drive"
    checks = "what the scoreboard (and the test) checks"
    tests = ["lfsr.LfsrRandomTest.*"]   # registered test names or fnmatch patterns
    coverage = ["control.reseed_mid_stream", "seed.*"]  # <group>.<bin> or patterns
    suite = "default"             # the built-in suite that runs it (default: default)

    [[check]]                     # checked by pytest, outside a regression run
    name = "mutant_feedback_tap"
    stimulus = "..."
    checks = "..."
    pytest = ["tests/test_mutation.py::test_mutant_is_caught"]

Every key is checked: an unknown or missing key, a test pattern that matches no registered
test of the bench, a coverage point the bench's collector does not declare, an unknown
suite or pytest test is one ConfigError naming the file, the entry and the problem.
regress/testplan_status.py maps a run onto the plans, regress/testplan_doc.py writes docs.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ref_model.errors import ConfigError
from tb import registry

ROOT = Path(__file__).resolve().parents[1]
PLAN_KEYS = ("doc", "entry", "check")
ENTRY_KEYS = ("name", "stimulus", "checks", "tests", "coverage", "suite")
CHECK_KEYS = ("name", "stimulus", "checks", "pytest")
TEXT = ("name", "stimulus", "checks")
NAME = re.compile(r"[a-z][a-z0-9_]*$")
DEFAULT_SUITE = "default"


@dataclass(frozen=True)
class Intent:
    """What a plan row says: its name, the stimulus and what is checked."""

    name: str
    stimulus: str
    checks: str


@dataclass(frozen=True)
class Entry(Intent):
    """A verification intent: closed when its tests pass and its coverage points are hit."""

    tests: tuple[str, ...] = ()
    coverage: tuple[str, ...] = ()
    suite: str = DEFAULT_SUITE

    def covers(self, test: str) -> bool:
        return any(fnmatch.fnmatchcase(test, p) for p in self.tests)


@dataclass(frozen=True)
class Check(Intent):
    """An intent checked by pytest tests (models, elaboration checks, mutants)."""

    pytest: tuple[str, ...] = ()


@dataclass(frozen=True)
class Testplan:
    bench: str
    path: Path
    doc: Path
    entries: tuple[Entry, ...]
    checks: tuple[Check, ...]

    @property
    def file(self) -> str:
        return shown(self.path)


def path_of(bench: str) -> Path:
    return ROOT / "tb" / bench / "testplan.toml"


def load_all() -> dict[str, Testplan]:
    """Every bench's plan; ConfigError if one is missing or invalid."""
    return {bench: load(bench) for bench in registry.BENCHES}


def load(bench: str, path: Path | None = None) -> Testplan:
    path = Path(path or path_of(bench))
    where = shown(path)
    if not path.is_file():
        raise ConfigError(f"{where}: no testplan for bench '{bench}'")
    try:
        doc = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    _keys(doc, PLAN_KEYS, ("doc",), where)
    entries = tuple(_entry(bench, item, f"{where}: entry[{i}]")
                    for i, item in enumerate(_tables(doc, "entry", where)))
    checks = tuple(_check(item, f"{where}: check[{i}]")
                   for i, item in enumerate(_tables(doc, "check", where)))
    if not entries:
        raise ConfigError(f"{where}: empty testplan: no [[entry]]")
    _unique([e.name for e in entries] + [c.name for c in checks], where)
    return Testplan(bench, path, _doc(doc["doc"], where), entries, checks)


@cache
def coverage_points(bench: str) -> frozenset[str]:
    """`<group>.<bin>` of every bin the bench's collector declares on any registered
    variant (tb/<bench>/coverage.py declared_bins)."""
    module = importlib.import_module(f"tb.{bench}.coverage")
    return frozenset(f"{group}.{name}" for spec in registry.RTL_TESTS.values()
                     if spec.bench.name == bench
                     for group, bins in module.declared_bins(spec.params).items()
                     for name in bins)


def bench_tests(bench: str) -> tuple[str, ...]:
    """The registered tests of `bench`, RTL and gate level."""
    return tuple(name for name, spec in registry.TESTS.items() if spec.bench.name == bench)


def shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _keys(table: dict, known: tuple[str, ...], required: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(known)})")
    missing = [k for k in required if k not in table]
    if missing:
        raise ConfigError(f"{where}: missing key '{missing[0]}'")


def _tables(doc: dict, key: str, where: str) -> list[dict]:
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"{where}: '{key}' must be an array of tables ([[{key}]])")
    return items


def _text(table: dict, key: str, where: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _strings(table: dict, key: str, where: str, required: bool) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings")
    if required and not value:
        raise ConfigError(f"{where}: '{key}' is empty")
    return tuple(value)


def _named(table: dict, keys: tuple[str, ...], required: tuple[str, ...], where: str) -> str:
    """Check the table's keys and texts; its where-prefix with the entry's name."""
    _keys(table, keys, required, where)
    for key in TEXT:
        _text(table, key, where)
    name = table["name"].strip()
    if not NAME.match(name):
        raise ConfigError(f"{where}: name '{name}' must be lower_snake_case")
    return f"{where} '{name}'"


def _entry(bench: str, table: dict, where: str) -> Entry:
    where = _named(table, ENTRY_KEYS, ("name", "stimulus", "checks", "tests"), where)
    tests = _strings(table, "tests", where, required=True)
    known = bench_tests(bench)
    for pattern in tests:
        if not any(fnmatch.fnmatchcase(t, pattern) for t in known):
            raise ConfigError(f"{where}: test '{pattern}' matches no test of bench '{bench}' "
                              "(`pezo list` shows all)")
    coverage = _strings(table, "coverage", where, required=False)
    points = coverage_points(bench)
    for pattern in coverage:
        if not fnmatch.filter(points, pattern):
            raise ConfigError(f"{where}: coverage point '{pattern}' is not declared by "
                              f"tb/{bench}/coverage.py (points are <group>.<bin>)")
    suite = _text(table, "suite", where) if "suite" in table else DEFAULT_SUITE
    entry = Entry(table["name"].strip(), _text(table, "stimulus", where),
                  _text(table, "checks", where), tests, coverage, suite)
    _in_suite(entry, where)
    return entry


def _in_suite(entry: Entry, where: str) -> None:
    """The entry's suite must exist and run tests of each of its patterns (so no entry is
    left not covered by its suite for lack of tests)."""
    from regress import suites
    if entry.suite not in suites.builtin():
        raise ConfigError(f"{where}: unknown suite '{entry.suite}' "
                          f"(choose one of {', '.join(suites.builtin())})")
    for pattern in entry.tests:
        if not fnmatch.filter(suite_tests(entry.suite), pattern):
            raise ConfigError(f"{where}: test '{pattern}': suite '{entry.suite}' runs none "
                              "of its tests (name the suite that does: suite = \"...\")")


@cache
def suite_tests(name: str) -> frozenset[str]:
    """The tests a built-in suite runs."""
    from regress import suites
    return frozenset(job.test for job in suites.expand(suites.get_suite(name)))


def _check(table: dict, where: str) -> Check:
    where = _named(table, CHECK_KEYS, CHECK_KEYS, where)
    nodes = _strings(table, "pytest", where, required=True)
    for node in nodes:
        _pytest_node(node, where)
    return Check(table["name"].strip(), _text(table, "stimulus", where),
                 _text(table, "checks", where), nodes)


def _pytest_node(node: str, where: str) -> None:
    """`tests/<file>.py` or `tests/<file>.py::<test function>`, both existing."""
    file, _, function = node.partition("::")
    path = ROOT / file
    if not file.startswith("tests/") or not file.endswith(".py") or not path.is_file():
        raise ConfigError(f"{where}: pytest '{node}': no test file {file} under tests/")
    if function:
        names = {n.name for n in ast.parse(path.read_text()).body
                 if isinstance(n, ast.FunctionDef)}
        if function not in names:
            raise ConfigError(f"{where}: pytest '{node}': {file} has no test {function}")


def _unique(names: list[str], where: str) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise ConfigError(f"{where}: two entries named '{name}'")
        seen.add(name)


def _doc(value, where: str) -> Path:
    if not isinstance(value, str) or not (ROOT / value).is_file() or not value.endswith(".md"):
        raise ConfigError(f"{where}: doc '{value}' is not a Markdown file of the repository")
    return ROOT / value
