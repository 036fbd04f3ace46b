"""verilator-sc: the generated SystemC top, the bridge's input mirrors, the benches on it
bit for bit as on plain Verilator, waves, and the one-line refusals (missing SystemC, a port
the top cannot bind)."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from regress import activity
from tb import harness, registry, sims, toolchain
from tests.simcheck import assert_pass

WIDTHS = harness.Bench("sc_widths", "sc_widths", ("tests/sim_fixtures/sc_widths.v",),
                       "tests.sim_fixtures.sc_widths")
WIDTHS_TEST = harness.TestSpec(WIDTHS, "echo_test", "all", ())
SMOKES = [bench.SMOKE for bench in registry.BENCHES.values()]
LFSR_SMOKE = "lfsr.LfsrSmokeTest.s32w16"


@pytest.mark.sim
def test_generated_top_mirrors_every_width_class(tmp_path):
    result = harness.run(WIDTHS_TEST, 3, "verilator-sc", out_dir=tmp_path)
    assert_pass(result)
    top = (harness.build(WIDTHS_TEST, "verilator-sc") / "pezo_sc_top.cpp").read_text()
    for port, sc_type in [("bit_i", "bool"), ("word_i", "uint32_t"), ("w33_i", "uint64_t"),
                          ("dword_i", "uint64_t"), ("w65_i", "sc_dt::sc_bv<65>"),
                          ("wide_i", "sc_dt::sc_bv<512>"), ("clk_i", "bool")]:
        assert f"pezo_sc::MirroredSignal<{sc_type}> {port}{{" in top, port
        assert f"bridge.add({port});" in top, port
    assert "sc_core::sc_signal<sc_dt::sc_bv<512>> wide_o{" in top
    assert "bridge.add(wide_o)" not in top  # outputs are the model's to drive


@pytest.mark.sim
@pytest.mark.parametrize("name", SMOKES)
def test_bench_smoke_is_bit_identical_to_verilator(name, tmp_path):
    spec = registry.get(name)
    plain = harness.run(spec, 7, "verilator", out_dir=tmp_path / "verilator")
    systemc = harness.run(spec, 7, "verilator-sc", out_dir=tmp_path / "verilator-sc")
    assert_pass(plain)
    assert_pass(systemc)
    assert systemc.metrics == plain.metrics
    assert systemc.sim_time_ns == plain.sim_time_ns


@pytest.mark.sim
def test_without_the_input_mirrors_the_test_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(sims.ProjectVerilatorSc, "MIRROR_INPUTS", False)
    monkeypatch.setattr(harness, "BUILD_ROOT", tmp_path / "build")
    result = harness.run(registry.get(LFSR_SMOKE), 7, "verilator-sc", out_dir=tmp_path / "run")
    assert result.status == "fail", result.message
    assert "words differ" in result.message
    top = next((tmp_path / "build").glob("verilator-sc/*/pezo_sc_top.cpp")).read_text()
    assert "MirroredSignal" not in top


@pytest.mark.sim
def test_waves_toggle_like_plain_verilator(tmp_path):
    spec = registry.get(LFSR_SMOKE)
    acts = {}
    for sim in ("verilator", "verilator-sc"):
        result = harness.run(spec, 7, sim, waves=True, out_dir=tmp_path / sim)
        assert_pass(result)
        assert result.waves and result.waves.endswith("waves.fst"), result.waves
        scope = sims.waves_scope(sim, spec.bench.toplevel)
        acts[sim] = activity.read(Path(result.waves), scope, 1000)
    plain, systemc = acts["verilator"], acts["verilator-sc"]
    assert systemc.names == plain.names and systemc.cycles == plain.cycles
    assert np.array_equal(systemc.toggles, plain.toggles)


def test_missing_systemc_is_one_line_naming_the_package(tmp_path):
    env = {**os.environ, "SYSTEMC_INCLUDE": str(tmp_path / "none")}
    out = subprocess.run([sys.executable, "-m", "regress.cli", "sim", LFSR_SMOKE,
                          "--sim", "verilator-sc"], capture_output=True, text=True,
                         timeout=120, env=env, cwd=harness.REPO)
    assert out.returncode == 2, out
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pezo: error:"), out.stderr
    assert "libsystemc-dev" in lines[0] and "systemc.h" in lines[0]


def test_unsupported_port_is_one_line_and_exit_2(tmp_path):
    toolchain.activate()
    design = tmp_path / "with_inout.v"
    design.write_text("module with_inout (input wire clk_i, inout wire pad_io);\nendmodule\n")
    subprocess.run(["verilator", "--json-only", "-Wno-fatal", "-Mdir", str(tmp_path),
                    "--prefix", "Vtop", "--top-module", "with_inout", str(design)],
                   check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-m", "tb.systemc.top_gen",
                          str(tmp_path / "Vtop.tree.json"), str(tmp_path / "top.cpp")],
                         capture_output=True, text=True, cwd=harness.REPO)
    assert out.returncode == 2, out
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "port pad_io" in lines[0] and "INOUT" in lines[0], out.stderr
    assert not (tmp_path / "top.cpp").exists()
