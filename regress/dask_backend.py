"""The Dask distributed execution backend (`pezo regress --scheduler tcp://HOST:PORT` or
`--cluster local:N`).

Nothing assumes a shared file system: a worker runs its job (regress/execution.py: the
design built, or taken from the worker's own build cache keyed by the build hash, and the
test in its own process with the harness's timeout and crash handling) in a private
folder, and sends the result record and every file of that folder back; the client writes
them into the run folder and points the record's paths there. A worker that dies mid-test
makes the scheduler run the test again elsewhere; every attempt announces itself (worker,
process) in the scheduler's event log, which the report records. A test that has killed
`tries` workers ends as `error` and the rest of the run goes on.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ref_model.errors import ConfigError
from regress.execution import RunOptions, execute, job_dir
from regress.suites import Job
from tb import harness

ATTEMPTS = "pezo-attempt"   # the scheduler event topic of attempt announcements
CONNECT_TIMEOUT_S = 5


def run_on_worker(job: Job, options: RunOptions) -> dict:
    """On a worker: announce the attempt, run the job in a private folder, return the
    result record and the folder's files (relative path -> bytes)."""
    from distributed import get_worker
    worker = get_worker()
    with tempfile.TemporaryDirectory(prefix="pezo-job-") as tmp:
        worker.log_event(ATTEMPTS, {"key": worker.get_current_task(), "worker": worker.address,
                                    "pid": os.getpid(), "dir": tmp})
        result = execute(job, Path(tmp), options)
        files = {str(p.relative_to(tmp)): p.read_bytes()
                 for p in sorted(Path(tmp).rglob("*")) if p.is_file()}
        return {"result": result.to_dict(), "root": tmp, "files": files,
                "worker": worker.address}


def _allowed_failures() -> int:
    """On the scheduler: how often it reschedules a task whose worker died."""
    import dask
    return int(dask.config.get("distributed.scheduler.allowed-failures"))


def _moved(value, old: str, new: str):
    """value with every string path under `old` moved under `new` (nested dicts, lists)."""
    if isinstance(value, str):
        return new + value[len(old):] if value.startswith(old) else value
    if isinstance(value, dict):
        return {k: _moved(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_moved(v, old, new) for v in value]
    return value


def unpack(payload: dict, out_dir: Path) -> harness.Result:
    """Write a worker's files into out_dir; the result record, its paths there."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for rel, data in payload["files"].items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return harness.Result(**_moved(payload["result"], payload["root"], str(out_dir)))


def killed_result(job: Job, attempts: list[dict], tries: int) -> harness.Result:
    """The record of a test whose every attempt took its worker down."""
    message = (f"killed {len(attempts)} worker(s) in {tries} tries (worker died mid-test: "
               f"killed, out of memory or crashed); last worker "
               f"{attempts[-1]['worker'] if attempts else 'unknown'}")
    return harness.Result(job.test, job.seed, job.simulator, "error", 0.0, None, "", message)


class DaskPool:
    name = "dask"
    builds_here = False  # each worker builds what it runs (or has it in its cache)

    def __init__(self, client, cluster=None, tries: int = 3):
        self.client, self.cluster, self.tries = client, cluster, tries

    @classmethod
    def connect(cls, scheduler: str | None = None, local_workers: int | None = None,
                tries: int = 3) -> DaskPool:
        """A client of a running scheduler, or of a LocalCluster of single-threaded worker
        processes started here; `tries` attempts per test before it ends as an error."""
        import dask
        from distributed import Client, LocalCluster
        if tries < 1:
            raise ConfigError(f"--tries must be >= 1, got {tries}")
        if local_workers is not None:
            # the scheduler reschedules a task whose worker died this many times, then
            # gives up (read when the scheduler starts)
            with dask.config.set({"distributed.scheduler.allowed-failures": tries - 1}):
                cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1,
                                       processes=True, dashboard_address=None)
            return cls(Client(cluster), cluster, tries)
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler {scheduler}: "
                              f"{str(exc).splitlines()[0] or type(exc).__name__}") from None
        # a running scheduler keeps its own limit: report the tries it will really give
        allowed = client.run_on_scheduler(_allowed_failures)
        if allowed + 1 != tries:
            print(f"dask: the scheduler {scheduler} gives a test {allowed + 1} tries "
                  f"(its distributed.scheduler.allowed-failures = {allowed}), not {tries}")
        return cls(client, None, allowed + 1)

    def describe(self) -> dict:
        workers = self.client.scheduler_info().get("workers", {})
        return {"backend": self.name, "scheduler": self.client.scheduler.address,
                "workers": len(workers), "tries": self.tries}

    def attempts(self, key: str) -> list[dict]:
        """Every attempt of task `key` the workers announced: worker and process."""
        return [{"worker": msg["worker"], "pid": msg["pid"]}
                for _, msg in self.client.get_events(ATTEMPTS) if msg.get("key") == key]

    def results(self, jobs: list[Job], run_dir: Path,
                options: RunOptions) -> Iterator[harness.Result]:
        from distributed import as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker
        futures = {self.client.submit(run_on_worker, job, options, pure=False,
                                      key=f"pezo-{i}-{job.simulator}-{job.test}-s{job.seed}"): job
                   for i, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                job = futures[future]
                try:
                    payload = future.result()
                except KilledWorker:
                    result = killed_result(job, self.attempts(future.key), self.tries)
                except FutureCancelledError:
                    continue
                else:
                    result = unpack(payload, job_dir(run_dir, job))
                result.execution = {"backend": self.name, "attempts": self.attempts(future.key)}
                yield result
        finally:
            self.client.cancel(list(futures))

    def map(self, fn, items: list) -> Iterator:
        """fn(item) for every item, in order, on the cluster's workers (each item its own
        task, rescheduled like a test if its worker dies)."""
        futures = self.client.map(fn, items, pure=False)
        try:
            for future in futures:
                yield future.result()
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
