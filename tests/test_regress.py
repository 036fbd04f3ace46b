"""The regression runner: reports, and results kept when a simulation crashes."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from regress import report, runner, suites
from tb import registry
from tests.test_harness import faulty


@pytest.mark.sim
def test_smoke_suite_writes_reports():
    out = subprocess.run([sys.executable, "-m", "regress.cli", "regress", "--suite", "smoke",
                          "--seeds", "4,5"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    # the run folder from the output, not `latest`: another regression may run meanwhile
    run_dir = Path(out.stdout.split("report: ")[1].split()[0]).parent
    assert (runner.REGRESS_ROOT / "latest").is_symlink()
    data = json.loads((run_dir / "report.json").read_text())
    n = 2 * len(suites.get_suite("smoke").tests)
    assert data["complete"] and data["totals"] == {"total": n, "pass": n, "fail": 0,
                                                    "error": 0, "timeout": 0}
    for test in data["tests"]:
        for key in ["name", "seed", "simulator", "status", "duration_s", "sim_time_ns", "log"]:
            assert key in test, key
        assert test["sim_time_ns"] > 0
    assert {t["seed"] for t in data["tests"]} == {4, 5}
    assert ET.parse(run_dir / "junit.xml").getroot().find("testsuite").get("tests") == str(n)
    assert f"{n}/{n} passed" in (run_dir / "report.md").read_text()


@pytest.mark.sim
def test_crash_in_one_job_keeps_the_others(tmp_path, monkeypatch):
    crash = faulty("crash_test", 60)
    monkeypatch.setitem(registry.TESTS, crash.name, crash)
    jobs = [suites.Job("lfsr.LfsrSmokeTest.s16w8", 1, "icarus"),
            suites.Job(crash.name, 1, "icarus")]
    data = runner.run_jobs(jobs, tmp_path, {"run": "t", "suite": "t", "seeds": [1],
                                            "master_seed": None, "simulators": ["icarus"]},
                           workers=2, progress=lambda line: None)
    status = {t["name"]: t["status"] for t in data["tests"]}
    assert status == {"lfsr.LfsrSmokeTest.s16w8": "pass", crash.name: "error"}
    assert json.loads((tmp_path / "report.json").read_text())["totals"]["error"] == 1
    junit = ET.parse(tmp_path / "junit.xml").getroot()
    assert len(junit.iter("error").__next__().get("message")) > 0
    assert f"pezo sim {crash.name} --seed 1 --sim icarus" in (tmp_path / "report.md").read_text()


def test_default_suite_runs_blocks_on_both_and_training_mostly_on_verilator():
    jobs = suites.expand(suites.get_suite("default"))
    blocks = [j for j in jobs if not j.test.startswith("train.")]
    train = [j for j in jobs if j.test.startswith("train.")]
    for sim in ("verilator", "icarus"):
        assert {j.seed for j in blocks if j.simulator == sim} == {1, 2, 3}
    assert {j.test.split(".")[0] for j in blocks} >= {"lfsr", "pool", "scale", "array", "gauss"}
    assert {j.seed for j in train if j.simulator == "icarus"} == {1}
    assert {j.seed for j in train if j.simulator == "verilator"} == {1, 2, 3}
    assert len(jobs) == len(set(jobs)) == suites.get_suite("default").runs()
    only_icarus = suites.expand(suites.get_suite("default"), simulators=["icarus"],
                                tests=["pool."])
    assert only_icarus and all(j.simulator == "icarus" and "pool." in j.test for j in only_icarus)


def test_seeds_drawn_from_master_seed_are_reproducible():
    assert suites.draw_seeds(5, 42) == suites.draw_seeds(5, 42)
    assert suites.draw_seeds(5, 42) != suites.draw_seeds(5, 43)


def test_merged_coverage_sums_bins():
    from tb.harness import Result

    def cov(n: int) -> dict:
        return {"coverage": {"bins": {"g": {"a": n, "b": 0}}}}

    results = [Result("t", s, "icarus", "pass", 1.0, 1.0, "log", "", cov(s)) for s in (1, 2)]
    merged = report.merged_coverage(results)["t"]
    assert merged["bins"]["g"] == {"a": 3, "b": 0} and merged["holes"] == ["g.b"]
    assert merged["percent"] == 50.0


def test_every_normal_generator_has_a_sweep_of_distinct_legal_configurations():
    """tb/gauss/specs.py draws SWEEP_SIZE HDL configurations per normal source, the same
    on every call, all different, every one accepted by the generator's checks; the sweep
    suite runs them on both simulators with 3 seeds, and the default suite does not."""
    from ref_model.array_model import ArrayConfig
    from tb.gauss import specs as gauss

    sources = gauss.swept_sources()
    assert {s.name for s in sources} >= {"array-icdf", "array-box-muller"}
    default = {j.test for j in suites.expand(suites.get_suite("default"))}
    for source in sources:
        variants = gauss.sweep_variants(source)
        assert variants == gauss.sweep_variants(source)
        assert len(variants) == gauss.SWEEP_SIZE
        assert len({repr(cfg) for cfg in variants.values()}) == gauss.SWEEP_SIZE
        assert len({cfg.lanes for cfg in variants.values()}) > 1
        for cfg in variants.values():
            assert cfg.dist == source.dist
            ArrayConfig(lanes=cfg.lanes, dist=cfg.dist, w=cfg.w, k=cfg.k, state_w=cfg.state_w)
        suite = suites.get_suite(f"sweep-{source.name}")
        jobs = suites.expand(suite)
        assert {j.test for j in jobs} == set(gauss.sweep_tests(source))
        assert all(registry.get(t).variant in variants for t in gauss.sweep_tests(source))
        assert {(j.seed, j.simulator) for j in jobs} == {
            (seed, sim) for seed in (1, 2, 3) for sim in ("verilator", "icarus")}
        assert not default & set(gauss.sweep_tests(source))
