"""`pezo power gate ...` (any netlist) and `pezo power <test>` (the whole flow for ours).

Both print OpenSTA's report_power table and write power.json (groups, hierarchy, top
instances, per-window totals) and power.png (power per window) into --out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from power import report
from power.flow import PowerJob
from power.flow import run as run_job
from ref_model.errors import ConfigError

SUBCOMMANDS = ("gate", "test", "calibrate")
NS = 1e-9


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("power", help="gate-level power: `power gate` for any netlist, "
                              "`power <test>` for one of ours")
    sub = p.add_subparsers(dest="power_command", required=True,
                           metavar="gate|calibrate|<test>", parser_class=type(p))
    gate = sub.add_parser("gate", help="power of any sky130-style netlist from activity")
    gate.add_argument("--netlist", required=True, help="structural Verilog (.v) or yosys JSON")
    gate.add_argument("--top", help="top module (default: the netlist's only top)")
    gate.add_argument("--liberty", default=None,
                      help="liberty .lib or .lib.gz (default: sky130 tt)")
    source = gate.add_mutually_exclusive_group(required=True)
    source.add_argument("--vcd", help="VCD (or .vcd.gz) of a simulation of the netlist")
    source.add_argument("--fst", help="FST of a simulation of the netlist")
    source.add_argument("--saif", help="SAIF 2.0 of a simulation of the netlist")
    source.add_argument("--global-activity", metavar="A[,DUTY]",
                        help="every net A transitions per clock period (duty default 0.5)")
    gate.add_argument("--scope",
                      help="the netlist's instance in the activity file, e.g. gcd_tb/gcd1")
    _add_common(gate)
    gate.add_argument("--sdc",
                      help="constraints: create_clock -period, set_input_transition, set_load")
    gate.add_argument("--period", type=float, help="clock period in ns (overrides the SDC)")
    gate.add_argument("--input-transition", type=float,
                      help="input slew in ns (default: SDC or 0.1)")
    gate.add_argument("--clock", help="clock port (default: the SDC's clock, clk_i or clk)")
    gate.add_argument("--wire-load", help="a wire-load model of the liberty (default: none, "
                      "as upstream OpenSTA without set_wire_load_model)")
    gate.add_argument("--blackbox", action="append", default=[], metavar="CELL",
                      help="a cell type to skip and report as a black box")
    gate.set_defaults(func=cmd_gate)

    test = sub.add_parser("test", help="synthesize, simulate on gates, analyse: one of our tests")
    test.add_argument("test", help="a block test (`pezo list`), RTL or gl. name")
    test.add_argument("--seed", type=int, default=1)
    test.add_argument("--sim", default="icarus", help="gate-level simulator: icarus or verilator")
    _add_common(test)
    test.set_defaults(func=cmd_test)
    _add_calibrate(sub)
    return p


def _add_calibrate(sub) -> None:
    cal = sub.add_parser("calibrate", help="fit the RTL power proxy of block variants against "
                         "gate level and check it on held-out seeds")
    cal.add_argument("--bench", help="one block bench (default: lfsr, pool, scale, array, gauss)")
    cal.add_argument("--variant", help="one variant of --bench (default: all)")
    cal.add_argument("--seeds-fit", default="1,2", help="seeds the fit sees (default 1,2)")
    cal.add_argument("--seeds-check", default="3,4", help="held-out seeds (default 3,4)")
    cal.add_argument("--jobs", type=int, default=2, help="simulations at once (default 2)")
    cal.add_argument("--out", help="folder of the calibration files (default power/calibration)")
    cal.add_argument("--gl-sim", default="icarus", choices=("icarus", "verilator"),
                     help="gate-level simulator (default icarus; verilator for big netlists)")
    cal.add_argument("--check-only", action="store_true",
                     help="no fit: score the files in --out again on the --seeds-check runs")
    cal.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args) -> int:
    from power import calibrate
    return calibrate.main_args(args)


def _add_common(p) -> None:
    p.add_argument("--window", type=int, default=None, metavar="CYCLES",
                   help="power per window of this many clock cycles (default: one window; "
                        "`power <test>`: 1000)")
    p.add_argument("--out", help="folder for power.json and power.png")
    p.add_argument("--digits", type=int, default=2, help="digits in the table (default 2)")


def route(argv: list[str]) -> list[str]:
    """`pezo power <test> ...` reads as `pezo power test <test> ...`."""
    if len(argv) >= 2 and argv[0] == "power" and argv[1] not in SUBCOMMANDS \
            and not argv[1].startswith("-"):
        return [argv[0], "test", *argv[1:]]
    return argv


def cmd_gate(args) -> int:
    from power import pdk
    job = PowerJob(Path(args.netlist), Path(args.liberty) if args.liberty else pdk.liberty_path(),
                   args.top, _activity_file(args), args.scope, _global(args.global_activity),
                   Path(args.sdc) if args.sdc else None,
                   args.period * NS if args.period is not None else None,
                   args.input_transition * NS if args.input_transition is not None else None,
                   args.clock, args.window, args.wire_load, tuple(args.blackbox))
    out = Path(args.out) if args.out else Path("build") / "power" / Path(args.netlist).stem
    return _finish(run_job(job), out, args.digits)


def cmd_test(args) -> int:
    from power import gl_run
    if args.seed < 0:
        raise ConfigError(f"--seed must be >= 0, got {args.seed}")
    window = 1000 if args.window is None else args.window
    result, out = gl_run.run(args.test, args.seed, args.sim, window,
                                Path(args.out) if args.out else None)
    return _finish(result, out, args.digits)


def _finish(result, out: Path, digits: int) -> int:
    if not 1 <= digits <= 12:
        raise ConfigError(f"--digits must be 1..12, got {digits}")
    out.mkdir(parents=True, exist_ok=True)
    print(report.table(result, digits))
    if result.blackboxes:
        print("black boxes (no power counted): " +
              ", ".join(f"{k} x{n}" for k, n in result.blackboxes.items()))
    if result.unannotated:
        print(f"unannotated nets (no activity in the source): {len(result.unannotated)}, "
              f"e.g. {', '.join(result.unannotated[:5])}")
    report.write_json(result, out / "power.json")
    report.plot_windows(result, out / "power.png")
    print(f"power.json, power.png: {out}")
    return 0


def _activity_file(args) -> Path | None:
    for name in ("vcd", "fst", "saif"):
        value = getattr(args, name)
        if value:
            return Path(value)
    return None


def _global(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ConfigError(f"--global-activity '{text}': expected A or A,DUTY (numbers)") from None
    if len(values) > 2:
        raise ConfigError(f"--global-activity '{text}': expected A or A,DUTY")
    return values[0], values[1] if len(values) == 2 else 0.5
