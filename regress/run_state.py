"""What a run folder keeps so the run can go on later: jobs.json (every job of the run and
its metadata, written before the first test starts) beside report.json (the results
finished so far). `pezo regress --resume RUN` runs the jobs without a result and merges
them in; `--rerun-failed RUN` reruns the failures, with their recorded seeds, as a new run."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ref_model.errors import ConfigError
from regress.statuses import FAILED
from regress.suites import Job
from tb import harness

JOBS_FILE = "jobs.json"


def save_jobs(run_dir: Path, meta: dict, jobs: list[Job],
              previous: tuple[harness.Result, ...] = ()) -> None:
    """The run's jobs: those to run now and those an earlier part already finished."""
    done = [Job(r.name, r.seed, r.simulator) for r in previous]
    old = read_json(run_dir / JOBS_FILE).get("jobs", []) if previous else []
    every: dict[tuple, Job] = {}
    for job in (*(_job(d) for d in old), *done, *jobs):  # a job's first record is the whole one
        every.setdefault(key(job.test, job.seed, job.simulator), job)
    doc = {"meta": meta, "jobs": [dataclasses.asdict(j) for j in every.values()]}
    (run_dir / JOBS_FILE).write_text(json.dumps(doc, indent=1))


def _job(d: dict) -> Job:
    return Job(d["test"], d["seed"], d["simulator"], d.get("timeout_s"),
               d.get("code_coverage", False))


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"{path} not found: not a run folder of pezo regress") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None


def run_folder(name: str, root: Path) -> Path:
    """A run named by its folder (under build/regress) or by a path."""
    path = Path(name)
    path = path if path.is_dir() else root / name
    if not (path / JOBS_FILE).is_file():
        raise ConfigError(f"run '{name}': no {JOBS_FILE} in {path} (not a run of pezo "
                          "regress, or one from before runs could be resumed)")
    return path.resolve()


def load(run_dir: Path) -> tuple[dict, list[Job], list[harness.Result]]:
    """(meta, every job, the results finished) of a run folder."""
    doc = read_json(run_dir / JOBS_FILE)
    report = run_dir / "report.json"
    tests = read_json(report).get("tests", []) if report.exists() else []
    fields = {f.name for f in dataclasses.fields(harness.Result)}
    results = [harness.Result(**{k: v for k, v in t.items() if k in fields}) for t in tests]
    return doc["meta"], [_job(d) for d in doc["jobs"]], results


def key(name: str, seed: int, simulator: str) -> tuple[str, int, str]:
    return name, seed, simulator


def pending(jobs: list[Job], results: list[harness.Result]) -> list[Job]:
    """The jobs that have no result yet."""
    done = {key(r.name, r.seed, r.simulator) for r in results}
    return [j for j in jobs if key(j.test, j.seed, j.simulator) not in done]


def failures(jobs: list[Job], results: list[harness.Result]) -> list[Job]:
    """The jobs whose result failed (fail, error, timeout), with their recorded seeds."""
    by_key = {key(j.test, j.seed, j.simulator): j for j in jobs}
    return [by_key.get(key(r.name, r.seed, r.simulator), Job(r.name, r.seed, r.simulator))
            for r in results if r.status in FAILED]
