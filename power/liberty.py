"""The parts of a Liberty library a power engine needs, read with `liberty-parser`.

`load(path)` parses a .lib or .lib.gz once (about 3 s for sky130_fd_sc_hd) and keeps a
pickle under build/cache/ keyed by the file's hash. Values are converted to SI units:
seconds, farads, volts, watts, and joules for the internal-power tables (whose unit
Liberty leaves implicit: capacitive_load_unit x voltage_unit^2, the convention of
OpenSTA and the other tools).
"""

from __future__ import annotations

import gzip
import hashlib
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from power.table import Table
from ref_model.errors import ConfigError

CACHE_VERSION = "3"
CACHE_ROOT = Path(__file__).resolve().parent.parent / "build" / "cache"
_UNIT = re.compile(r"^\s*([0-9.eE+-]*)\s*([a-zA-Z]+)\s*$")
_PREFIX = {"f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0, "k": 1e3}


@dataclass
class PowerArc:
    """One internal_power group: energy per transition of `pin` (J), optionally caused by
    `related_pin` and qualified by a `when` condition."""

    pin: str
    related_pin: str | None
    when: str | None
    rise: Table | None
    fall: Table | None


@dataclass
class TimingArc:
    """Output transition time (s) of `pin` for a transition of `related_pin`."""

    pin: str
    related_pin: str
    timing_type: str
    timing_sense: str            # positive_unate | negative_unate | non_unate
    rise_transition: Table | None
    fall_transition: Table | None


@dataclass
class Pin:
    name: str
    direction: str               # input | output | inout | internal
    capacitance: float = 0.0     # F
    rise_capacitance: float = 0.0
    fall_capacitance: float = 0.0
    function: str | None = None
    is_clock: bool = False


@dataclass
class Cell:
    name: str
    area: float
    leakage: float                               # cell_leakage_power, W
    conditional_leakage: list[tuple[str | None, float]]  # (when, W)
    pins: dict[str, Pin]
    power_arcs: list[PowerArc]
    timing_arcs: list[TimingArc]
    is_sequential: bool
    dont_use: bool = False

    def inputs(self) -> list[str]:
        return [p for p, pin in self.pins.items() if pin.direction in ("input", "inout")]

    def outputs(self) -> list[str]:
        return [p for p, pin in self.pins.items() if pin.direction in ("output", "inout")]


@dataclass
class WireLoad:
    """A wire-load model: net capacitance from fanout (F per unit length x length)."""

    capacitance: float           # F per unit length
    slope: float
    fanout_length: dict[int, float] = field(default_factory=dict)

    def net_capacitance(self, fanout: np.ndarray) -> np.ndarray:
        """OpenSTA's rule: table length for known fanouts, extrapolated by slope past the last."""
        if not self.fanout_length:
            return self.capacitance * self.slope * fanout
        keys = sorted(self.fanout_length)
        last = keys[-1]
        table = np.array([self.fanout_length.get(k, np.nan) for k in range(last + 1)])
        fanout = np.asarray(fanout, dtype=np.int64)
        inside = np.clip(fanout, 0, last)
        length = np.where(fanout > last, self.fanout_length[last] + (fanout - last) * self.slope,
                          np.nan_to_num(table[inside]))
        length = np.where(fanout <= 0, 0.0, length)
        return self.capacitance * length


@dataclass
class Library:
    name: str
    path: str
    voltage: float               # V, nominal supply
    time_unit: float             # s
    cap_unit: float              # F
    cells: dict[str, Cell]
    wire_loads: dict[str, WireLoad]
    default_wire_load: str | None
    default_wire_load_mode: str | None
    sha256: str = ""


def load(path: str | Path) -> Library:
    """The library at `path`, from the cache when the file is unchanged."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"liberty file {path} does not exist")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    cache = CACHE_ROOT / f"liberty-{digest[:16]}-v{CACHE_VERSION}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    library = parse(_text(path, raw), str(path))
    library.sha256 = digest
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{id(library)}.tmp")
    tmp.write_bytes(pickle.dumps(library))
    tmp.replace(cache)
    return library


def _text(path: Path, raw: bytes) -> str:
    try:
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        return data.decode("utf-8", errors="replace")
    except (OSError, EOFError) as exc:
        raise ConfigError(f"liberty file {path} is not readable: {exc}") from None


def parse(text: str, origin: str = "<text>") -> Library:
    """Parse Liberty text; a malformed file is one ConfigError naming it."""
    from liberty.parser import parse_liberty
    try:
        root = parse_liberty(text)
    except Exception as exc:  # the parser raises several unrelated types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"liberty file {origin} does not parse: {first[:200]}") from None
    if root.group_name != "library":
        raise ConfigError(f"liberty file {origin} has no library group")
    attrs = _attributes(root)
    time_unit = _scaled(attrs.get("time_unit", "1ns"), "s", origin)
    cap_unit = _cap_unit(root, origin)
    voltage = float(attrs.get("nom_voltage", _operating_voltage(root)))
    templates = {g.args[0]: g for kind in ("power_lut_template", "lu_table_template")
                 for g in root.get_groups(kind) if g.args}
    leak_unit = _scaled(attrs.get("leakage_power_unit", "1nW"), "W", origin)
    energy_unit = cap_unit * voltage_unit(attrs) ** 2
    units = (time_unit, cap_unit, leak_unit, energy_unit)
    cells = {}
    for group in root.get_groups("cell"):
        cell = _cell(group, templates, units, origin)
        cells[cell.name] = cell
    if not cells:
        raise ConfigError(f"liberty file {origin} defines no cell")
    wire_loads = {str(g.args[0]).strip('"'): _wire_load(g, cap_unit)
                  for g in root.get_groups("wire_load") if g.args}
    library_name = str(root.args[0]).strip('"') if root.args else ""
    return Library(library_name, origin, voltage, time_unit, cap_unit,
                   cells, wire_loads, _unquote(attrs.get("default_wire_load")),
                   _unquote(attrs.get("default_wire_load_mode")))


def voltage_unit(attrs: dict) -> float:
    return _scaled(attrs.get("voltage_unit", "1V"), "V", "voltage_unit")


def _attributes(group) -> dict:
    return {a.name: a.value for a in group.attributes}


def _unquote(value) -> str | None:
    return None if value is None else str(value).strip('"')


def _scaled(value, base: str, origin: str) -> float:
    match = _UNIT.match(_unquote(value) or "")
    unit = match.group(2) if match else ""
    if not match or not unit.endswith(base) or unit[:-len(base)] not in _PREFIX:
        raise ConfigError(f"liberty file {origin}: cannot read unit '{value}' (expected *{base})")
    number = float(match.group(1) or 1)
    return number * _PREFIX[unit[:-len(base)]]


def _cap_unit(root, origin: str) -> float:
    for attr in root.attributes:
        if attr.name == "capacitive_load_unit":
            number, unit = attr.value
            return float(number) * _scaled(f"1{_unquote(unit).lower()}", "f", origin)
    return 1e-12


def _operating_voltage(root) -> float:
    for group in root.get_groups("operating_conditions"):
        volts = _attributes(group).get("voltage")
        if volts is not None:
            return float(volts)
    return 1.0


def _cell(group, templates, units, origin: str) -> Cell:
    time_unit, cap_unit, leak_unit, energy_unit = units
    name = str(group.args[0]).strip('"')
    attrs = _attributes(group)
    pins: dict[str, Pin] = {}
    power_arcs: list[PowerArc] = []
    timing_arcs: list[TimingArc] = []
    for pin_group in group.get_groups("pin"):
        pin = _pin(pin_group, cap_unit)
        pins[pin.name] = pin
        for ip in pin_group.get_groups("internal_power"):
            ip_attrs = _attributes(ip)
            power_arcs.append(PowerArc(
                pin.name, _unquote(ip_attrs.get("related_pin")), _unquote(ip_attrs.get("when")),
                _table(ip, "rise_power", templates, time_unit, cap_unit, energy_unit),
                _table(ip, "fall_power", templates, time_unit, cap_unit, energy_unit)))
        for timing in pin_group.get_groups("timing"):
            t_attrs = _attributes(timing)
            related = _unquote(t_attrs.get("related_pin"))
            kind = _unquote(t_attrs.get("timing_type")) or "combinational"
            sense = _unquote(t_attrs.get("timing_sense")) or "non_unate"
            rise = _table(timing, "rise_transition", templates, time_unit, cap_unit, time_unit)
            fall = _table(timing, "fall_transition", templates, time_unit, cap_unit, time_unit)
            if related and (rise or fall):
                for rel in related.split():
                    timing_arcs.append(TimingArc(pin.name, rel, kind, sense, rise, fall))
    leakage = [(_unquote(_attributes(g).get("when")), float(_attributes(g)["value"]) * leak_unit)
               for g in group.get_groups("leakage_power") if "value" in _attributes(g)]
    sequential = bool(group.get_groups("ff") or group.get_groups("latch")
                      or group.get_groups("ff_bank") or group.get_groups("statetable"))
    return Cell(name, float(attrs.get("area", 0.0)),
                float(attrs.get("cell_leakage_power", 0.0)) * leak_unit, leakage, pins,
                power_arcs, timing_arcs, sequential,
                str(attrs.get("dont_use", "false")).strip('"').lower() == "true")


def _pin(group, cap_unit: float) -> Pin:
    attrs = _attributes(group)
    cap = float(attrs.get("capacitance", 0.0)) * cap_unit
    return Pin(str(group.args[0]).strip('"'), str(_unquote(attrs.get("direction", "input"))), cap,
               float(attrs.get("rise_capacitance", cap / cap_unit)) * cap_unit,
               float(attrs.get("fall_capacitance", cap / cap_unit)) * cap_unit,
               _unquote(attrs.get("function")),
               str(attrs.get("clock", "false")).strip('"').lower() == "true")


def _table(group, kind: str, templates, time_unit: float, cap_unit: float,
           value_unit: float) -> Table | None:
    """The first `kind` table of `group` in SI units, axes named by its template."""
    found = group.get_groups(kind)
    if not found:
        return None
    table = found[0]
    attrs = _attributes(table)
    template = templates.get(str(table.args[0]).strip('"')) if table.args else None
    variables, axes = [], []
    t_attrs = _attributes(template) if template is not None else {}
    for axis in (1, 2):
        values = attrs.get(f"index_{axis}", t_attrs.get(f"index_{axis}"))
        variable = _unquote(t_attrs.get(f"variable_{axis}"))
        if values is None or variable is None:
            break
        variables.append(variable)
        scale = cap_unit if "capacitance" in variable else time_unit
        axes.append(_floats(values) * scale)
    values = np.array(table.get_array("values"), dtype=float) * value_unit
    return Table.make(variables, axes, values)


def _floats(value) -> np.ndarray:
    items = value if isinstance(value, list) else [value]
    return np.array([float(x) for item in items for x in str(item).strip('"').split(",")])


def _wire_load(group, cap_unit: float) -> WireLoad:
    attrs = _attributes(group)
    lengths = {}
    for attr in group.attributes:
        if attr.name == "fanout_length":
            fanout, length = attr.value[:2]
            lengths[int(float(fanout))] = float(length)
    return WireLoad(float(attrs.get("capacitance", 0.0)) * cap_unit, float(attrs.get("slope", 0.0)),
                    lengths)
