"""The gate-level flow: sky130 netlists from yosys, and the block benches' pyuvm tests
with their RTL scoreboards on those netlists, on both simulators."""

import json
import os
import re
import subprocess
import sys

import pytest

from power import gate_synth, pdk
from ref_model.errors import ConfigError
from regress import suites
from tb import harness, registry
from tests import simcheck

SMOKE_AND_RANDOM = [t for bench, variant in suites.GATE_LEVEL_SMALLEST.items()
                    for t in suites.gate_level_tests(bench, [variant])]

def test_lfsr_netlist_is_liberty_cells_with_area_and_rtl_ports():
    spec = registry.get("gl.lfsr.LfsrSmokeTest.s16w8")
    result = gate_synth.for_spec(spec)
    assert result.ok and result.area_um2 > 0, result.problems
    lib = pdk.prepare()
    assert set(result.cells) <= lib.usable(), set(result.cells) - lib.usable()
    assert result.flops == spec.params["STATE_W"]
    verilog, netlist_json = gate_synth.netlist_paths(spec)
    top = json.loads(netlist_json.read_text())["modules"]["pezo_lfsr"]
    types = [cell["type"] for cell in top["cells"].values()]
    assert {t: types.count(t) for t in set(types)} == result.cells
    widths = {name: len(port["bits"]) for name, port in top["ports"].items()}
    assert widths == {"clk_i": 1, "rst_ni": 1, "seed_load_i": 1, "seed_i": 16, "en_i": 1,
                      "rnd_o": 8}
    cells_in_verilog = re.findall(r"^  (sky130_fd_sc_hd__\w+) _\d+_ \(", verilog.read_text(), re.M)
    assert sorted(cells_in_verilog) == sorted(types), "netlist.v and netlist.json differ"
    assert pytest.approx(result.area_um2, rel=1e-6) == sum(
        lib.cell(c).area * n for c, n in result.cells.items())


def test_special_cells_are_dont_use_in_the_working_liberty():
    lib = pdk.prepare()
    marked = {c.name for c in lib.cells if c.dont_use}
    for name in ("lpflow_isobufsrc_1", "lpflow_inputiso0p_1", "lpflow_lsbuf_lh_isowell_4",
                 "probe_p_8", "dlclkp_1", "sdfxtp_1", "clkbuf_1", "dlygate4sd1_1"):
        assert pdk.PREFIX + name in marked, name
    assert pdk.TIE_CELL not in marked and pdk.PREFIX + "dfrtp_1" not in marked
    text = lib.liberty.read_text()
    assert text.count("dont_use : true;") == len(marked)


@pytest.mark.parametrize("name", ["/nonexistent/sky130.lib.gz", "bad.lib.gz"])
def test_missing_or_malformed_liberty_is_one_clear_line(tmp_path, name):
    path = tmp_path / name if not name.startswith("/") else name
    if not name.startswith("/"):
        path.write_bytes(b"not gzip at all")
    with pytest.raises(ConfigError, match="not found|malformed"):
        pdk.prepare(path)
    out = subprocess.run([sys.executable, "-m", "regress.cli", "synth", "--target", "sky130",
                          "--bench", "lfsr"], capture_output=True, text=True,
                         env={**os.environ, pdk.LIBERTY_ENV: str(path)})
    assert out.returncode == 2, out.stdout + out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"pezo: error: liberty {path}"), out.stderr


def test_gate_level_twins_are_registered_and_built_apart():
    rtl = registry.get("lfsr.LfsrSmokeTest.s32w16")
    gl = registry.get("gl.lfsr.LfsrSmokeTest.s32w16")
    assert gl.gate_level and not rtl.gate_level and gl.params == rtl.params
    assert harness.build_key(rtl, "icarus", False) != harness.build_key(gl, "icarus", False)
    assert all(f"gl.{name}" in registry.TESTS for name in registry.RTL_TESTS)
    jobs = suites.expand(suites.get_suite("gate-level"))
    assert {j.test for j in jobs} >= set(SMOKE_AND_RANDOM)


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["icarus", "verilator"])
@pytest.mark.parametrize("name", SMOKE_AND_RANDOM)
def test_gate_level_passes_the_rtl_scoreboard(name, simulator):
    simcheck.assert_pass(harness.run(registry.get(name), seed=5, simulator=simulator))


@pytest.mark.sim
@pytest.mark.parametrize("simulator", ["icarus", "verilator"])
def test_netlist_mutant_is_caught(tmp_path, simulator):
    """One xnor2 of the LFSR's netlist made an xor2: the gate-level scoreboard sees it."""
    base = registry.get("gl.lfsr.LfsrSmokeTest.s16w8")
    text = gate_synth.netlist_paths(base)[0].read_text()
    site = re.search(r"  sky130_fd_sc_hd__xnor2_1 _\d+_ \(\n(    \.\w+\(.*\),?\n)+  \);", text)
    original = site.group(0)
    mutated = original.replace("xnor2_1", "xor2_1").replace(".Y(", ".X(")
    spec = simcheck.netlist_mutant_spec(base, original, mutated, tmp_path, "xor")
    assert spec.name == "gl.lfsr_mutant_xor.LfsrSmokeTest.s16w8"
    result = harness.run(spec, seed=3, simulator=simulator, out_dir=tmp_path / "run")
    assert result.status == "fail", f"netlist mutant survived: {result}"
    assert "first mismatch" in result.message and "expected 0x" in result.message, result.message
