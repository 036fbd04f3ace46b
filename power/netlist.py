"""A flat gate-level netlist as arrays: instances, their pins, and the nets between them.

Read from yosys's JSON netlist, or from structural Verilog through yosys itself
(`read_liberty -lib` gives the cells' ports), so no Verilog parser of our own. Pin
directions come from the liberty. A cell type the liberty lacks is an error naming it,
unless it has no signal connections (tap, fill and decap cells) or is named as a black
box; black boxes are listed in the result, never counted silently as zero.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from power.liberty import Library
from ref_model.errors import ConfigError

CONST0, CONST1 = 0, 1  # net ids of the constants; yosys numbers real bits from 2


@dataclass
class Netlist:
    top: str
    instances: list[str]          # instance names; hierarchy separated by '.'
    cell_types: list[str]
    pin_inst: np.ndarray          # (n_pins,) instance index
    pin_name: list[str]           # (n_pins,) cell pin name
    pin_net: np.ndarray           # (n_pins,) net index
    pin_is_output: np.ndarray     # (n_pins,) bool
    net_names: list[list[str]]    # per net: every name yosys gives the bit ("req_msg[3]", ...)
    input_nets: np.ndarray        # nets driven by top-level inputs
    output_nets: np.ndarray       # nets read by top-level outputs
    ports: dict[str, tuple[str, int]] = field(default_factory=dict)  # "bus[3]" -> (direction, net)
    blackboxes: Counter = field(default_factory=Counter)  # cell type -> instances skipped

    @property
    def n_nets(self) -> int:
        return len(self.net_names)

    def pins_by_instance(self) -> list[dict[str, int]]:
        """Per instance: cell pin -> net."""
        out = [dict() for _ in self.instances]
        for inst, pin, net in zip(self.pin_inst, self.pin_name, self.pin_net, strict=True):
            out[int(inst)][pin] = int(net)
        return out

    def driver_instance(self) -> np.ndarray:
        """Per net: the instance whose output drives it, or -1 (inputs, constants, open)."""
        driver = np.full(self.n_nets, -1, dtype=np.int64)
        outputs = np.flatnonzero(self.pin_is_output)
        driver[self.pin_net[outputs]] = self.pin_inst[outputs]
        return driver

    def driven_nets(self) -> np.ndarray:
        return np.flatnonzero(self.driver_instance() >= 0)

    def loads_by_net(self) -> list[list[tuple[int, str]]]:
        """Per net: the (instance, input pin) pairs it feeds."""
        out = [[] for _ in range(self.n_nets)]
        for inst, pin, net, is_out in zip(self.pin_inst, self.pin_name, self.pin_net,
                                          self.pin_is_output, strict=True):
            if not is_out:
                out[int(net)].append((int(inst), pin))
        return out

    def hierarchy(self) -> list[str]:
        """Per instance, its hierarchy group: the name up to the last '.', or the top."""
        return [name.rsplit(".", 1)[0] if "." in name else self.top for name in self.instances]


def read(path: str | Path, library: Library, top: str | None = None,
         blackbox: tuple[str, ...] = ()) -> Netlist:
    """A netlist from `path` (.json from yosys, or structural Verilog .v)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"netlist {path} does not exist")
    if path.suffix == ".json":
        try:
            data = json.loads(path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"netlist {path} is not valid JSON: {exc}") from None
    else:
        data = _verilog_to_json(path, library, top)
    return from_json(data, library, top, blackbox, str(path))


def _verilog_to_json(path: Path, library: Library, top: str | None) -> dict:
    if shutil.which("yosys") is None:
        raise ConfigError("reading a Verilog netlist needs yosys: run `make setup`")
    with tempfile.TemporaryDirectory() as tmp:
        lib_copy = Path(tmp) / "cells.lib"
        lib_copy.write_text(_blackbox_liberty(library))
        out = Path(tmp) / "netlist.json"
        hierarchy = f"hierarchy -top {top}" if top else "hierarchy -auto-top"
        script = (f"read_liberty -lib {lib_copy}; read_verilog {path}; {hierarchy}; "
                  f"write_json {out}")
        proc = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True)
        if proc.returncode != 0 or not out.exists():
            lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
            reason = next((ln for ln in lines if "ERROR" in ln), lines[-1] if lines else "failed")
            raise ConfigError(f"netlist {path} does not parse: {reason.strip()[:200]}")
        return json.loads(out.read_text())


def _blackbox_liberty(library: Library) -> str:
    """A minimal liberty (cells, pins, directions) so yosys knows the cells' ports fast."""
    lines = ["library (ports) {"]
    for cell in library.cells.values():
        lines.append(f"cell ({cell.name}) {{")
        lines += [f"pin ({p.name}) {{ direction : {p.direction}; }}" for p in cell.pins.values()]
        lines.append("}")
    return "\n".join(lines + ["}"]) + "\n"


def from_json(data: dict, library: Library, top: str | None, blackbox: tuple[str, ...],
              origin: str) -> Netlist:
    modules = data.get("modules", {})
    top = top or _find_top(modules, origin)
    if top not in modules:
        raise ConfigError(f"netlist {origin} has no module '{top}'; modules: "
                          f"{', '.join(m for m in modules if m not in library.cells)[:200]}")
    module = modules[top]
    bit_ids = _BitIds()
    names = _net_names(module, bit_ids)
    instances, types, pins = [], [], []
    unknown, boxes = Counter(), Counter()
    for name, cell in module.get("cells", {}).items():
        kind = cell["type"]
        lib_cell = library.cells.get(kind)
        signal_pins = {p: b for p, b in cell.get("connections", {}).items() if b}
        if lib_cell is None:
            if not signal_pins or kind in blackbox:
                boxes[kind] += 1
            else:
                unknown[kind] += 1
            continue
        index = len(instances)
        instances.append(name)
        types.append(kind)
        for pin, bits in signal_pins.items():
            if pin not in lib_cell.pins:
                raise ConfigError(f"netlist {origin}: instance {name} of {kind} connects pin "
                                  f"{pin}, which the liberty's cell does not have")
            pins.append((index, pin, bit_ids.of(bits[0]),
                         lib_cell.pins[pin].direction in ("output", "inout")))
    if unknown:
        listed = ", ".join(f"{k} (x{n})" for k, n in unknown.most_common())
        raise ConfigError(f"netlist {origin}: cell type(s) not in the liberty: {listed} "
                          "(name them with --blackbox to skip them)")
    ports = _ports(module, bit_ids)
    inputs = {net for d, net in ports.values() if d == "input"}
    outputs = {net for d, net in ports.values() if d != "input"}
    net_names = [[] for _ in range(bit_ids.count)]
    for bit, aliases in names.items():
        net_names[bit] = aliases
    return Netlist(top, instances, types,
                   np.array([p[0] for p in pins], dtype=np.int64), [p[1] for p in pins],
                   np.array([p[2] for p in pins], dtype=np.int64),
                   np.array([p[3] for p in pins], dtype=bool), net_names,
                   np.array(sorted(inputs), dtype=np.int64),
                   np.array(sorted(outputs), dtype=np.int64), ports, boxes)


def _find_top(modules: dict, origin: str) -> str:
    tops = [m for m, body in modules.items() if body.get("attributes", {}).get("top")]
    if len(tops) == 1:
        return tops[0]
    defined = [m for m, body in modules.items() if body.get("cells") or body.get("netnames")]
    if len(defined) == 1:
        return defined[0]
    raise ConfigError(f"netlist {origin}: name the top module with --top "
                      f"(candidates: {', '.join(defined[:10])})")


class _BitIds:
    """Dense net ids for yosys bit numbers; the constants are nets 0 and 1."""

    def __init__(self):
        self.ids: dict = {"0": CONST0, "1": CONST1, "x": CONST0, "z": CONST0}
        self.count = 2

    def of(self, bit) -> int:
        if bit not in self.ids:
            self.ids[bit] = self.count
            self.count += 1
        return self.ids[bit]


def _net_names(module: dict, bit_ids: _BitIds) -> dict[int, list[str]]:
    """Net id -> its names, public names first (yosys marks generated ones hide_name)."""
    named: dict[int, list[tuple[int, str]]] = {}
    for name, net in module.get("netnames", {}).items():
        bits = net["bits"]
        for offset, bit in enumerate(bits):
            if bit in ("0", "1", "x", "z"):
                continue
            index = offset + int(net.get("offset", 0))
            hidden = net.get("hide_name", 0)
            if len(bits) > 1:
                labels = [f"{name}[{index}]"]
            elif net.get("offset"):  # a split bit keeps its offset: "x_3_" or "x[3]" itself
                labels = [name, f"{name}[{index}]"]
            else:
                labels = [name]
            named.setdefault(bit_ids.of(bit), []).extend((hidden, label) for label in labels)
    return {bit: [label for _, label in sorted(items, key=lambda t: t[0])]
            for bit, items in named.items()}


def _ports(module: dict, bit_ids: _BitIds) -> dict[str, tuple[str, int]]:
    """Every port bit by name ("req_msg[3]"; 1-bit ports plain) -> (direction, net)."""
    out = {}
    for name, port in module.get("ports", {}).items():
        bits = port["bits"]
        for offset, bit in enumerate(bits):
            label = f"{name}[{offset + int(port.get('offset', 0))}]" if len(bits) > 1 else name
            out[label] = (port["direction"], bit_ids.of(bit))
    return out
