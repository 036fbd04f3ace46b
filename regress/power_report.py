"""The power parts of a regression's reports: report.md sections and junit.xml properties."""

from __future__ import annotations

from collections import defaultdict

from regress import power_drift
from regress.power_drift import tracked_uw

JUNIT_FIELDS = ("proxy_uw", "gate_level_uw", "energy_pj_per_item", "item_unit",
                "dut_toggles_per_cycle",
                "toggle_coverage_pct", "never_toggled_count", "calibrated", "model_id", "stale",
                "baseline_uw", "drift_pct", "toggles_drift_pct", "drift")


def sections(data: dict) -> list[str]:
    """report.md: the power table, the drift section and the toggle-coverage holes."""
    tests = [t for t in data["tests"] if t.get("power")]
    head = (f"## Power (sky130 tt corner at {_clock(tests)}, from the first clock edge after "
            "reset release; gl.* tests: the gate-level engine)")
    return (["", head, "", *power_table(tests), "", "## Power drift", "",
             *drift_lines(data, tests), "", "## Toggle-coverage holes (bits that never toggled)",
             "", *holes_table(tests)])


def _clock(tests: list[dict]) -> str:
    clocks = {t["power"]["clock_hz"] for t in tests if "clock_hz" in t["power"]}
    return ", ".join(f"{c / 1e6:g} MHz" for c in sorted(clocks)) or "-"


def power_table(tests: list[dict]) -> list[str]:
    rows = ["| simulator | test | seed | cycles | proxy uW | gate-level uW | energy pJ/item | "
            "toggles/cycle | toggle coverage % | model | drift |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for t in tests:
        p = t["power"]
        head = f"| {t['simulator']} | {t['name']} | {t['seed']} |"
        if "error" in p:
            rows.append(f"{head} - | - | - | - | - | - | - | error: {p['error'][:120]} |")
            continue
        energy = ("-" if p["energy_pj_per_item"] is None
                  else f"{p['energy_pj_per_item']} / {p['item_unit']}")
        rows.append(f"{head} {p['cycles']} | {_num(p['proxy_uw'])} | "
                    f"{_num(p['gate_level_uw'])} | {energy} | "
                    f"{_num(p['dut_toggles_per_cycle'])} | "
                    f"{_num(p['toggle_coverage_pct'])} | {model_cell(p)} | {drift_cell(p)} |")
    return rows


def _num(value) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def model_cell(p: dict) -> str:
    if p["calibrated"] is None:
        return "-"
    if not p["calibrated"]:
        return "generic"
    return f"{p['model_id']} (STALE)" if p["stale"] else p["model_id"]


def drift_cell(p: dict) -> str:
    if p["baseline_uw"] is None:
        return "no baseline"
    text = f"{p['drift_pct']:+.1f}%"
    if p.get("toggles_drift_pct") is not None:
        text += f" (toggles {p['toggles_drift_pct']:+.1f}%)"
    return f"**DRIFT {text}**" if p["drift"] else text


def drift_lines(data: dict, tests: list[dict]) -> list[str]:
    check = data.get("power_check")
    if not check:
        return ["No baseline was checked (`--power-baseline`)."]
    drifted = power_drift.flagged(tests)
    return [power_drift.tally(tests, check), "",
            *[f"- {power_drift.describe(t, check['tolerance_pct'])}" for t in drifted]]


def holes_table(tests: list[dict]) -> list[str]:
    """One row per test and distinct set of holes (runs with the same holes share a row)."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for t in tests:
        p = t["power"]
        if "error" in p or not p["never_toggled_count"]:
            continue
        shape = (t["name"], p["toggle_coverage_pct"], p["never_toggled_count"],
                 tuple(p["never_toggled"]))
        groups[shape].append(f"{t['simulator']} s{t['seed']}")
    if not groups:
        return ["Every captured bit toggled in every run."]
    rows = ["| test | runs | coverage % | never toggled | bits (first listed) |",
            "| --- | --- | --- | --- | --- |"]
    for (name, pct, count, bits), runs in sorted(groups.items()):
        more = f" (+{count - len(bits)} more)" if count > len(bits) else ""
        rows.append(f"| {name} | {', '.join(runs)} | {pct} | {count} | "
                    f"{', '.join(f'`{b}`' for b in bits)}{more} |")
    return rows


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def properties(p: dict | None) -> list[tuple[str, str]]:
    """junit.xml `power.*` properties of one run."""
    if not p:
        return []
    if "error" in p:
        return [("power.error", p["error"])]
    props = [(f"power.{k}", _text(p[k])) for k in JUNIT_FIELDS if p.get(k) is not None]
    props.append(("power.tracked_uw", str(tracked_uw(p))))
    return props
