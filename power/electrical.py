"""Net loads and transition times (slews) of a netlist, as a static timing tool finds them.

Load of a net: the larger of the summed rise and summed fall input-pin capacitances on
it, plus a wire-load estimate from its fanout when a wire-load model is named, plus an
output port's set_load. Slews: the input transition on top-level inputs, then, in
topological order, each cell output's rise/fall transition table at its related
input's slew (the input edge chosen by the arc's unateness) and its own load, the worst
over the arcs. The clock is ideal: clock-network nets have slew 0, as in OpenSTA
without set_propagated_clock. No parasitics (no SPEF).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from power.liberty import Library
from power.netlist import CONST0, CONST1, Netlist


@dataclass
class Electrical:
    load: np.ndarray        # (n_nets,) F
    wire_load: np.ndarray   # (n_nets,) F, the wire-load part of load
    fanout: np.ndarray      # (n_nets,) input pins and output ports on the net
    slew_rise: np.ndarray   # (n_nets,) s
    slew_fall: np.ndarray   # (n_nets,) s


def analyse(netlist: Netlist, library: Library, input_transition: float,
            ideal_clock_nets: set[int] = frozenset(), wire_load: str | None = None,
            port_loads: dict[int, float] | None = None) -> Electrical:
    """Loads and slews of every net; `wire_load` names a model of the library, or None."""
    n = netlist.n_nets
    inputs = ~netlist.pin_is_output
    nets = netlist.pin_net[inputs]
    pins = [(netlist.cell_types[i], p) for i, p in
            zip(netlist.pin_inst[inputs], np.array(netlist.pin_name, dtype=object)[inputs],
                strict=True)]
    rise_caps = np.array([library.cells[c].pins[p].rise_capacitance for c, p in pins])
    fall_caps = np.array([library.cells[c].pins[p].fall_capacitance for c, p in pins])
    pin_load = np.maximum(np.bincount(nets, weights=rise_caps, minlength=n),
                          np.bincount(nets, weights=fall_caps, minlength=n))
    fanout = np.bincount(nets, minlength=n) + np.bincount(netlist.output_nets, minlength=n)
    wire = library.wire_loads[wire_load].net_capacitance(fanout) if wire_load else np.zeros(n)
    load = pin_load + wire
    for net, cap in (port_loads or {}).items():
        load[net] += cap
    load[[CONST0, CONST1]] = 0.0
    rise = np.full(n, float(input_transition))
    fall = rise.copy()
    ideal = np.array(sorted(ideal_clock_nets), dtype=np.int64)
    _propagate(netlist, library, load, rise, fall, ideal)
    return Electrical(load, wire, fanout, rise, fall)


def _propagate(netlist: Netlist, library: Library, load, rise, fall, ideal) -> None:
    """Slews of cell outputs in topological order, one level at a time, vectorised per
    (cell type, arc); each arc can only raise an output's slew (worst over arcs)."""
    pins_of = netlist.pins_by_instance()
    driven = netlist.driven_nets()
    rise[driven] = 0.0
    fall[driven] = 0.0
    rise[ideal] = 0.0
    fall[ideal] = 0.0
    is_ideal = np.zeros(len(rise), dtype=bool)
    is_ideal[ideal] = True
    by_level = defaultdict(lambda: defaultdict(list))
    for inst, lv in _levels(netlist, library, pins_of).items():
        by_level[lv][netlist.cell_types[inst]].append(inst)
    for lv in sorted(by_level):
        for kind, insts in by_level[lv].items():
            for arc in library.cells[kind].timing_arcs:
                rows = [(pins_of[i][arc.related_pin], pins_of[i][arc.pin]) for i in insts
                        if arc.related_pin in pins_of[i] and arc.pin in pins_of[i]]
                if rows:
                    src, dst = (np.array(col) for col in zip(*rows, strict=True))
                    keep = ~is_ideal[dst]
                    _apply_arc(arc, src[keep], dst[keep], load, rise, fall)


def _apply_arc(arc, src, dst, load, rise, fall) -> None:
    """Output slews through one arc: an output rise comes from an input rise (positive
    unate), an input fall (negative unate), or either (non-unate)."""
    edges = {"positive_unate": (rise, fall), "negative_unate": (fall, rise)}
    from_rise, from_fall = edges.get(arc.timing_sense, (None, None))
    worst = np.maximum(rise[src], fall[src])
    for table, slews, source in ((arc.rise_transition, rise, from_rise),
                                 (arc.fall_transition, fall, from_fall)):
        if table is not None:
            slew_in = worst if source is None else source[src]
            slews[dst] = np.maximum(slews[dst], table.lookup(slew_in, load[dst]))


def _levels(netlist: Netlist, library: Library, pins_of) -> dict[int, int]:
    """Instance -> depth (Kahn's algorithm over timing arcs): 0 when every arc starts at
    a primary input or an undriven net. Instances on a combinational loop get a depth
    past the deepest, as if the loop were cut."""
    driver_inst = netlist.driver_instance()
    preds: dict[int, set[int]] = {}
    for inst in range(len(netlist.instances)):
        cell = library.cells[netlist.cell_types[inst]]
        nets = {pins_of[inst].get(arc.related_pin) for arc in cell.timing_arcs}
        preds[inst] = {int(driver_inst[n]) for n in nets
                       if n is not None and driver_inst[n] >= 0} - {inst}
    succs = defaultdict(list)
    for inst, before in preds.items():
        for b in before:
            succs[b].append(inst)
    waiting = {i: len(b) for i, b in preds.items()}
    level = {i: 0 for i, w in waiting.items() if w == 0}
    frontier = list(level)
    while frontier:
        nxt = []
        for inst in frontier:
            for s in succs[inst]:
                waiting[s] -= 1
                if waiting[s] == 0:
                    level[s] = level[inst] + 1
                    nxt.append(s)
        frontier = nxt
    deepest = max(level.values(), default=0)
    for inst in preds:
        level.setdefault(inst, deepest + 1)
    return level
