"""Resumable regressions (regress/run_state.py): a run interrupted by SIGINT or SIGTERM,
resumed with --resume, ends with the results of an uninterrupted run without rerunning the
jobs that had finished; --rerun-failed reruns the failures with their recorded seeds."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from regress import cli, runner, suites

PEZO = [sys.executable, "-m", "regress.cli"]
SMOKE_KEYS = {(j.test, j.seed, j.simulator) for j in suites.expand(suites.get_suite("smoke"))}


def _keys(report: dict) -> set:
    return {(t["name"], t["seed"], t["simulator"]) for t in report["tests"]}


def _interrupted_run(sig: int) -> tuple[Path, dict]:
    """A smoke regression (one job at a time) stopped by `sig` after two results."""
    proc = subprocess.Popen([*PEZO, "regress", "--suite", "smoke", "--no-power", "--jobs", "1"],
                            stdout=subprocess.PIPE, text=True, cwd=runner.harness.REPO)
    first = proc.stdout.readline()
    run_dir = runner.REGRESS_ROOT / re.match(r"regression (\S+):", first).group(1)
    report = run_dir / "report.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if report.exists() and len(json.loads(report.read_text())["tests"]) >= 2:
            break
        time.sleep(0.2)
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 130, (proc.returncode, out)
    return run_dir, json.loads(report.read_text())


@pytest.mark.sim
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_resumes_to_the_full_result_set(sig, capsys):
    run_dir, partial = _interrupted_run(sig)
    assert not partial["complete"] and 2 <= len(partial["tests"]) < len(SMOKE_KEYS)
    logs = {t["name"]: os.stat(t["log"]).st_mtime_ns for t in partial["tests"]}
    assert cli.main(["regress", "--resume", run_dir.name]) == 0
    out = capsys.readouterr().out
    done = len(partial["tests"])
    assert f"{done} of {len(SMOKE_KEYS)} jobs have a result, running the other " \
           f"{len(SMOKE_KEYS) - done}" in out
    final = json.loads((run_dir / "report.json").read_text())
    assert final["complete"] and _keys(final) == SMOKE_KEYS
    assert final["totals"]["pass"] == len(SMOKE_KEYS)
    for t in final["tests"]:  # the jobs that had finished were not run again
        if t["name"] in logs:
            assert os.stat(t["log"]).st_mtime_ns == logs[t["name"]], t["name"]


@pytest.mark.sim
def test_rerun_failed_runs_only_the_failures_with_their_seeds(tmp_path, capsys):
    jobs = [suites.Job("lfsr.LfsrSmokeTest.s16w8", 7, "verilator"),
            suites.Job("lfsr.LfsrSmokeTest.s32w16", 8, "verilator")]
    run_dir = tmp_path / "earlier"
    runner.run_jobs(jobs, run_dir, {"run": run_dir.name, "suite": "mine", "seeds": [7, 8],
                                    "master_seed": None, "simulators": ["verilator"]},
                    workers=1, progress=lambda line: None)
    report = json.loads((run_dir / "report.json").read_text())
    report["tests"][1]["status"] = "fail"  # as if the second had failed
    (run_dir / "report.json").write_text(json.dumps(report))
    assert cli.main(["regress", "--rerun-failed", str(run_dir)]) == 0
    out = capsys.readouterr().out
    new = Path(re.search(r"report: (\S+report\.json)", out).group(1))
    data = json.loads(new.read_text())
    assert _keys(data) == {("lfsr.LfsrSmokeTest.s32w16", 8, "verilator")}
    assert data["rerun_of"] == run_dir.name


@pytest.mark.parametrize("argv, message", [
    (["--resume", "no-such-run"], "run 'no-such-run': no jobs.json in"),
    (["--resume", "x", "--rerun-failed", "y"], "--resume and --rerun-failed: give one of them"),
    (["--resume", "x", "--seeds", "1"], "--resume takes the jobs of run x; it contradicts --seeds"),
])
def test_bad_resume_options_are_one_line_exit_2(argv, message, capsys):
    assert cli.main(["regress", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: ") and message in err and "\n" not in err, err
