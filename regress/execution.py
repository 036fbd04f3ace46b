"""One regression job, wherever it runs (the local pool or a Dask worker): the harness run
in the job's folder and, when the run captures activity, its power record judged against
the baseline. What both backends share, so they cannot differ in what a job does."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from regress import activity, power_drift, power_record
from regress.suites import Job
from tb import code_coverage, harness, registry


@dataclass(frozen=True)
class PowerCheck:
    """What each run's power is judged against (regress/power_drift.py)."""

    entries: dict  # the baseline's entries (power_drift.load)
    tolerance_pct: float = power_drift.DEFAULT_TOLERANCE_PCT
    baseline: str = ""  # the file they came from (for the report)

    def describe(self) -> dict:
        return {"baseline": self.baseline, "tolerance_pct": self.tolerance_pct}


@dataclass(frozen=True)
class RunOptions:
    """How every job of a run executes: activity windows (None: no capture) and the power
    baseline its records are judged against (None: no drift check)."""

    activity_window: int | None = None
    power: PowerCheck | None = None

    @property
    def waves(self) -> bool:
        return self.activity_window is not None


def job_dir(run_dir: Path, job: Job) -> Path:
    """Where a job's log, results and artefacts go in the run folder."""
    return run_dir / "tests" / job.simulator / f"{job.test}-s{job.seed}"


def spec_of(job: Job) -> harness.TestSpec:
    """The job's test, with the suite's timeout when it sets one."""
    spec = registry.get(job.test)
    return dataclasses.replace(spec, timeout_s=job.timeout_s) if job.timeout_s else spec


def wants_code_coverage(job: Job, spec: harness.TestSpec) -> bool:
    """The job asks for code coverage and its run can record it (Verilator, RTL)."""
    return job.code_coverage and code_coverage.applies(spec, job.simulator)


def execute(job: Job, out_dir: Path, options: RunOptions) -> harness.Result:
    """Run the job into out_dir; never raises for a failing simulation."""
    spec = spec_of(job)
    fmt = activity.wave_format(spec) if options.waves else False
    result = harness.run(spec, job.seed, job.simulator, waves=fmt, out_dir=out_dir,
                         code_coverage=wants_code_coverage(job, spec))
    if options.waves:
        power_record.measure(spec, result, options.activity_window)
        if options.power is not None:
            power_drift.judge(result, options.power.entries, options.power.tolerance_pct)
    return result
