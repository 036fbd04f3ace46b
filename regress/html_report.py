"""The run's HTML page, index.html beside report.json: summary, failures grouped by their
first error message, plots, every run (status, seed, time, coverage, power, rerun command,
log link) and the coverage holes. Static: it opens from the file system (plotly.js is
copied into the run folder once), no server."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import jinja2
import plotly
from markupsafe import Markup

from regress import code_coverage_report, report_plots
from regress.statuses import FAILED

TEMPLATE = "report.html.j2"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
_NUMBER = re.compile(r"\d+")


def bucket_key(message: str) -> str:
    """A failure's first line with its numbers masked: failures that differ only in a
    step, a value or a seed land in the same bucket."""
    first = (message or "(no message)").strip().splitlines()[0] if message else "(no message)"
    return _NUMBER.sub("N", first)[:200]


def buckets(tests: list[dict]) -> list[dict]:
    """Failing runs grouped by bucket_key, the biggest bucket first."""
    groups: dict[str, list[dict]] = {}
    for t in tests:
        if t["status"] in FAILED:
            groups.setdefault(bucket_key(t["message"]), []).append(t)
    return sorted(({"message": k, "count": len(v), "tests": v} for k, v in groups.items()),
                  key=lambda b: (-b["count"], b["message"]))


def _row(t: dict, run_dir: Path, coverage: dict) -> dict:
    power = t.get("power") or {}
    log = Path(t["log"]) if t.get("log") else None
    link = os.path.relpath(log, run_dir) if log and log.is_absolute() else (t.get("log") or "")
    return {**t, "log_link": link,
            "sim_ns": "" if t["sim_time_ns"] is None else f"{t['sim_time_ns']:.0f}",
            "coverage": coverage.get(t["name"], {}).get("percent", ""),
            "power_uw": "" if power.get("proxy_uw") is None else f"{power['proxy_uw']:.1f}",
            "drift": "" if power.get("drift_pct") is None else f"{power['drift_pct']:+.1f}"}


def render(data: dict, run_dir: Path) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    env.filters.update(code_coverage_report.TEMPLATE_FILTERS)
    rows = [_row(t, run_dir, data["coverage"]) for t in data["tests"]]
    return env.get_template(TEMPLATE).render(
        data=data, tests=rows, buckets=buckets(rows), statuses=("pass", *FAILED),
        power=any(r["power_uw"] for r in rows),
        plots=[Markup(p) for p in report_plots.all_plots(data)])  # plotly's own HTML


def write(run_dir: Path, data: dict) -> Path:
    """run_dir/index.html (and plotly.min.js beside it, once)."""
    js = run_dir / PLOTLY_JS.name
    if not js.exists():
        shutil.copyfile(PLOTLY_JS, js)
    path = run_dir / "index.html"
    path.write_text(render(data, run_dir))
    return path
