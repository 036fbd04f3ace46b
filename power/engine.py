"""Gate-level power from a netlist, a liberty and activity: internal, switching, leakage.

The rules are upstream OpenSTA's `report_power` (docs/power.md has them with the
sources), evaluated per instance and per window, vectorised over the instances of one
cell type:

- internal, output pins: each internal_power group with a related pin R gives the mean
  of its rise and fall energy at (slew of R, output load); the groups of an output are
  weighted by density(R) x P(the output is sensitive to R), normalised, and the sum is
  multiplied by the output's transition density.
- internal, input pins (a flop's CLK, gate inputs): the mean energy at the pin's own
  slew times the pin's density (times P(when) if the group has a condition).
- switching: 1/2 C V^2 x density on every net a cell output drives (nets driven by
  top-level inputs belong to no instance).
- leakage: sum of leakage_power x P(when), plus cell_leakage_power x (1 - sum P(when)).

Groups: clock when every output of the instance is in the clock network, then
sequential (cells with ff/latch), then combinational.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from power.electrical import Electrical
from power.liberty import Cell, Library
from power.netlist import CONST0, Netlist
from power.probability import pins_of, probability, sensitivity

GROUPS = ("sequential", "combinational", "clock", "macro", "pad")


@dataclass
class NetActivity:
    """Transition density and duty of every net, per window."""

    density: np.ndarray        # (n_nets, n_windows) transitions per second
    duty: np.ndarray           # (n_nets, n_windows) fraction of the window at 1
    window_start: np.ndarray   # (n_windows + 1,) s
    annotated: np.ndarray      # (n_nets,) bool: the activity source knows the net
    source: str = ""


@dataclass
class PowerResult:
    design: str
    source: str
    setup: dict
    instances: list[str]
    cell_types: list[str]
    groups: list[str]
    hierarchy: list[str]
    internal: np.ndarray       # (n_instances, n_windows) W
    switching: np.ndarray
    leakage: np.ndarray
    window_start: np.ndarray
    annotated_nets: int = 0
    unannotated: list[str] = field(default_factory=list)
    blackboxes: Counter = field(default_factory=Counter)

    def _weights(self) -> np.ndarray:
        durations = np.diff(self.window_start)
        return durations / durations.sum()

    def _whole(self, values: np.ndarray) -> np.ndarray:
        """Per instance over the whole run: windows weighted by their duration."""
        return values @ self._weights()

    def per_instance_total(self) -> np.ndarray:
        return self._whole(self.internal + self.switching + self.leakage)

    def _sum(self, mask: np.ndarray) -> dict:
        out = {k: float(self._whole(getattr(self, k))[mask].sum())
               for k in ("internal", "switching", "leakage")}
        out["total"] = sum(out.values())
        return out

    def total(self) -> dict:
        return self._sum(np.ones(len(self.instances), dtype=bool))

    def group(self, name: str) -> dict:
        return self._sum(np.array([g == name for g in self.groups], dtype=bool))

    def by_hierarchy(self) -> dict:
        names = np.array(self.hierarchy, dtype=object)
        return {h: self._sum(names == h) for h in sorted(set(self.hierarchy))}

    def per_window_total(self) -> np.ndarray:
        return (self.internal + self.switching + self.leakage).sum(axis=0)

    def per_window_group(self, name: str) -> np.ndarray:
        mask = np.array([g == name for g in self.groups], dtype=bool)
        return (self.internal + self.switching + self.leakage)[mask].sum(axis=0)


def compute(netlist: Netlist, library: Library, electrical: Electrical, activity: NetActivity,
            clock_nets: set[int], setup: dict | None = None) -> PowerResult:
    n_inst, n_win = len(netlist.instances), activity.density.shape[1]
    parts = {k: np.zeros((n_inst, n_win)) for k in ("internal", "switching", "leakage")}
    is_clock = np.zeros(netlist.n_nets, dtype=bool)
    is_clock[list(clock_nets)] = True
    v2 = library.voltage ** 2
    for kind, insts, nets in _by_cell_type(netlist):
        cell = library.cells[kind]
        shape = (len(insts), n_win)
        density = {p: activity.density[n] for p, n in nets.items()}
        duty = {p: activity.duty[n] for p, n in nets.items()}
        slew = {p: _slews(electrical, n, is_clock) for p, n in nets.items()}
        parts["internal"][insts] = (
            _output_internal(cell, nets, density, duty, slew, electrical, shape)
            + _input_internal(cell, nets, density, duty, slew, shape))
        for pin in cell.outputs():
            if pin in nets:
                load = electrical.load[nets[pin]][:, None]
                parts["switching"][insts] += 0.5 * load * v2 * density[pin]
        parts["leakage"][insts] = _leakage(cell, duty, shape)
    used = np.unique(netlist.pin_net)
    unannotated = [netlist.net_names[n][0] if netlist.net_names[n] else f"net{n}"
                   for n in used if n > 1 and not activity.annotated[n]]
    return PowerResult(netlist.top, activity.source, setup or {}, netlist.instances,
                       netlist.cell_types, _groups(netlist, library, clock_nets),
                       netlist.hierarchy(), parts["internal"], parts["switching"],
                       parts["leakage"], activity.window_start,
                       int(activity.annotated[used].sum()), unannotated, netlist.blackboxes)


def _by_cell_type(netlist: Netlist):
    """(cell type, instance indices, pin -> net array) for every cell type used."""
    by_type = defaultdict(list)
    for index, kind in enumerate(netlist.cell_types):
        by_type[kind].append(index)
    pins_of = netlist.pins_by_instance()
    for kind, insts in by_type.items():
        pins = set().union(*(pins_of[i].keys() for i in insts))
        # a pin left open on one instance reads the constant-0 net there
        nets = {p: np.array([pins_of[i].get(p, CONST0) for i in insts]) for p in pins}
        yield kind, np.array(insts), nets


def _slews(electrical: Electrical, nets: np.ndarray, is_clock: np.ndarray):
    """(rise, fall) slews of `nets` as columns; 0 on the ideal clock network."""
    rise = np.where(is_clock[nets], 0.0, electrical.slew_rise[nets])[:, None]
    fall = np.where(is_clock[nets], 0.0, electrical.slew_fall[nets])[:, None]
    return rise, fall


def _output_internal(cell: Cell, nets, density, duty, slew, electrical, shape) -> np.ndarray:
    power = np.zeros(shape)
    for pin in cell.outputs():
        arcs = [a for a in cell.power_arcs if a.pin == pin and a.related_pin in nets]
        if pin not in nets or not arcs:
            continue
        load = electrical.load[nets[pin]][:, None]
        function = cell.pins[pin].function
        weights = [density[a.related_pin] * _arc_duty(a, function, duty, shape) for a in arcs]
        total = sum(weights)
        safe = np.where(total > 0, total, 1.0)
        energy = np.zeros(shape)
        for arc, weight in zip(arcs, weights, strict=True):
            energy += np.where(total > 0, weight / safe, 0.0) * _arc_energy(cell, arc, slew, load)
        power += energy * density[pin]
    return power


def _arc_duty(arc, function: str | None, duty, shape):
    """How often the output follows this arc's related pin: P(df/dR), else P(when), else 1/2."""
    if function and arc.related_pin in pins_of(function):
        return sensitivity(function, arc.related_pin, duty, shape)
    if arc.when:
        return probability(arc.when, duty, shape)
    return np.full(shape, 0.5)


def _arc_energy(cell: Cell, arc, slew, load) -> np.ndarray:
    """Mean of the rise and fall energies, each read at the related pin's slew for the
    input edge that causes it (opposite edge through a negative-unate arc)."""
    rise_in, fall_in = slew[arc.related_pin]
    timing = next((t for t in cell.timing_arcs
                   if t.pin == arc.pin and t.related_pin == arc.related_pin), None)
    inverting = timing is not None and timing.timing_sense == "negative_unate"
    energies = []
    for table, same, other in ((arc.rise, rise_in, fall_in), (arc.fall, fall_in, rise_in)):
        if table is not None:
            energies.append(table.lookup(other if inverting else same, load))
    return sum(energies) / len(energies) if energies else 0.0


def _input_internal(cell: Cell, nets, density, duty, slew, shape) -> np.ndarray:
    power = np.zeros(shape)
    for arc in cell.power_arcs:
        if arc.pin not in nets or cell.pins[arc.pin].direction != "input":
            continue
        rise_in, fall_in = slew[arc.pin]
        energies = [t.lookup(s, 0.0) for t, s in ((arc.rise, rise_in), (arc.fall, fall_in))
                    if t is not None]
        if not energies:
            continue
        weight = probability(arc.when, duty, shape) if arc.when else 1.0
        power += sum(energies) / len(energies) * density[arc.pin] * weight
    return power


def _leakage(cell: Cell, duty, shape) -> np.ndarray:
    conditional = [(w, v) for w, v in cell.conditional_leakage if w]
    unconditional = [v for w, v in cell.conditional_leakage if not w]
    if not conditional:
        return np.full(shape, sum(unconditional) if unconditional else cell.leakage)
    total, covered = np.zeros(shape), np.zeros(shape)
    for condition, value in conditional:
        p = probability(condition, duty, shape)
        total += value * p
        if value > 0:
            covered += p
    return total + cell.leakage * (1.0 - covered)


def _outputs_by_instance(netlist: Netlist) -> defaultdict[int, list[int]]:
    """Per instance index: the nets its output pins drive."""
    outputs = defaultdict(list)
    for inst, net, is_out in zip(netlist.pin_inst, netlist.pin_net, netlist.pin_is_output,
                                 strict=True):
        if is_out:
            outputs[int(inst)].append(int(net))
    return outputs


def _groups(netlist: Netlist, library: Library, clock_nets: set[int]) -> list[str]:
    outputs = _outputs_by_instance(netlist)
    groups = []
    for index, kind in enumerate(netlist.cell_types):
        if all(n in clock_nets for n in outputs[index]):
            groups.append("clock")
        elif library.cells[kind].is_sequential:
            groups.append("sequential")
        else:
            groups.append("combinational")
    return groups


def clock_network(netlist: Netlist, library: Library, clock_roots: set[int]) -> set[int]:
    """Nets carrying a clock: the roots, then through every combinational cell they feed
    (buffers, inverters, gates of a clock tree), stopping at sequential cells."""
    loads = netlist.loads_by_net()
    outputs = _outputs_by_instance(netlist)
    seen, frontier = set(clock_roots), list(clock_roots)
    while frontier:
        for inst, _pin in loads[frontier.pop()]:
            if library.cells[netlist.cell_types[inst]].is_sequential:
                continue
            for out in outputs[inst]:
                if out not in seen:
                    seen.add(out)
                    frontier.append(out)
    return seen
