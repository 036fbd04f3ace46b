"""Code coverage end to end on Verilator: a copy of rtl/pezo_lfsr.v with a line the design
can never reach (under a condition Verilator cannot fold) is built with coverage, its smoke
test run and the run's coverage merged into a report: the line is a hole of pezo_lfsr in
report.json, report.md and index.html, and a DA record with 0 hits in merged.info, every
other line hit. The same check fails on the copy where the line is reachable. Through the
Dask backend the coverage.dat comes back with the run's record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from regress import report, runner
from regress.dask_backend import DaskPool
from regress.suites import Job
from tb import harness, registry
from tests import simcheck

SMOKE = "lfsr.LfsrSmokeTest.s16w8"
ORIGINAL = """        state_q <= state_d;
    end
end"""
MARK = "// the line under test"
# state_d is never 0 once out of reset: a zero seed is substituted, a non-zero state leaps to
# a non-zero state. The reachable twin asks the opposite; both leave the behaviour unchanged.
UNREACHABLE = f"""        state_q <= state_d;
        if (state_d == 0) begin
            state_q <= state_d;  {MARK}
        end
    end
end"""
REACHABLE = UNREACHABLE.replace("state_d == 0", "state_d != 0")
META = {"run": "t", "suite": "t", "seeds": [1], "master_seed": None,
        "simulators": ["verilator"]}


def _run_with_coverage(tmp_path: Path, tag: str, edit: str) -> tuple[dict, Path, int]:
    """(report data, the RTL copy, the marked line) of the smoke test on the edited copy."""
    spec = simcheck.mutant_spec(registry.get(SMOKE), "pezo_lfsr.v", ORIGINAL, edit,
                                tmp_path, tag)
    source = Path(next(s for s in spec.bench.sources if tag in s))
    line = next(n for n, text in enumerate(source.read_text().splitlines(), 1) if MARK in text)
    result = harness.run(spec, 1, "verilator", out_dir=tmp_path / tag / "run",
                         code_coverage=True)
    simcheck.assert_pass(result)
    run_dir = tmp_path / tag / "report"
    run_dir.mkdir()
    return report.write(run_dir, META, [result], 1.0, complete=True), source, line


def _da(info: Path, source: Path) -> dict[int, int]:
    """line -> count of the DA records of `source` in an lcov tracefile."""
    record = info.read_text().split(f"SF:{source}\n")[1].split("end_of_record")[0]
    return {int(a): int(b) for a, b in re.findall(r"^DA:(\d+),(\d+)$", record, re.M)}


def assert_single_hole(data: dict, run_dir: Path, source: Path, line: int) -> None:
    """`line` of `source` is pezo_lfsr's only hole in every report, 0 hits in the .info."""
    hole = f"{source}:{line}"
    assert data["code_coverage"]["modules"]["pezo_lfsr"]["holes"] == [hole]
    assert json.loads((run_dir / "report.json").read_text())["code_coverage"] == \
        data["code_coverage"]
    assert f"{source}: {line} |" in (run_dir / "report.md").read_text()
    assert f"{source}: {line}" in (run_dir / "index.html").read_text()
    da = _da(run_dir / data["code_coverage"]["info"], source)
    assert da.get(line) == 0, f"line {line} is not a line point with 0 hits: {da.get(line)}"
    assert all(count > 0 for n, count in da.items() if n != line), da


@pytest.mark.sim
def test_an_unreachable_line_is_a_hole_and_a_reachable_one_is_not(tmp_path):
    data, source, line = _run_with_coverage(tmp_path, "unreachable", UNREACHABLE)
    run_dir = tmp_path / "unreachable" / "report"
    assert_single_hole(data, run_dir, source, line)
    assert (run_dir / data["code_coverage"]["html"]).is_file(), data["code_coverage"]
    assert 'id="code-coverage-html"' in (run_dir / "index.html").read_text()
    twin, twin_source, twin_line = _run_with_coverage(tmp_path, "reachable", REACHABLE)
    with pytest.raises(AssertionError):
        assert_single_hole(twin, tmp_path / "reachable" / "report", twin_source, twin_line)


@pytest.mark.sim
def test_coverage_comes_back_from_a_dask_worker(tmp_path):
    jobs = [Job(SMOKE, 1, "verilator", code_coverage=True), Job(SMOKE, 1, "icarus",
                                                                code_coverage=True)]
    pool = DaskPool.connect(local_workers=1, tries=1)
    try:
        data = runner.run_jobs(jobs, tmp_path, META, backend=pool, progress=lambda line: None)
    finally:
        pool.close()
    by_sim = {t["simulator"]: t for t in data["tests"]}
    assert by_sim["icarus"]["code_coverage"] is None  # Icarus records none
    dat = Path(by_sim["verilator"]["code_coverage"])
    assert dat.is_file() and dat.is_relative_to(tmp_path), dat
    code = data["code_coverage"]
    assert code["runs"] == 1 and code["modules"]["pezo_lfsr"]["lines"][0] > 0, code
    assert data["coverage_by_bench"]["lfsr"]["bins"], "both simulators' bins merged per bench"
