"""Runs a list of jobs in parallel and keeps every result, whatever happens.

Builds are made first (one per distinct design configuration), then tests run
in a thread pool (each test is its own simulator process). The report is
rewritten after every finished test, so an interrupted or crashed regression
still leaves everything already computed on disk.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from regress import activity, report, run_state
from regress.execution import PowerCheck, RunOptions, wants_code_coverage
from regress.local_backend import LocalPool
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
        cov = wants_code_coverage(job, spec)
        distinct.setdefault((harness.build_key(spec, job.simulator, fmt, cov), job.simulator),
                            (spec, job.simulator, fmt, cov))
    progress(f"building {len(distinct)} design configuration(s)...")

    def build_one(item):
        spec, simulator, fmt, cov = item
        try:
            harness.build(spec, simulator, waves=fmt, code_coverage=cov)
        except harness.BuildError:
            pass  # reported by the test that needs it, with the log

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(build_one, distinct.values()))


def run_jobs(jobs: list[Job], run_dir: Path, meta: dict, workers: int | None = None,
             progress=print, activity_window: int | None = None,
             power: PowerCheck | None = None, backend=None,
             previous: tuple[harness.Result, ...] = (), live=None) -> dict:
    """Run every job; return the final report dict (also written to run_dir).

    activity_window: capture each run's activity in windows of this many cycles and its
    power record (regress/power_record.py); the runs then record waves, deleted once
    reduced. power: the baseline the records are judged against (None: no drift check).
    backend: where the jobs run (default: the local pool of `workers`, regress/
    local_backend.py; or regress/dask_backend.py). previous: results of an earlier part of
    the run (--resume), kept and reported with the new ones. live: a display that takes
    each result instead of its progress line (regress/live_progress.py, on a terminal).
    """
    workers = workers or os.cpu_count() or 1
    backend = backend or LocalPool(workers)
    start = time.monotonic()
    options = RunOptions(activity_window, power)
    meta = {**meta, "power_check": power and power.describe(), "execution": backend.describe()}
    run_dir.mkdir(parents=True, exist_ok=True)
    run_state.save_jobs(run_dir, meta, jobs, previous)
    if backend.builds_here:
        _prebuild(jobs, workers, progress, waves=options.waves)
    results: list[harness.Result] = list(previous)
    total = len(jobs) + len(previous)
    try:
        for result in backend.results(jobs, run_dir, options):
            results.append(result)
            line = report.progress_line(result, len(results), total)
            if live:
                live.result(result, line)
            else:
                progress(line)
            report.write(run_dir, meta, results, time.monotonic() - start, complete=False)
    except KeyboardInterrupt:
        progress("interrupted: writing the partial report (`pezo regress --resume "
                 f"{run_dir.name}` runs the rest)")
        report.write(run_dir, meta, results, time.monotonic() - start, complete=False)
        raise
    return report.write(run_dir, meta, results, time.monotonic() - start, complete=True)
