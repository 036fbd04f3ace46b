"""Verilator code coverage, without a simulator: coverage.dat read (a real file of
`pezo sim lfsr.LfsrSmokeTest.s16w8 --code-coverage`, its toggle points cut to a few and its
paths to /repo/), merged over files, written as lcov .info and summarised per module;
genhtml renders the .info; the options are validated. The counts expected below are read
off the sample by hand (tests/data/coverage/lfsr_s16w8.dat)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from ref_model.errors import ConfigError
from regress import (
    cli,
    code_coverage_report,
    coverage_dat,
    genhtml,
    lcov_info,
    report,
    suite_file,
    suites,
)
from regress.execution import wants_code_coverage
from tb import harness, registry

SAMPLE = Path(__file__).parent / "data" / "coverage" / "lfsr_s16w8.dat"
LFSR = "/repo/rtl/pezo_lfsr.v"


def _variant(tmp_path: Path, name: str, edits: dict[str, str]) -> Path:
    """The sample with point-line substitutions (old text -> new text)."""
    text = SAMPLE.read_text()
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


def _info(points) -> dict[str, list[str]]:
    """The .info's records by tag (DA, BRDA, LF, ...)."""
    out: dict[str, list[str]] = {}
    for line in lcov_info.records(points):
        tag, _, value = line.partition(":")
        out.setdefault(tag, []).append(value)
    return out


def test_a_real_coverage_file_is_read_point_by_point():
    points = coverage_dat.merge([SAMPLE])
    kinds = sorted(p.kind for p in points)
    assert kinds.count("line") == 5 and kinds.count("branch") == 8 and kinds.count("toggle") == 8
    reset_if = next(p for p in points if p.line == 88 and p.comment == "if")
    assert (reset_if.file, reset_if.column, reset_if.module, reset_if.lines()) == \
        (LFSR, 5, "pezo_lfsr", (88, 89))
    assert points[reset_if] == 2
    assert coverage_dat.Point(LFSR, 1, 1, "line", "m", "block", "4,7-9", "m").lines() == \
        (1, 4, 7, 8, 9)


def test_lcov_lines_take_the_largest_count_and_leave_toggles_out():
    info = _info(coverage_dat.merge([SAMPLE]))
    da = dict(tuple(map(int, v.split(","))) for v in info["DA"])
    assert sorted(da) == [71, 72, 73, 74, 78, 79, 80, 81, 82, 83, 87, 88, 89, 90, 91]
    assert da[73] == 16048 and da[88] == 2003 and da[89] == 2  # the "if" alone covers 89
    assert info["LF"] == ["15"] and info["LH"] == ["15"]
    assert info["BRF"] == ["8"] and info["BRH"] == ["7"]  # line 81's cond_then never taken
    assert "81,0,0,0" in info["BRDA"] and "81,0,1,6" in info["BRDA"]
    assert info["SF"] == [LFSR] and info["end_of_record"] == [""]


def test_merging_sums_each_point_over_files(tmp_path):
    never = _variant(tmp_path, "never.dat", {"\x02if\x01S\x0288-89\x01h\x02pezo_lfsr' 2":
                                             "\x02if\x01S\x0288-89\x01h\x02pezo_lfsr' 0"})
    assert code_coverage_report.per_module(coverage_dat.merge([never]))["pezo_lfsr"]["holes"] \
        == [f"{LFSR}:89"]
    taken = _variant(tmp_path, "taken.dat", {"cond_then\x01S\x0281\x01h\x02pezo_lfsr' 0":
                                             "cond_then\x01S\x0281\x01h\x02pezo_lfsr' 5"})
    merged = coverage_dat.merge([never, taken, SAMPLE])
    module = code_coverage_report.per_module(merged)["pezo_lfsr"]
    assert module["holes"] == [] and module["lines"] == [15, 15]
    assert module["branches"] == [8, 8] and module["toggles"] == [7, 8]
    reset_if = next(p for p in merged if p.line == 88 and p.comment == "if")
    assert merged[reset_if] == 0 + 2 + 2


def test_a_parameterised_copy_counts_for_its_source_module(tmp_path):
    copy = _variant(tmp_path, "copy.dat", {"v_line/pezo_lfsr\x01o\x02block\x01S\x0287":
                                           "v_line/pezo_lfsr__O20\x01o\x02block\x01S\x0287"})
    assert set(code_coverage_report.per_module(coverage_dat.merge([copy]))) == {"pezo_lfsr"}


@pytest.mark.parametrize("text, message", [
    ("C 'x' 1\n", "not a Verilator coverage file"),
    ("# SystemC::Coverage-3\nC '\x01f\x02a.v' 1\nC '\x01f\x02b.v' many\n", "x.dat:3: not a "
     "coverage point"),
])
def test_a_bad_coverage_file_is_named(tmp_path, text, message):
    path = tmp_path / "x.dat"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        coverage_dat.read(path)


def test_holes_are_shown_as_ranges_per_file():
    holes = ["a.v:3", "a.v:4", "a.v:5", "a.v:9", "b.v:1"]
    assert code_coverage_report.hole_ranges(holes) == "a.v: 3-5, 9; b.v: 1"
    assert code_coverage_report.hole_ranges(holes, shown=1) == "a.v: 3-5 (+1 more); b.v: 1"


def _info_file(tmp_path: Path) -> Path:
    """The sample's .info, its records pointing at this checkout's rtl/pezo_lfsr.v."""
    text = SAMPLE.read_text().replace("/repo/", f"{harness.REPO}/")
    (tmp_path / "real.dat").write_text(text)
    return lcov_info.write(coverage_dat.merge([tmp_path / "real.dat"]), tmp_path / "m.info")


def test_genhtml_renders_the_info(tmp_path):
    """Debian's genhtml is installed by tools/bootstrap.sh: its absence fails here."""
    assert genhtml.command(tmp_path / "m.info", tmp_path, "t"), "genhtml not on PATH (lcov)"
    index, note = genhtml.run(_info_file(tmp_path), tmp_path / "html")
    assert index and index.is_file(), note
    page = tmp_path / "html" / "rtl" / "pezo_lfsr.v.gcov.html"
    assert page.is_file() and "state_q &lt;= NONZERO" in page.read_text()


def test_genhtml_refusing_an_info_is_one_line(tmp_path):
    broken = tmp_path / "broken.info"
    broken.write_text("TN:x\nSF:/nowhere.v\nDA:seventy,1\nend_of_record\n")
    index, note = genhtml.run(broken, tmp_path / "html")
    assert index is None and note.startswith("genhtml failed (exit status") and "\n" not in note


def test_without_genhtml_the_report_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert genhtml.run(_info_file(tmp_path), tmp_path / "html") == \
        (None, "genhtml not found (install Debian's lcov): no HTML, the .info is written")


def test_functional_bins_merge_over_a_benchs_tests_and_simulators():
    def run(name, sim, hits):
        bins = {"g": {"a": hits[0], "b": hits[1]}}
        return harness.Result(name, 1, sim, "pass", 1.0, 1.0, "log", "", {"coverage": {
            "bins": bins}})
    results = [run("lfsr.LfsrSmokeTest.s16w8", "verilator", (1, 0)),
               run("lfsr.LfsrStallTest.s32w16", "icarus", (0, 2)),
               run("pool.PoolSmokeTest.n64l4", "icarus", (0, 0)),
               run("gl.pool.PoolSmokeTest.n64l4", "icarus", (1, 1))]
    by_bench = report.merged_coverage(results, key=report.bench_of)
    assert by_bench["lfsr"]["holes"] == [] and by_bench["lfsr"]["bins"]["g"] == {"a": 1, "b": 2}
    assert by_bench["pool"]["holes"] == ["g.a", "g.b"]  # its gate-level run is left out


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_suite_files_flag_reaches_its_jobs_and_included_parts(tmp_path):
    _write(tmp_path, "part.toml", 'tests = ["lfsr.LfsrSmokeTest.s16w8"]\nseeds = [2]\n')
    on = suite_file.load(_write(tmp_path, "on.toml", 'include = ["part.toml", "smoke"]\n'
                                "code_coverage = true\n"))
    assert {j.code_coverage for j in suites.expand(on)} == {True}
    off = suite_file.load(_write(tmp_path, "off.toml", 'include = ["part.toml"]\n'))
    assert {j.code_coverage for j in suites.expand(off)} == {False}
    assert {j.code_coverage for j in suites.expand(off, code_coverage=True)} == {True}


def test_only_verilator_runs_of_rtl_record_code_coverage():
    rtl, gate = registry.get("lfsr.LfsrSmokeTest.s16w8"), registry.get(
        "gl.lfsr.LfsrSmokeTest.s16w8")
    job = suites.Job(rtl.name, 1, "verilator", code_coverage=True)
    assert wants_code_coverage(job, rtl)
    assert not wants_code_coverage(suites.Job(rtl.name, 1, "icarus", code_coverage=True), rtl)
    assert not wants_code_coverage(job, gate)
    assert not wants_code_coverage(suites.Job(rtl.name, 1, "verilator"), rtl)
    assert harness.build_key(rtl, "verilator", False) != \
        harness.build_key(rtl, "verilator", False, code_coverage=True)


@pytest.mark.parametrize("argv, message", [
    (["sim", "lfsr.LfsrSmokeTest.s16w8", "--sim", "icarus", "--code-coverage"],
     "code coverage needs --sim verilator, not icarus"),
    (["sim", "gl.lfsr.LfsrSmokeTest.s16w8", "--code-coverage"],
     "code coverage is of the RTL, not of a gate-level netlist"),
    (["regress", "--resume", "x", "--code-coverage"], "it contradicts --code-coverage"),
])
def test_a_run_that_cannot_record_code_coverage_is_one_line(capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: ") and message in err and "\n" not in err, err


def test_a_bad_code_coverage_key_is_one_line(tmp_path, capsys):
    path = _write(tmp_path, "x.toml", 'tests = ["lfsr.LfsrSmokeTest.s16w8"]\n'
                  'code_coverage = "yes"\n')
    assert cli.main(["regress", "--suite-file", str(path), "--no-power"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "pezo: error: " f"{path}: key 'code_coverage' must be true or false, got 'yes'"


def test_the_default_suite_records_code_coverage_of_its_verilator_rtl_runs():
    jobs = suites.expand(suites.get_suite("default"))
    wanted = {(j.test, j.simulator) for j in jobs
              if wants_code_coverage(j, registry.get(j.test))}
    verilator_rtl = {(j.test, j.simulator) for j in jobs
                     if j.simulator == "verilator" and not j.test.startswith("gl.")}
    assert wanted and wanted == verilator_rtl


def test_a_gzipped_coverage_file_reads_as_the_text(tmp_path):
    packed = tmp_path / "coverage.dat.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert coverage_dat.read(packed) == coverage_dat.read(SAMPLE) and coverage_dat.read(SAMPLE)


def test_the_console_line_sums_the_modules_lines(tmp_path):
    summary = {"runs": 2, "info": "coverage/merged.info", "html": None, "html_note": "no genhtml",
               "modules": code_coverage_report.per_module(coverage_dat.merge([SAMPLE]))}
    assert code_coverage_report.describe(summary, tmp_path) == (
        f"code coverage: 2 run(s) merged, lines 15/15 (100.0%) over 1 modules: "
        f"{tmp_path}/coverage/merged.info; HTML: no genhtml")
    assert code_coverage_report.describe(None, tmp_path) is None
