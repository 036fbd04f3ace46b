"""A run mapped onto the testplans (regress/testplan.py): every entry `met`, `failing` or
`not covered`, from the run's records (report.json `tests`: name, status, metrics with
the coverage bins).

- failing: one of the entry's tests failed, errored or timed out in the run;
- not covered: none of its tests ran, or a coverage point it names was never hit by them
  (the reason names which);
- met: every run of its tests passed and each of its coverage points was hit by one.
A coverage pattern counts the bins the entry's runs declare; one matching none of them is
a point never hit.
"""

from __future__ import annotations

import fnmatch

from ref_model.errors import ConfigError
from regress import testplan
from regress.statuses import FAILED

MET, FAILING, NOT_COVERED = "met", "failing", "not covered"
STATES = (MET, FAILING, NOT_COVERED)


def entry_status(entry: testplan.Entry, records: list[dict], suite: str) -> dict:
    """{name, status, why, runs} of one entry over a run's records."""
    runs = [r for r in records if entry.covers(r["name"])]
    out = {"name": entry.name, "runs": len(runs)}
    if not runs:
        where = "" if entry.suite == suite else f"; suite {entry.suite} runs them"
        return {**out, "status": NOT_COVERED, "why": f"none of its tests ran{where}"}
    failed = sorted({f"{r['name']} ({r['status']})" for r in runs if r["status"] in FAILED})
    if failed:
        return {**out, "status": FAILING, "why": "failed: " + ", ".join(failed)}
    holes = unhit(entry.coverage, runs)
    if holes:
        return {**out, "status": NOT_COVERED, "why": "never hit: " + ", ".join(holes)}
    return {**out, "status": MET, "why": ""}


def unhit(patterns: tuple[str, ...], runs: list[dict]) -> list[str]:
    """The points of `patterns` no run hit (a pattern matching no declared bin itself)."""
    hits: dict[str, int] = {}
    for r in runs:
        bins = (r.get("metrics") or {}).get("coverage", {}).get("bins", {})
        for group, counts in bins.items():
            for name, n in counts.items():
                point = f"{group}.{name}"
                hits[point] = hits.get(point, 0) + n
    holes = []
    for pattern in patterns:
        points = fnmatch.filter(hits, pattern)
        holes += [p for p in points if not hits[p]] if points else [pattern]
    return sorted(dict.fromkeys(holes))


def plan_status(plan: testplan.Testplan, records: list[dict], suite: str) -> dict:
    entries = [entry_status(e, records, suite) for e in plan.entries]
    counts = {s: sum(e["status"] == s for e in entries) for s in STATES}
    return {"bench": plan.bench, "file": plan.file, "counts": counts,
            "entries": entries}


def for_run(records: list[dict], suite: str) -> dict:
    """report.json's `testplan`: every bench's plan status, or the error that stopped it
    (a broken plan must not lose the run's report)."""
    try:
        plans = testplan.load_all()
    except ConfigError as exc:
        return {"error": str(exc), "plans": []}
    return {"error": None, "plans": [plan_status(p, records, suite) for p in plans.values()]}


def markdown(status: dict) -> list[str]:
    """report.md's section: a table per bench."""
    lines = ["", "## Testplan status", ""]
    if status["error"]:
        return lines + [f"Testplans not loaded: {status['error']}"]
    for plan in status["plans"]:
        c = plan["counts"]
        lines += [f"### {plan['bench']} ({plan['file']}): {c[MET]} met, {c[FAILING]} failing, "
                  f"{c[NOT_COVERED]} not covered", "", "| entry | status | runs | why |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {e['name']} | {e['status']} | {e['runs']} | {e['why'] or '-'} |"
                  for e in plan["entries"]]
        lines.append("")
    return lines


def lines(status: dict) -> list[str]:
    """`pezo testplan --run`: a line per entry."""
    if status["error"]:
        raise ConfigError(status["error"])
    out = []
    for plan in status["plans"]:
        out.append(f"{plan['bench']}: " + ", ".join(f"{n} {s}" for s, n in plan["counts"].items()))
        out += [f"  {e['status']:11} {e['name']}" + (f"  ({e['why']})" if e["why"] else "")
                for e in plan["entries"]]
    return out
