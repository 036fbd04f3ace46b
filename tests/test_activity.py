"""Activity capture: exact toggles from hand-made waves, VCD = FST, Verilator = Icarus per
bit and window, SAIF = FST, bad input as one ConfigError line, and checks shown to fail."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from power.activity import Activity, read_waves
from power.saif import read_saif
from ref_model.errors import ConfigError
from regress import activity as capture
from tb import harness, registry, toolchain
from tests.simcheck import assert_pass, mutant_spec

NS = 1e-9

# Two scopes (top, top.u_a) and a third top-level one; X and Z; a [3:0] bus, a [4:1] bus,
# a 1-bit declared with an index, and an alias (u_a.clk_alias is top.clk). Clock period
# 10 ns, rising at 5, 15, ..., 45; reset released at 12.
VCD = """$timescale 1ns $end
$scope module top $end
$var wire 1 ! clk $end
$var wire 1 " rst_ni $end
$var wire 4 # bus [3:0] $end
$scope module u_a $end
$var wire 1 ! clk_alias $end
$var reg 1 $ a $end
$var reg 4 % v [4:1] $end
$var reg 1 & n [2] $end
$upscope $end
$upscope $end
$scope module other $end
$var wire 1 ' o $end
$upscope $end
$enddefinitions $end
#0
0!
0"
bzx01 #
x$
bxxxx %
0&
0'
#5
1!
b0001 #
1$
#10
0!
#12
1"
#15
1!
b0011 #
#20
0!
0$
#22
b0101 %
#25
1!
b0x11 #
#30
0!
1$
#35
1!
b0111 #
#38
1&
#40
0!
#42
b1010 %
#45
1!
b1111 #
#50
0!
"""

# whole file, [0, 50] ns: name -> (toggles, ns at 1, transitions to/from X/Z)
WHOLE = {"clk": (10, 25, 0), "rst_ni": (1, 38, 0), "bus[0]": (0, 50, 0), "bus[1]": (1, 35, 0),
         "bus[2]": (0, 15, 3), "bus[3]": (1, 5, 1), "u_a.clk_alias": (10, 25, 0),
         "u_a.a": (2, 35, 1), "u_a.v[1]": (1, 20, 1), "u_a.v[2]": (1, 8, 1),
         "u_a.v[3]": (1, 20, 1), "u_a.v[4]": (1, 8, 1), "u_a.n[2]": (1, 12, 0)}
# start="reset" (first rising edge after 12: 15), windows of 2 cycles: [15, 35) and
# [35, 45) (1 cycle: the last window ends at the last rising edge): name -> per window
WINDOWED = {"clk": ((4, 2), (10, 5)), "rst_ni": ((0, 0), (20, 10)),
            "bus[0]": ((0, 0), (20, 10)), "bus[1]": ((1, 0), (20, 10)),
            "bus[2]": ((0, 0), (0, 10)), "bus[3]": ((0, 0), (0, 0)),
            "u_a.clk_alias": ((4, 2), (10, 5)), "u_a.a": ((2, 0), (10, 10)),
            "u_a.v[1]": ((0, 1), (13, 7)), "u_a.v[2]": ((0, 1), (0, 3)),
            "u_a.v[3]": ((0, 1), (13, 7)), "u_a.v[4]": ((0, 1), (0, 3)),
            "u_a.n[2]": ((0, 1), (0, 7))}


def mismatches(act: Activity, expected: dict, windowed: bool) -> list[str]:
    """The bits whose toggles or time at 1 are not as expected (the checker under test)."""
    out = []
    for name, want in expected.items():
        row = act.row(name)
        if windowed:
            (tog, high) = want
            got = (tuple(act.toggles[row].tolist()),
                   tuple(np.round(act.high_time[row] / NS, 6).tolist()))
            if got != (tuple(tog), tuple(float(h) for h in high)):
                out.append(f"{name}: {got} != {want}")
        else:
            tog, high, xt = want
            got = (int(act.total_toggles()[row]), round(float(act.total_high_time()[row]) / NS, 6),
                   int(act.extra["x_toggles"][row].sum()))
            if got != (tog, high, xt):
                out.append(f"{name}: {got} != {want}")
    return out


@pytest.fixture
def vcd(tmp_path) -> Path:
    path = tmp_path / "hand.vcd"
    path.write_text(VCD)
    return path


def test_hand_made_vcd_whole_run(vcd):
    act = read_waves(vcd, "top")
    assert sorted(act.names) == sorted(WHOLE), "every bit of both scopes, aliases, no 'other'"
    assert mismatches(act, WHOLE, windowed=False) == []
    assert act.n_windows == 1 and np.allclose(act.window_start, [0, 50 * NS])
    assert act.clock == "clk" and act.cycles == 5 and act.time_unit == NS
    inst = act.by_instance()
    assert list(inst) == ["", "u_a"]
    assert (inst[""]["self"], inst["u_a"]["self"], inst[""]["total"]) == (13, 17, 30)
    assert inst[""]["bits"] == 6 and inst[""]["total_bits"] == 13


def test_hand_made_vcd_windows_from_reset(vcd):
    act = read_waves(vcd, "top/", window_cycles=2, start="reset")
    assert np.allclose(act.window_start, np.array([15, 35, 45]) * NS)
    assert act.window_ncycles.tolist() == [2, 1] and act.cycles == 3
    assert mismatches(act, WINDOWED, windowed=True) == []
    assert act.extra["x_toggles"][act.row("bus[2]")].tolist() == [1, 1]
    inst = act.by_instance()
    assert inst["u_a"]["total_windows"].tolist() == [6, 7]
    assert inst[""]["total_windows"].tolist() == [11, 9]


def test_start_time_and_scope_below(vcd):
    act = read_waves(vcd, "top.u_a", start="20ns", end=40 * NS)
    assert act.names == ["clk_alias", "a", "v[1]", "v[2]", "v[3]", "v[4]", "n[2]"]
    # [20, 40] closed: clock 20, 25, 30, 35, 40; a 20, 30; v only leaves X (22); n 38
    assert act.total_toggles().tolist() == [5, 2, 0, 0, 0, 0, 1]
    assert act.instances == [""] and act.clock is None  # no clk_i/clk in u_a


def test_initial_x_zero_reads_leading_x_as_zero(vcd):
    act = read_waves(vcd, "top", initial_x="zero")
    tog = dict(zip(act.names, act.total_toggles().tolist(), strict=True))
    # a: x then 1 at 5 is now a toggle; v: xxxx until 22 reads 0000, so 0101 flips v[1], v[3];
    # bus[2] x at 0 reads 0 like its value at 5; its later X (25..35) still counts no toggle
    assert (tog["u_a.a"], tog["u_a.v[1]"], tog["u_a.v[2]"], tog["bus[2]"]) == (3, 2, 1, 0)


def test_one_added_transition_fails_the_check(tmp_path):
    path = tmp_path / "mutant.vcd"
    path.write_text(VCD.replace("#50\n0!\n", "#48\nb1110 #\n#50\n0!\n"))  # bus[0] 1->0 at 48
    act = read_waves(path, "top")
    assert mismatches(act, WHOLE, windowed=False) == ["bus[0]: (1, 48.0, 0) != (0, 50, 0)"]


def test_save_and_load_round_trip(vcd, tmp_path):
    act = read_waves(vcd, "top", window_cycles=2, start="reset")
    act.save(tmp_path / "a.npz")
    back = Activity.load(tmp_path / "a.npz")
    assert back.names == act.names and back.instances == act.instances
    for field in ("toggles", "high_time", "window_start", "instance", "window_ncycles"):
        assert np.array_equal(getattr(back, field), getattr(act, field)), field
    assert (back.clock, back.cycles, back.window_cycles, back.scope) == ("clk", 3, 2, "top")
    assert np.array_equal(back.extra["x_toggles"], act.extra["x_toggles"])


# The same waves simulated by Icarus, written as VCD and as FST. Verilog cannot declare a
# 1-bit "n [2]", and FST names carry no index through pywellen, so here v is [3:0] and n plain.
HAND_V = """`timescale 1ns/1ns
module top;
  reg clk = 0, rst_ni = 0;
  reg [3:0] bus = 4'bzx01;
  u_a u_a(.clk_alias(clk));
  always #5 clk = ~clk;
  initial begin
    #5 bus = 4'b0001; #7 rst_ni = 1; #3 bus = 4'b0011; #10 bus = 4'b0x11;
    #10 bus = 4'b0111; #10 bus = 4'b1111; #6 $finish;
  end
endmodule
module u_a(input wire clk_alias);
  reg a = 1'bx;
  reg [3:0] v = 4'bxxxx;
  reg n = 0;
  initial begin
    #5 a = 1; #15 a = 0; #2 v = 4'b0101; #8 a = 1; #8 n = 1; #4 v = 4'b1010;
  end
endmodule
module other;
  reg o = 0;
endmodule
"""
FROM_VERILOG = {"u_a.v[1]": "u_a.v[0]", "u_a.v[2]": "u_a.v[1]", "u_a.v[3]": "u_a.v[2]",
                "u_a.v[4]": "u_a.v[3]", "u_a.n[2]": "u_a.n"}


def _icarus_waves(tmp_path: Path, fmt: str) -> Path:
    toolchain.require("icarus")
    src = tmp_path / "hand.v"
    src.write_text(HAND_V.replace("#6 $finish", f'#6 $finish; end\n  initial begin '
                                  f'$dumpfile("{tmp_path}/hand.{fmt}"); $dumpvars(0, top)'))
    subprocess.run(["iverilog", "-o", str(tmp_path / "hand.vvp"), str(src)], check=True)
    subprocess.run(["vvp", "-n", str(tmp_path / "hand.vvp")] + (["-fst"] if fmt == "fst" else []),
                   check=True, capture_output=True, cwd=tmp_path)
    return tmp_path / f"hand.{fmt}"


@pytest.mark.sim
def test_simulated_vcd_and_fst_give_the_hand_made_answer(tmp_path):
    want = {FROM_VERILOG.get(k, k): v for k, v in WHOLE.items()}
    want_windows = {FROM_VERILOG.get(k, k): v for k, v in WINDOWED.items()}
    for fmt in ("vcd", "fst"):
        waves = _icarus_waves(tmp_path, fmt)
        act = read_waves(waves, "top", end=50 * NS)
        assert sorted(act.names) == sorted(want), fmt
        assert mismatches(act, want, windowed=False) == [], fmt
        act = read_waves(waves, "top", window_cycles=2, start="reset")
        assert mismatches(act, want_windows, windowed=True) == [], fmt


# --------------------------------------------------------------------------- simulators


def _ports_and_registers(fst: Path, scope: str) -> set[str]:
    """Signal names (no bit index) of every port and register of the design, from the waves:
    Verilator marks ports Input/Output, Icarus declares registers as reg, *_q are flops."""
    import pywellen
    waves = pywellen.Waveform(str(fst))
    out = set()
    for var in waves.all_vars():
        name = var.full_name
        if not name.startswith(scope + ".") or "Parameter" in var.var_type:
            continue
        rel = name[len(scope) + 1:].replace(".[", "[")
        if var.direction in ("Input", "Output") or var.var_type == "Reg" or rel.endswith("_q"):
            out.add(rel)
    return out


@pytest.mark.sim
@pytest.mark.parametrize("test,window", [("lfsr.LfsrSmokeTest.s16w8", 100),
                                         ("pool.PoolSmokeTest.n30l3", 50)])
def test_verilator_and_icarus_count_the_same_toggles(tmp_path, test, window):
    spec = registry.get(test)
    scope = spec.bench.toplevel
    acts, signals, waves = {}, set(), {}
    for sim in ("verilator", "icarus"):
        result = harness.run(spec, 1, sim, waves=True, out_dir=tmp_path / sim)
        assert_pass(result)
        waves[sim] = Path(result.waves)
        acts[sim] = capture.read(waves[sim], scope, window)
        signals |= _ports_and_registers(waves[sim], scope)
    ver, ica = acts["verilator"], acts["icarus"]
    assert np.array_equal(ver.window_start, ica.window_start)
    assert ver.cycles == ica.cycles > window
    # the same bits on both: memories, which only Verilator dumps, are left out
    assert set(ver.names) == set(ica.names)
    common = sorted(ver.names)
    with_memories = read_waves(waves["verilator"], scope, start="reset", window_cycles=window)
    only_ver = set(with_memories.names) - set(ica.names)
    assert all(".mem[" in n for n in only_ver)
    assert len(only_ver) == (3 * 10 * 9 if test.startswith("pool") else 0)  # banks x words x bits
    missing = [s for s in signals if ".mem" not in s
               and not any(n == s or n.startswith(s + "[") for n in common)]
    assert missing == [], "ports or registers not compared"
    assert len(signals) > 8
    vr = [ver.row(n) for n in common]
    ir = [ica.row(n) for n in common]
    different = [n for n, a, b in zip(common, ver.toggles[vr], ica.toggles[ir], strict=True)
                 if not np.array_equal(a, b)]
    assert different == [], f"{len(different)} bits differ per window, e.g. {different[:5]}"
    assert np.allclose(ver.high_time[vr], ica.high_time[ir], rtol=0, atol=1e-15)
    assert ver.toggles[vr].sum() > 10 * ver.cycles  # the design did toggle


@pytest.mark.sim
def test_a_mutant_that_toggles_one_more_bit_changes_only_its_counts(tmp_path):
    """A spare flop toggling every cycle: invisible to the scoreboard, seen in the activity."""
    base = registry.get("lfsr.LfsrSmokeTest.s16w8")
    spare = ("reg spare_q;\nalways @(posedge clk_i or negedge rst_ni) begin\n"
             "    if (!rst_ni) spare_q <= 1'b0; else spare_q <= ~spare_q;\nend\n")
    output = "assign rnd_o = state_q[WORD_W-1:0];"
    mutant = mutant_spec(base, "pezo_lfsr.v", output, spare + output, tmp_path, "spare")
    counts = {}
    for tag, spec in (("base", base), ("mutant", mutant)):
        result = harness.run(spec, 1, "icarus", waves=True, out_dir=tmp_path / tag)
        assert_pass(result)
        counts[tag] = capture.read(Path(result.waves), "pezo_lfsr", 1000)
    a, b = counts["base"], counts["mutant"]
    assert set(b.names) - set(a.names) == {"spare_q"} and set(a.names) < set(b.names)
    assert all(np.array_equal(a.toggles[a.row(n)], b.toggles[b.row(n)]) for n in a.names)
    assert b.total_toggles()[b.row("spare_q")] == b.cycles  # one toggle per cycle
    assert b.total_toggles().sum() == a.total_toggles().sum() + b.cycles


# --------------------------------------------------------------------------- SAIF


def _run_with_saif(spec: harness.TestSpec, seed: int, out: Path) -> Path:
    """Verilator with --trace-saif (one trace format per build, so a build of its own)."""
    from cocotb_tools.runner import Verilator

    from tb.sims import ProjectVerilator, build_args

    class SaifVerilator(ProjectVerilator):
        def _build_command(self):
            cmds = super()._build_command()
            cmds[0] = ["--trace-saif" if a == "--trace-fst" else a for a in cmds[0]]
            return cmds

        def _test_command(self):
            cmds = Verilator._test_command(self)
            cmds[0] += ["--trace-file", str(self.test_dir / "waves.saif")]
            return cmds

    toolchain.activate()
    runner = SaifVerilator()
    params = {k: harness.hdl_literal(v, k in spec.bench.wide_params) for k, v in spec.parameters}
    runner.build(sources=[harness.REPO / s for s in spec.bench.sources],
                 hdl_toplevel=spec.bench.toplevel, parameters=params,
                 build_args=build_args("verilator"), build_dir=out / "build", waves=True,
                 timescale=("1ns", "1ps"), log_file=out / "build.log")
    runner.test(test_module=spec.bench.module, hdl_toplevel=spec.bench.toplevel,
                hdl_toplevel_lang="verilog", testcase=spec.testcase, seed=seed,
                build_dir=out / "build", test_dir=out, results_xml=out / "results.xml",
                waves=True, extra_env={"PEZO_PARAMS": json.dumps(spec.params)},
                log_file=out / "sim.log")
    return out / "waves.saif"


@pytest.mark.sim
def test_verilator_saif_matches_its_fst(tmp_path):
    spec = registry.get("lfsr.LfsrSmokeTest.s16w8")
    saif = read_saif(_run_with_saif(spec, 1, tmp_path / "saif"), "pezo_lfsr")
    result = harness.run(spec, 1, "verilator", waves=True, out_dir=tmp_path / "fst")
    assert_pass(result)
    duration = saif.window_start[-1]
    fst = read_waves(result.waves, "pezo_lfsr", end=duration)
    assert duration == pytest.approx(20045 * NS) and fst.window_start[0] == 0
    # Verilator's SAIF also lists the parameters, which read_waves leaves out
    assert set(fst.names) < set(saif.names)
    assert {n.split("[")[0] for n in set(saif.names) - set(fst.names)} == {
        "STATE_W", "OUT_W", "TAPS", "ZERO_SUBST", "STATE_MASK", "WORD_W", "FEEDBACK", "NONZERO"}
    starts_at_one = read_waves(result.waves, "pezo_lfsr", end="1ps").high_time[:, 0] > 0
    rows = [saif.row(n) for n in fst.names]
    tc, t1 = saif.toggles[rows, 0], saif.high_time[rows, 0]
    # its TC also counts the bit's start from 0 when the first value is 1
    assert np.array_equal(tc, fst.total_toggles() + starts_at_one)
    assert np.allclose(t1, fst.total_high_time(), rtol=0, atol=1e-15)
    assert fst.total_toggles().sum() > 50_000


def test_saif_reader_on_a_hand_made_file(tmp_path):
    path = tmp_path / "t.saif"
    path.write_text("""(SAIFILE (SAIFVERSION "2.0") (DIRECTION "backward") (DESIGN )
 (DIVIDER / ) (TIMESCALE 10 ns) (DURATION 100)
 (INSTANCE tb /* a comment */
  (INSTANCE "dut_mod" dut
   (PORT (clk (T0 50) (T1 50) (TC 20)))
   (NET (q\\[0\\] (T0 70) (T1 20) (TX 10) (TC 3) (IG 1)) (q\\[1\\] (T0 100) (T1 0) (TC 0)))
   (INSTANCE u (NET (z (T0 0) (T1 100) (TC 1)))))))
""")
    act = read_saif(path, "tb/dut")
    assert act.names == ["q[0]", "q[1]", "clk", "u.z"]
    assert act.toggles[:, 0].tolist() == [3, 0, 20, 1]
    assert np.allclose(act.high_time[:, 0], np.array([20, 0, 50, 100]) * 10 * NS)
    assert np.allclose(act.window_start, [0, 1000 * NS])
    assert act.extra["IG"].tolist() == [1, 0, 0, 0]
    assert act.by_instance()[""]["total"] == 24


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call,needle", [
    (lambda p: read_waves(p, "nope.dut"), "scope 'nope.dut' not in .*top-level scopes: top, other"),
    (lambda p: read_waves(p, "top", window_cycles=0), "window must be a positive"),
    (lambda p: read_waves(p, "top", window_cycles=-3), "window must be a positive"),
    (lambda p: read_waves(p, "top", start="soon"), "start 'soon' is not 'reset'"),
    (lambda p: read_waves(p, "top.u_a", window_cycles=5), "no clock"),
    (lambda p: read_waves(p.parent / "missing.fst", "top"), "missing.fst does not exist"),
])
def test_bad_wave_input_is_one_config_error(vcd, call, needle):
    with pytest.raises(ConfigError, match=needle) as info:
        call(vcd)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("content,needle", [
    (b"\x00\x01garbage" * 50, "cannot read waves .*unknown file format"),
    (VCD.replace("#5\n1!", "#5\nq!").encode(), "cannot read waves .*unexpected token"),
])
def test_unreadable_waves_are_one_config_error(tmp_path, content, needle):
    path = tmp_path / "bad.fst"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=needle) as info:
        read_waves(path, "top")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text,needle", [
    ("(SAIFILE (DURATION 10) (INSTANCE a (NET (x (T1 3) (TC 1)))", "2 unclosed"),
    ("(SAIFILE (DURATION 10) (INSTANCE a (NET (x (T1 3) (TC one)))))", "TC 'one' is not a number"),
    ("(SAIFILE (INSTANCE a (NET (x (T1 3) (TC 1)))))", "no DURATION"),
    ("(SAIFILE (DURATION 10) (INSTANCE a (NET (x (T7 3)))))", "is not one of T0"),
    ("(SAIFILE (DURATION 10)) )", "unbalanced"),
    ("(SAIFILE (DURATION 10) (INSTANCE a (NET (x (T1 3) (TC 1)))))", "scope 'b' not in SAIF"),
])
def test_malformed_saif_is_one_config_error(tmp_path, text, needle):
    path = tmp_path / "bad.saif"
    path.write_text(text)
    with pytest.raises(ConfigError, match=needle) as info:
        read_saif(path, "b" if "scope" in needle else "a")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("args", [
    ["sim", "lfsr.LfsrSmokeTest.s16w8", "--activity", "--window", "0"],
    ["sim", "lfsr.LfsrSmokeTest.s16w8", "--window", "0"],
    ["regress", "--suite", "smoke", "--activity", "--window", "-1"],
    ["sim", "lfsr.LfsrSmokeTest.s16w8", "--window", "10"]])
def test_bad_window_on_the_command_line_exits_2(args):
    out = subprocess.run([sys.executable, "-m", "regress.cli"] + args, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("pezo: error: --window")


# --------------------------------------------------------------------------- capture


@pytest.mark.sim
def test_pezo_sim_activity_writes_the_files_and_drops_the_waves(tmp_path):
    out = subprocess.run([sys.executable, "-m", "regress.cli", "sim", "lfsr.LfsrSmokeTest.s16w8",
                          "--sim", "icarus", "--activity", "--window", "500"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    line = [x for x in out.stdout.splitlines() if "activity:" in x][0]
    folder = Path(line.split("; ")[-1].split(" (+")[0]).parent
    record = json.loads((folder / "activity.json").read_text())
    assert record["cycles"] == 2002 and record["window_cycles"] == 500
    assert record["window_ncycles"] == [500, 500, 500, 500, 2]
    top = record["instances"][0]
    assert top["instance"] == "" and top["total"] == record["toggles"] == sum(top["total_windows"])
    assert not (folder / "waves.fst").exists()
    act = Activity.load(folder / "activity.npz")
    assert act.toggles.shape == (108, 5) and act.toggles.sum() == record["toggles"]
    rows = (folder / "toggles.csv").read_text().splitlines()
    assert rows[0] == "name,instance,toggles,toggles_per_cycle,high_fraction"
    assert rows[1].startswith("clk_i,,4004,2,0.5") and len(rows) == 109


@pytest.mark.sim
def test_regression_records_activity_in_its_reports(tmp_path):
    from regress import runner, suites
    jobs = [suites.Job("lfsr.LfsrSmokeTest.s16w8", 1, "icarus"),
            suites.Job("scale.ScaleSmokeTest.l4w9t3", 1, "icarus")]
    data = runner.run_jobs(jobs, tmp_path, {"run": "t", "suite": "t", "seeds": [1],
                                            "master_seed": None, "simulators": ["icarus"]},
                           workers=2, progress=lambda line: None, activity_window=100)
    assert data["totals"]["pass"] == 2
    for test in json.loads((tmp_path / "report.json").read_text())["tests"]:
        act = test["activity"]
        assert act["cycles"] > 100 and act["toggles_per_cycle"] > 1, test["name"]
        assert Path(act["files"]["npz"]).exists() and test["waves"] is None
    md = (tmp_path / "report.md").read_text()
    assert "## Activity" in md and "(tests/icarus/lfsr.LfsrSmokeTest.s16w8-s1/activity.json)" in md
    assert "activity.toggles_per_cycle" in (tmp_path / "junit.xml").read_text()
