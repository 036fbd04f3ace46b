"""The `power` record of one run: what its measured activity costs at the sky130 tt corner.

From the run's RTL activity (regress/activity.py, from the first clock edge after reset
release) and its metrics.json:

- cycles, clock, corner, toggles per cycle per instance (its own bits, children apart, as
  the proxy's by_instance_uw; "" is the top's own) and of the whole DUT;
- proxy power (power.proxy: the design's calibrated model, else the generic one), for the
  whole run, per window and per instance, with `calibrated`, `model_id` and `stale` (the
  design's sources differ from those the calibration saw);
- energy per item of work: the power times the measured time over the items the scoreboard
  checked (ITEM_METRICS says which metric counts what);
- toggle coverage: the percent of captured bits that toggled at least once (the RTL's
  `integer` loop variables left out: no hardware); the others are holes, listed (the first
  HOLES_LISTED by name) with their count.

Gate-level tests (gl.*) have netlist nets, not RTL signals, so no proxy: they get
`gate_level_uw` from the gate-level power engine on their VCD, and that is the figure their
energy and drift use. Drift (`baseline_uw`, `drift_pct`, `drift`) is regress/power_drift.py's.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ref_model.errors import ConfigError
from regress import activity
from regress.power_drift import tracked_uw
from tb import harness
from tb.common.clocking import CLOCK_PERIOD_NS

# metrics.json counter -> the item of work it counts (the first one a run has is used)
ITEM_METRICS = (("words_checked", "number"), ("steps_checked", "zo_step"))
HOLES_LISTED = 32
RECORD_FILE = "power.json"
CLOCK_PERIOD_S = CLOCK_PERIOD_NS * 1e-9
UW, PJ = 1e6, 1e12
# Larger waves take minutes to read and GBs of matrices (train.TrainStepsTest: 4.3 MB of
# FST per 100k cycles, 11 s to read; TrainLongTest runs 43.5M cycles). VCD, at gate level,
# is uncompressed and read in one pass.
MAX_WAVES_MB = {"fst": 100, "vcd": 2000}
INTEGER_DECL = re.compile(r"^\s*integer\s+(\w+(?:\s*,\s*\w+)*)\s*;", re.MULTILINE)


def items(metrics: dict) -> tuple[int | None, str | None]:
    """(count, unit) of the work the run's scoreboard checked, or (None, None)."""
    for metric, unit in ITEM_METRICS:
        if isinstance(metrics.get(metric), int):
            return metrics[metric], unit
    return None, None


def design_sha256(spec: harness.TestSpec) -> str:
    """The design's sources as a calibration records them (the model's rtl_sha256)."""
    from power import proxy
    return proxy.sources_sha256([harness.REPO / source for source in spec.bench.sources])


def measure(spec: harness.TestSpec, result: harness.Result, window: int,
            keep_waves: bool = False) -> None:
    """Capture the run's activity and power into result.activity and result.power.

    The waves are read (and, at gate level, analysed by the power engine) before they are
    deleted. Never raises for a bad run: the record is then {"error": message}.
    """
    too_long = _too_long(result.waves)
    if too_long:
        result.activity = result.power = {"error": too_long}
        activity.drop_waves(result, keep_waves)
        return
    summary, act = activity.reduce(result, spec.bench.toplevel, window, spec.gate_level)
    result.activity = summary
    if act is None:
        result.power = {"error": summary["error"]}
        return
    summary["waves_kept"] = keep_waves
    try:
        gate_w = gate_level_w(spec, Path(result.waves), window) if spec.gate_level else None
        result.power = build(spec, act, result.metrics, gate_w)
    except ConfigError as exc:
        result.power = {"error": str(exc)}
    except Exception as exc:  # a bug in the power path must not cost the test its result
        result.power = {"error": f"{type(exc).__name__}: {exc}"}
    else:
        Path(summary["files"]["json"]).with_name(RECORD_FILE).write_text(
            json.dumps(result.power, indent=1))
    activity.drop_waves(result, keep_waves)


def _too_long(waves: str | None) -> str | None:
    """Why the waves are too large to capture (None: they are not)."""
    path = Path(waves) if waves else None
    if path is None or not path.exists():
        return None
    limit = MAX_WAVES_MB[path.suffix.lstrip(".")]
    size = path.stat().st_size
    if size <= limit * 1e6:
        return None
    return (f"waves of {size / 1e6:.0f} MB, more than the capture reads ({limit:g} MB of "
            f"{path.suffix[1:].upper()}: minutes and gigabytes); run such tests with --no-power")


def build(spec: harness.TestSpec, act, metrics: dict, gate_w: float | None = None) -> dict:
    """The record of interfaces.md for one run's Activity (drift fields still empty)."""
    from power import proxy
    record = {"cycles": act.cycles or 0, "clock_hz": round(1 / CLOCK_PERIOD_S),
              "corner": proxy.CORNER,
              **_proxy(spec, act), **_toggles_per_cycle(act),
              **_coverage(act, frozenset() if spec.gate_level
                          else loop_variables(spec.bench.sources)),
              "gate_level_uw": None if gate_w is None else round(gate_w * UW, 4)}
    record.update(_energy(record, act.duration, metrics))
    record.update({"baseline_uw": None, "drift_pct": None, "toggles_drift_pct": None,
                   "drift": False})
    return record


def _proxy(spec: harness.TestSpec, act) -> dict:
    if spec.gate_level:  # the proxy reads RTL signals; a netlist's nets are not those
        return {"proxy_uw": None, "proxy_windows_uw": None, "by_instance_uw": None,
                "calibrated": None, "model_id": None, "stale": None}
    from power import proxy
    model = proxy.for_design(spec.bench.toplevel, spec.params)
    est = model.estimate(act, clock_period_s=CLOCK_PERIOD_S)
    return {"proxy_uw": round(est.total_w * UW, 4),
            "proxy_windows_uw": [round(float(w) * UW, 4) for w in est.window_w],
            "by_instance_uw": {k: round(v * UW, 4) for k, v in est.by_instance.items()},
            "calibrated": bool(est.calibrated), "model_id": est.model_id,
            "stale": bool(est.calibrated) and model.rtl_sha256 != design_sha256(spec)}


def _toggles_per_cycle(act) -> dict:
    """Per instance its own bits' toggles per cycle (as by_instance_uw: children apart, the
    instances sum to the DUT), and the whole DUT's."""
    cycles = act.cycles or 0

    def rate(n):
        return round(n / cycles, 4) if cycles else None

    return {"toggles_per_cycle": {path: rate(inst["self"])
                                  for path, inst in act.by_instance().items()},
            "dut_toggles_per_cycle": rate(int(act.total_toggles().sum()))}


def _coverage(act, loop_variables: frozenset[str]) -> dict:
    """Toggle coverage over the captured bits but the loop variables' (not hardware)."""
    counted = [(name, hit) for name, hit in zip(act.names, act.total_toggles() > 0, strict=True)
               if _signal(name) not in loop_variables]
    holes = [name for name, hit in counted if not hit]
    pct = round(100 * (1 - len(holes) / len(counted)), 2) if counted else None
    return {"toggle_coverage_pct": pct, "never_toggled": holes[:HOLES_LISTED],
            "never_toggled_count": len(holes)}


def _signal(bit: str) -> str:
    """The declared name of a bit: 'u_a.state_q[3]' -> 'state_q'."""
    return bit.split("[", 1)[0].rsplit(".", 1)[-1]


@lru_cache(maxsize=256)
def loop_variables(sources: tuple[str, ...]) -> frozenset[str]:
    """Names declared `integer` in the RTL: for-loop indices, which simulators dump as
    32-bit variables that never toggle between clock edges."""
    names = set()
    for source in sources:
        for decl in INTEGER_DECL.findall((harness.REPO / source).read_text()):
            names.update(n.strip() for n in decl.split(","))
    return frozenset(names)


def _energy(record: dict, seconds: float, metrics: dict) -> dict:
    count, unit = items(metrics)
    power_uw = tracked_uw(record)
    energy = (None if not count or power_uw is None
              else round(power_uw / UW * seconds / count * PJ, 4))
    return {"items": count, "item_unit": unit, "energy_pj_per_item": energy}


def gate_level_w(spec: harness.TestSpec, waves: Path, window: int) -> float:
    """The gate-level power engine's whole-run figure for a gl.* run's VCD (W)."""
    from power import gate_synth, gl_run
    from power.flow import run as run_job
    netlist = Path(spec.netlist) if spec.netlist else Path(gate_synth.for_spec(spec).json)
    return run_job(gl_run.power_job(spec, netlist, waves, window, "reset")).total()["total"]


def describe(record: dict | None) -> str:
    """One line for the console."""
    if not record:
        return "power: none"
    if "error" in record:
        return f"power: FAILED: {record['error']}"
    figure = (f"proxy {record['proxy_uw']} uW ({_model(record)})"
              if record["proxy_uw"] is not None else f"gate level {record['gate_level_uw']} uW")
    energy = ("" if record["energy_pj_per_item"] is None else
              f", {record['energy_pj_per_item']} pJ per {record['item_unit']}")
    baseline = ("" if record["baseline_uw"] is None else
                f"; baseline {record['baseline_uw']} uW ({record['drift_pct']:+.1f}%)")
    return (f"power: {figure} at {record['clock_hz'] / 1e6:g} MHz, {record['corner']}{energy}; "
            f"toggle coverage {record['toggle_coverage_pct']}% "
            f"({record['never_toggled_count']} bits never toggled){baseline}")


def _model(record: dict) -> str:
    if not record["calibrated"]:
        return "generic model"
    return f"{record['model_id']}{', STALE' if record['stale'] else ''}"
