"""The Dask execution backend (regress/dask_backend.py) on a LocalCluster: the smoke suite
gives the local pool's per-test results; a worker killed in the middle of a simulation has
its test rerun elsewhere, the attempts recorded; a test that takes down every worker it
gets ends as `error` and the rest of the run completes; a scheduler that cannot be reached
is one line and exit status 2."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from regress import cli, runner, suites
from regress.dask_backend import ATTEMPTS, DaskPool
from tb import harness, registry

SMOKE = suites.expand(suites.get_suite("smoke"))
VICTIM = "train.TrainOneStepTest.pool_h8"  # the slowest smoke test: killed mid-simulation
META = {"run": "t", "suite": "smoke", "seeds": [1], "master_seed": None,
        "simulators": ["verilator"]}


def _prebuild(jobs):
    for job in jobs:
        harness.build(registry.get(job.test), job.simulator, False)


def _kill_attempts(pool: DaskPool, test: str, count: int, stop: threading.Event) -> list[int]:
    """SIGKILL the worker of each of `test`'s first `count` attempts once its simulation
    runs (its sim.log exists); the pids killed."""
    killed: list[int] = []
    while len(killed) < count and not stop.is_set():
        for _, msg in pool.client.get_events(ATTEMPTS):
            if test in msg["key"] and msg["pid"] not in killed:
                log = Path(msg["dir"]) / "sim.log"
                while not log.exists() and not stop.is_set():
                    time.sleep(0.05)
                time.sleep(0.5)
                os.kill(msg["pid"], signal.SIGKILL)
                killed.append(msg["pid"])
        time.sleep(0.1)
    return killed


def _run_dask(jobs, run_dir: Path, tries: int, kills: int) -> tuple[dict, list[int]]:
    pool = DaskPool.connect(local_workers=2, tries=tries)
    out: dict = {}
    stop = threading.Event()

    def regress():
        try:
            out["data"] = runner.run_jobs(jobs, run_dir, META, backend=pool,
                                          progress=lambda line: None)
        finally:
            stop.set()

    thread = threading.Thread(target=regress)
    thread.start()
    killed = _kill_attempts(pool, VICTIM, kills, stop)
    thread.join(timeout=600)
    pool.close()
    assert not thread.is_alive(), "the Dask run did not finish"
    return out["data"], killed


def _outcome(test: dict) -> tuple:
    m = test["metrics"]
    return test["status"], test["sim_time_ns"], m.get("coverage", {}).get("bins"), \
        m.get("steps_checked")


@pytest.mark.sim
def test_dask_gives_the_local_results_and_reruns_a_test_whose_worker_died(tmp_path):
    _prebuild(SMOKE)
    local = runner.run_jobs(SMOKE, tmp_path / "local", META, workers=2,
                            progress=lambda line: None)
    (tmp_path / "dask").mkdir()
    data, killed = _run_dask(SMOKE, tmp_path / "dask", tries=3, kills=1)
    assert len(killed) == 1
    by_name = {t["name"]: t for t in data["tests"]}
    assert sorted(by_name) == sorted(t["name"] for t in local["tests"])
    for test in local["tests"]:
        assert _outcome(by_name[test["name"]]) == _outcome(test), test["name"]
        assert Path(by_name[test["name"]]["log"]).is_relative_to(tmp_path / "dask")
    attempts = by_name[VICTIM]["execution"]["attempts"]
    assert len(attempts) == 2 and attempts[0]["pid"] == killed[0], attempts
    assert attempts[0]["worker"] != attempts[1]["worker"]
    assert data["complete"] and data["totals"]["pass"] == len(SMOKE)


@pytest.mark.sim
def test_a_test_that_kills_every_worker_it_gets_ends_as_error(tmp_path):
    jobs = [j for j in SMOKE if j.test in (VICTIM, "lfsr.LfsrSmokeTest.s32w16")]
    _prebuild(jobs)
    data, killed = _run_dask(jobs, tmp_path, tries=2, kills=2)
    assert len(killed) == 2
    by_name = {t["name"]: t for t in data["tests"]}
    assert by_name[VICTIM]["status"] == "error"
    assert by_name[VICTIM]["message"].startswith("killed 2 worker(s) in 2 tries")
    assert [a["pid"] for a in by_name[VICTIM]["execution"]["attempts"]] == killed
    assert by_name["lfsr.LfsrSmokeTest.s32w16"]["status"] == "pass"


def test_a_running_scheduler_reports_the_tries_it_gives(capsys):
    """--scheduler: the limit is the scheduler's own (allowed-failures + 1), recorded as such."""
    import dask
    from distributed import LocalCluster
    with dask.config.set({"distributed.scheduler.allowed-failures": 4}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                         dashboard_address=None) as cluster:
        pool = DaskPool.connect(scheduler=cluster.scheduler_address, tries=3)
        try:
            assert pool.tries == 5 and pool.describe()["tries"] == 5
        finally:
            pool.close()
    assert "gives a test 5 tries (its distributed.scheduler.allowed-failures = 4), not 3" \
        in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler tcp://127.0.0.1:9"),
    (["--scheduler", "localhost"], "--scheduler localhost: expected an address like"),
    (["--cluster", "local:0"], "--cluster local:0: expected local:N with N >= 1"),
    (["--cluster", "local:2", "--scheduler", "tcp://h:1"], "--scheduler and --cluster"),
    (["--tries", "2"], "--tries applies to Dask"),
    (["--cluster", "local:1", "--tries", "0"], "--tries must be >= 1, got 0"),
])
def test_bad_dask_options_are_one_line_exit_2(argv, message, capsys):
    before = set(runner.REGRESS_ROOT.glob("*")) if runner.REGRESS_ROOT.exists() else set()
    assert cli.main(["regress", "--suite", "smoke", "--no-power", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: ") and message in err and "\n" not in err, err
    # refused before anything ran: at most an empty run folder, no results
    for new in set(runner.REGRESS_ROOT.glob("*")) - before:
        assert not (new / "report.json").exists()
