"""A DUT that stops making progress fails by the progress watchdog of the shared
base test (tb/common/block_test.py) within seconds, with a message naming what the
test waited for, instead of hanging until the harness's wall-clock limit."""

import time

import pytest

from tb import harness, registry
from tests import simcheck

STUCK = {
    # The scale stage's register with its reset inverted: held in reset once rst_ni
    # rises, so s_ready_o stays high and input beats go in, but m_valid_o never rises.
    "scale_stuck_in_reset": ("scale.ScaleSmokeTest.l4w9t3", "pezo_scale.v",
                             "if (!rst_ni) begin", "if (rst_ni) begin",
                             "the input beats to be taken (s_ready_o) and come out (m_valid_o)"),
    # The array's state capture never ends: the first step never streams, idle_o stays
    # low, and the replay after it waits.
    "array_capture_stuck": ("array.ArraySmokeTest.n4u8", "pezo_rng_array.v",
                            "cap_d = cap_q + 1'b1;", "cap_d = cap_q;",
                            "idle_o before replay (a pass that never ends)"),
}
SECONDS = 20  # the run, build excluded, must end within this (the harness kills at 300 s)


@pytest.mark.sim
@pytest.mark.parametrize("simulator,name", [("verilator", "scale_stuck_in_reset"),
                                            ("icarus", "scale_stuck_in_reset"),
                                            ("verilator", "array_capture_stuck")])
def test_a_stuck_dut_fails_by_the_watchdog(tmp_path, simulator, name):
    test, rtl_file, original, mutated, waited_for = STUCK[name]
    spec = simcheck.mutant_spec(registry.get(test), rtl_file, original, mutated, tmp_path, name)
    harness.build(spec, simulator)
    start = time.monotonic()
    result = harness.run(spec, seed=1, simulator=simulator, out_dir=tmp_path / "run")
    elapsed = time.monotonic() - start
    assert result.status == "fail", result
    assert result.message.startswith(f"watchdog: no progress for 2000 clocks while waiting "
                                     f"for {waited_for} (last progress: "), result.message
    assert elapsed < SECONDS, f"the watchdog took {elapsed:.1f} s"
