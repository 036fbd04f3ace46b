"""Activity of every net of a netlist: from waves or SAIF, or one global figure.

From an `Activity` (power/activity.py), a net takes the first of its names found in
the waves. As in OpenSTA: density = transitions / window length, where a change to or
from X or Z counts half a transition; duty = time at 1 / window length. Clock-network
nets take the clock's own activity (2 transitions per period, duty 1/2), whatever the
waves say, and the constant nets none. A net the waves lack has no activity and is
listed as unannotated in the result.
"""

from __future__ import annotations

import numpy as np

from power.activity import Activity
from power.engine import NetActivity
from power.netlist import CONST0, CONST1, Netlist
from ref_model.errors import ConfigError

X_TRANSITION_WEIGHT = 0.5  # OpenSTA's VCD reader: X<->0/1 counts half a transition


def from_activity(netlist: Netlist, activity: Activity, clock_nets: set[int],
                  clock_period: float) -> NetActivity:
    rows = _rows(netlist, activity)
    found = rows >= 0
    if not found[2:].any():
        sample = ", ".join(activity.names[:5])
        raise ConfigError(f"no net of {netlist.top} is in the activity of scope "
                          f"'{activity.scope}' ({activity.source}; it has {sample}, ...): "
                          "is the scope the netlist's instance?")
    lengths = np.diff(activity.window_start)
    if (lengths <= 0).any():
        raise ConfigError(f"activity {activity.source} has an empty window")
    toggles = activity.toggles.astype(float)
    x_toggles = activity.extra.get("x_toggles")
    if x_toggles is not None:
        toggles = toggles + X_TRANSITION_WEIGHT * x_toggles
    n_win = len(lengths)
    density = np.zeros((netlist.n_nets, n_win))
    duty = np.full((netlist.n_nets, n_win), 0.5)
    density[found] = toggles[rows[found]] / lengths
    duty[found] = activity.high_time[rows[found]] / lengths
    _clock_and_constants(density, duty, clock_nets, clock_period)
    return NetActivity(density, duty, activity.window_start, found, activity.source)


def global_activity(netlist: Netlist, per_period: float, duty: float, clock_nets: set[int],
                    clock_period: float) -> NetActivity:
    """Every net `per_period` transitions per clock period at `duty` (set_power_activity
    -global), the clock nets 2 per period; one window of one period."""
    if per_period < 0 or not 0 <= duty <= 1:
        raise ConfigError(f"global activity needs activity >= 0 and 0 <= duty <= 1, "
                          f"got {per_period} and {duty}")
    density = np.full((netlist.n_nets, 1), per_period / clock_period)
    duties = np.full((netlist.n_nets, 1), float(duty))
    _clock_and_constants(density, duties, clock_nets, clock_period)
    return NetActivity(density, duties, np.array([0.0, clock_period]),
                       np.ones(netlist.n_nets, dtype=bool), f"global {per_period}/{duty}")


def _rows(netlist: Netlist, activity: Activity) -> np.ndarray:
    index = {_normal(name): row for row, name in enumerate(activity.names)}
    rows = np.full(netlist.n_nets, -1, dtype=np.int64)
    for net, names in enumerate(netlist.net_names):
        for name in names:
            row = index.get(_normal(name))
            if row is not None:
                rows[net] = row
                break
    return rows


def _normal(name: str) -> str:
    """Escaped identifiers compare without their backslash and trailing blank."""
    return name.replace("\\", "").replace(" ", "")


def _clock_and_constants(density, duty, clock_nets, clock_period) -> None:
    clocks = np.array(sorted(clock_nets), dtype=np.int64)
    density[clocks] = 2.0 / clock_period
    duty[clocks] = 0.5
    density[[CONST0, CONST1]] = 0.0
    duty[CONST0], duty[CONST1] = 0.0, 1.0
