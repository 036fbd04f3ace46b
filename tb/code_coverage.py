"""Verilator code coverage of one run: the build flags, where the simulation writes its
points, and which runs can have it.

A coverage build is its own cached build (the flags are part of the build key). The
model's main (cocotb's verilator.cpp) writes the points when the simulation ends, to the
file the `+verilator+coverage+file+` plusarg names: coverage.dat in the test's folder, kept
gzipped (a training run writes 3 MB of text, mostly toggle points). regress/coverage_dat.py
reads it; regress/code_coverage_report.py merges a run's files.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from ref_model.errors import ConfigError

FILE = "coverage.dat"
KEPT = FILE + ".gz"
# line (statement blocks), branch (if/case arms, ?:) and toggle points of the RTL, as
# Verilator 5 gives them. Not --coverage's expression points (--coverage-expr): Verilator
# 5.048 stops with an internal error on rtl/pezo_train_lane.v's `s_u_i != 0` term with them.
VERILATOR_FLAGS = ("--coverage-line", "--coverage-toggle")


def why_not(spec, simulator: str) -> str | None:
    """Why this run cannot record code coverage (None: it can). Only cocotb's C++ main on
    plain Verilator writes the points; a gate-level run would measure the cell models."""
    if simulator != "verilator":
        return f"code coverage needs --sim verilator, not {simulator}"
    if spec.gate_level:
        return "code coverage is of the RTL, not of a gate-level netlist"
    if spec.attachment:
        return f"code coverage: attachment '{spec.attachment}' replaces cocotb's C++ main"
    return None


def applies(spec, simulator: str) -> bool:
    """Does this run record code coverage when its suite asks for it."""
    return why_not(spec, simulator) is None


def require(spec, simulator: str) -> None:
    """ConfigError when a single run is asked for code coverage it cannot record."""
    reason = why_not(spec, simulator)
    if reason:
        raise ConfigError(reason)


def build_args(enabled: bool) -> list[str]:
    return list(VERILATOR_FLAGS) if enabled else []


def plusargs(enabled: bool, out_dir: Path) -> list[str]:
    return [f"+verilator+coverage+file+{out_dir / FILE}"] if enabled else []


def keep(out_dir: Path) -> str | None:
    """The run's points, gzipped beside its log (None when the run wrote none)."""
    written, kept = out_dir / FILE, out_dir / KEPT
    if not written.exists():
        return None
    with open(written, "rb") as src, gzip.open(kept, "wb") as dst:
        shutil.copyfileobj(src, dst)
    written.unlink()
    return str(kept)
