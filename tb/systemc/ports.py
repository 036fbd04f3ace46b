"""The elaborated top-level ports of a design, from Verilator's `--json-only` tree.

The SystemC top is generated from this list (tb/systemc/top_gen.py), so it follows the
design's parameters: a port's width is the elaborated one, not the source's expression.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ref_model.errors import ConfigError

# Verilator's default --sc port types: bool, uint32_t, uint64_t, then sc_bv (--pins-bv 65)
BV_FROM_WIDTH = 65


@dataclass(frozen=True)
class Port:
    name: str
    direction: str  # "input" | "output"
    width: int

    @property
    def sc_type(self) -> str:
        """The C++ type Verilator gives this port on a --sc model."""
        if self.width == 1:
            return "bool"
        if self.width <= 32:
            return "uint32_t"
        if self.width < BV_FROM_WIDTH:
            return "uint64_t"
        return f"sc_dt::sc_bv<{self.width}>"


@dataclass(frozen=True)
class Design:
    toplevel: str
    ports: tuple[Port, ...]
    time_precision: str  # e.g. "1ps": the SystemC time resolution must equal it

    @property
    def inputs(self) -> tuple[Port, ...]:
        return tuple(p for p in self.ports if p.direction == "input")

    def port(self, name: str) -> Port:
        for p in self.ports:
            if p.name == name:
                return p
        raise ConfigError(f"{self.toplevel} has no port {name}")


def read_design(tree_json: Path) -> Design:
    """The top module (level 1) of a `verilator --json-only` tree and its ports."""
    tree = json.loads(Path(tree_json).read_text())
    tops = [m for m in tree["modulesp"] if m.get("level") == 1]
    if len(tops) != 1:
        raise ConfigError(f"{tree_json}: expected one top module, found {len(tops)}")
    types = {node["addr"]: node for node in _nodes(tree) if "addr" in node}
    ports = tuple(_port(var, types) for var in tops[0]["stmtsp"]
                  if var.get("type") == "VAR" and var.get("isPrimaryIO"))
    return Design(tops[0]["name"], ports, tree["timeprecision"])


def _port(var: dict, types: dict[str, dict]) -> Port:
    direction = var["direction"].lower()
    if direction not in ("input", "output"):
        raise ConfigError(f"port {var['name']}: direction {var['direction']} is not supported "
                          "on verilator-sc (inputs and outputs only)")
    return Port(var["name"], direction, _width(var["name"], types[var["dtypep"]]))


def _width(name: str, dtype: dict) -> int:
    if dtype.get("type") != "BASICDTYPE":
        raise ConfigError(f"port {name}: type {dtype.get('type')} is not supported on "
                          "verilator-sc (plain vectors only)")
    if "range" not in dtype:
        return 1
    msb, lsb = (int(bound) for bound in dtype["range"].split(":"))
    return abs(msb - lsb) + 1


def _nodes(node):
    """Every dict in a JSON tree, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)
