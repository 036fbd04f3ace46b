"""How fast read_waves() reduces a long FST: `python -m power.activity_speed [--cycles N]`.

Simulates pezo_lfsr (32-bit state, 16-bit words, enable high 7 cycles in 8) for N clock
cycles in a plain Icarus testbench (no cocotb, so a million cycles take seconds), dumping
FST, then times read_waves() over the DUT from reset release: one window, and windows of
1,000 cycles. Prints the file size, the times, the peak memory and the machine load.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import time
from pathlib import Path

from power.activity import read_waves
from tb import harness, toolchain

OUT = harness.REPO / "build" / "bench" / "activity"
TESTBENCH = """`timescale 1ns/1ps
module tb;
  reg clk = 0, rst_ni = 0, seed_load = 0, en = 0;
  wire [15:0] rnd;
  pezo_lfsr #(.STATE_W(32), .OUT_W(16), .TAPS(64'h0040_0007), .ZERO_SUBST(64'd1)) dut (
    .clk_i(clk), .rst_ni(rst_ni), .seed_load_i(seed_load), .seed_i(32'h1234abcd),
    .en_i(en), .rnd_o(rnd));
  always #5 clk = ~clk;
  integer cycles;
  initial begin
    if (!$value$plusargs("cycles=%d", cycles)) cycles = 1000;
    $dumpfile("waves.fst");
    $dumpvars(0, tb.dut);
    #12 rst_ni = 1;
    @(negedge clk) seed_load = 1;
    @(negedge clk) begin seed_load = 0; en = 1; end
    repeat (cycles) @(negedge clk) en = ($random & 7) != 0;
    $finish;
  end
endmodule
"""


def make_fst(cycles: int) -> Path:
    toolchain.require("icarus")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tb.v").write_text(TESTBENCH)
    subprocess.run(["iverilog", "-o", str(OUT / "tb.vvp"), str(OUT / "tb.v"),
                    str(harness.REPO / "rtl" / "pezo_lfsr.v")], check=True)
    subprocess.run(["vvp", "-n", str(OUT / "tb.vvp"), "-fst", f"+cycles={cycles}"],
                   check=True, cwd=OUT, stdout=subprocess.DEVNULL)
    return OUT / "waves.fst"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    start = time.monotonic()
    fst = make_fst(args.cycles)
    print(f"{fst}: {fst.stat().st_size / 1e6:.1f} MB, {args.cycles} cycles, "
          f"simulated in {time.monotonic() - start:.1f} s")
    for window in (None, 1000):
        start = time.monotonic()
        act = read_waves(fst, "tb.dut", start="reset", window_cycles=window, initial_x="zero")
        print(f"read_waves(window_cycles={window}): {time.monotonic() - start:.2f} s, "
              f"{act.n_bits} bits x {act.n_windows} windows, {act.cycles} cycles, "
              f"{int(act.toggles.sum())} toggles")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
