"""Signal groups of an RTL activity capture: the features of the power proxy (power/proxy.py).

A bit's group is (its signal's path with generate and bit indices stripped, its kind):
`gen_lane[2].u_numgen.u_lfsr.state_q[5]` and `gen_lane[0].u_numgen.u_lfsr.state_q[1]` are
one group `reg:gen_lane[*].u_numgen.u_lfsr.state_q`; the kind is "reg" for register bits
(lowRISC names: the signal ends in `_q`) and "other" for everything else (ports,
next-state and combinational nets). The bits of one signal drive the same kind of cells,
and generate copies of a block are the same cells in the netlist, so a group shares one
energy per toggle. The clock's own toggles (2 per cycle, `clk_i`/`clk`) are not counted:
what the clock costs is the model's energy per cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from power.activity import CLOCK_NAMES

KINDS = ("reg", "other")
REST = "*"  # the pattern of a kind's catch-all feature: every bit no other feature names
_GENERATE_INDEX = re.compile(r"\[\d+\]")
_BIT_INDEX = re.compile(r"(\[\d+\])+$")


def pattern_of(instance: str) -> str:
    """An instance path with its generate indices stripped: gen_lane[3].u_x -> gen_lane[*].u_x."""
    return _GENERATE_INDEX.sub("[*]", instance)


def kind_of(name: str) -> str:
    """'reg' for a register bit (the signal's name ends in _q), else 'other'."""
    signal = _BIT_INDEX.sub("", name).rsplit(".", 1)[-1]
    return "reg" if signal.endswith("_q") else "other"


def group_of(name: str) -> str:
    """The group key of one bit: '<kind>:<signal path pattern>'."""
    return f"{kind_of(name)}:{pattern_of(_BIT_INDEX.sub('', name))}"


def counted_toggles(activity) -> np.ndarray:
    """int64 (n_bits, n_windows): the toggles the model counts (the clock's rows zeroed)."""
    toggles = activity.toggles.copy()
    for row, name in enumerate(activity.names):
        if name in CLOCK_NAMES:
            toggles[row] = 0
    return toggles


def rest_feature(kind: str) -> str:
    return f"{kind}:{REST}"


@dataclass
class Groups:
    """Per-bit group keys of one activity, and the toggles per group and window."""

    keys: list[str]          # the distinct group keys, sorted
    bit_group: np.ndarray    # int64 (n_bits,): index into keys
    toggles: np.ndarray      # int64 (n_groups, n_windows)
    bits: np.ndarray         # int64 (n_groups,): bit count


def groups(activity) -> Groups:
    """Group every bit of `activity` (a power.activity.Activity) and sum its toggles."""
    per_bit = [group_of(name) for name in activity.names]
    keys, bit_group = np.unique(np.array(per_bit, dtype=str), return_inverse=True)
    toggles = np.zeros((len(keys), activity.n_windows), np.int64)
    np.add.at(toggles, bit_group, counted_toggles(activity))
    return Groups(keys.tolist(), bit_group.astype(np.int64), toggles,
                  np.bincount(bit_group, minlength=len(keys)).astype(np.int64))


def feature_index(group_keys: list[str], features: list[str]) -> np.ndarray:
    """For each group key, the feature that counts it: itself if named, else its kind's rest."""
    position = {f: i for i, f in enumerate(features)}
    out = []
    for key in group_keys:
        kind = key.split(":", 1)[0]
        out.append(position.get(key, position[rest_feature(kind)]))
    return np.array(out, dtype=np.int64)


def window_cycles(activity, clock_period_s: float) -> np.ndarray:
    """float64 (n_windows,): clock cycles per window (from the clock, else the duration)."""
    if activity.window_ncycles is not None:
        return activity.window_ncycles.astype(float)
    return np.diff(activity.window_start) / clock_period_s


def choose(samples_groups: list[Groups], max_features: int, min_share: float) -> list[str]:
    """The features of a fit: each kind's rest, plus the groups holding at least `min_share`
    of all toggles (largest first, at most `max_features` in all); small groups merge into
    their kind's rest."""
    totals: dict[str, int] = {}
    for g in samples_groups:
        for key, count in zip(g.keys, g.toggles.sum(axis=1), strict=True):
            totals[key] = totals.get(key, 0) + int(count)
    whole = sum(totals.values()) or 1
    ranked = sorted((k for k in totals if totals[k] / whole >= min_share),
                    key=lambda k: -totals[k])
    chosen = ranked[:max(0, max_features - len(KINDS))]
    return sorted(chosen) + [rest_feature(k) for k in KINDS]
