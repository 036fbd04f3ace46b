"""One calibration sample: a test's RTL activity and its gate-level power, on the same windows.

The same pyuvm test and seed run twice on Icarus: on the RTL with FST waves (reduced to
an Activity exactly as the regression's capture does, regress.activity.read), and on the
sky130 netlist with VCD waves through the gate-level power engine (power.gl_run), both
windowed from the first rising clock edge after reset release. The window boundaries
must agree (same testbench, same clock), else the pair is refused.

Samples are cached in build/power/calibrate/<test>-s<seed>-w<window>/ under a key of
everything that decides them (RTL and testbench sources, netlist flow, liberty, window),
so a rerun after a change of the fit does not simulate again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from power import gate_synth, gl_run, pdk
from power.activity import Activity
from ref_model.errors import ConfigError
from tb import harness, registry

CACHE = gl_run.POWER_ROOT / "calibrate"
SIMULATOR = "icarus"        # the RTL run
GL_SIMULATORS = ("icarus", "verilator")  # the gate-level run: the same power to every digit
# (docs/power.md); Verilator simulates a 25k-cell netlist about 100x faster than Icarus
CACHE_VERSION = "1"


@dataclass
class Sample:
    test: str
    seed: int
    activity: Activity       # RTL, from reset release
    gl_window_w: np.ndarray  # gate-level W per window, the same windows
    gl: dict                 # gate-level totals and setup (cells, area)


def calibration_test(bench: str, variant: str) -> str:
    """The bench's calibration stimulus (POWER_TEST) for this variant, else its random test."""
    module = registry.BENCHES[bench]
    if variant not in module.VARIANTS:
        raise ConfigError(f"unknown variant '{variant}' of bench {bench}; "
                          f"known: {', '.join(module.VARIANTS)}")
    power_test = getattr(module, "POWER_TEST", None)
    if power_test and f"{bench}.{power_test}.{variant}" in registry.RTL_TESTS:
        return f"{bench}.{power_test}.{variant}"
    random_test = next(t for t in module.TESTCASES if t.endswith("RandomTest"))
    return f"{bench}.{random_test}.{variant}"


def cache_key(spec: harness.TestSpec, seed: int, window: int, gl_sim: str) -> str:
    fields = [CACHE_VERSION, spec.name, seed, window, SIMULATOR, gate_synth.FLOW_VERSION,
              pdk.liberty_hash(), sorted(spec.parameters)]
    if gl_sim != "icarus":  # Icarus on both sides: the key of the first calibrations
        fields.append(gl_sim)
    digest = hashlib.sha256(json.dumps(fields).encode())
    bench_dir = harness.REPO / "tb" / spec.bench.name
    files = [harness.REPO / s for s in spec.bench.sources]
    files += sorted(bench_dir.glob("*.py")) + sorted((harness.REPO / "tb" / "common").glob("*.py"))
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sample(test: str, seed: int, window: int, gl_sim: str = "icarus") -> Sample:
    """The (cached) sample of `test` at `seed`; ConfigError if a run fails or windows differ."""
    if gl_sim not in GL_SIMULATORS:
        raise ConfigError(f"unknown gate-level simulator '{gl_sim}': choose one of "
                          f"{', '.join(GL_SIMULATORS)}")
    spec = registry.get(test)
    suffix = "" if gl_sim == "icarus" else f"-{gl_sim}"
    folder = CACHE / f"{test}-s{seed}-w{window}{suffix}"
    key = cache_key(spec, seed, window, gl_sim)
    stamp = folder / "key.txt"
    if not (stamp.is_file() and stamp.read_text() == key):
        folder.mkdir(parents=True, exist_ok=True)
        stamp.unlink(missing_ok=True)
        _rtl(spec, seed, window, folder)
        _gate_level(test, seed, window, folder, gl_sim)
        stamp.write_text(key)
    activity = Activity.load(folder / "rtl.npz")
    gl = json.loads((folder / "gl.json").read_text())
    _check_windows(test, seed, activity, np.array(gl["window_start_s"]))
    return Sample(test, seed, activity, np.array(gl["window_w"]), gl)


def _rtl(spec, seed: int, window: int, folder: Path) -> None:
    from regress import activity as capture
    result = harness.run(spec, seed, SIMULATOR, waves=True, out_dir=folder / "rtl")
    if result.status != "pass" or not result.waves:
        raise ConfigError(f"RTL run of {spec.name} seed {seed} did not pass ({result.status}: "
                          f"{result.message}); log {result.log}")
    act = capture.read(Path(result.waves), spec.bench.toplevel, window)
    act.save(folder / "rtl.npz")
    Path(result.waves).unlink(missing_ok=True)


def _gate_level(test: str, seed: int, window: int, folder: Path, gl_sim: str) -> None:
    power, out = gl_run.run(test, seed, gl_sim, window, folder / "gl", start="reset")
    record = {"window_w": power.per_window_total().tolist(), "simulator": gl_sim,
              "window_start_s": power.window_start.tolist(), "total": power.total(),
              "cells": power.setup.get("cells"), "area_um2": power.setup.get("area_um2"),
              "liberty": power.setup.get("liberty"),
              "liberty_sha256": power.setup.get("liberty_sha256")}
    (folder / "gl.json").write_text(json.dumps(record, indent=1))
    for waves in (out / "sim").glob("waves.*"):
        waves.unlink()


def _check_windows(test: str, seed: int, activity: Activity, gl_start: np.ndarray) -> None:
    rtl_start = activity.window_start
    if len(rtl_start) != len(gl_start) or not np.allclose(rtl_start, gl_start, rtol=0,
                                                           atol=1e-12):
        raise ConfigError(f"{test} seed {seed}: RTL and gate-level windows differ "
                          f"({activity.n_windows} windows from {rtl_start[0]:.4g} s over "
                          f"{activity.cycles} cycles on RTL, {len(gl_start) - 1} from "
                          f"{gl_start[0]:.4g} s on gates)")
