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


@pytest.mark.parametrize("target", ["pool.n64l4", "pool.n509l1w13", "scale.l4w9t3",
                                    "array.n4u8", "gauss.n3icdf", "train.pool_h8"])
def test_engines_synthesize_clean(target):
    """No latch, no unexpected warning; the pool's memory maps to RAM, not flops."""
    top, sources, params = synth.targets(target.split(".")[0])[target]
    result = synth.synthesize(target, top, sources, params)
    assert result.ok, f"{result.problems} (log {result.log})"
    assert result.luts > 0 and result.ffs > 0
    if target.startswith("pool."):
        assert result.brams + result.lutrams > 0, result.cells
        assert result.ffs < params["POOL_N"] * params["NUM_W"], "pool stored in flops"
