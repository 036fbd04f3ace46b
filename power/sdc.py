"""The few SDC settings power analysis needs, read by a real Tcl interpreter.

SDC is Tcl: a file may `set` variables and compute with `expr`. Python's tkinter
carries Tcl, so the file runs as written, with the SDC commands defined here:
create_clock gives the clock period, set_input_transition the input slews, set_load
output loads. Commands that do not change power (input/output delays, false paths,
...) are accepted and listed as ignored; any other command is an error naming it.
"""

from __future__ import annotations

import tkinter
from dataclasses import dataclass, field
from pathlib import Path

from ref_model.errors import ConfigError

IGNORED = ("set_input_delay", "set_output_delay", "set_false_path", "set_multicycle_path",
           "set_max_delay", "set_min_delay", "set_clock_uncertainty", "set_clock_latency",
           "set_clock_transition", "set_propagated_clock", "set_max_fanout", "set_max_transition",
           "set_max_capacitance", "set_units", "set_timing_derate", "set_driving_cell",
           "set_clock_groups", "current_design", "set_max_area", "set_dont_touch")


@dataclass
class Constraints:
    clocks: dict[str, float] = field(default_factory=dict)       # clock port -> period (s)
    input_transition: float | None = None                         # s, for every input
    input_transitions: dict[str, float] = field(default_factory=dict)  # port -> s
    loads: dict[str, float] = field(default_factory=dict)         # output port -> F
    ignored: list[str] = field(default_factory=list)

    @property
    def clock_period(self) -> float | None:
        return min(self.clocks.values()) if self.clocks else None


def read(path: str | Path, inputs: list[str], outputs: list[str], time_unit: float = 1e-9,
         cap_unit: float = 1e-12) -> Constraints:
    """Evaluate the SDC file at `path` for a design with these port names."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"SDC file {path} does not exist")
    reader = _Reader(inputs, outputs, time_unit, cap_unit)
    try:
        reader.tcl.eval(path.read_text())
    except tkinter.TclError as exc:
        raise ConfigError(f"SDC file {path}: {exc}") from None
    return reader.result


class _Reader:
    def __init__(self, inputs, outputs, time_unit, cap_unit):
        self.inputs, self.outputs = list(inputs), list(outputs)
        self.time_unit, self.cap_unit = time_unit, cap_unit
        self.result = Constraints()
        self.tcl = tkinter.Tcl()
        commands = {"create_clock": self.create_clock,
                    "set_input_transition": self.set_input_transition,
                    "set_load": self.set_load, "get_ports": self.get_ports,
                    "all_inputs": lambda *a: self._list(self.inputs),
                    "all_outputs": lambda *a: self._list(self.outputs),
                    "get_clocks": lambda *a: self._list(a[-1:] if a else self.result.clocks)}
        for name, function in commands.items():
            self.tcl.createcommand(name, function)
        for name in IGNORED:
            self.tcl.createcommand(name, lambda *a, _n=name: self.result.ignored.append(_n))
        self.tcl.createcommand("unknown", self.unknown)

    def unknown(self, name, *args):
        raise tkinter.TclError(f"unsupported SDC command '{name}'")

    def _list(self, items) -> str:
        return self.tcl.call("list", *items) if items else ""

    def _options(self, args) -> tuple[dict, list]:
        options, rest, i = {}, [], 0
        while i < len(args):
            arg = str(args[i])
            if arg.startswith("-") and not _is_number(arg):
                takes_value = arg in ("-period", "-name", "-waveform", "-clock", "-pin_load")
                options[arg] = str(args[i + 1]) if takes_value else True
                i += 2 if takes_value else 1
            else:
                rest.append(arg)
                i += 1
        return options, rest

    def get_ports(self, *patterns):
        import fnmatch
        ports = self.inputs + self.outputs
        names = [p for pat in self.tcl.splitlist(" ".join(patterns)) if not pat.startswith("-")
                 for p in ports
                 if fnmatch.fnmatchcase(p, pat) or fnmatch.fnmatchcase(p.split("[")[0], pat)]
        return self._list(names)

    def create_clock(self, *args):
        options, rest = self._options(args)
        if "-period" not in options:
            raise tkinter.TclError("create_clock needs -period")
        period = float(options["-period"]) * self.time_unit
        if period <= 0:
            raise tkinter.TclError(f"create_clock -period must be > 0, got {options['-period']}")
        ports = [p for item in rest for p in self.tcl.splitlist(item)]
        for port in ports or [options.get("-name", "clk")]:
            self.result.clocks[port] = period

    def set_input_transition(self, *args):
        _, rest = self._options(args)
        value, ports = float(rest[0]) * self.time_unit, rest[1:]
        targets = [p for item in ports for p in self.tcl.splitlist(item)]
        if not targets or set(targets) >= set(self.inputs):
            self.result.input_transition = value
        for port in targets:
            self.result.input_transitions[port] = value

    def set_load(self, *args):
        _, rest = self._options(args)
        value = float(rest[0]) * self.cap_unit
        for port in (p for item in rest[1:] for p in self.tcl.splitlist(item)):
            self.result.loads[port] = value


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
