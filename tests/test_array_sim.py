"""The RNG array's pyuvm tests through the harness on both simulators, the random
configurations across seeds, the mutants the scoreboard must catch, and the
elaboration-time rejection of degenerate parameters."""

import re
from pathlib import Path

import pytest

from tb import harness, registry
from tests import simcheck
from tests.refusal import assert_refused
from tests.simcheck import assert_pass

ARRAY = sorted(t for t in registry.TESTS if t.startswith("array."))
MISMATCH = re.compile(r"step \d+ pass \d+ beat \d+ lane \d+ \(j=\d+\): "
                      r"expected 0x[0-9a-f]+, actual 0x[0-9a-f]+")


@pytest.mark.sim
@pytest.mark.parametrize("name", ARRAY)
def test_verilator(name):
    result = harness.run(registry.get(name), seed=11, simulator="verilator")
    assert_pass(result)
    assert result.metrics["beats_checked"] > 0
    if "Smoke" in name:  # uniform and CLT K=3 are the training reference's `hw` array
        assert result.metrics["reference_steps"] == 4, "steps not checked against Perturbations"
    if "Stats" in name:
        assert result.metrics["statistics"]["n"] >= 40_000


@pytest.mark.sim
@pytest.mark.parametrize("name", [t for t in ARRAY if "Stats" not in t])
def test_icarus(name):
    assert_pass(harness.run(registry.get(name), seed=12, simulator="icarus"))


@pytest.mark.sim
@pytest.mark.parametrize("seed", [21, 22, 23])
@pytest.mark.parametrize("variant", ["n4u8", "n5g8"])
def test_random_configurations_close_coverage(variant, seed):
    """Directed run + 10 random runtime configurations per variant and seed."""
    result = harness.run(registry.get(f"array.ArrayRandomTest.{variant}"), seed, "verilator")
    assert_pass(result)
    assert result.metrics["coverage"]["percent"] == 100.0
    assert result.metrics["steps"] >= 11 and result.metrics["passes"] > result.metrics["steps"]


# --- mutants: (text in the RTL, replacement)
MUTANTS = {
    # the lane-to-generator mapping never rotates (the rotation counter stays at 0)
    "no_rotation": ("rot_d = (rot_q == ROT_LAST) ? {ROT_W{1'b0}} : rot_q + 1'b1;",
                    "rot_d = (rot_q == ROT_LAST) ? {ROT_W{1'b0}} : rot_q;"),
    # replay_i does not restore the generators' saved states
    "no_restore": (("wire restore = ((state_q == S_IDLE) && !seed_we_i && !step_i && replay_i "
                    "&& have_step_q)\n             || (state_q == S_LOAD);"),
                   "wire restore = (state_q == S_LOAD);"),
}


def mutant_spec(tmp_dir: Path, name: str) -> harness.TestSpec:
    base = registry.get("array.ArraySmokeTest.n4u8")
    return simcheck.mutant_spec(base, "pezo_rng_array.v", *MUTANTS[name], tmp_dir, name)


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_caught(tmp_path, name, simulator):
    result = harness.run(mutant_spec(tmp_path, name), seed=3, simulator=simulator,
                         out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant '{name}' survived: {result}"
    assert MISMATCH.search(result.message), result.message


# --- degenerate parameters never run (tests/refusal.py)
BAD = [({"LANES": 0}, "pezo_rng_array", "LANES"),
       ({"K": 3, "DIST": 1, "NUM_W": 10}, "pezo_numgen", "NUM_W"),
       ({"K": 9, "DIST": 1, "NUM_W": 16}, "pezo_numgen", "K"),
       ({"W": 1, "NUM_W": 2}, "pezo_numgen", "W")]


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["verilator", "icarus"])
@pytest.mark.parametrize("bad,module,param", BAD,
                         ids=[f"{m}_{p}_{b[p]}" for b, m, p in BAD])
def test_degenerate_parameters_stop_the_build(bad, module, param, simulator, tmp_path):
    base = registry.get("array.ArraySmokeTest.n4u8")
    params = tuple(sorted({**base.params, **bad}.items()))
    spec = harness.TestSpec(base.bench, base.testcase, "bad", params)
    assert_refused(spec, simulator, module, param, bad[param], tmp_path)
