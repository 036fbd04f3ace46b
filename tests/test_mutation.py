"""Mutants of the RTL must be caught by the scoreboard, with a useful message."""

import re
from pathlib import Path

import pytest

from tb import harness, registry

LFSR_RTL = harness.REPO / "rtl" / "pezo_lfsr.v"

MUTANTS = {
    # one tap of the feedback polynomial flipped (bit 1 of the mask)
    "tap": ("leap = {^(leap & FEEDBACK), leap[STATE_W-1:1]};",
            "leap = {^(leap & (FEEDBACK ^ 2)), leap[STATE_W-1:1]};"),
    # one bit of the seed-load logic inverted
    "seed_bit": ("state_d = (seed_i == 0) ? NONZERO : seed_i;",
                 "state_d = (seed_i == 0) ? NONZERO : (seed_i ^ 1);"),
}


def mutant_spec(tmp_dir: Path, name: str) -> harness.TestSpec:
    original, mutated = MUTANTS[name]
    text = LFSR_RTL.read_text()
    assert text.count(original) == 1, f"mutation site for '{name}' not found exactly once"
    path = tmp_dir / f"pezo_lfsr_{name}.v"
    path.write_text(text.replace(original, mutated))
    base = registry.get("lfsr.LfsrSmokeTest.s32w16")
    bench = harness.Bench(f"lfsr_mutant_{name}", base.bench.toplevel, (str(path),),
                          base.bench.module, base.bench.wide_params)
    return harness.TestSpec(bench, base.testcase, base.variant, base.parameters)


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_caught(tmp_path, name, simulator):
    result = harness.run(mutant_spec(tmp_path, name), seed=3, simulator=simulator,
                         out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant '{name}' survived: {result}"
    assert re.search(r"first mismatch at word \d+ after load of seed 0x[0-9a-f]+", result.message), \
        result.message
    assert "expected 0x" in result.message and "actual 0x" in result.message
