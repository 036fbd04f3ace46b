"""Run Debian's `opensta` (2019) on a netlist under a global activity and read its table.

Debian's build has no read_vcd/read_saif and doubles internal power (it adds the rise and
fall energies), so the tests compare only switching and leakage with it. It applies the
liberty's default wire load ("Small"); our engine does the same when given --wire-load
Small. It cannot read .lib.gz, so the liberty is decompressed beside the script.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

GROUPS = ("Sequential", "Combinational", "Macro", "Pad", "Total")


def available() -> bool:
    return shutil.which("sta") is not None


def report_power(netlist_v: Path, top: str, liberty_gz: Path, work: Path, period_ns: float,
                 activity: float, duty: float = 0.5,
                 clock: str = "clk_i") -> dict[str, dict[str, float]]:
    """{group: {internal, switching, leakage, total}} in W, as Debian's sta prints them."""
    work.mkdir(parents=True, exist_ok=True)
    lib = work / "liberty.lib"
    if not lib.exists():
        lib.write_bytes(gzip.decompress(liberty_gz.read_bytes()))
    script = work / "power.tcl"
    script.write_text("\n".join([
        f"read_liberty {lib}", f"read_verilog {netlist_v}", f"link_design {top}",
        f"create_clock -name {clock} -period {period_ns} [get_ports {clock}]",
        "set_input_transition 0.1 [all_inputs]",
        # inputs and outputs timed by the clock: Debian gives unclocked pins no activity
        f"set_input_delay 0 -clock [get_clocks {clock}] [all_inputs]",
        f"set_output_delay 0 -clock [get_clocks {clock}] [all_outputs]",
        f"set_power_activity -global -activity {activity} -duty {duty}",
        "report_power -digits 6", ""]))
    out = subprocess.run(["sta", "-no_splash", "-exit", str(script)], capture_output=True,
                         text=True, timeout=300, cwd=work)
    table = {}
    for line in out.stdout.splitlines():
        words = line.split()
        if words and words[0] in GROUPS and len(words) >= 5:
            internal, switching, leakage, total = (float(w) for w in words[1:5])
            table[words[0].lower()] = {"internal": internal, "switching": switching,
                                       "leakage": leakage, "total": total}
    if "total" not in table:
        raise RuntimeError(f"Debian sta printed no power table:\n{out.stdout}\n{out.stderr}")
    return table
