"""Runs a list of jobs in parallel and keeps every result, whatever happens.

Builds are made first (one per distinct design configuration), then tests run
in a thread pool (each test is its own simulator process). The report is
rewritten after every finished test, so an interrupted or crashed regression
still leaves everything already computed on disk.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from regress import activity, power_drift, power_record, report
from regress.suites import Job
from tb import harness, registry

REGRESS_ROOT = harness.REPO / "build" / "regress"


def new_run_dir(suite: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = REGRESS_ROOT / f"{stamp}-{suite}"
    suffix = 1
    while run_dir.exists():
        suffix += 1
        run_dir = REGRESS_ROOT / f"{stamp}-{suite}-{suffix}"
    run_dir.mkdir(parents=True)
    latest = REGRESS_ROOT / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(run_dir.name)
    return run_dir


def _prebuild(jobs: list[Job], workers: int, progress, waves: bool = False) -> None:
    """Compile each distinct (design, simulator) once, in parallel; errors surface per test.

    waves: build the variant with waves (what the runs will use when capturing activity).
    """
    distinct = {}
    for job in jobs:
        spec = registry.get(job.test)
        fmt = activity.wave_format(spec) if waves else False
        distinct.setdefault((harness.build_key(spec, job.simulator, fmt), job.simulator),
                            (spec, job.simulator, fmt))
    progress(f"building {len(distinct)} design configuration(s)...")

    def build_one(item):
        spec, simulator, fmt = item
        try:
            harness.build(spec, simulator, waves=fmt)
        except harness.BuildError:
            pass  # reported by the test that needs it, with the log

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(build_one, distinct.values()))


@dataclass(frozen=True)
class PowerCheck:
    """What each run's power is judged against (regress/power_drift.py)."""

    entries: dict  # the baseline's entries (power_drift.load)
    tolerance_pct: float = power_drift.DEFAULT_TOLERANCE_PCT
    baseline: str = ""  # the file they came from (for the report)

    def describe(self) -> dict:
        return {"baseline": self.baseline, "tolerance_pct": self.tolerance_pct}


def run_jobs(jobs: list[Job], run_dir: Path, meta: dict, workers: int | None = None,
             progress=print, activity_window: int | None = None,
             power: PowerCheck | None = None) -> dict:
    """Run every job; return the final report dict (also written to run_dir).

    activity_window: capture each run's activity in windows of this many cycles and its
    power record (regress/power_record.py); the runs then record waves, deleted once
    reduced. power: the baseline the records are judged against (None: no drift check).
    """
    workers = workers or os.cpu_count() or 1
    start = time.monotonic()
    meta = {**meta, "power_check": power and power.describe()}
    waves = activity_window is not None
    _prebuild(jobs, workers, progress, waves=waves)
    results: list[harness.Result] = []

    def run_one(job: Job) -> harness.Result:
        out_dir = run_dir / "tests" / job.simulator / f"{job.test}-s{job.seed}"
        spec = registry.get(job.test)
        fmt = activity.wave_format(spec) if waves else False
        result = harness.run(spec, job.seed, job.simulator, waves=fmt, out_dir=out_dir)
        if waves:
            power_record.measure(spec, result, activity_window)
            if power is not None:
                power_drift.judge(result, power.entries, power.tolerance_pct)
        return result

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(run_one, job) for job in jobs]
        for future in as_completed(futures):
            results.append(future.result())
            progress(report.progress_line(results[-1], len(results), len(jobs)))
            report.write(run_dir, meta, results, time.monotonic() - start, complete=False)
    except KeyboardInterrupt:
        progress("interrupted: writing the partial report (running simulations finish first)")
        report.write(run_dir, meta, results, time.monotonic() - start, complete=False)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return report.write(run_dir, meta, results, time.monotonic() - start, complete=True)
