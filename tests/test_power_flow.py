"""`pezo power <test>`: synthesis, the pyuvm test on gates, activity, power; both simulators."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

TEST = "lfsr.LfsrSmokeTest.s16w8"


def power_of(simulator: str, tmp_path) -> dict:
    out = tmp_path / simulator
    run = subprocess.run([sys.executable, "-m", "regress.cli", "power", TEST, "--sim", simulator,
                          "--window", "500", "--out", str(out)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Sequential" in run.stdout and "unannotated" not in run.stdout, run.stdout
    assert (out / "power.png").stat().st_size > 5000
    return json.loads((out / "power.json").read_text())


@pytest.mark.sim
def test_gate_level_power_is_the_same_on_icarus_and_verilator(tmp_path):
    icarus, verilator = power_of("icarus", tmp_path), power_of("verilator", tmp_path)
    for part in ("internal", "switching", "leakage", "total"):
        assert icarus["total"][part] > 0, part
        assert verilator["total"][part] == pytest.approx(icarus["total"][part], rel=1e-9), part
    assert icarus["windows"]["total_w"] == pytest.approx(verilator["windows"]["total_w"], rel=1e-9)
    # 2,004 cycles of the smoke test in windows of 500 from the first clock edge
    assert len(icarus["windows"]["total_w"]) == 5
    assert icarus["setup"]["test"] == f"gl.{TEST}" and icarus["setup"]["clock_period_s"] == 10e-9
    assert icarus["groups"]["sequential"]["total"] > icarus["groups"]["combinational"]["total"]


def test_power_of_an_unknown_test_is_one_line():
    run = subprocess.run([sys.executable, "-m", "regress.cli", "power", "lfsr.NoSuchTest.s16w8"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "unknown test" in run.stderr


@pytest.mark.sim
def test_gate_level_activity_capture_counts_the_netlists_nets():
    from power import gate_synth
    from tb import registry
    run = subprocess.run([sys.executable, "-m", "regress.cli", "sim", f"gl.{TEST}", "--sim",
                          "icarus", "--activity", "--window", "500"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = next(line for line in run.stdout.splitlines() if "activity:" in line)
    data = json.loads(open(summary.split("; ")[-1].split(" (+")[0]).read())
    netlist = json.loads(gate_synth.netlist_paths(registry.get(f"gl.{TEST}"))[1].read_text())
    net_bits = sum(len(n["bits"]) for n in netlist["modules"]["pezo_lfsr"]["netnames"].values())
    # the netlist's nets only: one instance (the top), not a scope per cell
    assert len(data["instances"]) == 1, [i.get("path") for i in data["instances"]][:5]
    assert 0 < data["n_bits"] <= net_bits
    assert data["toggles"] > 0 and data["cycles"] > 1000
