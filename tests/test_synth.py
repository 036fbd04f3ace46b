"""yosys synth_xilinx on every LFSR variant: clean, and the flop count is the state."""

import pytest

from regress import synth
from tb import registry


@pytest.mark.parametrize("variant", sorted(registry.BENCHES["lfsr"].VARIANTS))
def test_lfsr_synthesizes_clean_with_state_w_flops(variant):
    top, sources, params = synth.targets("lfsr")[f"lfsr.{variant}"]
    result = synth.synthesize(f"lfsr.{variant}", top, sources, params)
    assert result.ok, f"{result.problems} (log {result.log})"
    assert result.ffs == params["STATE_W"], result.cells
    assert result.luts > 0 and result.brams == 0


def test_latches_are_reported(tmp_path):
    src = tmp_path / "latchy.v"
    src.write_text("module latchy(input wire en, input wire d, output reg q);\n"
                   "always @* if (en) q = d;\nendmodule\n")
    result = synth.synthesize("latchy", "latchy", [str(src)], {})
    assert not result.ok and any("latch" in p.lower() for p in result.problems)
