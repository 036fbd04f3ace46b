"""`pezo report --diff RUN_A RUN_B`: what changed from one regression run to the next. New
failures (failing in B, passing or absent in A), fixed tests, tests only in one run, and the
functional-coverage and proxy-power deltas, from the two report.json records."""

from __future__ import annotations

from pathlib import Path

from regress import run_state
from regress.statuses import FAILED

POWER_DELTA_PCT = 1.0  # power moves smaller than this are not listed


def load(run: str, root: Path) -> dict:
    """A run's report.json, the run named by its folder under root or by a path."""
    path = Path(run)
    return run_state.read_json((path if path.is_dir() else root / run) / "report.json")


def _runs(data: dict) -> dict[tuple, dict]:
    return {(t["name"], t["seed"], t["simulator"]): t for t in data["tests"]}


def diff(a: dict, b: dict) -> dict:
    ra, rb = _runs(a), _runs(b)
    new = [k for k, t in rb.items() if t["status"] in FAILED
           and (k not in ra or ra[k]["status"] not in FAILED)]
    fixed = [k for k, t in rb.items() if t["status"] == "pass" and k in ra
             and ra[k]["status"] in FAILED]
    still = [k for k, t in rb.items() if t["status"] in FAILED and k in ra
             and ra[k]["status"] in FAILED]
    cov = {name: (a["coverage"].get(name, {}).get("percent"), c["percent"])
           for name, c in b["coverage"].items()
           if a["coverage"].get(name, {}).get("percent") != c["percent"]}
    power = {}
    for k, t in rb.items():
        pa, pb = ((ra.get(k) or {}).get("power") or {}).get("proxy_uw"), \
            (t.get("power") or {}).get("proxy_uw")
        if pa and pb and abs(pb / pa - 1) * 100 >= POWER_DELTA_PCT:
            power[k] = (pa, pb)
    return {"new_failures": new, "fixed": fixed, "still_failing": still,
            "only_in_a": sorted(set(ra) - set(rb)), "only_in_b": sorted(set(rb) - set(ra)),
            "coverage": cov, "power": power, "messages": {k: rb[k]["message"] for k in new}}


def _name(k: tuple) -> str:
    return f"{k[0]} seed {k[1]} {k[2]}"


def lines(d: dict, a: dict, b: dict) -> list[str]:
    out = [f"diff {a['run']} -> {b['run']}: {len(d['new_failures'])} new failure(s), "
           f"{len(d['fixed'])} fixed, {len(d['still_failing'])} still failing, "
           f"{len(d['only_in_a'])} only in {a['run']}, {len(d['only_in_b'])} only in {b['run']}"]
    out += [f"NEW FAILURE {_name(k)}: {d['messages'][k]}" for k in d["new_failures"]]
    out += [f"FIXED {_name(k)}" for k in d["fixed"]]
    out += [f"STILL FAILING {_name(k)}" for k in d["still_failing"]]
    out += [f"coverage {name}: {pa} -> {pb} %" for name, (pa, pb) in sorted(d["coverage"].items())]
    out += [f"power {_name(k)}: {pa:.1f} -> {pb:.1f} uW ({(pb / pa - 1) * 100:+.1f}%)"
            for k, (pa, pb) in sorted(d["power"].items())]
    return out
