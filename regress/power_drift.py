"""Power drift: each run's power against its recorded baseline (regress/power_baseline.json).

The baseline holds per (simulator, test, seed) the power (the proxy's, or the gate-level
engine's for gl.* tests: tracked_uw) and the DUT's toggles per cycle. A run whose power or
toggles moved further than the tolerance from its entry is flagged; it keeps its
functional status. A run without an entry is "no baseline", not drift.
`pezo regress --update-power-baseline` merges a run's figures into the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ref_model.errors import ConfigError

if TYPE_CHECKING:  # light to import: `pezo`'s parser reads the defaults below
    from tb.harness import Result

BASELINE = Path(__file__).resolve().parent / "power_baseline.json"
FORMAT = "pezo-power-baseline 1"
DEFAULT_TOLERANCE_PCT = 5.0


def key(simulator: str, test: str, seed: int) -> str:
    return f"{simulator} {test} {seed}"


def check_tolerance(pct: float) -> float:
    if not pct > 0:
        raise ConfigError(f"--power-tolerance must be a percentage > 0, got {pct}")
    return pct


def load(path: Path) -> dict[str, dict]:
    """The baseline's entries {key: {"uw", "model_id"}}; ConfigError (one line) otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"power baseline {path} does not exist (record one with "
                          f"`pezo regress --update-power-baseline`)")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"power baseline {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError(f"power baseline {path} is not a '{FORMAT}' file")
    entries = data.get("entries")
    if not isinstance(entries, dict) or not all(_valid(e) for e in entries.values()):
        raise ConfigError(f"power baseline {path}: 'entries' must map '<simulator> <test> "
                          f"<seed>' to {{\"uw\": a positive number, \"toggles_per_cycle\": "
                          f"a number >= 0, ...}}")
    return entries


def _valid(entry) -> bool:
    if not isinstance(entry, dict):
        return False
    uw, toggles = entry.get("uw"), entry.get("toggles_per_cycle", 0)
    return _number(uw) and uw > 0 and _number(toggles) and toggles >= 0


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def tracked_uw(record: dict) -> float | None:
    """The figure drift follows: the proxy's, or at gate level the power engine's."""
    if record.get("proxy_uw") is not None:
        return record["proxy_uw"]
    return record.get("gate_level_uw")


def judge(result: Result, entries: dict[str, dict], tolerance_pct: float) -> None:
    """Fill result.power's drift fields from the baseline's entry: the tracked power's change
    (drift_pct) and the DUT's toggles per cycle's (toggles_drift_pct). Either beyond the
    tolerance is drift: a calibrated proxy can give a signal no weight (a register that
    only echoes others), but its toggles still count."""
    record = result.power
    if not record or "error" in record:
        return
    entry = entries.get(key(result.simulator, result.name, result.seed))
    now = tracked_uw(record)
    if entry is None or now is None:
        record.update({"baseline_uw": None, "drift_pct": None, "toggles_drift_pct": None,
                       "drift": False})
        return
    pct = _change(now, entry["uw"])
    toggles = _change(record["dut_toggles_per_cycle"], entry.get("toggles_per_cycle"))
    record.update({"baseline_uw": entry["uw"], "drift_pct": pct, "toggles_drift_pct": toggles,
                   "drift": any(x is not None and abs(x) > tolerance_pct for x in (pct, toggles)),
                   "baseline_model_id": entry.get("model_id")})


def _change(now: float | None, before: float | None) -> float | None:
    """Percent change, None without both figures."""
    if now is None or not before:
        return None
    return round(100 * (now - before) / before, 2)


def merge(path: Path, tests: list[dict]) -> int:
    """Write the passing runs' figures (report.json test records) into the baseline at
    `path`, keeping the entries of other runs; returns how many entries were written."""
    path = Path(path)
    entries = load(path) if path.exists() else {}
    new = {key(t["simulator"], t["name"], t["seed"]): _entry(t["power"])
           for t in tests if t["status"] == "pass" and _measured(t.get("power"))}
    entries.update(new)
    data = {"format": FORMAT, "what": "per '<simulator> <test> <seed>': power in uW (the RTL "
            "proxy, or the gate-level engine for gl.* tests) and the DUT's toggles per cycle "
            "(regress/power_drift.py)",
            "entries": dict(sorted(entries.items()))}
    path.write_text(json.dumps(data, indent=1) + "\n")
    return len(new)


def _entry(record: dict) -> dict:
    return {"uw": tracked_uw(record), "toggles_per_cycle": record["dut_toggles_per_cycle"],
            "model_id": record["model_id"]}


def _measured(record: dict | None) -> bool:
    return bool(record) and "error" not in record and bool(tracked_uw(record))


def tally(tests: list[dict], check: dict) -> str:
    """One line: how the runs' power compares with the baseline."""
    records = [t["power"] for t in tests if t.get("power") and "error" not in t["power"]]
    missing = sum(p["baseline_uw"] is None for p in records)
    drifted = sum(bool(p["drift"]) for p in records)
    failed = sum(1 for t in tests if t.get("power") and "error" in t["power"])
    return (f"Baseline `{check['baseline']}`, tolerance {check['tolerance_pct']:g}%: "
            f"{len(records) - missing - drifted} runs within, {drifted} drifted, "
            f"{missing} without a baseline entry" + (f", {failed} not measured" if failed else "")
            + ".")


def flagged(tests: list[dict]) -> list[dict]:
    """The report's test records whose power drifted."""
    return [t for t in tests if (t.get("power") or {}).get("drift")]


def describe(test: dict, tolerance_pct: float) -> str:
    """The console line of a flagged run (a report.json test record)."""
    p = test["power"]
    model = ("" if p.get("baseline_model_id") == p["model_id"] else
             f"; the proxy changed: baseline by {p.get('baseline_model_id')}, now {p['model_id']}")
    toggles = ("" if p.get("toggles_drift_pct") is None else
               f", toggles per cycle {p['toggles_drift_pct']:+.1f}%")
    return (f"POWER DRIFT: {test['simulator']} {test['name']} seed={test['seed']}: "
            f"{tracked_uw(p)} uW against the baseline's {p['baseline_uw']} uW "
            f"({p['drift_pct']:+.1f}%{toggles}; tolerance {tolerance_pct:g}%){model}")
