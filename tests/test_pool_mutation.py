"""A pool engine whose offset never advances must be caught by the scoreboard, with a
message naming step, pass, beat, lane, element j, expected and actual."""

import re
from pathlib import Path

import pytest

from tb import harness, registry
from tests import simcheck

MUTANTS = {
    # o_{t+1} = o_t: every step restarts at the offset of step 0
    "offset_frozen": ("""                        start_row_d = next_row_q;
                        start_r_d = next_r_q;
                        ptr_row_d = next_row_q;""",
                      """                        ptr_row_d = start_row_q;"""),
    # the lane rotation dropped: lane l always reads bank l
    "no_rotation": ("bank_rdata[(({{(32 - LANE_W){1'b0}}, a_r_q} + l) % LANES)*NUM_W +: NUM_W]",
                    "bank_rdata[l*NUM_W +: NUM_W]"),
}


def mutant_spec(tmp_dir: Path, name: str) -> harness.TestSpec:
    base = registry.get("pool.PoolSmokeTest.n64l4")
    return simcheck.mutant_spec(base, "pezo_pool.v", *MUTANTS[name], tmp_dir, name)


@pytest.mark.sim
@pytest.mark.parametrize("simulator,name", [("verilator", "offset_frozen"),
                                            ("icarus", "offset_frozen"),
                                            ("icarus", "no_rotation")])
def test_mutant_is_caught(tmp_path, name, simulator):
    result = harness.run(mutant_spec(tmp_path, name), seed=3, simulator=simulator,
                         out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant '{name}' survived: {result}"
    assert re.search(r"step \d+ pass \d+ beat \d+ lane \d+ \(j=\d+\): expected 0x[0-9a-f]+ "
                     r"\(-?\d+\), actual 0x[0-9a-f]+", result.message), result.message
    if name == "offset_frozen":  # step 0 is right; the first wrong read is step 1, element 0
        assert result.message.split("first: ")[1].startswith("step 1 pass 0 beat 0 lane 0 (j=0)")
