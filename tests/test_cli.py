"""`pezo`: help lists the commands; bad input is one line and exit status 2."""

import subprocess
import sys

import pytest

PEZO = [sys.executable, "-m", "regress.cli"]


def pezo(*args):
    return subprocess.run(PEZO + list(args), capture_output=True, text=True, timeout=120)


def test_help_lists_commands():
    out = pezo("--help")
    assert out.returncode == 0
    for command in ["list", "sim", "regress", "rng", "toolchain"]:
        assert command in out.stdout


@pytest.mark.parametrize("args,needle", [
    (["sim", "lfsr.NoSuchTest"], "unknown test 'lfsr.NoSuchTest'"),
    (["sim", "lfsr.LfsrSmokeTest.s32w16", "--sim", "modelsim"], "invalid choice: 'modelsim'"),
    (["sim", "lfsr.LfsrSmokeTest.s32w16", "--param", "OUT_W=64"], "OUT_W=64 unsupported"),
    (["sim", "lfsr.LfsrSmokeTest.s32w16", "--seed", "-4"], "--seed must be >= 0"),
    (["rng", "--seed", "0"], "seed 0 is the LFSR's lock-up state"),
    (["rng", "--seed", "7", "--out-w", "0"], "OUT_W=0 unsupported"),
    (["rng", "--seed", "7", "--state-w", "20"], "STATE_W=20 has no built-in taps"),
    (["regress", "--suite", "nightlyy"], "unknown suite 'nightlyy'"),
    (["regress", "--sim", "verilator,xcelium"], "unknown simulator 'xcelium'"),
    (["regress", "--seeds", "1,x"], "not a comma-separated list"),
    (["regress", "--jobs", "0"], "--jobs must be >= 1"),
    (["regress", "--random-seeds", "0"], "--random-seeds must be >= 1, got 0"),
    (["regress", "--random-seeds", "-2"], "--random-seeds must be >= 1, got -2"),
    (["regress", "--filter", "nothing-matches"], "no test of suite 'default' matches"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["mutate", "nope"], "unknown bench 'nope'"),
    (["mutate", "lfsr", "--count", "0"], "--count must be >= 1"),
    (["mutate", "lfsr", "--seed", "-1"], "--seed must be >= 0"),
    (["mutate", "lfsr", "--jobs", "0"], "--jobs must be >= 1"),
    (["mutate", "lfsr", "--variant", "w99"], "unknown variant 'w99' of lfsr"),
    (["mutate", "lfsr", "--tests", "NoSuch"], "unknown test(s) NoSuch of lfsr.s32w16"),
    (["mutate", "lfsr", "--tests", ","], "the list of tests is empty"),
    (["mutate", "lfsr", "--sim", "verilator-sc"], "invalid choice: 'verilator-sc'"),
])
def test_bad_input_is_one_line_and_exit_2(args, needle):
    out = pezo(*args)
    assert out.returncode == 2, out
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pezo: error:"), out.stderr
    assert needle in lines[0]


def test_rng_prints_reference_words():
    from ref_model import lfsr
    out = pezo("rng", "--seed", "0x1234", "--count", "5", "--out-w", "8")
    assert out.returncode == 0
    want = lfsr.stream(lfsr.LfsrConfig(out_w=8), 0x1234, 5)
    assert [int(w, 16) for w in out.stdout.split()] == [int(w) for w in want]
