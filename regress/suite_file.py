"""Regression suites as user files (TOML), in the spirit of OpenTitan's regression lists.

    name = "nightly"                  # default: the file's stem
    description = "what it is for"
    tests = ["lfsr.LfsrSmokeTest.s32w16", "pool.*", "@smoke"]  # names, patterns, groups
    seeds = [1, 2, 3]                 # or: random_seeds = 20 (and master_seed = 7)
    simulators = ["verilator", "icarus"]
    timeout_s = 600                   # wall-clock limit of every test of this file
    include = ["smoke", "other.toml"] # built-in suites or files (relative to this one)
    power_off = "why"                 # runs capture no power unless an option asks
    code_coverage = true              # Verilator runs of RTL record code coverage

`@<group>` is a named test list of regress/suites.py (test_group: `@bench:lfsr`, `@smoke`,
...); the built-in suites in regress/suite_files/ are such files.

Every key is checked; a bad one is one ConfigError line naming the file, the key (and the
item) and the problem; a TOML syntax error names the line. Nothing runs before the whole
file (and every include) is valid.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from ref_model.errors import ConfigError
from regress import suites
from tb import registry
from tb.toolchain import DEFAULT_SIMULATORS, SIMULATORS

DEFAULT_MASTER_SEED = 2026  # as pezo regress --master-seed
KEYS = ("name", "description", "tests", "seeds", "random_seeds", "master_seed", "simulators",
        "timeout_s", "include", "power_off", "code_coverage")


def load(path: Path, _chain: tuple[Path, ...] = ()) -> suites.Suite:
    """The suite a file describes, its includes resolved (ConfigError on any problem)."""
    path = Path(path)
    real = path.resolve()
    if real in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, real))
        raise ConfigError(f"{_chain[-1]}: include cycle {cycle}")
    doc = _parse(path)
    where = str(path)
    unknown = sorted(set(doc) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(KEYS)})")
    name = _text(doc, "name", where, path.stem)
    parts = tuple(_include(item, path, (*_chain, real), f"{where}: include[{i}]")
                  for i, item in enumerate(_list(doc, "include", str, where)))
    tests = _tests(doc, where)
    seeds, master = _seeds(doc, where)
    sims = tuple(_simulators(doc, where))
    timeout = _timeout(doc, where)
    coverage = _flag(doc, "code_coverage", where)
    if not tests and not parts:
        raise ConfigError(f"{where}: empty suite: no tests and no include")
    own = suites.Suite(name, "", tests, seeds or suites.Suite.seeds, sims or DEFAULT_SIMULATORS,
                       timeout_s=timeout, code_coverage=coverage) if tests else None
    description = _text(doc, "description", where, f"suite file {path}")
    power_off = _text(doc, "power_off", where, "-") if "power_off" in doc else None
    if not parts:
        return suites.Suite(name, description, own.tests, own.seeds, own.simulators,
                            power_off=power_off, master_seed=master, timeout_s=timeout,
                            code_coverage=coverage)
    return suites.Suite(name, description, parts=(*parts, *((own,) if own else ())),
                        power_off=power_off, master_seed=master, code_coverage=coverage)


def _parse(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"suite file {path} not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not TOML: {exc}") from None


def _include(item: str, path: Path, chain: tuple[Path, ...], where: str) -> suites.Suite:
    if item.endswith(".toml"):
        target = path.parent / item
        if not target.is_file():
            raise ConfigError(f"{where} '{item}': no such file ({target})")
        return load(target, chain)
    builtin = suites.builtin()
    if item not in builtin:
        raise ConfigError(f"{where} '{item}': neither a .toml file nor a built-in suite "
                          f"({', '.join(builtin)})")
    return builtin[item]


def _text(doc: dict, key: str, where: str, default: str) -> str:
    value = doc.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: key '{key}' must be a non-empty string, got {value!r}")
    return value


def _flag(doc: dict, key: str, where: str) -> bool:
    value = doc.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: key '{key}' must be true or false, got {value!r}")
    return value


def _list(doc: dict, key: str, kind: type, where: str) -> list:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{where}: key '{key}' must be a list, got {value!r}")
    for i, item in enumerate(value):
        if not isinstance(item, kind) or isinstance(item, bool):
            raise ConfigError(f"{where}: {key}[{i}] must be {kind.__name__}, got {item!r}")
    return value


def _tests(doc: dict, where: str) -> tuple[str, ...]:
    """Exact names (must exist) and patterns (must match something), in file order."""
    out: list[str] = []
    for i, item in enumerate(_list(doc, "tests", str, where)):
        if item.startswith("@"):
            try:
                out += suites.test_group(item[1:])
            except ConfigError as exc:
                raise ConfigError(f"{where}: tests[{i}]: {exc}") from None
        elif any(c in item for c in "*?["):
            matched = [t for t in registry.TESTS if fnmatch.fnmatchcase(t, item)]
            if not matched:
                raise ConfigError(f"{where}: tests[{i}] '{item}': the pattern matches no test")
            out += matched
        elif item in registry.TESTS:
            out.append(item)
        else:
            try:
                registry.get(item)
            except ConfigError as exc:
                raise ConfigError(f"{where}: tests[{i}]: {exc}") from None
    return tuple(dict.fromkeys(out))


def _seeds(doc: dict, where: str) -> tuple[tuple[int, ...], int | None]:
    """(seeds, the master seed they were drawn from if drawn): random_seeds = N draws N
    seeds from master_seed (default DEFAULT_MASTER_SEED) for this file's own tests."""
    seeds = _list(doc, "seeds", int, where)
    for i, s in enumerate(seeds):
        if not 0 <= s < 2**32:
            raise ConfigError(f"{where}: seeds[{i}] = {s} out of range: need 0 <= seed < 2^32")
    count, master = doc.get("random_seeds"), doc.get("master_seed")
    for key, value in (("random_seeds", count), ("master_seed", master)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ConfigError(f"{where}: key '{key}' must be an integer, got {value!r}")
    if count is not None and seeds:
        raise ConfigError(f"{where}: seeds and random_seeds: give one of them")
    if count is not None and count < 1:
        raise ConfigError(f"{where}: random_seeds must be >= 1, got {count}")
    if master is not None and count is None:
        raise ConfigError(f"{where}: master_seed without random_seeds")
    if count is None:
        return tuple(seeds), None
    master = DEFAULT_MASTER_SEED if master is None else master
    return suites.draw_seeds(count, master), master


def _simulators(doc: dict, where: str) -> list[str]:
    sims = _list(doc, "simulators", str, where)
    for i, sim in enumerate(sims):
        if sim not in SIMULATORS:
            raise ConfigError(f"{where}: simulators[{i}] '{sim}': unknown simulator; choose "
                              f"from {', '.join(SIMULATORS)}")
    return sims


def _timeout(doc: dict, where: str) -> float | None:
    value = doc.get("timeout_s")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigError(f"{where}: key 'timeout_s' must be a number > 0, got {value!r}")
    return float(value)
