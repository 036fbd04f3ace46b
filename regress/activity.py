"""Activity capture for any test: the run's FST waves reduced to toggle data in its folder.

`pezo sim <test> --activity [--window N]` and every `pezo regress` run (unless --no-power;
regress/power_record.py turns the result into the run's power record) run the test with
FST waves, then `capture()` (or `reduce()`) reads them (power.activity.read_waves) over
the DUT's top scope from the first rising clock edge after reset release, in windows of N
clock cycles (default 1,000), and writes beside the log:

- activity.json: scope, cycles, windows, toggles per cycle, and per module instance the
  toggles of its own bits (self) and with its children (total), whole run and per window;
- toggles.csv: one row per signal bit: name, instance, toggles, toggles per cycle, and the
  fraction of the time at 1;
- activity.npz: the full per-bit x per-window toggle and time-at-1 matrices (the input of
  a power proxy), read back by power.activity.Activity.load().

X/Z: bits that are X from the start until their first 0/1 (memory and registers that no
reset initializes) read as 0 there, as Verilator shows them, so both simulators give the
same counts; later X/Z transitions are not counted. Memory words are left out: Verilator
dumps them and Icarus does not, and the same test should count the same bits on both.
The FST can be large and is deleted after the reduction, unless `pezo sim` also has
--waves (the regression never keeps it).

Gate-level tests (gl.*) record VCD instead (pywellen loads an FST's signals one at a time,
slow for a netlist's thousands of nets) and count the netlist's nets only, not the pins
of every cell instance below them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from ref_model.errors import ConfigError
from tb.sims import waves_scope

DEFAULT_WINDOW = 1000
FILES = {"json": "activity.json", "csv": "toggles.csv", "npz": "activity.npz"}
FORMAT = "pezo-activity 1"


def window_cycles(window: int | None, activity: bool) -> int | None:
    """The window to capture with (None: no capture); ConfigError for a bad --window."""
    if window is not None and window < 1:
        raise ConfigError(f"--window must be a positive number of clock cycles, got {window}")
    if window is not None and not activity:
        raise ConfigError("--window needs --activity")
    if not activity:
        return None
    return DEFAULT_WINDOW if window is None else window


def wave_format(spec) -> str:
    """The waves a capture records for this test: VCD at gate level, FST otherwise."""
    return "vcd" if spec.gate_level else "fst"


def read(waves: Path, scope: str, window: int, gate_level: bool = False):
    """The Activity of a test's waves as the capture measures it (see the module doc)."""
    from power.activity import read_waves
    return read_waves(waves, scope, start="reset", window_cycles=window, arrays=False,
                      initial_x="zero", below=not gate_level)


def capture(result, scope: str, window: int, keep_waves: bool = False,
            gate_level: bool = False) -> dict:
    """Reduce `result.waves` to the activity files in its folder; the summary for Result.activity.

    Never raises for bad waves: the summary is then {"error": message} (waves kept).
    """
    summary, act = reduce(result, scope, window, gate_level)
    if act is None:
        return summary
    drop_waves(result, keep_waves)
    summary["waves_kept"] = keep_waves
    return summary


def reduce(result, scope: str, window: int, gate_level: bool = False):
    """(summary, Activity) of the run's waves, files written, waves left in place.

    A run without readable waves gives ({"error": message}, None).
    """
    if not result.waves:
        return {"error": "no waves were written (see the log)"}, None
    waves = Path(result.waves)
    start = time.monotonic()
    try:
        act = read(waves, waves_scope(result.simulator, scope), window, gate_level)
    except ConfigError as exc:
        return {"error": str(exc)}, None
    read_s = round(time.monotonic() - start, 3)
    info = {"test": result.name, "seed": result.seed, "simulator": result.simulator}
    return write(act, waves.parent, info, read_s), act


def drop_waves(result, keep_waves: bool = False) -> None:
    """Delete the run's waves once reduced (they can be large), unless asked to keep them."""
    if result.waves and not keep_waves:
        Path(result.waves).unlink(missing_ok=True)
        result.waves = None


def write(act, out_dir: Path, info: dict, read_s: float | None = None) -> dict:
    """activity.json, toggles.csv and activity.npz for `act` in out_dir; returns the summary."""
    out_dir = Path(out_dir)
    cycles = act.cycles or 0
    per_cycle = (lambda n: round(n / cycles, 4)) if cycles else (lambda n: None)
    totals = act.total_toggles()
    instances = []
    for path, inst in act.by_instance().items():
        instances.append({"instance": path, "bits": inst["bits"],
                          "total_bits": inst["total_bits"], "self": inst["self"],
                          "total": inst["total"], "self_per_cycle": per_cycle(inst["self"]),
                          "total_per_cycle": per_cycle(inst["total"]),
                          "self_windows": inst["self_windows"].tolist(),
                          "total_windows": inst["total_windows"].tolist()})
    files = {kind: str(out_dir / name) for kind, name in FILES.items()}
    summary = {"scope": act.scope, "clock": act.clock, "start": "reset",
               "start_s": float(act.window_start[0]), "end_s": float(act.window_start[-1]),
               "cycles": act.cycles, "window_cycles": act.window_cycles,
               "n_windows": act.n_windows, "n_bits": act.n_bits,
               "toggles": int(totals.sum()), "toggles_per_cycle": per_cycle(int(totals.sum())),
               "read_s": read_s, "files": files}
    record = {"format": FORMAT, **info, **summary, "time_unit_s": act.time_unit,
              "source": act.source,
              "window_start_s": act.window_start.tolist(),
              "window_ncycles": None if act.window_ncycles is None else act.window_ncycles.tolist(),
              "instances": instances}
    Path(files["json"]).write_text(json.dumps(record, indent=1))
    duty = np.divide(act.total_high_time(), act.duration) if act.duration > 0 else \
        np.zeros(act.n_bits)
    with open(files["csv"], "w") as handle:
        handle.write("name,instance,toggles,toggles_per_cycle,high_fraction\n")
        for i, name in enumerate(act.names):
            rate = "" if not cycles else f"{totals[i] / cycles:.6g}"
            handle.write(f"{_csv(name)},{_csv(act.instances[act.instance[i]])},"
                         f"{int(totals[i])},{rate},{duty[i]:.6g}\n")
    act.save(files["npz"])
    return summary


def _csv(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text


def describe(summary: dict | None) -> str:
    """One line for the console."""
    if not summary:
        return "activity: none"
    if "error" in summary:
        return f"activity: FAILED: {summary['error']}"
    rate = summary["toggles_per_cycle"]
    return (f"activity: {summary['cycles']} cycles from reset release, "
            f"{rate if rate is not None else '-'} toggles/cycle over {summary['n_bits']} bits, "
            f"{summary['n_windows']} window(s) of {summary['window_cycles']} cycles; "
            f"{summary['files']['json']} (+ {FILES['csv']}, {FILES['npz']})")
