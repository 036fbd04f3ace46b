"""Suites as TOML files (regress/suite_file.py): a valid file with exact names, patterns,
seeds, simulators, a timeout and includes gives the jobs it says; every bad file is one
line naming the file, the key and the problem, exit status 2, before anything runs."""

import pytest

from regress import cli, runner, suite_file, suites
from tb import registry


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_suite_file_gives_its_jobs(tmp_path):
    _write(tmp_path, "more.toml", 'tests = ["scale.ScaleSmokeTest.l4w9t3"]\nseeds = [9]\n'
           'simulators = ["icarus"]\n')
    path = _write(tmp_path, "mine.toml", """
name = "mine"
description = "two exact tests, a pattern, an include of a file and a built-in suite"
tests = ["lfsr.LfsrSmokeTest.s32w16", "pool.PoolSmokeTest.*"]
seeds = [4, 5]
simulators = ["verilator"]
timeout_s = 99
include = ["more.toml", "smoke"]
""")
    suite = suite_file.load(path)
    jobs = suites.expand(suite)
    own = [j for j in jobs if j.timeout_s == 99.0]
    pool_smoke = [t for t in registry.TESTS if t.startswith("pool.PoolSmokeTest.")]
    assert {j.test for j in own} == {"lfsr.LfsrSmokeTest.s32w16", *pool_smoke}
    assert {(j.seed, j.simulator) for j in own} == {(4, "verilator"), (5, "verilator")}
    assert suites.Job("scale.ScaleSmokeTest.l4w9t3", 9, "icarus") in jobs
    smoke = set(suites.expand(suites.get_suite("smoke")))
    assert smoke <= set(jobs)
    assert suite.name == "mine"


def test_built_in_suites_are_suite_files_of_named_groups(tmp_path):
    """regress/suite_files/*.toml are the built-in suites; a user's file can name the same
    groups and gets the same jobs."""
    assert set(suites.builtin()) == {p.stem for p in suites.BUILTIN_DIR.glob("*.toml")
                                     if not p.stem.startswith("_")}
    path = _write(tmp_path, "lfsr-too.toml", 'tests = ["@bench:lfsr"]\n')
    assert suites.expand(suite_file.load(path)) == suites.expand(suites.get_suite("lfsr"))
    default = suites.expand(suites.get_suite("default"))
    assert {j.simulator for j in default if j.test.startswith("train.")} == {"verilator", "icarus"}
    assert {j.seed for j in default if j.test.startswith("train.") and j.simulator == "icarus"} \
        == {1}


def test_random_seeds_are_drawn_from_the_master_seed(tmp_path):
    path = _write(tmp_path, "r.toml", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\n'
                  'random_seeds = 3\nmaster_seed = 11\n')
    suite = suite_file.load(path)
    assert suite.seeds == suites.draw_seeds(3, 11) and suite.master_seed == 11


BAD = [
    ("unknown_test", 'tests = ["lfsr.NoSuchTest.x"]', "x.toml: tests[0]: unknown test "
     "'lfsr.NoSuchTest.x'"),
    ("pattern", 'tests = ["nope.*"]', "x.toml: tests[0] 'nope.*': the pattern matches no test"),
    ("seed_range", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\nseeds = [1, -3]',
     "x.toml: seeds[1] = -3 out of range: need 0 <= seed < 2^32"),
    ("seed_big", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\nseeds = [4294967296]',
     "x.toml: seeds[0] = 4294967296 out of range"),
    ("unknown_key", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\nseed = [1]',
     "x.toml: unknown key 'seed' (known: name, description, tests, seeds"),
    ("empty", 'name = "nothing"', "x.toml: empty suite: no tests and no include"),
    ("empty_list", 'tests = []', "x.toml: empty suite: no tests and no include"),
    ("syntax", 'tests = ["a"\nseeds = 1', "x.toml: not TOML: "),
    ("simulator", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\nsimulators = ["vcs"]',
     "x.toml: simulators[0] 'vcs': unknown simulator"),
    ("both_seeds", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\nseeds = [1]\nrandom_seeds = 2',
     "x.toml: seeds and random_seeds: give one of them"),
    ("random_zero", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\nrandom_seeds = 0',
     "x.toml: random_seeds must be >= 1, got 0"),
    ("timeout", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\ntimeout_s = 0',
     "x.toml: key 'timeout_s' must be a number > 0, got 0"),
    ("type", 'tests = "lfsr.LfsrSmokeTest.s32w16"', "x.toml: key 'tests' must be a list"),
    ("include_missing", 'include = ["gone.toml"]', "x.toml: include[0] 'gone.toml': no such file"),
    ("group", 'tests = ["@nope"]', "x.toml: tests[0]: unknown test group '@nope' (known: @blocks"),
    ("include_name", 'include = ["nightly"]',
     "x.toml: include[0] 'nightly': neither a .toml file nor a built-in suite"),
]


@pytest.mark.parametrize("case, text, message", BAD, ids=[b[0] for b in BAD])
def test_bad_suite_file_is_one_line_exit_2(tmp_path, capsys, case, text, message):
    path = _write(tmp_path, "x.toml", text + "\n")
    before = sorted(runner.REGRESS_ROOT.glob("*")) if runner.REGRESS_ROOT.exists() else []
    assert cli.main(["regress", "--suite-file", str(path), "--no-power"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pezo: error: ") and message in err and "\n" not in err, err
    after = sorted(runner.REGRESS_ROOT.glob("*")) if runner.REGRESS_ROOT.exists() else []
    assert after == before, "a refused suite file must not start a run"


def test_an_include_cycle_is_named(tmp_path, capsys):
    _write(tmp_path, "a.toml", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\ninclude = ["b.toml"]\n')
    _write(tmp_path, "b.toml", 'include = ["a.toml"]\n')
    assert cli.main(["regress", "--suite-file", str(tmp_path / "a.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert "include cycle a.toml -> b.toml -> a.toml" in err and "\n" not in err, err


def test_suite_and_suite_file_together_are_refused(tmp_path, capsys):
    path = _write(tmp_path, "ok.toml", 'tests = ["lfsr.LfsrSmokeTest.s32w16"]\n')
    assert cli.main(["regress", "--suite", "smoke", "--suite-file", str(path)]) == 2
    assert "--suite and --suite-file: give one of them" in capsys.readouterr().err
