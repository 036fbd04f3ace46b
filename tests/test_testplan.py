"""Testplans as data (regress/testplan.py, testplan_status.py, testplan_doc.py): every bench
has a plan that loads; every entry maps to registered tests its suite runs; a broken plan is
one ConfigError line (exit 2 from `pezo testplan`); a run's records map onto the entries as
met, failing or not covered; the docs' sections are current. No simulation."""

import fnmatch
import json

import pytest

from ref_model.errors import ConfigError
from regress import cli, report, suites, testplan, testplan_doc, testplan_status
from tb import registry
from tb.harness import Result

GOOD_ENTRY = """
[[entry]]
name = "one"
stimulus = "words"
checks = "bit-exact"
tests = ["lfsr.LfsrRandomTest.*"]
coverage = ["seed.*"]
"""


def test_every_bench_has_a_plan_that_loads():
    plans = testplan.load_all()
    assert set(plans) == set(registry.BENCHES)
    assert all(p.entries for p in plans.values())


def test_every_entry_maps_to_registered_tests_its_suite_runs():
    for plan in testplan.load_all().values():
        for entry in plan.entries:
            suite_tests = {j.test for j in suites.expand(suites.get_suite(entry.suite))}
            for pattern in entry.tests:
                assert fnmatch.filter(registry.TESTS, pattern), (plan.bench, entry.name, pattern)
                assert fnmatch.filter(suite_tests, pattern), (plan.bench, entry.name, pattern)


def test_default_suite_leaves_no_entry_without_tests():
    """Mapped on a default run where every job passed with every declared bin hit, every
    entry of the default suite is met (none `not covered` for lack of tests or bins)."""
    records = [_record(j.test, "pass") for j in suites.expand(suites.get_suite("default"))]
    status = testplan_status.for_run(records, "default")
    assert status["error"] is None and status["plans"]
    for plan in status["plans"]:
        for e in plan["entries"]:
            suite = testplan.load(plan["bench"]).entries
            wanted = next(x.suite for x in suite if x.name == e["name"])
            assert e["status"] == ("met" if wanted == "default" else "not covered"), \
                (plan["bench"], e)


def test_coverage_points_are_the_collectors_bins():
    assert "seed.zero" in testplan.coverage_points("lfsr")
    assert "sigma_band.neg2to3" in testplan.coverage_points("gauss")
    assert "d.d_lt_lanes" in testplan.coverage_points("pool")  # declared only when LANES > 1
    assert "seed.zero" not in testplan.coverage_points("pool")


def _plan(tmp_path, monkeypatch, body: str, bench: str = "lfsr"):
    path = tmp_path / "testplan.toml"
    path.write_text('doc = "docs/lfsr.md"\n' + body)
    monkeypatch.setattr(testplan, "path_of", lambda b: path if b == bench else
                        testplan.ROOT / "tb" / b / "testplan.toml")
    return path


BAD = {
    "unknown test": (GOOD_ENTRY.replace("LfsrRandomTest", "LfsrNoSuchTest"),
                     "entry[0] 'one': test 'lfsr.LfsrNoSuchTest.*' matches no test"),
    "test of another bench": (GOOD_ENTRY.replace("lfsr.LfsrRandomTest", "pool.PoolRandomTest"),
                              "matches no test of bench 'lfsr'"),
    "unknown coverage point": (GOOD_ENTRY.replace("seed.*", "seed.purple"),
                               "entry[0] 'one': coverage point 'seed.purple' is not declared"),
    "unknown key": (GOOD_ENTRY + 'owner = "me"\n', "entry[0]: unknown key 'owner'"),
    "missing field": (GOOD_ENTRY.replace('checks = "bit-exact"\n', ""),
                      "entry[0]: missing key 'checks'"),
    "empty plan": ("", "empty testplan: no [[entry]]"),
    "no tests": (GOOD_ENTRY.replace('["lfsr.LfsrRandomTest.*"]', "[]"), "'tests' is empty"),
    "not in its suite": (GOOD_ENTRY.replace("LfsrRandomTest.*", "LfsrPowerTest.s32w16"),
                         "suite 'default' runs none of its tests"),
    "unknown suite": (GOOD_ENTRY + 'suite = "nightly"\n', "unknown suite 'nightly'"),
    "unknown pytest": (GOOD_ENTRY + '[[check]]\nname = "m"\nstimulus = "s"\nchecks = "c"\n'
                       'pytest = ["tests/test_mutation.py::test_nothing"]\n',
                       "check[0] 'm': pytest 'tests/test_mutation.py::test_nothing'"),
    "two entries one name": (GOOD_ENTRY * 2, "two entries named 'one'"),
    "unknown plan key": ('owner = "me"\n' + GOOD_ENTRY, "unknown key 'owner'"),
    "toml syntax": ("[[entry]\nname = \n", "(at line 2, column 8)"),
    "entry not a table": ('entry = "x"\n', "'entry' must be an array of tables"),
}


def test_a_bench_without_a_plan_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(testplan, "path_of", lambda b: tmp_path / "none.toml")
    with pytest.raises(ConfigError, match="none.toml: no testplan for bench 'lfsr'"):
        testplan.load_all()


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_plan_is_one_config_error(tmp_path, monkeypatch, case):
    body, message = BAD[case]
    path = _plan(tmp_path, monkeypatch, body)
    with pytest.raises(ConfigError) as err:
        testplan.load("lfsr")
    assert str(path) in str(err.value) and message in str(err.value)


@pytest.mark.parametrize("case", ["unknown test", "unknown coverage point", "empty plan"])
def test_pezo_testplan_on_a_bad_plan_is_one_line_exit_2(tmp_path, monkeypatch, capsys, case):
    body, message = BAD[case]
    _plan(tmp_path, monkeypatch, body)
    assert cli.main(["testplan"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("pezo: error: ") and message in err


def test_good_plan_loads(tmp_path, monkeypatch):
    _plan(tmp_path, monkeypatch, GOOD_ENTRY)
    plan = testplan.load("lfsr")
    assert [e.name for e in plan.entries] == ["one"] and plan.entries[0].coverage == ("seed.*",)


def _record(name: str, status: str, holes: tuple[str, ...] = ()) -> dict:
    """A report.json record whose bins are every bin the test's design declares, each hit
    once unless it is in holes."""
    spec = registry.TESTS[name]
    module = __import__(f"tb.{spec.bench.name}.coverage", fromlist=["declared_bins"])
    bins = {g: {b: int(f"{g}.{b}" not in holes) for b in names}
            for g, names in module.declared_bins(spec.params).items()}
    return {"name": name, "status": status, "metrics": {"coverage": {"bins": bins}}}


def _lfsr_records(**changes) -> list[dict]:
    """Every lfsr test of the default suite, passing, with full coverage (but `changes`)."""
    names = [t for t in testplan.suite_tests("default") if t.startswith("lfsr.")]
    return [changes.get(n) or _record(n, "pass") for n in sorted(names)]


def _statuses(records: list[dict]) -> dict[str, dict]:
    plan = testplan_status.plan_status(testplan.load("lfsr"), records, "default")
    return {e["name"]: e for e in plan["entries"]}


def test_all_passing_with_coverage_is_met():
    assert {e["status"] for e in _statuses(_lfsr_records()).values()} == {"met"}


def test_a_failing_test_makes_its_entries_failing_only():
    bad = "lfsr.LfsrStallTest.s16w8"
    got = _statuses(_lfsr_records(**{bad: _record(bad, "timeout")}))
    assert got["stalls"]["status"] == "failing" and f"{bad} (timeout)" in got["stalls"]["why"]
    assert {e["status"] for n, e in got.items() if n != "stalls"} == {"met"}


def test_a_bin_never_hit_is_not_covered_and_named():
    hole = ("control.reset_mid_stream",)
    records = [_record(r["name"], "pass", hole) for r in _lfsr_records()]
    got = _statuses(records)
    assert got["reset_mid_stream"] == {**got["reset_mid_stream"], "status": "not covered",
                                       "why": "never hit: control.reset_mid_stream"}
    assert got["random_mix_closes_coverage"]["status"] == "not covered"
    assert got["seed_classes"]["status"] == "met"


def test_a_bin_hit_in_one_run_is_enough():
    one = "lfsr.LfsrRandomTest.s16w8"
    hole = ("control.reset_mid_stream",)
    records = [r if r["name"] == one else _record(r["name"], "pass", hole)
               for r in _lfsr_records()]
    assert _statuses(records)["reset_mid_stream"]["status"] == "met"


def test_no_runs_is_not_covered_and_says_where_they_run():
    got = _statuses([])
    assert got["stream_bit_exact"] == {"name": "stream_bit_exact", "runs": 0,
                                       "status": "not covered", "why": "none of its tests ran"}
    train = testplan_status.plan_status(testplan.load("train"), [], "default")
    long_runs = next(e for e in train["entries"] if e["name"] == "long_runs")
    assert long_runs["why"] == "none of its tests ran; suite train-long runs them"


def test_runs_without_coverage_metrics_do_not_close_points():
    records = [{**r, "metrics": {}} for r in _lfsr_records()]
    got = _statuses(records)
    assert got["seed_classes"] == {**got["seed_classes"], "status": "not covered",
                                   "why": "never hit: seed.*"}
    assert got["stream_bit_exact"]["status"] == "met"  # names no coverage point


def test_a_broken_mapping_is_caught(monkeypatch):
    """The checks above fail on a mapping that ignores failures or holes (mutants)."""
    monkeypatch.setattr(testplan_status, "FAILED", ())
    with pytest.raises(AssertionError):
        test_a_failing_test_makes_its_entries_failing_only()
    monkeypatch.undo()
    monkeypatch.setattr(testplan_status, "unhit", lambda patterns, runs: [])
    with pytest.raises(AssertionError):
        test_a_bin_never_hit_is_not_covered_and_named()


def test_report_shows_the_plan_status(tmp_path):
    """report.json, report.md and index.html of a (crafted) run carry every bench's table."""
    results = [Result(r["name"], 1, "verilator", r["status"], 1.0, 100.0, "sim.log",
                      metrics=r["metrics"]) for r in _lfsr_records()]
    meta = {"run": "r", "suite": "default", "seeds": [1], "master_seed": None,
            "simulators": ["verilator"], "tools": {"cocotb": "x"}}
    report.write(tmp_path, meta, results, 1.0, complete=True)
    data = json.loads((tmp_path / "report.json").read_text())
    lfsr = next(p for p in data["testplan"]["plans"] if p["bench"] == "lfsr")
    assert lfsr["counts"] == {"met": 7, "failing": 0, "not covered": 0}
    md = (tmp_path / "report.md").read_text()
    assert "## Testplan status" in md and "| reseed_mid_stream | met | 3 | - |" in md
    page = (tmp_path / "index.html").read_text()
    assert 'id="testplan-lfsr"' in page and 'id="testplan-train"' in page
    assert page.count('class="plan-met"') == 7  # the other benches ran nothing


def test_pezo_testplan_run_prints_every_entry(tmp_path, capsys):
    bad = "lfsr.LfsrSmokeTest.s32w16"
    records = _lfsr_records(**{bad: _record(bad, "fail")})
    (tmp_path / "report.json").write_text(json.dumps({"suite": "default", "tests": records}))
    assert cli.main(["testplan", "--run", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "lfsr: 6 met, 1 failing, 0 not covered" in out
    assert f"failing     stream_bit_exact  (failed: {bad} (fail))" in out


def test_docs_are_generated_from_the_plans():
    assert testplan_doc.stale() == []


def test_a_changed_plan_makes_its_doc_stale(tmp_path, monkeypatch):
    text = testplan.path_of("scale").read_text().replace("200 beats", "300 beats")
    path = tmp_path / "testplan.toml"
    path.write_text(text)
    real = testplan.path_of
    monkeypatch.setattr(testplan, "path_of", lambda b: path if b == "scale" else real(b))
    assert testplan_doc.stale() == ["docs/pool-and-scale.md"]
    assert testplan_doc.main(["--check"]) == 1


def test_a_doc_without_markers_is_refused(tmp_path, monkeypatch):
    doc = tmp_path / "plan.md"
    doc.write_text("# no markers\n")
    plan = testplan.load("lfsr")
    with pytest.raises(ConfigError, match="needs one '<!-- testplan:lfsr begin"):
        testplan_doc.updated(doc.read_text(), plan, str(doc))
    section = testplan_doc.section(plan)
    assert section.startswith("<!-- testplan:lfsr begin") and "| `seed_classes` |" in section


def test_pezo_testplan_on_a_missing_run_is_one_line_exit_2(tmp_path, capsys):
    assert cli.main(["testplan", "--run", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not a run folder of pezo regress" in err
