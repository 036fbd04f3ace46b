"""`pezo power <test>`: the whole gate-level power flow for one of our tests.

Synthesize the test's design to sky130 (power/gate_synth.py), run the same pyuvm test
on the netlist with VCD waves (its scoreboard still checks every output), read the
netlist's activity from the waves, and analyse it at the testbench clock (100 MHz) with
a 0.1 ns input transition, per window of `window` cycles.
"""

from __future__ import annotations

from pathlib import Path

from power import gate_synth, pdk
from power.engine import PowerResult
from power.flow import PowerJob
from power.flow import run as run_job
from ref_model.errors import ConfigError
from tb import harness, registry
from tb.common.clocking import CLOCK_PERIOD_NS

POWER_ROOT = harness.REPO / "build" / "power"
INPUT_TRANSITION_S = 0.1e-9


def gate_spec(name: str) -> harness.TestSpec:
    """The gate-level twin of a test, given its RTL or its gl. name."""
    return registry.get(registry.GATE_LEVEL_PREFIX + name.removeprefix(registry.GATE_LEVEL_PREFIX))


def power_job(spec: harness.TestSpec, netlist_json: Path, waves: Path, window: int | None,
              start: float | str | None = None) -> PowerJob:
    """The power analysis of a gate-level run of one of our tests: the testbench clock, the
    input transition above, the DUT's scope in the waves."""
    return PowerJob(netlist_json, pdk.liberty_path(), spec.bench.toplevel, waves,
                    spec.bench.toplevel, clock_period=CLOCK_PERIOD_NS * 1e-9,
                    input_transition=INPUT_TRANSITION_S, clock="clk_i", window_cycles=window,
                    start=start)


def run(name: str, seed: int, simulator: str, window: int | None,
        out: Path | None = None, start: float | str | None = None) -> tuple[PowerResult, Path]:
    """start: where the windows begin (None: the first time stamp; "reset": the first rising
    clock edge after reset release, where the RTL activity capture starts)."""
    spec = gate_spec(name)
    out = out or POWER_ROOT / f"{spec.name}-s{seed}-{simulator}"
    # VCD: pywellen reads a VCD's signals in one pass, an FST's one at a time (slow for netlists)
    result = harness.run(spec, seed, simulator, waves="vcd", out_dir=out / "sim")
    if result.status != "pass":
        raise ConfigError(f"gate-level run of {spec.name} seed {seed} on {simulator} did not "
                          f"pass ({result.status}: {result.message}); log {result.log}")
    if not result.waves:
        raise ConfigError(f"gate-level run of {spec.name} wrote no waves (log {result.log})")
    netlist = gate_synth.for_spec(spec)
    power = run_job(power_job(spec, Path(netlist.json), Path(result.waves), window, start))
    power.setup.update({"test": spec.name, "seed": seed, "simulator": simulator,
                        "cells": netlist.n_cells, "area_um2": netlist.area_um2})
    return power, out
