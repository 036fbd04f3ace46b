"""The perturbation-source agent attaches by port-name prefix; a DUT that lacks the
ports fails at attach time with one line naming every missing port."""

import pytest

from tb import harness, registry
from tb.harness import Bench, TestSpec

ATTACH = Bench("attach", "pezo_lfsr", ("rtl/pezo_lfsr.v",), "tests.sim_fixtures.attach",
               ("TAPS", "ZERO_SUBST"))


@pytest.mark.sim
def test_an_agent_on_a_dut_without_its_ports_names_them(tmp_path):
    params = registry.get("lfsr.LfsrSmokeTest.s32w16").parameters
    spec = TestSpec(ATTACH, "attach_to_lfsr_test", "s32w16", params, 60)
    result = harness.run(spec, 1, "icarus", out_dir=tmp_path)
    assert result.status == "fail"
    assert result.message == ("pezo_lfsr has no port cfg_d_i, step_i, replay_i, idle_o, "
                              "cfg_err_o (attaching by prefix '')"), result.message
