"""Mutants of the RTL must be caught by the scoreboard, with a useful message."""

import re
from pathlib import Path

import pytest

from tb import harness, registry
from tests import simcheck

MUTANTS = {
    # one tap of the feedback polynomial flipped (bit 1 of the mask)
    "tap": ("leap = {^(leap & FEEDBACK), leap[STATE_W-1:1]};",
            "leap = {^(leap & (FEEDBACK ^ 2)), leap[STATE_W-1:1]};"),
    # one bit of the seed-load logic inverted
    "seed_bit": ("state_d = (seed_i == 0) ? NONZERO : seed_i;",
                 "state_d = (seed_i == 0) ? NONZERO : (seed_i ^ 1);"),
}


def mutant_spec(tmp_dir: Path, name: str) -> harness.TestSpec:
    base = registry.get("lfsr.LfsrSmokeTest.s32w16")
    return simcheck.mutant_spec(base, "pezo_lfsr.v", *MUTANTS[name], tmp_dir, name)


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_caught(tmp_path, name, simulator):
    result = harness.run(mutant_spec(tmp_path, name), seed=3, simulator=simulator,
                         out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant '{name}' survived: {result}"
    assert re.search(r"first mismatch at word \d+ after load of seed 0x[0-9a-f]+",
                     result.message), result.message
    assert "expected 0x" in result.message and "actual 0x" in result.message
