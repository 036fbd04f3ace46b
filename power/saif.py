"""SAIF (Switching Activity Interchange Format, IEEE 1801-2018 Annex I) as an `Activity`.

`read_saif(path, scope)` gives the same `power.activity.Activity` as `read_waves()` does for
VCD/FST, with one window: the whole DURATION. No maintained SAIF reader exists on PyPI (the
names there are unrelated projects), so this module parses the format itself: a backward
SAIF is a small S-expression file (header, then nested INSTANCEs with NET and PORT lists).

Per net bit the file gives times in each state and transition counts:

- T0, T1, TX, TZ, TB: time at 0, at 1, unknown, high impedance, bus contention, in units
  of TIMESCALE; they add up to DURATION.
- TC: toggle count, transitions between 0 and 1 only (a change through X is not in TC).
- TG, IG: transport and inertial glitch counts (changes that pass through X), IK an
  inertial-glitch derating factor; none of them are toggles.

So `toggles` = TC and `high_time` = T1 x TIMESCALE, with T0, TX, TZ, TB (seconds) and IG,
TG (counts) under `Activity.extra` when the file has them. OpenSTA's SAIF reader uses only
T1 (duty) and TC (density) the same way.

Verilator's `--trace-saif` (checked with 5.049) is two-state: TX = TZ = TB = 0, no IG. It
also counts a transition at the start for every bit whose first value is 1 (its bits start
from 0), so its TC is one more than the toggles of the same run's FST for those bits; its
nets include parameters, as constant signals. Bit names in the file ("q\\[3\\]", the bit's
offset from the LSB in Verilator's) are unescaped ("q[3]"), as in read_waves().
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np

from power.activity import UNITS, Activity
from ref_model.errors import ConfigError

STATES = ("T0", "T1", "TX", "TZ", "TB", "TC", "TG", "IG", "IK")
TIMES = ("T0", "T1", "TX", "TZ", "TB")
COUNTS = ("TC", "TG", "IG")
HEADER = {"SAIFVERSION", "DIRECTION", "DESIGN", "DATE", "VENDOR", "PROGRAM_NAME",
          "VERSION", "DIVIDER", "TIMESCALE", "DURATION"}
_TOKEN = re.compile(r'\s+|//[^\n]*|/\*.*?\*/|\(|\)|"(?:[^"\\]|\\.)*"|(?:[^\s()"\\]|\\.)+',
                    re.S)


def read_saif(path: str | Path, scope: str) -> Activity:
    """Activity of every net bit at or below INSTANCE `scope` ('/' or '.' separated)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"SAIF file {path} does not exist")
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", errors="strict") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise ConfigError(f"cannot read SAIF {path}: {exc}") from None
    tree = _parse(text, path)
    header, tops = _file(tree, path)
    tick = _timescale(header.get("TIMESCALE"), path)
    if "DURATION" not in header:
        raise ConfigError(f"malformed SAIF {path}: no DURATION")
    duration = _number(header["DURATION"], "DURATION", path)

    wanted = scope.strip().replace("/", ".").strip(".")
    found = None
    stack = [(node, "") for node in reversed(tops)]
    while stack and found is None:
        node, parent = stack.pop()
        name = _instance_name(node, path)
        full = f"{parent}.{name}" if parent else name
        if full == wanted:
            found = node
        stack.extend((child, full) for child in reversed(_children(node, "INSTANCE")))
    if found is None:
        names = ", ".join(_instance_name(t, path) for t in tops) or "none"
        raise ConfigError(f"scope '{scope}' not in SAIF {path}; top-level instances: {names}")

    names, inst, values = [], [], {k: [] for k in STATES}
    walk = [(found, "")]
    while walk:
        node, here = walk.pop()
        for kind in ("NET", "PORT"):
            for entry in (e for block in _children(node, kind) for e in block[1:]):
                net, states = _net(entry, path)
                names.append(f"{here}.{net}" if here else net)
                inst.append(here)
                for key in STATES:
                    values[key].append(states.get(key, 0))
        for child in reversed(_children(node, "INSTANCE")):
            child_name = _instance_name(child, path)
            walk.append((child, f"{here}.{child_name}" if here else child_name))
    if not names:
        raise ConfigError(f"scope '{scope}' in SAIF {path} holds no nets")
    instances = sorted(set(inst), key=lambda p: (p != "", p))
    index = {p: i for i, p in enumerate(instances)}
    present = {k for k in STATES if any(values[k])}
    extra = {k: np.array(values[k], np.float64) * tick for k in TIMES if k != "T1" and k in present}
    extra.update({k: np.array(values[k], np.int64) for k in ("TG", "IG") if k in present})
    return Activity(
        names=names, toggles=np.array(values["TC"], np.int64).reshape(-1, 1),
        high_time=(np.array(values["T1"], np.float64) * tick).reshape(-1, 1),
        window_start=np.array([0.0, duration * tick]),
        instance=np.array([index[p] for p in inst], np.int64), instances=instances,
        scope=wanted, source=str(path), time_unit=tick, extra=extra)


def _parse(text: str, path) -> list:
    """Nested lists of tokens (strings); ConfigError naming the line of a syntax problem."""
    root: list = []
    stack = [root]
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() != pos:
            _syntax(text, pos, "unexpected character", path)
        pos = match.end()
        token = match.group()
        if token[0].isspace() or token.startswith(("//", "/*")):
            continue
        if token == "(":
            stack[-1].append([])
            stack.append(stack[-1][-1])
        elif token == ")":
            if len(stack) == 1:
                _syntax(text, match.start(), "unbalanced ')'", path)
            stack.pop()
        else:
            stack[-1].append(token)
    if pos != len(text):
        _syntax(text, pos, "unexpected character", path)
    if len(stack) != 1:
        raise ConfigError(f"malformed SAIF {path}: {len(stack) - 1} unclosed '(' at the end")
    return root


def _syntax(text, pos, what, path):
    line = text.count("\n", 0, pos) + 1
    raise ConfigError(f"malformed SAIF {path}, line {line}: {what}")


def _file(tree: list, path):
    if len(tree) != 1 or not isinstance(tree[0], list) or not tree[0] or tree[0][0] != "SAIFILE":
        raise ConfigError(f"malformed SAIF {path}: not one (SAIFILE ...) form")
    header, tops = {}, []
    for item in tree[0][1:]:
        if not isinstance(item, list) or not item or not isinstance(item[0], str):
            raise ConfigError(f"malformed SAIF {path}: unexpected {_show(item)} in SAIFILE")
        if item[0] == "INSTANCE":
            tops.append(item)
        elif item[0] in HEADER:
            header[item[0]] = item[1:]
        else:
            raise ConfigError(f"malformed SAIF {path}: unknown header entry {item[0]}")
    if not tops:
        raise ConfigError(f"malformed SAIF {path}: no INSTANCE")
    return header, tops


def _timescale(value, path) -> float:
    if not value:
        return 1e-9  # the SAIF default unit
    match = re.fullmatch(r"(\d+(?:\.\d*)?)\s*([a-z]+)", " ".join(value).strip())
    if not match or match.group(2) not in UNITS:
        raise ConfigError(f"malformed SAIF {path}: TIMESCALE {' '.join(value)}")
    return float(match.group(1)) * UNITS[match.group(2)]


def _number(value, what, path) -> float:
    try:
        (text,) = value
        return float(text)
    except (TypeError, ValueError):
        raise ConfigError(f"malformed SAIF {path}: {what} {_show(value)} is not a number") from None


def _instance_name(node: list, path) -> str:
    """(INSTANCE name ...) or (INSTANCE "design" name ...)."""
    rest = [x for x in node[1:3] if isinstance(x, str)]
    if rest and rest[0].startswith('"'):
        rest = rest[1:]
    if not rest:
        raise ConfigError(f"malformed SAIF {path}: INSTANCE without a name")
    return _unescape(rest[0])


def _children(node: list, kind: str) -> list:
    return [x for x in node[1:] if isinstance(x, list) and x and x[0] == kind]


def _net(entry, path):
    if not isinstance(entry, list) or len(entry) < 2 or not isinstance(entry[0], str):
        raise ConfigError(f"malformed SAIF {path}: net entry {_show(entry)}")
    states = {}
    for item in entry[1:]:
        if not isinstance(item, list) or len(item) < 2 or item[0] not in STATES:
            raise ConfigError(f"malformed SAIF {path}: net {entry[0]}: {_show(item)} "
                              f"is not one of {', '.join(STATES)} with a value")
        try:
            states[item[0]] = float(item[1]) if item[0] == "IK" else int(item[1])
        except (TypeError, ValueError):
            raise ConfigError(f"malformed SAIF {path}: net {entry[0]}: {item[0]} "
                              f"{_show(item[1])} is not a number") from None
    return _unescape(entry[0]), states


def _unescape(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name)


def _show(item) -> str:
    text = repr(item)
    return text if len(text) < 60 else text[:57] + "..."
