"""`make bench`: what the Dask backend costs. The smoke suite (its designs built first) on
the local pool with 1 and 2 workers and on a LocalCluster of 1 and 2 single-threaded
worker processes, in the same command; wall time of the run itself (the cluster's start-up
apart), the ratio Dask / local pool at the same width, and the per-test overhead of the Dask
path at one worker ((Dask - local) / tests)."""

from __future__ import annotations

import os
import platform
import tempfile
import time
from pathlib import Path

from regress import runner, suites
from regress.dask_backend import DaskPool
from tb import harness, registry

META = {"run": "bench", "suite": "smoke", "seeds": [1], "master_seed": None,
        "simulators": ["verilator"]}


def _run(jobs, workers: int, dask: bool, out: Path) -> dict:
    start = time.monotonic()
    backend = DaskPool.connect(local_workers=workers) if dask else None
    ready = time.monotonic()
    data = runner.run_jobs(jobs, out, META, workers, progress=lambda line: None, backend=backend)
    wall = time.monotonic() - ready
    if backend:
        backend.close()
    assert data["totals"]["pass"] == len(jobs), f"bench: smoke failed under {out.name}"
    return {"backend": "dask" if dask else "local", "workers": workers,
            "startup_s": round(ready - start, 2), "wall_s": round(wall, 2)}


def main() -> list[dict]:
    jobs = suites.expand(suites.get_suite("smoke"))
    for job in jobs:
        harness.build(registry.get(job.test), job.simulator, False)
    with tempfile.TemporaryDirectory(prefix="pezo-dask-bench-") as tmp:
        rows = [_run(jobs, w, dask, Path(tmp) / f"{'dask' if dask else 'local'}{w}")
                for w in (1, 2) for dask in (False, True)]
    local = {r["workers"]: r["wall_s"] for r in rows if r["backend"] == "local"}
    print(f"Dask backend: smoke suite ({len(jobs)} tests, built), {platform.node()}, "
          f"{os.cpu_count()} cores, load before {os.getloadavg()[0]:.1f}")
    print("| backend | workers | start-up s | wall s | vs local pool |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        r["ratio"] = round(r["wall_s"] / local[r["workers"]], 2)
        print(f"| {r['backend']} | {r['workers']} | {r['startup_s']} | {r['wall_s']} | "
              f"{r['ratio']} |")
    one = {r["backend"]: r["wall_s"] for r in rows if r["workers"] == 1}
    per_test = (one["dask"] - one["local"]) / len(jobs)
    print(f"per-test overhead of the Dask path (1 worker): {per_test:+.2f} s")
    return rows


if __name__ == "__main__":
    main()
