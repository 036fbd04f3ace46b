"""Speed of the gate-level power flow: `python -m power.bench [--cycles N]` (in `make bench`).

For pezo_lfsr (32-bit state, 16-bit words): sky130 synthesis (yosys, cached after the
first run: the recorded time of that run is shown), a gate-level simulation of 20,000
cycles in a plain Icarus testbench, the power of its waves as FST and as VCD, and the
power engine on 1M-cycle gate-level waves (VCD; FST too with --long-fst, which takes
minutes: pywellen 0.25.7 loads an FST's signals one at a time, each a pass over the file).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

from power import gate_synth, pdk
from power.activity_speed import TESTBENCH
from power.flow import PowerJob
from power.flow import run as run_power
from tb import harness, registry, toolchain

OUT = harness.REPO / "build" / "bench" / "power"


def gate_level_waves(netlist_v: Path, cycles: int, out: Path, fmt: str) -> tuple[Path, float]:
    """FST or VCD of the lfsr netlist driven by the activity bench's testbench; (file, s)."""
    toolchain.require("icarus")
    out.mkdir(parents=True, exist_ok=True)
    # the netlist has no parameters: drop the RTL's parameter overrides
    bench = TESTBENCH.replace(
        "pezo_lfsr #(.STATE_W(32), .OUT_W(16), .TAPS(64'h0040_0007), .ZERO_SUBST(64'd1)) dut",
        "pezo_lfsr dut").replace('"waves.fst"', f'"waves.{fmt}"')
    (out / "tb.v").write_text(bench)
    start = time.monotonic()
    subprocess.run(["iverilog", "-o", str(out / "tb.vvp"), str(out / "tb.v"), str(netlist_v),
                    str(pdk.prepare().cells_v)], check=True)
    subprocess.run(["vvp", "-n", str(out / "tb.vvp"), f"-{fmt}", f"+cycles={cycles}"],
                   check=True, cwd=out, stdout=subprocess.DEVNULL)
    return out / f"waves.{fmt}", time.monotonic() - start


def timed_power(netlist_json: Path, waves: Path, window: int | None) -> tuple[float, float]:
    start = time.monotonic()
    result = run_power(PowerJob(netlist_json, pdk.liberty_path(), "pezo_lfsr", waves, "tb.dut",
                                clock_period=10e-9, input_transition=0.1e-9, clock="clk_i",
                                window_cycles=window))
    return time.monotonic() - start, result.total()["total"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1_000_000)
    parser.add_argument("--long-fst", action="store_true", help="also time the long FST")
    args = parser.parse_args(argv)
    spec = registry.get("gl.lfsr.LfsrSmokeTest.s32w16")
    start = time.monotonic()
    netlist = gate_synth.for_spec(spec)
    figures = {"synthesis_s": netlist.seconds,
               "synthesis_cached_s": round(time.monotonic() - start, 2), "cells": netlist.n_cells}
    for fmt in ("fst", "vcd"):
        waves, sim_s = gate_level_waves(Path(netlist.verilog), 20_000, OUT / f"20k-{fmt}", fmt)
        power_s, watts = timed_power(Path(netlist.json), waves, 1000)
        figures[f"20k_{fmt}"] = {"gl_sim_s": round(sim_s, 2), "power_s": round(power_s, 2),
                                 "power_w": watts, "mb": round(waves.stat().st_size / 1e6, 1)}
    for fmt in ("vcd", "fst") if args.long_fst else ("vcd",):
        waves, sim_s = gate_level_waves(Path(netlist.verilog), args.cycles,
                                        OUT / f"long-{fmt}", fmt)
        entry = {"cycles": args.cycles, "mb": round(waves.stat().st_size / 1e6, 1),
                 "gl_sim_s": round(sim_s, 2)}
        for window in (None, 1000):
            entry[f"power_s_window_{window}"] = round(timed_power(Path(netlist.json), waves,
                                                                  window)[0], 2)
        figures[f"long_{fmt}"] = entry
    figures["load_average"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures, indent=1))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
