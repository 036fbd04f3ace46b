"""The embedded execution backend: a thread pool on this machine, each test its own
simulator process (tb/harness.py), writing straight into the run folder; function runs
(map) in a process pool."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from regress.execution import RunOptions, execute, job_dir
from regress.suites import Job
from tb import harness


class LocalPool:
    name = "local"
    builds_here = True  # the runner compiles every design before the tests start

    def __init__(self, workers: int):
        self.workers = workers

    def describe(self) -> dict:
        return {"backend": self.name, "workers": self.workers}

    def results(self, jobs: list[Job], run_dir: Path,
                options: RunOptions) -> Iterator[harness.Result]:
        """Every job's result, in the order they finish."""
        pool = ThreadPoolExecutor(max_workers=self.workers)
        try:
            futures = [pool.submit(execute, job, job_dir(run_dir, job), options)
                       for job in jobs]
            for future in as_completed(futures):
                yield future.result()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def map(self, fn, items: list) -> Iterator:
        """fn(item) for every item, in order, in `workers` fresh processes (CPU-bound
        Python: the reference model's runs)."""
        with ProcessPoolExecutor(self.workers, mp_context=get_context("spawn")) as ex:
            yield from ex.map(fn, items)

    def close(self) -> None:
        pass
